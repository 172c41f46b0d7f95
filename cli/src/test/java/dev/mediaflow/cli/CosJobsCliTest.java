package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render}, {@code submit}, {@code status} and {@code watch} with {@code media.provider=cos},
 * against a small HTTP server answering as Cloud Infinite does ({@code JobsDetail} of
 * cos-java-sdk-v5 src/test/java/com/qcloud/cos/ci/Test.java).
 */
class CosJobsCliTest {
  @TempDir Path dir;

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger created = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(exchange.getRequestMethod() + " " + path);
          exchange.getRequestBody().readAllBytes();
          String body;
          if (exchange.getRequestMethod().equals("POST") && path.endsWith("/jobs")) {
            body = detail("j" + created.incrementAndGet(), "Submitted", "");
          } else if (exchange.getRequestMethod().equals("GET") && path.contains("/jobs/")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            body =
                detail(
                    id,
                    "Success",
                    "<Operation><MediaResult><OutputFile><Bucket>media-1250000000</Bucket><ObjectPrefix/>"
                        + "<ObjectName>"
                        + (id.equals("j1") ? "out/intro-720p.mp4" : "out/cover.jpg")
                        + "</ObjectName></OutputFile></MediaResult></Operation>");
          } else {
            body = "<Error><Code>NoSuchKey</Code><Message>no</Message></Error>";
            exchange.sendResponseHeaders(404, body.length());
            exchange.getResponseBody().write(body.getBytes(StandardCharsets.UTF_8));
            exchange.close();
            return;
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(200, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static String detail(String id, String state, String operation) {
    return "<Response><JobsDetail><Code>Success</Code><Message/><JobId>"
        + id
        + "</JobId><State>"
        + state
        + "</State><Tag>Transcode</Tag>"
        + operation
        + "</JobsDetail></Response>";
  }

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  private Path config() throws IOException {
    Path f = dir.resolve("media.properties");
    Files.writeString(
        f,
        "media.provider=cos\n"
            + "media.cos.region=ap-beijing\n"
            + "media.cos.appId=1250000000\n"
            + "media.cos.secretId=AKIDexample\n"
            + "media.cos.secretKey=cli-secret-key\n"
            + "media.cos.endpoint=http://127.0.0.1:"
            + server.getAddress().getPort()
            + "\n"
            + "media.jobs.dir="
            + dir.resolve("jobs").toString().replace('\\', '/')
            + "\n"
            + "media.watch.initialDelay=10ms\nmedia.watch.maxDelay=50ms\n");
    return f;
  }

  private Path spec() throws IOException {
    Path f = dir.resolve("spec.json");
    Files.writeString(f, MainTest.TWO_OUTPUTS.replace("raw/intro.mov", "raw/intro.mp4"));
    return f;
  }

  @Test
  void render_printsEachJobsXmlBody_oneLinePerRequest() throws IOException {
    Run r = run("render", "--config", config().toString(), spec().toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).startsWith("<Request><Tag>").endsWith("</Request>"));
    assertThat(r.out().lines().toList().get(0))
        .contains("<Codec>H.264</Codec><Width>1280</Width><Height>720</Height>")
        .contains("<Object>out/intro-720p.mp4</Object>");
    assertThat(r.out().lines().toList().get(1))
        .contains("<Snapshot><Mode>Interval</Mode><Start>10</Start><Count>1</Count></Snapshot>");
    assertThat(r.out()).doesNotContain("cli-secret-key");
    assertThat(requests).isEmpty();
  }

  @Test
  void submit_status_watch_followTheJobsToTheEnd() throws IOException {
    Path cfg = config();
    Run submitted = run("submit", "--config", cfg.toString(), spec().toString());
    assertThat(submitted.code()).as(submitted.err()).isZero();
    String id = submitted.out().trim();
    assertThat(id).startsWith("cos:j1,j2?");
    assertThat(requests)
        .containsExactly("POST /media-1250000000/jobs", "POST /media-1250000000/jobs");

    Run status = run("status", "--config", cfg.toString(), id);
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("SUCCEEDED");

    Run watch = run("watch", "--config", cfg.toString(), id);
    assertThat(watch.code()).as(watch.err()).isZero();
    assertThat(watch.out())
        .contains("output 0   SUCCEEDED  media/out/intro-720p.mp4")
        .contains("output 1   SUCCEEDED  media/out/cover.jpg");
    assertThat(requests).contains("GET /media-1250000000/jobs/j1", "GET /media-1250000000/jobs/j2");
  }
}
