package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GrantCommandTest {
  @RegisterExtension static final FakeOssServer oss = FakeOssServer.builder().build();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) throws Exception {
    Path config = dir.resolve("oss.properties");
    StringBuilder s = new StringBuilder();
    oss.clientSettings(false).forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    Files.writeString(config, s.toString());
    String[] all = new String[args.length + 3];
    all[0] = "grant";
    all[1] = "--config";
    all[2] = config.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(all, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void grant_printsJsonABrowserUploadsWith() throws Exception {
    Run r =
        run(
            "--expires",
            "10m",
            "--max-size",
            "1000",
            "--content-type",
            "image/*",
            "--prefix",
            "media/users/7/");
    assertThat(r.code()).as(r.err()).isZero();
    JsonObject g = JsonParser.parseString(r.out()).getAsJsonObject();
    assertThat(g.get("method").getAsString()).isEqualTo("POST");
    assertThat(g.get("url").getAsString()).isEqualTo(oss.baseUrl() + "/media/");
    assertThat(g.get("fileField").getAsString()).isEqualTo("file");
    assertThat(g.get("maxSize").getAsLong()).isEqualTo(1000);
    assertThat(g.getAsJsonArray("contentTypes").get(0).getAsString()).isEqualTo("image/*");
    Instant expiresAt = Instant.parse(g.get("expiresAt").getAsString());
    assertThat(Duration.between(Instant.now(), expiresAt))
        .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    JsonObject fields = g.getAsJsonObject("fields");
    assertThat(fields.get("key").getAsString()).isEqualTo("users/7/");

    String boundary = "b0undary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String name : fields.keySet()) {
      String value = name.equals("key") ? "users/7/a.png" : fields.get(name).getAsString();
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + name
                  + "\"\r\n\r\n"
                  + value
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\""
                + "\r\nContent-Type: image/png\r\n\r\npng!\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> up =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(g.get("url").getAsString()))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    assertThat(oss.objects().get("media", "users/7/a.png"))
        .hasValue("png!".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void putWithASizeLimit_isABadInputNamingTheOption() throws Exception {
    Run r = run("--put", "--max-size", "10", "media/a.jpg");
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("size");
  }
}
