package dev.mediaflow.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobState;
import dev.mediaflow.local.LocalMediaServer;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page in headless Chromium gets an upload grant from a small endpoint of the application and
 * uploads a file straight to the vendor, cross-origin: with {@code fetch(FormData)} and with a
 * plain {@code <form>} submit. The stored bytes equal the file, an oversize file is refused and the
 * page shows the vendor's error, and a pipeline granted with the upload runs on the stored object.
 */
class UploadBrowserTest {
  @TempDir static Path dir;
  private static Path photoFile;
  private static byte[] photo;
  private static ChromeDriver browser;
  private static HttpServer app;

  /** Makes the grant the page asks for: key, largest size, and whether to run the pipeline. */
  private static volatile Function<Map<String, String>, UploadGrant> granter;

  private static final String PAGE =
      String.join(
          "\n",
          "<!doctype html><html><body>",
          "<input type=file id=file>",
          "<form id=form method=post enctype=multipart/form-data></form>",
          "<pre id=out></pre>",
          "<script>",
          "async function grant(q) { return (await fetch('/grant?' + q)).json(); }",
          "async function upload(q) {",
          "  const g = await grant(q);",
          "  const fd = new FormData();",
          "  for (const [k, v] of Object.entries(g.fields)) fd.append(k, v);",
          "  fd.append(g.fileField, document.getElementById('file').files[0]);",
          "  try {",
          "    const r = await fetch(g.url, {method: g.method, body: fd,",
          "        headers: {'X-Requested-With': 'mediaflow-browser-test'}});",
          "    const text = await r.text();",
          "    document.getElementById('out').textContent = r.status + ' ' + text;",
          "    return {status: r.status, body: text};",
          "  } catch (e) {",
          "    document.getElementById('out').textContent = 'failed ' + e;",
          "    return {status: -1, body: String(e)};",
          "  }",
          "}",
          "async function submitForm(q) {",
          "  const g = await grant(q);",
          "  const form = document.getElementById('form');",
          "  form.action = g.url;",
          "  for (const [k, v] of Object.entries(g.fields)) {",
          "    const i = document.createElement('input');",
          "    i.type = 'hidden'; i.name = k; i.value = v; form.appendChild(i);",
          "  }",
          "  const file = document.getElementById('file');",
          "  file.name = g.fileField;",
          "  form.appendChild(file);",
          "  form.submit();",
          "}",
          "</script></body></html>");

