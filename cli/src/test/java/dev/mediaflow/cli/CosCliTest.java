package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mediaflow fake-server cos} in its own JVM: it prints its settings and answers as COS. */
class CosCliTest {
  @TempDir Path dir;

  @Test
  void fakeServerCos_printsSettings_andRefusesUnsignedRequestsAsCos() throws Exception {
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
                "dev.mediaflow.cli.Main",
                "fake-server",
                "cos",
                "--port",
                String.valueOf(port),
                "--data",
                dir.resolve("data").toString(),
                "--access-key",
                "AKIDcli",
                "--secret-key",
                "cliSecret",
                "--log"));
    Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).contains("Fake COS server listening on http://127.0.0.1:" + port);
      List<String> lines = new ArrayList<>();
      for (String line = r.readLine();
          line != null && !line.contains("Ctrl-C");
          line = r.readLine()) {
        lines.add(line);
      }
      assertThat(lines)
          .contains(
              "  media.provider=cos",
              "  media.cos.secretId=AKIDcli",
              "  media.cos.secretKey=<secret key>",
              "  media.cos.endpoint=http://127.0.0.1:" + port);
      try (Response answer =
          new OkHttpClient()
              .newCall(
                  new Request.Builder()
                      .url("http://127.0.0.1:" + port + "/x.txt")
                      .header("Host", "media-1250000000.cos.ap-guangzhou.myqcloud.com")
                      .build())
              .execute()) {
        assertThat(answer.code()).isEqualTo(403);
        assertThat(answer.headers().names()).contains("x-cos-request-id");
        assertThat(answer.body().string()).contains("<Code>AccessDenied</Code>");
      }
      assertThat(r.readLine()).isEqualTo("GET /x.txt 403 AccessDenied");
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
