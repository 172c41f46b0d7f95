package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  private Path spec(String json) throws IOException {
    Path f = dir.resolve("spec.json");
    Files.writeString(f, json);
    return f;
  }

  private Path config(String text) throws IOException {
    Path f = dir.resolve("media.properties");
    Files.writeString(f, text);
    return f;
  }

  static final String TWO_OUTPUTS =
      """
      {"source": {"bucket": "media", "key": "raw/intro.mov"},
       "outputs": [
         {"steps": [{"op": "transcode", "container": "mp4", "videoCodec": "h264", "width": 1280, "height": 720}],
          "saveAs": {"bucket": "media", "key": "out/intro-720p.mp4"}},
         {"steps": [{"op": "snapshot", "atMs": 10000, "format": "jpg"}],
          "saveAs": {"bucket": "media", "key": "out/cover.jpg"}}]}
      """;

  @Test
  void render_printsOneProcessingLinePerRequest() throws IOException {
    Run r = run("render", "--provider", "memory", spec(TWO_OUTPUTS).toString());

    assertThat(r.code()).isZero();
    assertThat(r.out().lines())
        .containsExactly(
            "transcode|save:media/out/intro-720p.mp4", "snapshot|save:media/out/cover.jpg");
  }

  @Test
  void render_json_printsWholeRequestsWithoutSecrets() throws IOException {
    Path cfg = config("media.provider=memory\nmedia.memory.token=SUPER-SECRET\n");
    Run r = run("render", "--config", cfg.toString(), "--json", spec(TWO_OUTPUTS).toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("\"method\": \"POST\"", "\"url\": \"memory://jobs\"", "\"outputs\": [")
        .doesNotContain("SUPER-SECRET");
  }

  @Test
  void submit_thenStatus_thenWatch_followTheJobToTheEnd() throws IOException {
    Path cfg =
        config(
            "media.provider=memory\nmedia.memory.polls=3\nmedia.watch.initialDelay=10ms\nmedia.watch.maxDelay=50ms\n");
    Run submitted = run("submit", "--config", cfg.toString(), spec(TWO_OUTPUTS).toString());
    assertThat(submitted.code()).isZero();
    String id = submitted.out().trim();
    assertThat(id).matches("memory:m\\d+");

    Run status = run("status", "--config", cfg.toString(), id);
    assertThat(status.code()).isZero();
    assertThat(status.out()).startsWith("job " + id + "  QUEUED");

    Run watch = run("watch", "--config", cfg.toString(), id);
    assertThat(watch.code()).isZero();
    assertThat(watch.out())
        .contains("SUCCEEDED")
        .contains("output 0   SUCCEEDED  media/out/intro-720p.mp4")
        .contains("output 1   SUCCEEDED  media/out/cover.jpg");
  }

  @Test
  void watch_ofAFailedOutput_exitsNonZeroAndShowsTheVendorMessage() throws IOException {
    Path cfg =
        config(
            "media.provider=memory\nmedia.memory.polls=2\nmedia.watch.initialDelay=10ms\nmedia.watch.maxDelay=50ms\n");
    String id =
        run(
                "submit",
                "--config",
                cfg.toString(),
                spec(TWO_OUTPUTS.replace("out/cover.jpg", "out/fail.jpg")).toString())
            .out()
            .trim();

    Run watch = run("watch", "--config", cfg.toString(), id);

    assertThat(watch.code()).isEqualTo(1);
    assertThat(watch.out())
        .contains("PARTIAL")
        .contains("output 1   FAILED     [E42] simulated failure");
  }

  @Test
  void watch_timeout_exits3() throws IOException {
    Path cfg =
        config(
            "media.provider=memory\nmedia.memory.polls=100000\nmedia.watch.initialDelay=10ms\nmedia.watch.maxDelay=20ms\n");
    String id =
        run("submit", "--config", cfg.toString(), spec(TWO_OUTPUTS).toString()).out().trim();

    Run watch = run("watch", "--config", cfg.toString(), "--timeout", "200ms", id);

    assertThat(watch.code()).isEqualTo(3);
    assertThat(watch.err()).contains("did not finish within its watch deadline");
  }

  @Test
  void badSpec_printsOneLineNamingTheJsonPath_noStackTrace() throws IOException {
    Path s = spec(TWO_OUTPUTS.replace("\"width\": 1280", "\"width\": -1280"));
    Run r = run("render", "--provider", "memory", s.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("mediaflow: outputs[0].steps[0].width: must be between 1 and 16384, was -1280");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void debug_addsTheStackTrace() throws IOException {
    Path s = spec("{\"source\": {}}");
    Run r = run("render", "--provider", "memory", "--debug", s.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("mediaflow: source.bucket: is required")
        .contains("\tat dev.mediaflow.");
  }

  @Test
  void unknownProvider_saysWhatToAdd() throws IOException {
    Run r = run("render", "--provider", "acme", spec(TWO_OUTPUTS).toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .contains("No media provider with id 'acme'")
        .contains("mediaflow-provider-acme");
  }

  @Test
  void unsupportedOperation_isABadInput() throws IOException {
    Path s =
        spec(
            "{\"source\":{\"bucket\":\"m\",\"key\":\"a.jpg\"},\"outputs\":[{\"steps\":[{\"op\":\"decodeBlindWatermark\"}]}]}");
    Run r = run("submit", "--provider", "memory", s.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("does not support the operation 'decodeBlindWatermark'");
  }

  @Test
  void missingFiles_andBadIds_areBadInput() throws IOException {
    assertThat(run("render", dir.resolve("nope.json").toString()).err())
        .contains("spec file not found");
    Run noConfig =
        run(
            "submit",
            "--config",
            dir.resolve("nope.properties").toString(),
            spec(TWO_OUTPUTS).toString());
    assertThat(noConfig.code()).isEqualTo(2);
    assertThat(noConfig.err()).contains("config file not found");
    Run badId = run("status", "not-a-job-id");
    assertThat(badId.code()).isEqualTo(2);
    assertThat(badId.err()).contains("jobId: must look like provider:vendorId");
    assertThat(run("watch", "--timeout", "soon", "memory:m1").err())
        .contains("--timeout must look like");
  }

  @Test
  void unknownJob_isAServiceError() throws IOException {
    Path cfg = config("media.provider=memory\n");
    Run r = run("status", "--config", cfg.toString(), "memory:never");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.err()).contains("HTTP 404 NoSuchJob");
  }

  @Test
  void usageErrors_exit2() {
    Run r = run("render");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter");
  }

  @Test
  void submitOnLocal_waitsForTheJob_andStatusReadsItFromAnotherRun() throws Exception {
    String root = dir.resolve("data").toString();
    dev.mediaflow.local.LocalProvider.writeSampleClip(
        dev.mediaflow.MediaConfig.builder().put("media.local.root", root).build(),
        dev.mediaflow.pipeline.MediaObject.of("media", "in/clip.mp4"),
        320,
        240,
        java.time.Duration.ofSeconds(1));
    Path spec =
        spec(
            """
        {"source": {"bucket": "media", "key": "in/clip.mp4"},
         "outputs": [{"steps": [{"op": "audio", "format": "mp3"}], "saveAs": {"bucket": "media", "key": "out/a.mp3"}}]}
        """);

    Run submit =
        run("submit", "-Dmedia.provider=local", "-Dmedia.local.root=" + root, spec.toString());

    assertThat(submit.code()).as(submit.err()).isZero();
    assertThat(submit.err()).contains("waiting for the job to end").contains("SUCCEEDED");
    assertThat(dir.resolve("data/media/out/a.mp3")).isNotEmptyFile();
    Run status = run("status", "-Dmedia.local.root=" + root, submit.out().trim());
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("SUCCEEDED").contains("media/out/a.mp3");
  }
}
