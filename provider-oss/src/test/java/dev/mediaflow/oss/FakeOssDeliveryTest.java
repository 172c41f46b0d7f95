package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery end to end: Mediaflow makes OSS URLs, the fake OSS serves them. Processed results are
 * decoded (ImageIO) or probed (ffprobe) for their size and format; tampered and expired URLs get
 * OSS's errors; {@code MediaClient.probe} agrees with ffprobe's own numbers for a video, an audio
 * file and an image.
 */
class FakeOssDeliveryTest {
  /** The fake's clock: the system clock moved by a settable offset, to expire URLs. */
  static final class ShiftedClock extends Clock {
    volatile Duration shift = Duration.ZERO;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }
  }

  static final ShiftedClock CLOCK = new ShiftedClock();

  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder()
          .clock(CLOCK)
          .publicBucket("public-media")
          .style("media", "thumb", "image/resize,m_fixed,w_64,h_48/format,png")
          .build();

  static final OkHttpClient http = new OkHttpClient();
  static final String PHOTO = "photos/\u732b a+b?#%&.jpg";
  static byte[] photo;

  @BeforeAll
  static void objects() throws Exception {
    BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.RED, 640, 480, Color.BLUE));
    g.fillRect(0, 0, 640, 480);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    photo = out.toByteArray();
    oss.objects().put("media", PHOTO, photo);
    oss.objects().put("public-media", "p.jpg", photo);
  }

  static MediaClient client(String version, String... more) {
    Map<String, String> m = new LinkedHashMap<>(oss.clientSettings(true));
    m.put("media.oss.signatureVersion", version);
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return MediaClient.create(MediaConfig.fromMap(m));
  }

  record Fetched(int code, String contentType, String disposition, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    BufferedImage image() throws Exception {
      BufferedImage i = ImageIO.read(new ByteArrayInputStream(body));
      assertThat(i).as("an image: %s", text()).isNotNull();
      return i;
    }
  }

  static Fetched get(URI url) throws Exception {
    try (Response r = http.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      return new Fetched(
          r.code(), r.header("Content-Type"), r.header("Content-Disposition"), r.body().bytes());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v4", "v1"})
  void processedUrls_areServedWithTheAskedSizeAndFormat(String version) throws Exception {
    CLOCK.shift = Duration.ZERO;
    try (MediaClient media = client(version)) {
      MediaObject o = MediaObject.of("media", PHOTO);

      Fetched original = get(media.url(o).toUri());
      assertThat(original.code()).isEqualTo(200);
      assertThat(original.body()).isEqualTo(photo);
      assertThat(original.contentType()).isEqualTo("image/jpeg");

      Fetched png =
          get(
              media
                  .url(
                      o,
                      UrlOptions.builder()
                          .process(ImageResize.builder().width(320).format(ImageFormat.PNG).build())
                          .build())
                  .toUri());
      assertThat(png.code()).as(png.text()).isEqualTo(200);
      assertThat(png.contentType()).isEqualTo("image/png");
      assertThat(png.image().getWidth()).isEqualTo(320);
      assertThat(png.image().getHeight()).isEqualTo(240);
      assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');

      Fetched marked =
          get(
              media
                  .url(
                      o,
                      UrlOptions.builder()
                          .process(
                              ImageResize.builder()
                                  .size(100, 100)
                                  .fit(FitMode.CROP)
                                  .quality(70)
                                  .build(),
                              Watermark.text("\u00a9 \u4e2d\u6587 ?&/+")
                                  .gravity(Gravity.SOUTH_EAST)
                                  .build())
                          .build())
                  .toUri());
      assertThat(marked.code()).as(marked.text()).isEqualTo(200);
      assertThat(marked.contentType()).isEqualTo("image/jpeg");
      assertThat(marked.image().getWidth()).isEqualTo(100);
      assertThat(marked.image().getHeight()).isEqualTo(100);

      Fetched styled = get(media.url(o, UrlOptions.builder().style("thumb").build()).toUri());
      assertThat(styled.code()).as(styled.text()).isEqualTo(200);
      assertThat(styled.contentType()).isEqualTo("image/png");
      assertThat(styled.image().getWidth()).isEqualTo(64);
      assertThat(styled.image().getHeight()).isEqualTo(48);

      Fetched missing = get(media.url(o, UrlOptions.builder().style("nope").build()).toUri());
      assertThat(missing.code()).isEqualTo(404);
      assertThat(missing.text()).contains("<Code>NotSuchStyle</Code>");

      Fetched download =
          get(
              media
                  .url(
                      o,
                      UrlOptions.builder()
                          .downloadName("\u62a5\u544a \"2024\".jpg")
                          .contentType("application/octet-stream")
                          .build())
                  .toUri());
      assertThat(download.code()).isEqualTo(200);
      assertThat(download.contentType()).isEqualTo("application/octet-stream");
      assertThat(download.disposition())
          .isEqualTo(
              "attachment; filename=\"__ _2024_.jpg\";"
                  + " filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%222024%22.jpg");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v4", "v1"})
  void tamperedAndExpiredUrls_getOssErrors(String version) throws Exception {
    try (MediaClient media = client(version)) {
      CLOCK.shift = Duration.ZERO;
      URI url =
          media
              .url(
                  MediaObject.of("media", PHOTO),
                  UrlOptions.builder()
                      .expiry(Duration.ofMinutes(10))
                      .process(ImageResize.builder().width(320).build())
                      .build())
              .toUri();
      assertThat(get(url).code()).isEqualTo(200);

      Fetched tampered = get(URI.create(url.toString().replace("w_320", "w_640")));
      assertThat(tampered.code()).isEqualTo(403);
      assertThat(tampered.text()).contains("<Code>SignatureDoesNotMatch</Code>");
      assertThat(oss.requests()).anyMatch(l -> l.endsWith("403 SignatureDoesNotMatch"));

      Fetched otherKey =
          get(URI.create(url.toString().replace("a%2Bb", "a%2Bc").replace("a+b", "a+c")));
      assertThat(otherKey.code()).isEqualTo(403);

      CLOCK.shift = Duration.ofMinutes(11);
      Fetched expired = get(url);
      assertThat(expired.code()).isEqualTo(403);
      assertThat(expired.text())
          .contains("<Code>AccessDenied</Code>")
          .contains("<Message>Request has expired.</Message>")
          .contains("<Expires>")
          .contains("<ServerTime>");
    } finally {
      CLOCK.shift = Duration.ZERO;
    }
  }

  @Test
  void publicBuckets_getUnsignedUrls_andPrivateOnesRefuseAnonymousReads() throws Exception {
    try (MediaClient media = client("v4", "media.oss.publicBuckets", "public-media")) {
      URI url =
          media
              .url(
                  MediaObject.of("public-media", "p.jpg"),
                  UrlOptions.builder().process(ImageResize.builder().width(64).build()).build())
              .toUri();
      assertThat(url.getRawQuery()).isEqualTo("x-oss-process=image%2Fresize%2Cm_lfit%2Cw_64");
      Fetched f = get(url);
      assertThat(f.code()).isEqualTo(200);
      assertThat(f.image().getWidth()).isEqualTo(64);

      URI anonymous =
          media
              .url(MediaObject.of("media", PHOTO), UrlOptions.builder().unsigned().build())
              .toUri();
      Fetched denied = get(anonymous);
      assertThat(denied.code()).isEqualTo(403);
      assertThat(denied.text()).contains("<Code>AccessDenied</Code>");
    }
  }

  @Test
  void whatAUrlCannotApply_isRefusedBeforeAnyUrl_andTheExpiryIsCapped() {
    try (MediaClient v4 = client("v4");
        MediaClient v1 = client("v1")) {
      MediaObject o = MediaObject.of("media", PHOTO);
      int before = oss.requests().size();
      assertThatThrownBy(
              () ->
                  v4.url(
                          o,
                          UrlOptions.builder()
                              .process(Transcode.builder().container(Container.MP4).build())
                              .build())
                      .toUri())
          .isInstanceOf(UnsupportedMediaOperationException.class)
          .hasMessageContaining("transcode");
      assertThatThrownBy(
              () ->
                  v4.url(
                          o,
                          UrlOptions.builder()
                              .process(Snapshot.every(Duration.ofSeconds(1), 3))
                              .build())
                      .toUri())
          .isInstanceOf(UnsupportedMediaOperationException.class);
      assertThatThrownBy(
              () ->
                  v4.url(
                          o,
                          UrlOptions.builder()
                              .process(
                                  ImageResize.builder().width(10).build(),
                                  Snapshot.at(Duration.ZERO))
                              .build())
                      .toUri())
          .isInstanceOf(UnsupportedMediaOperationException.class);
      assertThatThrownBy(
              () ->
                  v4.url(o, UrlOptions.builder().expiry(Duration.ofDays(7).plusSeconds(1)).build())
                      .toUri())
          .isInstanceOfSatisfying(
              MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("expiry"));
      assertThat(
              v4.url(o, UrlOptions.builder().expiry(Duration.ofDays(7)).build())
                  .toUri()
                  .getRawQuery())
          .contains("x-oss-expires=604800");
      assertThat(
              v1.url(o, UrlOptions.builder().expiry(Duration.ofDays(30)).build())
                  .toUri()
                  .getRawQuery())
          .contains("Expires=");
      assertThat(oss.requests()).hasSize(before);
    }
  }

  @Test
  void customDomain_replacesTheHost_andKeepsTheKeyAsThePath() {
    try (MediaClient media =
        client(
            "v4",
            "media.oss.domain.media",
            "https://img.example.com",
            "media.oss.pathStyle",
            "false")) {
      URI url = media.url(MediaObject.of("media", "a b/\u732b.jpg")).toUri();
      assertThat(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath())
          .isEqualTo("https://img.example.com/a%20b/%E7%8C%AB.jpg");
    }
  }

  // ---- video, audio, image info, snapshots (FFmpeg through the local provider)

  static Path clip;
  static Path audio;

  static MediaConfig localConfig() {
    return MediaConfig.builder().put("media.local.root", oss.dataDir().toString()).build();
  }

  static synchronized void media() throws Exception {
    if (clip != null) {
      return;
    }
    clip =
        LocalProvider.writeSampleClip(
            localConfig(), MediaObject.of("media", "clips/a.mp4"), 320, 240, Duration.ofSeconds(2));
    Path out = oss.objects().file("media", "clips/a.m4a");
    Files.createDirectories(out.getParent());
    Process p =
        LocalProvider.ffmpegProcess(
                localConfig(),
                List.of(
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-y",
                    "-i",
                    clip.toString(),
                    "-vn",
                    "-c:a",
                    "copy",
                    out.toString()))
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
    audio = out;
  }

  /** ffprobe's own JSON for a file: the ffprobe beside the FFmpeg the local provider runs. */
  static JsonObject ffprobe(Path file) throws Exception {
    ProcessBuilder ffmpeg = LocalProvider.ffmpegProcess(localConfig(), List.of());
    Path sibling = Path.of(ffmpeg.command().get(0)).resolveSibling("ffprobe");
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(sibling) ? sibling.toString() : "ffprobe");
    cmd.addAll(
        List.of(
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "file:" + file));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(ffmpeg.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return JsonParser.parseString(out).getAsJsonObject();
  }

  static JsonObject stream(JsonObject probe, String type) {
    for (var e : probe.getAsJsonArray("streams")) {
      if (e.getAsJsonObject().get("codec_type").getAsString().equals(type)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError("no " + type + " stream");
  }

  @Test
  void videoFrameUrl_isAFrameOfTheAskedSizeAndFormat() throws Exception {
    media();
    try (MediaClient media = client("v4")) {
      URI url =
          media
              .url(
                  MediaObject.of("media", "clips/a.mp4"),
                  UrlOptions.builder()
                      .process(
                          Snapshot.builder()
                              .at(Duration.ofMillis(1000))
                              .format(ImageFormat.PNG)
                              .width(160)
                              .build())
                      .build())
              .toUri();
      assertThat(url.getRawQuery())
          .contains("x-oss-process=video%2Fsnapshot%2Ct_1000%2Cf_png%2Cw_160");
      Fetched frame = get(url);
      assertThat(frame.code()).as(frame.text()).isEqualTo(200);
      assertThat(frame.contentType()).isEqualTo("image/png");
      assertThat(frame.image().getWidth()).isEqualTo(160);
      assertThat(frame.image().getHeight()).isEqualTo(120);
    }
  }

  @Test
  void probe_agreesWithFfprobe_forAVideoAnAudioFileAndAnImage() throws Exception {
    media();
    try (MediaClient media = client("v4")) {
      JsonObject v = ffprobe(clip);
      MediaInfo info = media.probe(MediaObject.of("media", "clips/a.mp4"));
      JsonObject format = v.getAsJsonObject("format");
      assertThat(info.format()).isEqualTo(format.get("format_name").getAsString());
      assertThat(info.duration().toNanos() / 1e9)
          .isCloseTo(format.get("duration").getAsDouble(), within(1e-6));
      assertThat(info.size()).isEqualTo(Files.size(clip));
      assertThat(info.bitrate()).isEqualTo(format.get("bit_rate").getAsLong());
      JsonObject vs = stream(v, "video");
      assertThat(info.video()).hasSize(1);
      assertThat(info.video().get(0).codec()).isEqualTo(vs.get("codec_name").getAsString());
      assertThat(info.video().get(0).width()).isEqualTo(vs.get("width").getAsInt());
      assertThat(info.video().get(0).height()).isEqualTo(vs.get("height").getAsInt());
      assertThat(info.video().get(0).frameRate()).isCloseTo(30.0, within(1e-9));
      assertThat(info.video().get(0).bitrate()).isEqualTo(vs.get("bit_rate").getAsLong());
      JsonObject as = stream(v, "audio");
      assertThat(info.audio()).hasSize(1);
      assertThat(info.audio().get(0).codec()).isEqualTo(as.get("codec_name").getAsString());
      assertThat(info.audio().get(0).sampleRate()).isEqualTo(as.get("sample_rate").getAsInt());
      assertThat(info.audio().get(0).channels()).isEqualTo(as.get("channels").getAsInt());
      assertThat(info.raw()).containsKey("VideoStreams[0].PixelFormat");

      JsonObject a = ffprobe(audio);
      MediaInfo sound = media.probe(MediaObject.of("media", "clips/a.m4a"));
      assertThat(sound.video()).isEmpty();
      assertThat(sound.audio()).hasSize(1);
      assertThat(sound.duration().toNanos() / 1e9)
          .isCloseTo(a.getAsJsonObject("format").get("duration").getAsDouble(), within(1e-6));
      assertThat(sound.audio().get(0).sampleRate())
          .isEqualTo(stream(a, "audio").get("sample_rate").getAsInt());

      // FFmpeg's image reader takes '%' in a name as a frame-number pattern: probe a plain copy.
      Path photoFile = Files.createTempFile("photo", ".jpg");
      Files.write(photoFile, photo);
      JsonObject i = ffprobe(photoFile);
      MediaInfo image = media.probe(MediaObject.of("media", PHOTO));
      assertThat(image.image()).isPresent();
      assertThat(image.image().get().width()).isEqualTo(stream(i, "video").get("width").getAsInt());
      assertThat(image.image().get().height())
          .isEqualTo(stream(i, "video").get("height").getAsInt());
      assertThat(image.image().get().format()).isEqualTo("jpg");
      assertThat(image.size()).isEqualTo(photo.length);
      assertThat(image.raw()).containsEntry("ImageWidth.value", "640");
      Files.delete(photoFile);
    }
  }

  // ---- POST ?x-oss-process with a form-encoded body

  @Test
  void formEncodedProcessBody_isAccepted() throws Exception {
    OssSettings settings =
        OssSettings.from(
            ProviderConfig.of(
                "oss",
                Map.of(
                    "accessKeyId", "AK",
                    "accessKeySecret", "SK",
                    "region", "cn-hangzhou",
                    "endpoint", oss.baseUrl())));
    OssObjects objects =
        new OssObjects(settings, new OssSigner("AK", Secret.of("SK"), null, "cn-hangzhou", CLOCK));
    String process = "image/resize,w_100|sys/saveas,o_" + OssStyleRenderer.b64("form/small.jpg");
    byte[] body =
        ("x-oss-process=" + java.net.URLEncoder.encode(process, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    try (Response r =
        http.newCall(objects.request("POST", "media", PHOTO, Map.of("x-oss-process", ""), body))
            .execute()) {
      assertThat(r.code()).as(r.body().string()).isEqualTo(200);
    }
    assertThat(oss.objects().exists("media", "form/small.jpg")).isTrue();
  }
}
