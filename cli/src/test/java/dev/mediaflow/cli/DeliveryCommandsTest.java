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
}
