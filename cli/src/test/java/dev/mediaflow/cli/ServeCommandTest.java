package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path root;

  @Test
  void serve_onAFreePort_servesSignedUrls() throws Exception {
    MediaConfig base = MediaConfig.fromMap(Map.of("media.local.root", root.toString()));
    MediaObject clip = MediaObject.of("media", "clip.mp4");
    LocalProvider.writeSampleClip(base, clip, 320, 240, Duration.ofSeconds(1));
    Path config = root.resolve("media.properties");
    Files.writeString(config, "media.local.root=" + root + "\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread serve =
        new Thread(
            () ->
                code.set(
                    Main.run(
                        new String[] {
                          "serve",
                          "--config",
                          config.toString(),
                          "--port",
                          String.valueOf(port),
                          "--log"
                        },
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        Map.of())));
    serve.start();
    try {
      Pattern listening = Pattern.compile("listening on (http://\\S+)");
      Matcher m = listening.matcher("");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!(m = listening.matcher(out.toString())).find()) {
        assertThat(System.nanoTime())
            .as("serve prints its URL; stderr: " + err)
            .isLessThan(deadline);
        assertThat(serve.isAlive()).as("serve is running; stderr: " + err).isTrue();
        Thread.sleep(50);
      }
      String baseUrl = m.group(1);
      assertThat(baseUrl).isEqualTo("http://127.0.0.1:" + port);
      try (MediaClient media =
          MediaClient.create(
              MediaConfig.fromMap(
                  Map.of("media.local.root", root.toString(), "media.local.baseUrl", baseUrl)))) {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> original =
            http.send(
                HttpRequest.newBuilder(media.url(clip).toUri()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body()).isEqualTo(Files.readAllBytes(root.resolve("media/clip.mp4")));

        URI frame =
            media
                .url(
                    clip,
                    UrlOptions.builder()
                        .process(
                            dev.mediaflow.op.Snapshot.builder().at(Duration.ofMillis(500)).build(),
                            ImageResize.builder().width(160).format(ImageFormat.PNG).build())
                        .build())
                .toUri();
        HttpResponse<byte[]> thumb =
            http.send(
                HttpRequest.newBuilder(frame).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(thumb.body())).getWidth()).isEqualTo(160);
      }
      assertThat(out.toString()).contains("GET /media/clip.mp4 200");
    } finally {
      serve.interrupt();
      serve.join(10_000);
    }
    assertThat(serve.isAlive()).isFalse();
    assertThat(code.get()).as(err.toString()).isEqualTo(Main.OK);
  }
}
