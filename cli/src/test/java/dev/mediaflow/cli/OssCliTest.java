package dev.mediaflow.cli;

import static dev.mediaflow.cli.QiniuCliTest.java;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.cli.QiniuCliTest.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a standalone fake OSS server (its own JVM), each command in its own JVM: multi-output
 * jobs submitted with V4 and with V1 signing are watched to the end by other processes, from their
 * ids alone.
 */
class OssCliTest {
  @TempDir Path dir;

  Path config(String name, Map<String, String> settings) throws IOException {
    Path f = dir.resolve(name + ".properties");
    StringBuilder s = new StringBuilder();
    settings.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    s.append("media.watch.initialDelay=100ms\nmedia.watch.maxDelay=300ms\n");
    Files.writeString(f, s.toString());
    return f;
  }

  static Map<String, String> settings(int port, String secret, String signature, boolean imm) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "oss");
    m.put("media.oss.accessKeyId", "AK3");
    m.put("media.oss.accessKeySecret", secret);
    m.put("media.oss.region", "cn-hangzhou");
    m.put("media.oss.endpoint", "http://127.0.0.1:" + port);
    m.put("media.oss.signatureVersion", signature);
    if (imm) {
      m.put("media.oss.immProject", "mediaflow-fake");
      m.put("media.oss.immEndpoint", "http://127.0.0.1:" + port);
    }
    return m;
  }

  @Test
  void standaloneFakeServer_submitAndWatchInSeparateProcesses_withV4AndV1() throws Exception {
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
                "oss",
                "--port",
                String.valueOf(port),
                "--data",
                data.toString(),
                "--access-key",
                "AK3",
                "--secret-key",
                "SK3",
                "--job-duration",
                "100ms"));
    Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).contains("Fake OSS server listening on http://127.0.0.1:" + port);
      Path spec = dir.resolve("spec.json");
      Files.writeString(spec, QiniuCliTest.SPEC);

      Path v4 = config("v4", settings(port, "SK3", "v4", true));
      Result rendered =
          java(
              List.of("render", "--config", v4.toString(), spec.toString()),
              Duration.ofSeconds(60));
      assertThat(rendered.code()).as(rendered.err()).isZero();
      assertThat(rendered.out().lines())
          .hasSize(3)
          .first()
          .asString()
          .startsWith("video/convert,f_mp4,vcodec_h264,s_1280x720,sn_1|sys/saveas,b_bWVkaWE,o_");

      for (String signature : List.of("v4", "v1")) {
        Path submitCfg = config("submit-" + signature, settings(port, "SK3", signature, true));
        Result submitted =
            java(
                List.of("submit", "--config", submitCfg.toString(), spec.toString()),
                Duration.ofSeconds(60));
        assertThat(submitted.code()).as(submitted.err()).isZero();
        String id = submitted.out().trim();
        assertThat(id).startsWith("oss:MediaConvert-");
        // tracked by a process with the other signature version, and once without IMM (by the
        // output objects)
        Path watchCfg =
            config(
                "watch-" + signature,
                settings(
                    port, "SK3", signature.equals("v4") ? "v1" : "v4", signature.equals("v4")));
        Result watched =
            java(
                List.of("watch", "--config", watchCfg.toString(), "--timeout", "60s", id),
                Duration.ofSeconds(90));
        assertThat(watched.code()).as(watched.out() + watched.err()).isZero();
        assertThat(watched.out())
            .contains(
                "SUCCEEDED",
                "media/out/intro-720p.mp4",
                "media/out/cover.jpg",
                "media/out/intro.mp3");
        Result status =
            java(List.of("status", "--config", watchCfg.toString(), id), Duration.ofSeconds(60));
        assertThat(status.out())
            .contains("SUCCEEDED")
            .contains(
                signature.equals("v4") ? "trackedBy: imm-gettask" : "trackedBy: output-object");
      }
      assertThat(data.resolve("media/out/cover.jpg")).exists();

      Path wrong = config("wrong", settings(port, "nope", "v4", true));
      Result refused =
          java(
              List.of("submit", "--config", wrong.toString(), spec.toString()),
              Duration.ofSeconds(60));
      assertThat(refused.code()).isEqualTo(Main.SERVICE_ERROR);
      assertThat(refused.err())
          .contains("HTTP 403", "SignatureDoesNotMatch")
          .doesNotContain("nope");
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
