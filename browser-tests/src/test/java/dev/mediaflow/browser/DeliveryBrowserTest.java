package dev.mediaflow.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.local.LocalMediaServer;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page in headless Chromium shows thumbnails and a video from signed URLs of the fake OSS, the
 * fake Qiniu and the local media server: each image has the size asked for, and the video plays and
 * seeks, with the Range requests that seeking makes seen in each server's request log.
 */
class DeliveryBrowserTest {
  private static final MediaObject PHOTO = MediaObject.of("media", "photos/猫 cat+1.jpg");
  private static final MediaObject CLIP = MediaObject.of("media", "clips/intro clip.mp4");

  @TempDir static Path dir;
  private static byte[] photo;
  private static byte[] clip;
  private static ChromeDriver browser;
  private static HttpServer pages;
  private static volatile String page = "";

  @BeforeAll
  static void setUp() throws Exception {
    BufferedImage img = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 1280, 720, Color.BLUE));
    g.fillRect(0, 0, 1280, 720);
    g.dispose();
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpg);
    photo = jpg.toByteArray();
    MediaConfig sample =
        MediaConfig.builder().put("media.local.root", dir.resolve("sample").toString()).build();
    clip =
        Files.readAllBytes(
            LocalProvider.writeSampleClip(sample, CLIP, 640, 360, Duration.ofSeconds(6)));

    pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pages.createContext(
        "/",
        ex -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    pages.start();
    browser = Browser.start();
  }

  @AfterAll
  static void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    if (pages != null) {
      pages.stop(0);
    }
  }

  /** What the page reports: each image's natural size, and the video's state after a seek. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> show(SignedUrl thumb, SignedUrl frame, SignedUrl video) {
    page =
        "<!doctype html><html><body>"
            + "<img id=thumb src=\""
            + thumb
            + "\"><img id=frame src=\""
            + frame
            + "\"><video id=video muted preload=auto src=\""
            + video
            + "\"></video></body></html>";
    browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/");
    return (Map<String, Object>)
        browser.executeAsyncScript(
            String.join(
                "\n",
                "const done = arguments[arguments.length - 1];",
                "const t = document.getElementById('thumb'), f = document.getElementById('frame');",
                "const v = document.getElementById('video');",
                "const size = i => [i.naturalWidth, i.naturalHeight];",
                "const state = e => ({thumb: size(t), frame: size(f), duration: v.duration,",
                "  time: v.currentTime, readyState: v.readyState, error: e});",
                "const loaded = i => new Promise(r => { if (i.complete) r(); else {",
                "  i.addEventListener('load', r); i.addEventListener('error', r); } });",
                "const seeked = new Promise((resolve, reject) => {",
                "  const seek = () => { v.addEventListener('seeked', resolve, {once: true});",
                "    v.play().catch(() => {}); v.currentTime = 4.5; };",
                "  if (v.error) reject('video error ' + v.error.code);",
                "  v.addEventListener('error', () => reject('video error ' + (v.error && v.error.code)));",
                "  if (v.readyState >= 1) seek(); else v.addEventListener('loadedmetadata', seek);",
                "});",
                "setTimeout(() => done(state('timed out waiting for the page')), 20000);",
                "Promise.all([loaded(t), loaded(f), seeked])",
                "  .then(() => done(state(null)), e => done(state(String(e))));"));
  }

  private static void assertShown(Map<String, Object> shown, Supplier<List<String>> log) {
    assertThat(shown.get("error")).as("video error").isNull();
    assertThat((List<Object>) shown.get("thumb")).as("thumbnail size").containsExactly(320L, 180L);
    assertThat((List<Object>) shown.get("frame")).as("frame size").containsExactly(160L, 90L);
    assertThat(((Number) shown.get("duration")).doubleValue()).isBetween(5.9, 6.1);
    assertThat(((Number) shown.get("time")).doubleValue()).isGreaterThanOrEqualTo(4.4);
    assertThat(log.get()).as("the seek's Range requests").anyMatch(l -> l.contains(" 206"));
  }

  private static UrlOptions thumb() {
    return UrlOptions.builder()
        .expiry(Duration.ofMinutes(10))
        .process(ImageResize.builder().width(320).format(ImageFormat.JPG).build())
        .build();
  }

  private static UrlOptions frame() {
    return UrlOptions.builder()
        .process(
            Snapshot.builder()
                .at(Duration.ofSeconds(2))
                .size(160, 90)
                .format(ImageFormat.JPG)
                .build())
        .build();
  }

  @Test
  void localMediaServer() throws IOException {
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
    Files.createDirectories(root.resolve("media/photos"));
    Files.createDirectories(root.resolve("media/clips"));
    Files.write(root.resolve("media").resolve(PHOTO.key()), photo);
    Files.write(root.resolve("media").resolve(CLIP.key()), clip);
    try (LocalMediaServer server = LocalMediaServer.builder().config(config).port(port).start();
        MediaClient media = MediaClient.create(config)) {
      Map<String, Object> shown =
          show(media.url(PHOTO, thumb()), media.url(CLIP, frame()), media.url(CLIP));
      assertShown(shown, server::requests);
    }
  }

  @Test
  void fakeOss() {
    try (FakeOssServer oss =
        FakeOssServer.builder()
            .executor(new LocalExecutor(Duration.ofMinutes(5)))
            .build()
            .start()) {
      oss.objects().put("media", PHOTO.key(), photo);
      oss.objects().put("media", CLIP.key(), clip);
      try (MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(true)))) {
        Map<String, Object> shown =
            show(media.url(PHOTO, thumb()), media.url(CLIP, frame()), media.url(CLIP));
        assertShown(shown, oss::requests);
      }
    }
  }

  @Test
  void fakeQiniu_privateBucket() {
    try (FakeQiniuServer qiniu =
        FakeQiniuServer.builder()
            .privateBucket("media")
            .executor(new LocalExecutor(Duration.ofMinutes(5)))
            .build()
            .start()) {
      qiniu.objects().put("media", PHOTO.key(), photo);
      qiniu.objects().put("media", CLIP.key(), clip);
      try (MediaClient media = MediaClient.create(MediaConfig.fromMap(qiniu.clientSettings()))) {
        Map<String, Object> shown =
            show(media.url(PHOTO, thumb()), media.url(CLIP, frame()), media.url(CLIP));
        assertShown(shown, qiniu::requests);
      }
    }
  }
}
