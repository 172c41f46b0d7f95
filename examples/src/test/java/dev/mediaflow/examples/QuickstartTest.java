package dev.mediaflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, end to end on the local provider: four real outputs and the table. */
class QuickstartTest {
  @TempDir Path root;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void clear() {
    System.clearProperty("media.local.root");
  }

  int run(String... args) {
    System.setProperty("media.local.root", root.toString());
    return Quickstart.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void quickstart_writesTheSampleAndFourOutputs_andPrintsTheTable() throws Exception {
    int exit = run();

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text + err).isZero();
    for (String key : new String[] {"clip-720p.mp4", "cover.jpg", "preview.gif", "audio.mp3"}) {
      assertThat(root.resolve("media/out").resolve(key)).isNotEmptyFile();
    }
    assertThat(text)
        .contains("SUCCEEDED")
        .containsPattern(
            "out/clip-720p\\.mp4\\s+succeeded\\s+[\\d.]+ (KiB|MiB)\\s+6\\.\\d+ s, 1280x720")
        .containsPattern("out/cover\\.jpg\\s+succeeded\\s+.*640x360")
        .containsPattern("out/preview\\.gif\\s+succeeded\\s+.*3 s, 320x180")
        .containsPattern("out/audio\\.mp3\\s+succeeded\\s+.*6\\.\\d+ s");
    assertThat(Files.exists(root.resolve("media/samples/clip.mp4"))).isTrue();
  }

  @Test
  void dryRun_printsTheLocalCommandsAndRunsNothing() {
    int exit = run("--dry-run");

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Output 1: transcode -> media/out/clip-720p.mp4")
        .contains("local  ffmpeg -i media/samples/clip.mp4 -c:v libx264")
        // Qiniu's fops for the same outputs, one per output, each with its own saveas (no account
        // needed)
        .containsPattern(
            "qiniu  avthumb/mp4/vcodec/libx264/s/1280x720.*\\|saveas/bWVkaWE6b3V0L2NsaXAtNzIwcC5tcDQ=")
        .containsPattern("qiniu  vframe/jpg/offset/1/w/640/h/360\\|saveas/")
        .doesNotContain("qiniu: not rendered")
        .containsPattern(
            "oss    video/convert,f_mp4,vcodec_h264,s_1280x720.*,sn_1\\|sys/saveas,b_bWVkaWE,o_b3V0L2NsaXAtNzIwcC5tcDQ")
        .containsPattern("oss    audio/convert,f_mp3,ab_128000\\|sys/saveas,")
        .doesNotContain("oss: not rendered");
    assertThat(root.resolve("media")).doesNotExist();
  }

  @Test
  void badArguments_exitWithUsage() {
    assertThat(run("--source")).isEqualTo(2);
    assertThat(run("--frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--source needs BUCKET/KEY")
        .contains("unknown argument");
  }
}
