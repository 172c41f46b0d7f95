package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaConfigException;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider without the bundled FFmpeg (no {@code mediaflow-ffmpeg-gpl}, so no {@code
 * org.bytedeco} jar): an FFmpeg named by {@code media.local.ffmpeg} is all it needs, one on the
 * PATH is used when nothing is set, and with none anywhere a {@link MediaConfigException} names the
 * setting and says how to install FFmpeg.
 */
class WithoutBundleTest {
  @TempDir static Path dir;

  /** An FFmpeg installed outside the class path, as a system package would be. */
  static Path systemBin;

  static Path emptyBin;

  /** Finds nothing: a class path without {@code mediaflow-ffmpeg-gpl}. */
  static final ClassLoader WITHOUT_BUNDLE = new ClassLoader(null) {};

  @BeforeAll
  static void installSystemFfmpeg() throws IOException {
    // The bundled build, found the way the provider finds it by default, stands in for a system
    // installation:
    // wrappers that set its library path, so that nothing but the path to them is configured.
    Path bundled = Media.TOOLS.ffmpeg().getParent();
    systemBin = Files.createDirectories(dir.resolve("system/bin"));
    emptyBin = Files.createDirectories(dir.resolve("empty/bin"));
    String exports =
        Media.TOOLS.environment().entrySet().stream()
            .map(e -> "export " + e.getKey() + "='" + e.getValue() + "'\n")
            .collect(Collectors.joining());
    for (String tool : List.of("ffmpeg", "ffprobe")) {
      Path script = systemBin.resolve(tool);
      Files.writeString(
          script, "#!/bin/sh\n" + exports + "exec '" + bundled.resolve(tool) + "' \"$@\"\n");
      assertThat(script.toFile().setExecutable(true)).isTrue();
    }
  }

  static LocalSettings settings(Path ffmpeg) {
    return new LocalSettings(
        dir,
        Optional.ofNullable(ffmpeg),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        1,
        0,
        Duration.ofHours(1));
  }

  @Test
  void configuredFfmpeg_neverLooksForTheBundle() {
    ClassLoader failsIfAsked =
        new ClassLoader(null) {
          @Override
          public URL getResource(String name) {
            throw new AssertionError("looked for " + name + " although media.local.ffmpeg is set");
          }
        };

    LocalTools tools =
        LocalTools.locate(settings(systemBin.resolve("ffmpeg")), failsIfAsked, emptyBin.toString());

    assertThat(tools.ffmpeg()).isEqualTo(systemBin.resolve("ffmpeg"));
    assertThat(tools.ffprobe()).isEqualTo(systemBin.resolve("ffprobe"));
    assertThat(tools.environment()).isEmpty();
  }

  @Test
  void noSettingAndNoBundle_usesFfmpegOnThePath() {
    LocalTools tools =
        LocalTools.locate(
            settings(null), WITHOUT_BUNDLE, emptyBin + File.pathSeparator + systemBin);

    assertThat(tools.ffmpeg()).isEqualTo(systemBin.resolve("ffmpeg"));
    assertThat(tools.ffprobe()).isEqualTo(systemBin.resolve("ffprobe"));
  }

  @Test
  void noFfmpegAnywhere_namesTheSettingAndHowToInstallFfmpeg() {
    assertThatThrownBy(() -> LocalTools.locate(settings(null), WITHOUT_BUNDLE, emptyBin.toString()))
        .isInstanceOfSatisfying(
            MediaConfigException.class, e -> assertThat(e.key()).isEqualTo("media.local.ffmpeg"))
        .hasMessageStartingWith("media.local.ffmpeg: no FFmpeg")
        .hasMessageContaining("apt-get install ffmpeg")
        .hasMessageContaining("https://ffmpeg.org/download.html")
        .hasMessageContaining("set media.local.ffmpeg to its path")
        .hasMessageContaining("dev.mediaflow:mediaflow-ffmpeg-gpl");
  }

  @Test
  void configuredFfmpeg_runsJobs_inAJvmWithoutAnyBytedecoJar() throws Exception {
    Path root = dir.resolve("configured");

    List<String> out = runWithoutBytedeco(root, systemBin.resolve("ffmpeg").toString());

    assertThat(out).contains("bytedeco-absent");
    assertThat(out).anyMatch(line -> line.startsWith("SUCCEEDED"));
    byte[] jpg = Files.readAllBytes(root.resolve("media/out/frame.jpg"));
    assertThat(jpg).startsWith(0xFF, 0xD8, 0xFF);
  }

  @Test
  void noFfmpegAnywhere_inAJvmWithoutAnyBytedecoJar_failsWithTheSetting() throws Exception {
    List<String> out = runWithoutBytedeco(dir.resolve("none"));

    assertThat(out).contains("bytedeco-absent");
    assertThat(out)
        .anyMatch(
            line ->
                line.startsWith("CONFIG media.local.ffmpeg: no FFmpeg")
                    && line.contains("apt-get install ffmpeg"));
  }

  /**
   * Runs {@link WithoutBundleMain} in a child JVM on this test's class path minus every {@code
   * org.bytedeco} jar, with a PATH that holds no FFmpeg; returns its output lines.
   */
  static List<String> runWithoutBytedeco(Path root, String... ffmpeg) throws Exception {
    List<String> all =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> kept =
        all.stream()
            .filter(entry -> !entry.replace(File.separatorChar, '/').contains("/org/bytedeco/"))
            .toList();
    assertThat(kept)
        .as("this test's own class path has the bundled build, the child's has not")
        .hasSizeLessThan(all.size());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, kept),
                WithoutBundleMain.class.getName(),
                root.toString()));
    command.addAll(List.of(ffmpeg));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PATH", emptyBin.toString());
    env.remove("LD_LIBRARY_PATH");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output.lines().toList();
  }
}