  @BeforeAll
  static void setUp() throws Exception {
    BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.MAGENTA);
    g.fillRect(0, 0, 640, 480);
    g.setColor(Color.YELLOW);
    g.fillOval(100, 100, 300, 200);
    g.dispose();
    photoFile = dir.resolve("photo.jpg");
    ImageIO.write(img, "jpg", photoFile.toFile());
    photo = Files.readAllBytes(photoFile);

    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/",
        ex -> {
          byte[] body;
          String type;
          if (ex.getRequestURI().getPath().equals("/grant")) {
            Map<String, String> q = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            for (String kv : raw == null ? new String[0] : raw.split("&")) {
              String[] p = kv.split("=", 2);
              q.put(p[0], URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8));
            }
            body = granter.apply(q).toJson().getBytes(StandardCharsets.UTF_8);
            type = "application/json";
          } else {
            body = PAGE.getBytes(StandardCharsets.UTF_8);
            type = "text/html; charset=utf-8";
          }
          ex.getResponseHeaders().set("Content-Type", type);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    app.start();
    browser = Browser.start();
  }

  @AfterAll
  static void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.stop(0);
    }
  }

  private static void openPage() {
    browser.get("http://127.0.0.1:" + app.getAddress().getPort() + "/");
    browser.findElement(By.id("file")).sendKeys(photoFile.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fetchUpload(String query) {
    openPage();
    return (Map<String, Object>)
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; upload(arguments[0]).then(done);",
            query);
  }

  private static void formUpload(
      String query, BiFunction<String, String, Boolean> stored, String key) {
    openPage();
    browser.executeScript("submitForm(arguments[0]);", query);
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> stored.apply("media", key));
  }

  private static UploadGrantRequest request(MediaObject target, Map<String, String> q) {
    UploadGrantRequest.Builder b =
        UploadGrantRequest.builder()
            .key(target)
            .size(1, Long.parseLong(q.getOrDefault("max", "10000000")))
            .contentTypes("image/*");
    if (q.containsKey("process")) {
      b.process(
          Pipeline.from(target)
              .then(ImageResize.builder().width(160).format(ImageFormat.PNG).build())
              .saveAs("media", "thumbs/" + q.get("key") + ".png")
              .build());
    }
    return b.build();
  }

  /** Runs the four uploads a provider must take from a browser. */
  private static void uploadsFromTheBrowser(
      MediaClient media, Function<String, Optional<byte[]>> stored, String tooLarge) {
    granter = q -> media.grantUpload(request(MediaObject.of("media", "up/" + q.get("key")), q));

    Map<String, Object> ok = fetchUpload("key=fetch.jpg");
    assertThat(((Number) ok.get("status")).intValue()).as(String.valueOf(ok)).isBetween(200, 204);
    assertThat(stored.apply("up/fetch.jpg")).as("stored by fetch").contains(photo);

    formUpload("key=form.jpg", (b, k) -> stored.apply(k).isPresent(), "up/form.jpg");
    assertThat(stored.apply("up/form.jpg")).as("stored by the form").contains(photo);

    Map<String, Object> refused = fetchUpload("key=big.jpg&max=1000");
    assertThat(((Number) refused.get("status")).intValue()).isBetween(400, 499);
    assertThat(browser.findElement(By.id("out")).getText()).contains(tooLarge);
    assertThat(stored.apply("up/big.jpg")).isEmpty();
  }

  private static Optional<byte[]> read(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void localMediaServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path root = dir.resolve("local");
    MediaConfig config =
        MediaConfig.builder()
            .put("media.provider", "local")
            .put("media.local.root", root.toString())
            .put("media.local.baseUrl", "http://127.0.0.1:" + port)
            .build();
    Files.createDirectories(root.resolve("media"));
    try (LocalMediaServer server = LocalMediaServer.builder().config(config).port(port).start();
        MediaClient media = MediaClient.create(config)) {
      uploadsFromTheBrowser(
          media, key -> read(root.resolve("media").resolve(key)), "EntityTooLarge");

      Map<String, Object> piped = fetchUpload("key=piped.jpg&process=1");
      assertThat(((Number) piped.get("status")).intValue()).isEqualTo(201);
      String jobId =
          String.valueOf(piped.get("body")).replaceAll("(?s).*\"jobId\":\"([^\"]+)\".*", "$1");
      assertThat(media.job(jobId).await(Duration.ofMinutes(1)).state())
          .isEqualTo(JobState.SUCCEEDED);
      assertThat(ImageIO.read(root.resolve("media/thumbs/piped.jpg.png").toFile()).getWidth())
          .isEqualTo(160);
    }
  }

  @Test
  void fakeQiniu() {
    try (FakeQiniuServer qiniu =
        FakeQiniuServer.builder()
            .executor(new LocalExecutor(Duration.ofMinutes(5)))
            .build()
            .start()) {
      try (MediaClient media = MediaClient.create(MediaConfig.fromMap(qiniu.clientSettings()))) {
        uploadsFromTheBrowser(media, key -> qiniu.objects().get("media", key), "exceed FsizeLimit");

        Map<String, Object> piped = fetchUpload("key=piped.jpg&process=1");
        assertThat(((Number) piped.get("status")).intValue()).isEqualTo(200);
        String persistentId =
            String.valueOf(piped.get("body"))
                .replaceAll("(?s).*\"persistentId\":\"([^\"]+)\".*", "$1");
        assertThat(media.job("qiniu:" + persistentId).await(Duration.ofMinutes(1)).state())
            .isEqualTo(JobState.SUCCEEDED);
        assertThat(qiniu.objects().exists("media", "thumbs/piped.jpg.png")).isTrue();
      }
    }
  }

  @Test
  void fakeOss_postObject() {
    try (FakeOssServer oss = FakeOssServer.builder().build().start();
        MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(true)))) {
      uploadsFromTheBrowser(media, key -> oss.objects().get("media", key), "EntityTooLarge");
    }
  }
}
