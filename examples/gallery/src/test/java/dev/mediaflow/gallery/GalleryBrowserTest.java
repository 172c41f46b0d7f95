package dev.mediaflow.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gallery end to end in headless Chromium, as a user works it: picks a video (and a photo),
 * uploads it straight to the bucket with a grant, watches the job's progress arrive as server-sent
 * events until it ends, sees the thumbnail at the size asked for, plays the 720p MP4 and downloads
 * the original under its own name. Once on the local provider (the default, which ends its jobs
 * itself) and once on the fake Qiniu running the jobs for real through the local provider's FFmpeg,
 * where the job ends through the notification the fake POSTs to the gallery.
 */
class GalleryBrowserTest {
  private static final String CLIP_NAME = "Trip to Zürich (1).mp4";
  private static final String PHOTO_NAME = "Sunset 2026.jpg";

  @TempDir static Path dir;
  private static Path clip;
  private static Path photo;
  private static ChromeDriver browser;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void setUp() throws Exception {
    // A 2 s, 640x360 clip with sound, made with the local provider's FFmpeg.
    MediaConfig sample =
        MediaConfig.builder().put("media.local.root", dir.resolve("sample").toString()).build();
    Path made =
        LocalProvider.writeSampleClip(
            sample, MediaObject.of("media", "clip.mp4"), 640, 360, Duration.ofSeconds(2));
    clip = Files.createDirectories(dir.resolve("files")).resolve(CLIP_NAME);
    Files.copy(made, clip);
    BufferedImage img = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 800, 600, Color.BLUE));
    g.fillRect(0, 0, 800, 600);
    g.dispose();
    photo = dir.resolve("files").resolve(PHOTO_NAME);
    ImageIO.write(img, "jpg", photo.toFile());
    browser = Browser.start();
  }

  @AfterAll
  static void tearDown() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void localProvider() throws Exception {
    int mediaPort;
    try (ServerSocket s = new ServerSocket(0)) {
      mediaPort = s.getLocalPort();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("mediaflow.provider", "local");
    settings.put("mediaflow.instances.local.root", dir.resolve("local").toString());
    settings.put("mediaflow.instances.local.base-url", "http://127.0.0.1:" + mediaPort);
    try (ConfigurableApplicationContext app = start("local", settings)) {
      String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
      Map<String, Object> video = uploadVideo(url);
      assertThat((String) video.get("endedBy")).isEqualTo("status read");
      uploadPhoto(url);
    }
  }

  @Test
  void fakeQiniu_endsThroughNotification() throws Exception {
    try (FakeQiniuServer qiniu =
        FakeQiniuServer.builder()
            .executor(new LocalExecutor(Duration.ofMinutes(5)))
            .build()
            .start()) {
      Map<String, String> settings = new LinkedHashMap<>();
      qiniu.clientSettings().forEach((k, v) -> settings.put(springKey(k), v));
      try (ConfigurableApplicationContext app = start("qiniu", settings)) {
        String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        Map<String, Object> video = uploadVideo(url);
        assertThat((String) video.get("endedBy")).startsWith("notification, verified by ");
        assertThat(qiniu.objects().exists("media", "gallery/" + video.get("id") + "/720p.mp4"))
            .isTrue();
      }
    }
  }

  @Test
  void fakeOss_topicPushesVerified() throws Exception {
    try (FakeOssServer oss =
        FakeOssServer.builder()
            .executor(new LocalExecutor(Duration.ofMinutes(5)))
            .build()
            .start()) {
      Map<String, String> settings = new LinkedHashMap<>();
      oss.clientSettings(true).forEach((k, v) -> settings.put(springKey(k), v));
      settings.put("gallery.notify-topic", "gallery-jobs");
      try (ConfigurableApplicationContext app = start("oss", settings)) {
        String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        // What MNS does for a subscription: push each message of the topic to the endpoint.
        oss.subscribe("gallery-jobs", url + "/mediaflow/notify");
        Map<String, Object> video = uploadVideo(url);
        // Each of the three outputs is a task that published its end, pushed to the gallery and
        // verified there (204). A push names one task; the last of the three ends the job.
        assertThat((String) video.get("endedBy"))
            .isEqualTo("notification, verified by mns-signature");
        assertThat(oss.topicMessages("gallery-jobs")).hasSize(3);
        assertThat(oss.pushAnswers()).containsExactly(204, 204, 204);
      }
    }
  }

  /**
   * Returns the property that sets Mediaflow's {@code key} in the starter's terms: {@code
   * media.provider} is {@code mediaflow.provider}, {@code media.qiniu.accessKey} is {@code
   * mediaflow.instances.qiniu.accessKey}.
   */
  private static String springKey(String key) {
    String rest = key.substring("media.".length());
    return rest.contains(".") ? "mediaflow.instances." + rest : "mediaflow." + rest;
  }

  /** Starts the gallery on a free port with {@code settings} over application.properties. */
  private static ConfigurableApplicationContext start(String name, Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("server.port", "0");
    all.put("server.address", "127.0.0.1");
    all.put("gallery.thumbnail-width", "320");
    all.put("gallery.thumbnail-height", "180");
    all.put("mediaflow.jobs.dir", dir.resolve(name + "-jobs").toString());
    all.put("mediaflow.upload.checkpoint-dir", dir.resolve(name + "-checkpoints").toString());
    all.putAll(settings);
    List<String> args = new ArrayList<>();
    all.forEach((k, v) -> args.add("--" + k + "=" + v));
    return new SpringApplicationBuilder(GalleryApplication.class).run(args.toArray(String[]::new));
  }

  /** Uploads the clip through the page and checks all the gallery shows of it. */
  private static Map<String, Object> uploadVideo(String url) throws Exception {
    Map<String, Object> item = uploadThroughThePage(url, clip);
    String id = (String) item.get("id");

    // The progress arrived as events until the end.
    List<Map<String, Object>> events = events(id);
    assertThat(events).hasSizeGreaterThanOrEqualTo(2);
    assertThat(events.get(events.size() - 1)).containsEntry("state", "READY");
    assertThat(events).anyMatch(e -> "PROCESSING".equals(e.get("state")));

    assertThumbnail(id);

    // The 720p MP4 plays.
    @SuppressWarnings("unchecked")
    Map<String, Object> played =
        (Map<String, Object>)
            browser.executeAsyncScript(
                String.join(
                    "\n",
                    "const done = arguments[arguments.length - 1];",
                    "const v = document.querySelector('#item-' + arguments[0] + ' .player');",
                    "const report = e => done({width: v.videoWidth, height: v.videoHeight,",
                    "  time: v.currentTime, duration: v.duration, poster: v.poster, error: e});",
                    "setTimeout(() => report('timed out waiting for the video'), 20000);",
                    "v.addEventListener('error', () => report('video error ' + (v.error && v.error.code)));",
                    "v.addEventListener('timeupdate', () => { if (v.currentTime > 0.3) report(null); });",
                    "v.muted = true;",
                    "v.play().catch(e => report('play: ' + e));"),
                id);
    assertThat(played.get("error")).as("video error").isNull();
    assertThat(((Number) played.get("width")).intValue()).isEqualTo(1280);
    assertThat(((Number) played.get("height")).intValue()).isEqualTo(720);
    assertThat(((Number) played.get("duration")).doubleValue()).isBetween(1.9, 2.2);
    assertThat(((Number) played.get("time")).doubleValue()).isGreaterThan(0.3);
    assertThat((String) played.get("poster")).isNotEmpty();

    // The media info of the original, and of the MP4 once made.
    String info = browser.findElement(By.cssSelector("#item-" + id + " .info")).getText();
    assertThat(info).contains("640x360").contains("h264").contains("1280x720");

    assertDownload(id, clip);
    assertListedAfterReload(id);
    return item;
  }

  private static void uploadPhoto(String url) throws Exception {
    Map<String, Object> item = uploadThroughThePage(url, photo);
    String id = (String) item.get("id");
    assertThumbnail(id);
    assertThat(browser.findElement(By.cssSelector("#item-" + id + " .player")).isDisplayed())
        .isFalse();
    assertThat(browser.findElement(By.cssSelector("#item-" + id + " .info")).getText())
        .contains("800x600");
    assertDownload(id, photo);
  }

  /**
   * Picks {@code file} on the gallery's page and uploads it, then waits for its item to be ready;
   * returns the item as the API gives it.
   */
  private static Map<String, Object> uploadThroughThePage(String url, Path file) throws Exception {
    browser.get(url + "/");
    int before = browser.findElements(By.cssSelector("article.item")).size();
    browser.findElement(By.id("file")).sendKeys(file.toString());
    browser.findElement(By.id("send")).click();
    WebElement card;
    try {
      card =
          new WebDriverWait(browser, Duration.ofSeconds(120))
              .until(
                  d -> {
                    List<WebElement> cards = d.findElements(By.cssSelector("article.item"));
                    if (cards.size() <= before) {
                      return null;
                    }
                    String state = cards.get(0).getDomAttribute("data-state");
                    if ("FAILED".equals(state)) {
                      throw new AssertionError("the item failed: " + cards.get(0).getText());
                    }
                    return "READY".equals(state) ? cards.get(0) : null;
                  });
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the item was not ready in time; the page says: "
              + browser.executeScript("return document.body.innerText;"),
          e);
    }
    String id = card.getDomAttribute("id").substring("item-".length());
    String json = get(url + "/api/items/" + id).body();
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", id);
    Matcher ended = Pattern.compile("\"endedBy\":\"([^\"]*)\"").matcher(json);
    item.put("endedBy", ended.find() ? ended.group(1) : "");
    assertThat(json).contains("\"state\":\"READY\"").contains("\"progress\":100");
    return item;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(String id) {
    return (List<Map<String, Object>>)
        browser.executeScript(
            "return window.galleryEvents.filter(e => e.id === arguments[0]);", id);
  }

  /** The thumbnail, resized by its URL, has exactly the size the page asked for. */
  private static void assertThumbnail(String id) {
    @SuppressWarnings("unchecked")
    List<Object> size =
        (List<Object>)
            browser.executeAsyncScript(
                String.join(
                    "\n",
                    "const done = arguments[arguments.length - 1];",
                    "const i = document.querySelector('#item-' + arguments[0] + ' .thumb');",
                    "const r = () => done([i.naturalWidth, i.naturalHeight]);",
                    "if (i.complete && i.naturalWidth) r(); else {",
                    "  i.addEventListener('load', r); i.addEventListener('error', () => done([-1, -1])); }"),
                id);
    assertThat(size).as("thumbnail size").containsExactly(320L, 180L);
  }

  /** The download link gives the original's bytes under the original's name. */
  private static void assertDownload(String id, Path file) throws Exception {
    String href =
        browser.findElement(By.cssSelector("#item-" + id + " .download")).getDomProperty("href");
    HttpResponse<byte[]> download =
        http.send(
            HttpRequest.newBuilder(URI.create(href)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    String disposition = download.headers().firstValue("Content-Disposition").orElse("");
    assertThat(disposition).startsWith("attachment");
    assertThat(fileName(disposition)).isEqualTo(file.getFileName().toString());
    assertThat(download.body()).isEqualTo(Files.readAllBytes(file));
  }

  /** The file name of a Content-Disposition: RFC 6266's {@code filename*} when there is one. */
  private static String fileName(String disposition) {
    Matcher extended =
        Pattern.compile("filename\\*=UTF-8''([^;\\s]+)", Pattern.CASE_INSENSITIVE)
            .matcher(disposition);
    if (extended.find()) {
      return URLDecoder.decode(extended.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }
    Matcher plain = Pattern.compile("filename=\"([^\"]*)\"").matcher(disposition);
    return plain.find() ? plain.group(1) : "";
  }

  /** A new page lists the item, from the gallery's list rather than from events. */
  private static void assertListedAfterReload(String id) {
    browser.navigate().refresh();
    WebElement card =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(d -> d.findElements(By.id("item-" + id)).stream().findFirst().orElse(null));
    assertThat(card.getDomAttribute("data-state")).isEqualTo("READY");
    assertThat(card.findElement(By.cssSelector(".download")).getDomProperty("href")).isNotEmpty();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
