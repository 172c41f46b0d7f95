package dev.mediaflow.local;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Finds the external programs: FFmpeg and ffprobe, and LibreOffice's {@code soffice} (configured,
 * or on the PATH). FFmpeg is looked for, in order: {@code media.local.ffmpeg} (with {@code
 * media.local.ffprobe}, or the ffprobe beside it); the bundled {@code org.bytedeco} GPL build, when
 * {@code mediaflow-ffmpeg-gpl} put it on the class path (extracted once into {@code
 * ~/.cache/mediaflow}); {@code ffmpeg} and {@code ffprobe} on the PATH. Only the executables are
 * used, never JNI: no {@code org.bytedeco} class is loaded, so nothing native enters the JVM and a
 * configured FFmpeg needs no {@code org.bytedeco} jar at all.
 *
 * @param ffmpeg the FFmpeg executable
 * @param ffprobe the ffprobe executable
 * @param environment extra environment for both (the bundled build finds its libraries through it)
 * @param soffice LibreOffice, when found
 */
record LocalTools(
    Path ffmpeg, Path ffprobe, Map<String, String> environment, Optional<Path> soffice) {
  private static final String BUNDLE = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
  static final String BUNDLE_ARTIFACT = "dev.mediaflow:mediaflow-ffmpeg-gpl";

  /** Where an FFmpeg came from, for the message when it cannot start. */
  private enum Origin {
    CONFIGURED,
    BUNDLED,
    PATH
  }

  static LocalTools locate(LocalSettings settings) {
    return locate(settings, LocalTools.class.getClassLoader(), System.getenv("PATH"));
  }

  /**
   * As {@link #locate(LocalSettings)}, with the class loader to look for the bundled build in and
   * the search path (as {@code PATH} writes it; null for none) to look for programs on.
   */
  static LocalTools locate(LocalSettings settings, ClassLoader loader, String searchPath) {
    Optional<Path> soffice =
        settings
            .soffice()
            .or(() -> onPath("soffice", searchPath))
            .or(() -> onPath("libreoffice", searchPath));
    if (settings.ffmpeg().isPresent()) {
      Path ffmpeg = executable(settings.ffmpeg().get(), "ffmpeg", searchPath);
      Path ffprobe =
          settings.ffprobe().isPresent()
              ? executable(settings.ffprobe().get(), "ffprobe", searchPath)
              : onPath(ffmpeg.resolveSibling("ffprobe").toString(), searchPath)
                  .orElseThrow(
                      () ->
                          new MediaConfigException(
                              "media.local.ffprobe",
                              "media.local.ffprobe: no ffprobe beside media.local.ffmpeg ("
                                  + ffmpeg
                                  + "); set media.local.ffprobe"));
      return new LocalTools(ffmpeg, ffprobe, Map.of(), soffice).checked(Origin.CONFIGURED);
    }
    URL bundle = loader.getResource(BUNDLE + "ffmpeg");
    if (bundle != null) {
      Path dir = bundledDirectory(bundle);
      return new LocalTools(
              dir.resolve("ffmpeg"),
              dir.resolve("ffprobe"),
              Map.of("LD_LIBRARY_PATH", dir.toString()),
              soffice)
          .checked(Origin.BUNDLED);
    }
    Optional<Path> ffmpeg = onPath("ffmpeg", searchPath);
    if (ffmpeg.isEmpty()) {
      throw new MediaConfigException(
          "media.local.ffmpeg",
          "media.local.ffmpeg: no FFmpeg: the setting is not set, the "
              + "bundled build ("
              + BUNDLE_ARTIFACT
              + ") is not on the class path, and there is no ffmpeg on the PATH. "
              + "Install FFmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install "
              + "ffmpeg; others: https://ffmpeg.org/download.html) and set media.local.ffmpeg to its path, or add the "
              + "dependency "
              + BUNDLE_ARTIFACT
              + " (type pom; Linux x86-64)");
    }
    Path ffprobe =
        onPath(ffmpeg.get().resolveSibling("ffprobe").toString(), searchPath)
            .or(() -> onPath("ffprobe", searchPath))
            .orElseThrow(
                () ->
                    new MediaConfigException(
                        "media.local.ffprobe",
                        "media.local.ffprobe: FFmpeg found on the PATH ("
                            + ffmpeg.get()
                            + ") but no ffprobe; install ffprobe "
                            + "(most FFmpeg packages include it) or set media.local.ffprobe"));
    return new LocalTools(ffmpeg.get(), ffprobe, Map.of(), soffice).checked(Origin.PATH);
  }

  /**
   * Runs {@code ffmpeg -version} and {@code ffprobe -version} once, so that a binary that cannot
   * start (most often a missing system library) is reported with the fix, before any job.
   */
  private LocalTools checked(Origin origin) {
    for (Path exe : List.of(ffmpeg, ffprobe)) {
      String output;
      int exit;
      try {
        ProcessBuilder pb =
            new ProcessBuilder(exe.toString(), "-hide_banner", "-version")
                .redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process p = pb.start();
        output =
            new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .trim();
        exit = p.waitFor();
      } catch (IOException e) {
        output = e.getMessage();
        exit = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MediaConfigException(
            "media.local.ffmpeg", "media.local.ffmpeg: interrupted while checking " + exe);
      }
      if (exit != 0) {
        String key = "media.local.ffmpeg";
        String which =
            switch (origin) {
              case CONFIGURED -> "";
              case BUNDLED -> "the bundled ";
              case PATH -> "the PATH's ";
            };
        String fix =
            switch (origin) {
              case CONFIGURED -> "check the setting";
              case BUNDLED ->
                  output.contains("libpulse")
                      ? "install the missing library (Debian/Ubuntu: apt-get install libpulse0), or set media.local.ffmpeg to "
                          + "an installed FFmpeg"
                      : "install the missing system library, or set media.local.ffmpeg to an installed FFmpeg";
              case PATH ->
                  "repair that installation, or set media.local.ffmpeg to a working FFmpeg";
            };
        throw new MediaConfigException(
            key,
            key
                + ": "
                + which
                + exe.getFileName()
                + " cannot start ("
                + output.lines().reduce((a, b) -> b).orElse("exit code " + exit)
                + "): "
                + fix);
      }
    }
    return this;
  }

  private static Path executable(Path configured, String key, String searchPath) {
    return onPath(configured.toString(), searchPath)
        .orElseThrow(
            () ->
                new MediaConfigException(
                    "media.local." + key,
                    "media.local."
                        + key
                        + ": '"
                        + configured
                        + "' is not an executable file, nor a program on the PATH"));
  }

  private static Optional<Path> onPath(String name, String path) {
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Extracts the bundled FFmpeg, whose {@code ffmpeg} entry is {@code marker}, once per version;
   * concurrent extractions (threads or processes) are safe.
   */
  private static synchronized Path bundledDirectory(URL marker) {
    try {
      JarURLConnection connection = (JarURLConnection) marker.openConnection();
      connection.setUseCaches(false);
      Path jar = Path.of(connection.getJarFileURL().toURI());
      String version =
          jar.getFileName().toString().replaceAll("\\.jar$", "") + "-" + Files.size(jar);
      Path cache = cacheRoot().resolve(version);
      if (Files.isExecutable(cache.resolve("ffmpeg"))
          && Files.isExecutable(cache.resolve("ffprobe"))) {
        return cache;
      }
      Files.createDirectories(cache.getParent());
      Path staging = cache.resolveSibling(version + ".tmp-" + UUID.randomUUID());
      Files.createDirectories(staging);
      try (JarFile file = new JarFile(jar.toFile())) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (entry.isDirectory() || !entry.getName().startsWith(BUNDLE)) {
            continue;
          }
          Path out = staging.resolve(entry.getName().substring(BUNDLE.length()));
          try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, out);
          }
          out.toFile().setExecutable(true, false);
        }
      }
      try {
        Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | DirectoryNotEmptyException
          | AtomicMoveNotSupportedException lost) {
        deleteTree(staging); // another process won the race; its copy is complete
      }
      return cache;
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot extract the bundled FFmpeg to "
              + cacheRoot()
              + ": "
              + e.getMessage()
              + ". Free some room there, or set media.local.ffmpeg to an FFmpeg executable.",
          e);
    } catch (java.net.URISyntaxException | ClassCastException e) {
      throw new MediaConfigException(
          "media.local.ffmpeg",
          "media.local.ffmpeg: the bundled FFmpeg is not in a jar file ("
              + marker
              + "); set media.local.ffmpeg to an FFmpeg executable");
    }
  }

  /**
   * Extensions FFmpeg reads with its image2 demuxer, which takes a '%' in a name for a sequence.
   */
  private static final java.util.Set<String> IMAGE2 =
      java.util.Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "avif", "pgm", "ppm");

  /**
   * Returns the options that name {@code file} as an input: {@code -i file}, with {@code -f image2
   * -pattern_type none} before it for a still image whose name has a '%', which FFmpeg would read
   * as a frame-number pattern ({@code a%d.jpg}).
   */
  static List<String> input(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    return name.indexOf('%') >= 0 && IMAGE2.contains(ext)
        ? List.of("-f", "image2", "-pattern_type", "none", "-i", file.toString())
        : List.of("-i", file.toString());
  }

  private static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("mediaflow").resolve("ffmpeg");
  }

  /**
   * Deletes a folder and what is in it; best effort, and safe when another thread deletes the same
   * tree.
   */
  static void deleteTree(Path dir) {
    for (int attempt = 0;
        attempt < 3 && Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        attempt++) {
      try (var walk = Files.walk(dir)) {
        List<Path> all = new ArrayList<>(walk.toList());
        java.util.Collections.reverse(all);
        for (Path p : all) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // changed under us (another deleter, a late write): look again
      }
    }
  }
}
