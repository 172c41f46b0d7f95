package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.awt.Color;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delivery URLs and media info end to end against the fake Qiniu running fops for real (the local
 * provider's FFmpeg): every URL is fetched, the processed result decoded and measured, tampered,
 * wrong-key and expired URLs are refused with Qiniu's 401, and {@code probe} agrees with ffprobe's
 * own numbers for a video, an audio file and an image.
 */
class QiniuDeliveryTest {
  static final LocalExecutor LOCAL = new LocalExecutor(Duration.ofMinutes(2));

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(LOCAL)
          .privateBucket("media")
          .style("media", "thumb", "imageView2/2/w/100")
          .build();

  static final OkHttpClient HTTP = new OkHttpClient();
  static MediaClient media;
  static MediaConfig local;

  static MediaClient client(String secret, Clock clock) {
    Map<String, String> m = new HashMap<>(qiniu.clientSettings());
    m.put("media.qiniu.secretKey", secret);
    m.put("media.qiniu.publicBuckets", "open");
    return MediaClient.builder().config(MediaConfig.fromMap(m)).clock(clock).build();
  }

  @BeforeAll
  static void setUp() throws Exception {
    media = client("SK", Clock.systemUTC());
    local =
        MediaConfig.builder()
            .put("media.provider", "local")
            .put("media.local.root", qiniu.dataDir().toString())
            .build();
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", jpeg);
    qiniu.objects().put("media", "photos/猫 #1?|&e=1.jpg", jpeg.toByteArray());
    qiniu.objects().put("media", "photos/100%.jpg", jpeg.toByteArray());
    qiniu.objects().put("open", "a.jpg", jpeg.toByteArray());
    LocalProvider.writeSampleClip(
        local, MediaObject.of("media", "v/clip.mp4"), 320, 240, Duration.ofSeconds(2));
    Path audio = qiniu.objects().file("media", "a/tone.m4a");
    Files.createDirectories(audio.getParent());
    Process p =
        LocalProvider.ffmpegProcess(
                local,
                List.of(
                    "-hide_banner",
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "sine=frequency=440:sample_rate=44100:duration=2",
                    "-ac",
                    "2",
                    "-c:a",
                    "aac",
                    audio.toString()))
            .inheritIO()
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
  }

  @AfterAll
  static void tearDown() {
    media.close();
    LOCAL.close();
  }

  static final MediaObject PHOTO = MediaObject.of("media", "photos/猫 #1?|&e=1.jpg");

  record Fetched(int status, String contentType, String disposition, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    BufferedImage image() throws Exception {
      return ImageIO.read(new ByteArrayInputStream(body));
    }
  }

  static Fetched get(URI url) throws Exception {
    try (Response r = HTTP.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      return new Fetched(
          r.code(), r.header("Content-Type"), r.header("Content-Disposition"), r.body().bytes());
    }
  }

  @Test
  void resizeAndFormat_onAPrivateBucket_giveTheAskedSizeAndFormat() throws Exception {
    URI url =
        media
            .url(
                PHOTO,
                UrlOptions.builder()
                    .process(ImageResize.builder().width(160).format(ImageFormat.PNG).build())
                    .build())
            .toUri();
    assertThat(url.toString()).contains("?imageView2/2/w/160/format/png&e=", "&token=AK:");
    Fetched f = get(url);
    assertThat(f.status()).as(f.text()).isEqualTo(200);
    assertThat(f.contentType()).isEqualTo("image/png");
    assertThat(f.image().getWidth()).isEqualTo(160);
    assertThat(f.image().getHeight()).isEqualTo(120);
  }

  @Test
  void watermarkChain_andStyle_andDownloadName() throws Exception {
    Fetched marked =
        get(
            media
                .url(
                    PHOTO,
                    UrlOptions.builder()
                        .process(
                            ImageResize.builder().width(200).build(),
                            Watermark.text("水印 & |?").gravity(Gravity.SOUTH_EAST).build())
                        .build())
                .toUri());
    assertThat(marked.status()).as(marked.text()).isEqualTo(200);
    assertThat(marked.image().getWidth()).isEqualTo(200);

    Fetched styled = get(media.url(PHOTO, UrlOptions.builder().style("thumb").build()).toUri());
    assertThat(styled.status()).as(styled.text()).isEqualTo(200);
    assertThat(styled.image().getWidth()).isEqualTo(100);

    Fetched named =
        get(media.url(PHOTO, UrlOptions.builder().downloadName("猫 1.jpg").build()).toUri());
    assertThat(named.status()).isEqualTo(200);
    assertThat(named.contentType()).isEqualTo("image/jpeg");
    assertThat(named.disposition()).contains("attachment", "filename*=UTF-8''%E7%8C%AB%201.jpg");
  }

  @Test
  void tamperedWrongKeyAndExpiredUrls_areRefusedWithQiniusErrors() throws Exception {
    URI good = media.url(MediaObject.of("media", "photos/100%.jpg")).toUri();
    assertThat(get(good).status()).isEqualTo(200);
    assertThat(get(media.url(PHOTO).toUri()).status()).isEqualTo(200);

    URI tampered = URI.create(good.toString().replace("photos/", "photoz/"));
    Fetched t = get(tampered);
    assertThat(t.status()).isEqualTo(401);
    assertThat(t.text()).contains("\"error\":\"download token auth failed\"");

    URI resized =
        media
            .url(
                PHOTO,
                UrlOptions.builder().process(ImageResize.builder().width(50).build()).build())
            .toUri();
    Fetched fop = get(URI.create(resized.toString().replace("/w/50", "/w/51")));
    assertThat(fop.status()).isEqualTo(401);

    try (MediaClient wrong = client("not-SK", Clock.systemUTC())) {
      assertThat(get(wrong.url(PHOTO).toUri()).status()).isEqualTo(401);
    }
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
    try (MediaClient late = client("SK", past)) {
      Fetched e = get(late.url(PHOTO).toUri());
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.text()).contains("token out of date");
    }
    Fetched unsigned = get(media.url(PHOTO, UrlOptions.builder().unsigned().build()).toUri());
    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(unsigned.text()).contains("download token not specified");
    assertThat(qiniu.requests()).anyMatch(l -> l.contains(" 401 token out of date"));

    URI open = media.url(MediaObject.of("open", "a.jpg")).toUri();
    assertThat(open.getRawQuery()).isNull();
    assertThat(get(open).status()).isEqualTo(200);
  }

  // ---- media info against ffprobe

  static JsonObject ffprobe(MediaObject o) throws Exception {
    ProcessBuilder ffmpeg = LocalProvider.ffmpegProcess(local, List.of());
    List<String> command = new ArrayList<>();
    command.add(Path.of(ffmpeg.command().get(0)).resolveSibling("ffprobe").toString());
    command.addAll(
        List.of("-v", "error", "-print_format", "json", "-show_format", "-show_streams"));
    command.add(qiniu.objects().file(o.bucket(), o.key()).toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(ffmpeg.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return JsonParser.parseString(out).getAsJsonObject();
  }

  static JsonObject stream(JsonObject probe, String type) {
    JsonArray streams = probe.getAsJsonArray("streams");
    for (var e : streams) {
      if (e.getAsJsonObject().get("codec_type").getAsString().equals(type)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError("no " + type + " stream");
  }

  @Test
  void probe_video_matchesFfprobe() throws Exception {
    MediaObject clip = MediaObject.of("media", "v/clip.mp4");
    MediaInfo info = media.probe(clip);
    JsonObject f = ffprobe(clip);
    JsonObject format = f.getAsJsonObject("format");
    assertThat(info.format()).isEqualTo(format.get("format_name").getAsString());
    assertThat(info.duration().toMillis() / 1000.0)
        .isCloseTo(format.get("duration").getAsDouble(), within(0.001));
    assertThat(info.size()).isEqualTo(format.get("size").getAsLong());
    assertThat(info.bitrate()).isEqualTo(format.get("bit_rate").getAsLong());
    JsonObject v = stream(f, "video");
    assertThat(info.video()).hasSize(1);
    assertThat(info.video().get(0).codec()).isEqualTo(v.get("codec_name").getAsString());
    assertThat(info.video().get(0).width()).isEqualTo(v.get("width").getAsInt()).isEqualTo(320);
    assertThat(info.video().get(0).height()).isEqualTo(240);
    assertThat(info.video().get(0).frameRate()).isCloseTo(30, within(0.01));
    assertThat(info.video().get(0).bitrate()).isEqualTo(v.get("bit_rate").getAsLong());
    JsonObject a = stream(f, "audio");
    assertThat(info.audio()).hasSize(1);
    assertThat(info.audio().get(0).codec()).isEqualTo(a.get("codec_name").getAsString());
    assertThat(info.audio().get(0).sampleRate()).isEqualTo(a.get("sample_rate").getAsInt());
    assertThat(info.raw()).containsEntry("format.size", format.get("size").getAsString());
    assertThat(info.raw()).containsKey("streams[0].codec_name");
    assertThat(info.image()).isEmpty();
  }

  @Test
  void probe_audio_matchesFfprobe() throws Exception {
    MediaObject tone = MediaObject.of("media", "a/tone.m4a");
    MediaInfo info = media.probe(tone);
    JsonObject f = ffprobe(tone);
    JsonObject a = stream(f, "audio");
    assertThat(info.video()).isEmpty();
    assertThat(info.audio()).hasSize(1);
    assertThat(info.audio().get(0).codec()).isEqualTo("aac");
    assertThat(info.audio().get(0).sampleRate())
        .isEqualTo(a.get("sample_rate").getAsInt())
        .isEqualTo(44100);
    assertThat(info.audio().get(0).channels()).isEqualTo(a.get("channels").getAsInt()).isEqualTo(2);
    assertThat(info.audio().get(0).bitrate()).isEqualTo(a.get("bit_rate").getAsLong());
    assertThat(info.duration().toMillis() / 1000.0)
        .isCloseTo(f.getAsJsonObject("format").get("duration").getAsDouble(), within(0.001));
  }

  @Test
  void probe_image_matchesFfprobe() throws Exception {
    MediaInfo info = media.probe(PHOTO);
    JsonObject v = stream(ffprobe(PHOTO), "video");
    assertThat(info.image()).isPresent();
    assertThat(info.image().get().width()).isEqualTo(v.get("width").getAsInt()).isEqualTo(640);
    assertThat(info.image().get().height()).isEqualTo(v.get("height").getAsInt()).isEqualTo(480);
    assertThat(info.image().get().format()).isEqualTo("jpeg");
    assertThat(info.image().get().orientation()).isEqualTo(1);
    assertThat(info.size()).isEqualTo(Files.size(qiniu.objects().file("media", PHOTO.key())));
    assertThat(info.raw()).containsEntry("width", "640");
  }
}
