package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryCommandsTest {
  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void url_onAProviderWithoutUrls_isABadInputNamingTheOperation() {
    Run r = run("url", "--provider", "memory", "media/a.jpg");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("url", "cannot make delivery URLs");
  }

  @Test
  void url_withBadSteps_namesTheFieldBeforeAnyProviderIsAsked() {
    Run r =
        run(
            "url",
            "--provider",
            "memory",
            "--process",
            "[{\"op\":\"resize\",\"width\":0}]",
            "media/a.jpg");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("steps[0].width");
  }

  @Test
  void url_withAStyleAndSteps_isRefused() {
    Run r =
        run(
            "url",
            "--provider",
            "memory",
            "--style",
            "thumb",
            "--process",
            "[{\"op\":\"resize\",\"width\":10}]",
            "media/a.jpg");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("style");
  }

  @Test
  void probe_onAProviderWithoutProbes_isABadInput() {
    Run r = run("probe", "--provider", "memory", "media/a.mp4");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("probe");
  }

  @Test
  void aTargetWithoutAKey_isRefused() {
    Run r = run("probe", "--provider", "memory", "media");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("BUCKET/KEY");
  }

  @Test
  void url_andProbe_onTheLocalProvider(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String root = "-Dmedia.local.root=" + dir;
    dev.mediaflow.local.LocalProvider.writeSampleClip(
        dev.mediaflow.MediaConfig.builder().put("media.local.root", dir.toString()).build(),
        dev.mediaflow.pipeline.MediaObject.of("media", "clips/a b.mp4"),
        320,
        240,
        java.time.Duration.ofSeconds(2));

    Run url =
        run(
            "url",
            "--provider",
            "local",
            root,
            "-Dmedia.local.baseUrl=http://127.0.0.1:8090",
            "--expires",
            "10m",
            "--process",
            "[{\"op\":\"snapshot\",\"atMs\":500,\"width\":160,\"height\":120}]",
            "media/clips/a b.mp4");
    assertThat(url.code()).as(url.err()).isZero();
    assertThat(url.out().trim())
        .startsWith("http://127.0.0.1:8090/media/clips/a%20b.mp4?p=")
        .contains("&e=", "&sig=");

    Run probe = run("probe", "--provider", "local", root, "media/clips/a b.mp4");
    assertThat(probe.code()).as(probe.err()).isZero();
    assertThat(probe.out()).contains("duration  2.0").containsPattern("video +h264 320x240");
  }
}
