package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on the fake Qiniu server, each command in its own JVM: a job submitted by one process is
 * tracked to the end by another from its id, and the standalone {@code fake-server} serves a client
 * in a third.
 */
class QiniuCliTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("cli-ak", "cli-sk")
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(300)).build())
          .build();

  @TempDir Path dir;

  static final String SPEC =
      """
      {"source": {"bucket": "media", "key": "raw/intro.mov"},
       "outputs": [
         {"steps": [{"op": "transcode", "container": "mp4", "videoCodec": "h264", "width": 1280, "height": 720}],
          "saveAs": {"bucket": "media", "key": "out/intro-720p.mp4"}},
         {"steps": [{"op": "snapshot", "atMs": 2000, "format": "jpg"}],
          "saveAs": {"bucket": "media", "key": "out/cover.jpg"}},
         {"steps": [{"op": "audio", "format": "mp3", "audioBitrate": 128000}],
          "saveAs": {"bucket": "media", "key": "out/intro.mp3"}}]}
      """;

  record Result(int code, String out, String err) {}

  static Result java(List<String> args, Duration timeout) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    Thread o = pump(p.getInputStream(), out);
    Thread e = pump(p.getErrorStream(), err);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + out + err);
    }
    o.join();
    e.join();
    return new Result(p.exitValue(), out.toString(), err.toString());
  }

  static Thread pump(java.io.InputStream in, StringBuilder sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (sink) {
                    sink.append(line).append('\n');
                  }
                }
              } catch (IOException ignored) {
                // process ended
              }
            });
    t.start();
    return t;
  }

  Path config(Map<String, String> settings) throws IOException {
    Path f = dir.resolve("qiniu.properties");
    StringBuilder s = new StringBuilder();
    settings.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    s.append("media.watch.initialDelay=100ms\nmedia.watch.maxDelay=300ms\n");
    Files.writeString(f, s.toString());
    return f;
  }

  @Test
  void submitInOneProcess_watchInAnother() throws Exception {
    qiniu.objects().put("media", "raw/intro.mov", new byte[] {1, 2, 3});
    Path cfg = config(qiniu.clientSettings());
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, SPEC);

    Result rendered =
        java(
            List.of("render", "--config", cfg.toString(), spec.toString()), Duration.ofSeconds(60));
    assertThat(rendered.code()).as(rendered.err()).isZero();
    assertThat(rendered.out().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("avthumb/mp4/vcodec/libx264/s/1280x720|saveas/")
        .contains(";vframe/jpg/offset/2|saveas/");

    Result submitted =
        java(
            List.of("submit", "--config", cfg.toString(), spec.toString()), Duration.ofSeconds(60));
    assertThat(submitted.code()).as(submitted.err()).isZero();
    String id = submitted.out().trim();
    assertThat(id).matches("qiniu:z0\\.[0-9a-f]+");

    Result watched =
        java(
            List.of("watch", "--config", cfg.toString(), "--timeout", "60s", id),
            Duration.ofSeconds(90));
    assertThat(watched.code()).as(watched.err()).isZero();
    assertThat(watched.out())
        .contains(
            "SUCCEEDED", "media/out/intro-720p.mp4", "media/out/cover.jpg", "media/out/intro.mp3");
    assertThat(qiniu.objects().exists("media", "out/intro.mp3")).isTrue();

    Result status = java(List.of("status", "--config", cfg.toString(), id), Duration.ofSeconds(60));
    assertThat(status.out()).startsWith("job " + id + "  SUCCEEDED").contains("trackedBy: prefop");
  }

  @Test
  void standaloneFakeServer_servesAClientInAnotherProcess() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("media/raw"));
    Files.write(data.resolve("media/raw/intro.mov"), new byte[] {1});
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "fake-server",
                "qiniu",
                "--port",
                String.valueOf(port),
                "--data",
                data.toString(),
                "--access-key",
                "AK2",
                "--secret-key",
                "SK2",
                "--job-duration",
                "100ms"));
    Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = r.readLine();
      assertThat(first).contains("listening on http://127.0.0.1:" + port);
      Path cfg =
          config(
              Map.of(
                  "media.provider",
                  "qiniu",
                  "media.qiniu.accessKey",
                  "AK2",
                  "media.qiniu.secretKey",
                  "SK2",
                  "media.qiniu.apiHost",
                  "http://127.0.0.1:" + port));
      Path spec = dir.resolve("spec.json");
      Files.writeString(spec, SPEC);
      Result submitted =
          java(
              List.of("submit", "--config", cfg.toString(), spec.toString()),
              Duration.ofSeconds(60));
      assertThat(submitted.code()).as(submitted.err()).isZero();
      Result watched =
          java(
              List.of(
                  "watch", "--config", cfg.toString(), "--timeout", "60s", submitted.out().trim()),
              Duration.ofSeconds(90));
      assertThat(watched.code()).as(watched.out() + watched.err()).isZero();
      assertThat(data.resolve("media/out/cover.jpg")).exists();

      Path wrong =
          config(
              Map.of(
                  "media.provider",
                  "qiniu",
                  "media.qiniu.accessKey",
                  "AK2",
                  "media.qiniu.secretKey",
                  "nope",
                  "media.qiniu.apiHost",
                  "http://127.0.0.1:" + port));
      Result refused =
          java(
              List.of("submit", "--config", wrong.toString(), spec.toString()),
              Duration.ofSeconds(60));
      assertThat(refused.code()).isEqualTo(Main.SERVICE_ERROR);
      assertThat(refused.err()).contains("HTTP 401", "bad token").doesNotContain("nope");
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
