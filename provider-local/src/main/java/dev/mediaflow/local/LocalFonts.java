package dev.mediaflow.local;

import dev.mediaflow.UnsupportedMediaOperationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a font file for text watermarks (the bundled FFmpeg has FreeType but no fontconfig). A
 * named font matches a file whose name, without case, spaces, dashes or underscores, equals it or
 * equals it plus "regular"; without a name, {@code media.local.fontFile}, then DejaVu Sans, then
 * any font found.
 */
final class LocalFonts {
  private static final List<Path> DIRS =
      List.of(
          Path.of("/usr/share/fonts"),
          Path.of("/usr/local/share/fonts"),
          Path.of(System.getProperty("user.home"), ".fonts"),
          Path.of(System.getProperty("user.home"), ".local/share/fonts"),
          Path.of("/Library/Fonts"),
          Path.of("/System/Library/Fonts"));

  private LocalFonts() {}

  static Path find(Optional<String> name, Optional<Path> configured) {
    List<Path> fonts = all();
    if (name.isPresent()) {
      String wanted = normal(name.get());
      for (Path f : fonts) {
        String n = normal(stem(f));
        if (n.equals(wanted) || n.equals(wanted + "regular")) {
          return f;
        }
      }
      if (configured.isEmpty()) {
        throw new UnsupportedMediaOperationException(
            LocalJobClient.ID,
            "watermark",
            "font",
            "font '"
                + name.get()
                + "' was not found in "
                + DIRS.get(0)
                + " or the other font folders; install it, "
                + "leave font unset, or set media.local.fontFile to a .ttf/.otf file");
      }
    }
    if (configured.isPresent()) {
      if (!Files.isRegularFile(configured.get())) {
        throw new UnsupportedMediaOperationException(
            LocalJobClient.ID,
            "watermark",
            "font",
            "media.local.fontFile " + configured.get() + " is not a file");
      }
      return configured.get();
    }
    return fonts.stream()
        .filter(f -> normal(stem(f)).equals("dejavusans"))
        .findFirst()
        .or(() -> fonts.stream().findFirst())
        .orElseThrow(
            () ->
                new UnsupportedMediaOperationException(
                    LocalJobClient.ID,
                    "watermark",
                    "font",
                    "no font file found for text watermarks; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) "
                        + "or set media.local.fontFile"));
  }

  private static List<Path> all() {
    List<Path> out = new ArrayList<>();
    for (Path dir : DIRS) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (var walk = Files.walk(dir, 6)) {
        walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(ttf|otf|ttc)$"))
            .sorted()
            .forEach(out::add);
      } catch (IOException | java.io.UncheckedIOException ignored) {
        // unreadable font folder: skip it
      }
    }
    return out;
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  private static String normal(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
  }
}
