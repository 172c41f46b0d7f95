package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.auth.COSSigner;
import com.qcloud.cos.http.HttpMethodName;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery on COS: media info read from {@code ci-process=videoinfo} and {@code imageInfo} over
 * real HTTP, one-frame and style URLs, and browser upload grants whose signatures the official Java
 * SDK reproduces.
 */
class CosDeliveryTest {
  static final String SECRET_ID = "AKIDdelivery";
  static final String SECRET_KEY = "delivery-secret";
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static CosSettings settings(Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-guangzhou");
    m.put("secretId", SECRET_ID);
    m.put("secretKey", SECRET_KEY);
    m.putAll(extra);
    return CosSettings.from(ProviderConfig.of("cos", m).declare(new CosProvider().settings()));
  }

  static CosRequests requests(Map<String, String> extra) {
    CosSettings s = settings(extra);
    return new CosRequests(s, CosSigner.of(s, CLOCK));
  }

  MediaClient client() {
    Map<String, String> m = new HashMap<>();
    m.put("media.provider", "cos");
    m.put("media.cos.region", "ap-guangzhou");
    m.put("media.cos.secretId", SECRET_ID);
    m.put("media.cos.secretKey", SECRET_KEY);
    m.put("media.cos.appId", "1250000000");
    m.put("media.cos.endpoint", "http://127.0.0.1:" + server.getPort());
    return MediaClient.builder()
        .config(MediaConfig.fromMap(m))
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = CosDeliveryTest.class.getResourceAsStream("/fixtures/cos/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ---- media info

  @Test
  void probe_video_readsVideoinfo_bitratesFromKbps() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "video/mp4").build());
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/xml")
            .body(fixture("videoinfo.xml"))
            .build());

    MediaInfo info;
    try (MediaClient media = client()) {
      info = media.probe(MediaObject.of("media", "in/test.mp4"));
    }

    assertThat(server.takeRequest().getMethod()).isEqualTo("HEAD");
    RecordedRequest get = server.takeRequest();
    assertThat(get.getTarget()).isEqualTo("/media-1250000000/in/test.mp4?ci-process=videoinfo");
    assertThat(get.getHeaders().get("Authorization")).contains("q-url-param-list=ci-process&");
    assertThat(info.format()).isEqualTo("mov,mp4,m4a,3gp,3g2,mj2");
    assertThat(info.duration()).isEqualTo(Duration.ofMillis(10_125));
    assertThat(info.size()).isEqualTo(1_284_547);
    assertThat(info.bitrate()).isEqualTo(1_014_950);
    assertThat(info.video())
        .containsExactly(new MediaInfo.VideoStream("h264", 966, 1280, 24.0, 0, 938_164));
    assertThat(info.audio()).containsExactly(new MediaInfo.AudioStream("aac", 44100, 1, 70_451));
    assertThat(info.raw())
        .containsEntry("Format.FormatLongName", "QuickTime / MOV")
        .containsEntry("Stream.Video[0].Profile", "High")
        .containsEntry("Stream.Audio[0].ChannelLayout", "mono");
  }

  @Test
  void probe_image_readsImageInfo() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "image/jpeg").build());
    server.enqueue(new MockResponse.Builder().body(fixture("imageinfo.json")).build());

    MediaInfo info;
    try (MediaClient media = client()) {
      info = media.probe(MediaObject.of("media", "sample.jpeg"));
    }

    server.takeRequest();
    assertThat(server.takeRequest().getTarget())
        .isEqualTo("/media-1250000000/sample.jpeg?imageInfo");
    assertThat(info.format()).isEqualTo("jpeg");
    assertThat(info.size()).isEqualTo(158_421);
    assertThat(info.image()).contains(new MediaInfo.ImageInfo(960, 540, "jpeg", 1));
    assertThat(info.raw()).containsEntry("photo_rgb", "0x736246");
  }

  @Test
  void probe_untypedObjectThatIsNoVideo_fallsBackToImageInfo() throws Exception {
    server.enqueue(
        new MockResponse.Builder().addHeader("Content-Type", "application/octet-stream").build());
    server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .body("<Error><Code>InvalidArgument</Code><Message>not a media file</Message></Error>")
            .build());
    server.enqueue(new MockResponse.Builder().body(fixture("imageinfo.json")).build());

    MediaInfo info;
    try (MediaClient media = client()) {
      info = media.probe(MediaObject.of("media", "upload.bin"));
    }

    assertThat(info.image()).isPresent();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  // ---- URLs

  @Test
  void url_oneFrame_isCiProcessSnapshot_signed() {
    CosUrls urls = new CosUrls(requests(Map.of()), CosUrls.NO_IMAGE_RULES);
    Snapshot frame =
        Snapshot.builder().at(Duration.ofMillis(1500)).format(ImageFormat.PNG).width(640).build();

    String url =
        urls.build(
                MediaObject.of("media-1250000000", "in/a.mp4"),
                UrlOptions.builder().process(frame).build())
            .url();

    HttpUrl u = HttpUrl.get(url);
    assertThat(u.host()).isEqualTo("media-1250000000.cos.ap-guangzhou.myqcloud.com");
    assertThat(u.encodedPath()).isEqualTo("/in/a.mp4");
    assertThat(url)
        .endsWith("&ci-process=snapshot&time=1.5&format=png&width=640&mode=exactframe")
        .contains("q-url-param-list=ci-process%3Bformat%3Bmode%3Btime%3Bwidth&")
        .contains("q-sign-time=1700000000%3B1700003600&");
  }

  @Test
  void url_severalFrames_orAFrameThenMore_areRefused() {
    CosUrls urls = new CosUrls(requests(Map.of()), CosUrls.NO_IMAGE_RULES);
    MediaObject video = MediaObject.of("media-1250000000", "in/a.mp4");
    assertThatThrownBy(
            () ->
                urls.build(
                    video,
                    UrlOptions.builder().process(Snapshot.every(Duration.ofSeconds(1), 3)).build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("one frame");
  }

  @Test
  void url_style_followsTheSeparator_insideTheSignedPath() {
    CosUrls urls = new CosUrls(requests(Map.of("styleSeparator", "!")), CosUrls.NO_IMAGE_RULES);

    CosUrls.Built built =
        urls.build(
            MediaObject.of("media-1250000000", "sample.jpg"),
            UrlOptions.builder().style("yunstyle").build());

    // https://cloud.tencent.com/document/product/460/6929: /sample.jpg!yunstyle is what is signed
    assertThat(built.url())
        .startsWith(
            "https://media-1250000000.cos.ap-guangzhou.myqcloud.com/sample.jpg%21yunstyle?");
    String signature = built.url().replaceAll(".*q-signature=([0-9a-f]+).*", "$1");
    Map<String, String> headers = Map.of("host", "media-1250000000.cos.ap-guangzhou.myqcloud.com");
    String sdk =
        new COSSigner()
            .buildAuthorizationStr(
                HttpMethodName.GET,
                "/sample.jpg!yunstyle",
                new HashMap<>(headers),
                new HashMap<>(),
                new BasicCOSCredentials(SECRET_ID, SECRET_KEY),
                new Date(1_700_000_000_000L),
                new Date(1_700_003_600_000L),
                true);
    assertThat(sdk).endsWith("q-signature=" + signature);
  }

  @Test
  void url_style_withoutASeparator_namesTheSetting() {
    CosUrls urls = new CosUrls(requests(Map.of()), CosUrls.NO_IMAGE_RULES);
    assertThatThrownBy(
            () ->
                urls.build(
                    MediaObject.of("media-1250000000", "a.jpg"),
                    UrlOptions.builder().style("thumb").build()))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.cos.styleSeparator");
  }

  @Test
  void url_publicBucket_isUnsigned_andKeepsTheOverrides() {
    CosUrls urls =
        new CosUrls(requests(Map.of("publicBuckets", "pub-1250000000")), CosUrls.NO_IMAGE_RULES);

    CosUrls.Built built =
        urls.build(
            MediaObject.of("pub-1250000000", "docs/\u62a5\u544a.pdf"),
            UrlOptions.builder().downloadName("\u62a5\u544a.pdf").build());

    assertThat(built.expiresAt()).isNull();
    assertThat(built.url())
        .isEqualTo(
            "https://pub-1250000000.cos.ap-guangzhou.myqcloud.com/docs/%E6%8A%A5%E5%91%8A.pdf"
                + "?response-content-disposition=attachment%3B%20filename%3D%22__.pdf%22%3B%20"
                + "filename%2A%3DUTF-8%27%27%25E6%258A%25A5%25E5%2591%258A.pdf");
  }

  // ---- grants

  @Test
  void postGrant_pinsEveryField_andTheSdkReproducesItsSignature() {
    CosRequests requests = requests(Map.of("securityToken", "sts-token"));
    UploadGrant grant =
        new CosUploadGrants(requests)
            .grant(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media-1250000000", "incoming/avatar 42.jpg"))
                    .size(1, 5 * 1024 * 1024)
                    .contentTypes("image/jpeg")
                    .expiry(Duration.ofMinutes(10))
                    .build());

    assertThat(grant.method()).isEqualTo("POST");
    assertThat(grant.url()).hasToString("https://media-1250000000.cos.ap-guangzhou.myqcloud.com/");
    assertThat(grant.fileField()).isEqualTo("file");
    assertThat(grant.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_600L));
    Map<String, String> f = grant.fields();
    assertThat(f.keySet())
        .containsExactly(
            "key",
            "policy",
            "q-sign-algorithm",
            "q-ak",
            "q-key-time",
            "q-signature",
            "x-cos-security-token",
            "Content-Type",
            "x-cos-forbid-overwrite",
            "success_action_status");
    assertThat(f)
        .containsEntry("key", "incoming/avatar 42.jpg")
        .containsEntry("q-sign-algorithm", "sha1")
        .containsEntry("q-ak", SECRET_ID)
        .containsEntry("q-key-time", "1700000000;1700000600")
        .containsEntry("x-cos-security-token", "sts-token")
        .containsEntry("Content-Type", "image/jpeg")
        .containsEntry("x-cos-forbid-overwrite", "true")
        .containsEntry("success_action_status", "201");
    String policy = new String(Base64.getDecoder().decode(f.get("policy")), StandardCharsets.UTF_8);
    JsonObject p = JsonParser.parseString(policy).getAsJsonObject();
    assertThat(p.get("expiration").getAsString()).isEqualTo("2023-11-14T22:23:20.000Z");
    assertThat(p.getAsJsonArray("conditions").toString())
        .isEqualTo(
            "[{\"bucket\":\"media-1250000000\"},[\"eq\",\"$key\",\"incoming/avatar 42.jpg\"],"
                + "{\"q-sign-algorithm\":\"sha1\"},{\"q-ak\":\"AKIDdelivery\"},"
                + "{\"q-sign-time\":\"1700000000;1700000600\"},[\"content-length-range\",1,5242880],"
                + "[\"eq\",\"$Content-Type\",\"image/jpeg\"],[\"eq\",\"$x-cos-forbid-overwrite\",\"true\"],"
                + "[\"eq\",\"$success_action_status\",\"201\"]]");
    assertThat(f.get("q-signature"))
        .isEqualTo(
            new COSSigner().buildPostObjectSignature(SECRET_KEY, "1700000000;1700000600", policy));
  }

  @Test
  void postGrant_overAPrefix_withTheFileName_andAnImagePattern() {
    UploadGrant grant =
        new CosUploadGrants(requests(Map.of("appId", "1250000000")))
            .grant(
                UploadGrantRequest.builder()
                    .keyPrefix("media", "incoming/", KeyName.FILE_NAME)
                    .contentTypes("image/*")
                    .overwrite(true)
                    .build());

    assertThat(grant.fields().get("key")).isEqualTo("incoming/${filename}");
    assertThat(grant.fields()).doesNotContainKeys("Content-Type", "x-cos-forbid-overwrite");
    JsonArray conditions =
        JsonParser.parseString(
                new String(
                    Base64.getDecoder().decode(grant.fields().get("policy")),
                    StandardCharsets.UTF_8))
            .getAsJsonObject()
            .getAsJsonArray("conditions");
    assertThat(conditions.toString())
        .contains("{\"bucket\":\"media-1250000000\"}")
        .contains("[\"starts-with\",\"$key\",\"incoming/\"]")
        .contains("[\"starts-with\",\"$Content-Type\",\"image/\"]")
        .doesNotContain("forbid-overwrite");
  }

  @Test
  void putGrant_signsTheHeadersTheBrowserMustSend() {
    UploadGrant grant =
        new CosUploadGrants(requests(Map.of()))
            .grant(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media-1250000000", "in/clip.mp4"))
                    .contentTypes("video/mp4")
                    .method(UploadGrantRequest.Method.PUT)
                    .build());

    assertThat(grant.method()).isEqualTo("PUT");
    assertThat(grant.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("Content-Type", "video/mp4", "x-cos-forbid-overwrite", "true"));
    String url = grant.url().toString();
    assertThat(url)
        .startsWith("https://media-1250000000.cos.ap-guangzhou.myqcloud.com/in/clip.mp4?")
        .contains("q-header-list=content-type%3Bhost%3Bx-cos-forbid-overwrite&");
    Map<String, String> headers = new HashMap<>(grant.headers());
    headers.put("Host", "media-1250000000.cos.ap-guangzhou.myqcloud.com");
    String sdk =
        new COSSigner()
            .buildAuthorizationStr(
                HttpMethodName.PUT,
                "/in/clip.mp4",
                headers,
                new HashMap<>(),
                new BasicCOSCredentials(SECRET_ID, SECRET_KEY),
                new Date(1_700_000_000_000L),
                new Date(1_700_000_900_000L),
                true);
    assertThat(url).endsWith(sdk.substring(sdk.indexOf("q-signature=")));
  }

  @Test
  void grants_refuseWhatCosCannotEnforce() {
    CosUploadGrants grants = new CosUploadGrants(requests(Map.of()));
    MediaObject key = MediaObject.of("media-1250000000", "in/a.jpg");
    List<UploadGrantRequest> refused =
        List.of(
            UploadGrantRequest.builder().key(key).contentTypes("image/jpeg", "image/png").build(),
            UploadGrantRequest.builder()
                .key(key)
                .callback(UploadCallback.json("https://hooks.example.com/up", "{}"))
                .build(),
            UploadGrantRequest.builder()
                .keyPrefix("media-1250000000", "in/", KeyName.CONTENT_HASH)
                .build(),
            UploadGrantRequest.builder()
                .key(key)
                .process(
                    Pipeline.of(
                        key,
                        List.of(
                            Output.of(
                                List.of(Snapshot.at(Duration.ofSeconds(1))),
                                MediaObject.of("media-1250000000", "out/a.jpg"))),
                        null,
                        null))
                .build(),
            UploadGrantRequest.builder()
                .key(key)
                .size(1, 100)
                .method(UploadGrantRequest.Method.PUT)
                .build());
    for (UploadGrantRequest r : refused) {
      assertThatThrownBy(() -> grants.grant(r))
          .as(r.toString())
          .isInstanceOf(UnsupportedMediaOperationException.class);
    }
  }
}
