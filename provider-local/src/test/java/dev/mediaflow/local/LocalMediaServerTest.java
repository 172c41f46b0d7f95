package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local media server over real HTTP, with URLs made by {@code MediaClient.url}. */
class LocalMediaServerTest {
  @TempDir static Path root;
  static LocalMediaServer server;
  static MediaClient media;
  static final HttpClient http = HttpClient.newHttpClient();
  static final MediaObject PHOTO = MediaObject.of("media", "photos/cat photo.jpg");
  static final MediaObject CLIP = MediaObject.of("media", "clips/clip.mp4");
  static final MediaObject LOGO = MediaObject.of("media", "logo.png");

  @BeforeAll
  static void start() throws Exception {
    Media.image(root.resolve("media/photos/cat photo.jpg"), 640, 480);
    Media.image(root.resolve("media/logo.png"), 32, 32);
    Media.clip(root.resolve("media/clips/clip.mp4"), 320, 240, 2, true);
    Media.image(root.resolve("public/open.png"), 64, 48);
    Files.writeString(root.resolve("secret.txt"), "outside every bucket");
    Map<String, String> settings = settings(root);
    server = LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start();
    settings.put("media.local.baseUrl", server.baseUrl().toString());
    media = MediaClient.create(MediaConfig.fromMap(settings));
  }

  @AfterAll
  static void stop() {
    media.close();
    server.close();
  }

  static Map<String, String> settings(Path root) {
    Map<String, String> m = new HashMap<>();
    m.put("media.local.root", root.toString());
    m.put("media.local.publicBuckets", "public");
    m.put("media.local.style.thumb", "[{\"op\":\"resize\",\"width\":100,\"format\":\"png\"}]");
    return m;
  }

  static HttpResponse<byte[]> get(URI uri, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static BufferedImage decode(byte[] bytes) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(image).as("a decodable image").isNotNull();
    return image;
  }

  @Test
  void original_signedUrl_servesTheBytesWithCacheHeaders() throws Exception {
    URI url = media.url(PHOTO).toUri();
    assertThat(url.getRawPath()).isEqualTo("/media/photos/cat%20photo.jpg");
    assertThat(url.getRawQuery()).matches("e=\\d+&sig=[A-Za-z0-9_-]{43}");
    HttpResponse<byte[]> r = get(url);
    Path file = root.resolve("media/photos/cat photo.jpg");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Files.readAllBytes(file));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(r.headers().firstValue("ETag"))
        .hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{32}\""));
    assertThat(r.headers().firstValue("Last-Modified"))
        .hasValue(
            DateTimeFormatter.RFC_1123_DATE_TIME
                .withZone(ZoneOffset.UTC)
                .format(Files.getLastModifiedTime(file).toInstant()));
    String cache = r.headers().firstValue("Cache-Control").orElseThrow();
    assertThat(cache).startsWith("private, max-age=");
    assertThat(Long.parseLong(cache.substring("private, max-age=".length())))
        .isBetween(3500L, 3600L);
    assertThat(server.requests()).contains("GET /media/photos/cat%20photo.jpg 200");
  }

  @Test
  void original_keyWithAwkwardCharacters_roundTrips() throws Exception {
    String key = "dir 1/猫 + ? # % & =.png";
    Files.createDirectories(root.resolve("media/dir 1"));
    Files.copy(root.resolve("media/logo.png"), root.resolve("media").resolve(key));
    URI url = media.url(MediaObject.of("media", key)).toUri();
    assertThat(url.getRawPath())
        .isEqualTo("/media/dir%201/%E7%8C%AB%20%2B%20%3F%20%23%20%25%20%26%20%3D.png");
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Files.readAllBytes(root.resolve("media").resolve(key)));
  }

  @Test
  void processed_thumbnail_hasTheAskedSizeAndFormat() throws Exception {
    URI url =
        media
            .url(
                PHOTO,
                UrlOptions.builder()
                    .process(ImageResize.builder().width(320).format(ImageFormat.PNG).build())
                    .build())
            .toUri();
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = decode(r.body());
    assertThat(image.getWidth()).isEqualTo(320);
    assertThat(image.getHeight()).isEqualTo(240);
    assertThat(Arrays.copyOf(r.body(), 8))
        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
  }

  @Test
  void processed_videoFrameThenWatermark_isAJpegOfTheAskedSize() throws Exception {
    URI url =
        media
            .url(
                CLIP,
                UrlOptions.builder()
                    .process(
                        Snapshot.builder().at(Duration.ofSeconds(1)).size(160, 120).build(),
                        Watermark.image(LOGO).build())
                    .build())
            .toUri();
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    BufferedImage image = decode(r.body());
    assertThat(image.getWidth()).isEqualTo(160);
    assertThat(image.getHeight()).isEqualTo(120);
  }

  @Test
  void processed_resizeOnAVideo_isRefused() throws Exception {
    URI url =
        media
            .url(
                CLIP, UrlOptions.builder().process(ImageResize.builder().width(64).build()).build())
            .toUri();
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(new String(r.body())).contains("snapshot");
  }

  @Test
  void style_namedInConfiguration_isApplied() throws Exception {
    URI url = media.url(PHOTO, UrlOptions.builder().style("thumb").build()).toUri();
    assertThat(url.getRawQuery()).startsWith("style=thumb&e=");
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(decode(r.body()).getWidth()).isEqualTo(100);
  }

  @Test
  void style_unknown_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> media.url(PHOTO, UrlOptions.builder().style("nope").build()))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.local.style.nope");
  }

  @Test
  void url_operationThatIsNotForUrls_isRefusedBeforeAnyUrl() {
    assertThatThrownBy(
            () ->
                media
                    .url(
                        CLIP,
                        UrlOptions.builder()
                            .process(Transcode.builder().container(Container.MP4).build())
                            .build())
                    .toUri())
        .isInstanceOf(UnsupportedMediaOperationException.class);
    assertThatThrownBy(
            () ->
                media
                    .url(
                        CLIP,
                        UrlOptions.builder()
                            .process(Snapshot.every(Duration.ofSeconds(1), 2))
                            .build())
                    .toUri())
        .isInstanceOf(UnsupportedMediaOperationException.class);
  }

  @Test
  void range_servesPartsAnd416() throws Exception {
    URI url = media.url(CLIP).toUri();
    byte[] all = Files.readAllBytes(root.resolve("media/clips/clip.mp4"));
    HttpResponse<byte[]> first = get(url, "Range", "bytes=0-99");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + all.length);
    assertThat(first.headers().firstValue("Content-Length")).hasValue("100");
    assertThat(first.body()).isEqualTo(Arrays.copyOf(all, 100));
    assertThat(first.headers().firstValue("Content-Type")).hasValue("video/mp4");

    HttpResponse<byte[]> tail = get(url, "Range", "bytes=-10");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(all, all.length - 10, all.length));

    HttpResponse<byte[]> open = get(url, "Range", "bytes=" + (all.length - 5) + "-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).hasSize(5);

    HttpResponse<byte[]> outside = get(url, "Range", "bytes=" + all.length + "-");
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + all.length);

    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> stale = get(url, "Range", "bytes=0-9", "If-Range", "\"other\"");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).hasSize(all.length);
    HttpResponse<byte[]> current = get(url, "Range", "bytes=0-9", "If-Range", etag);
    assertThat(current.statusCode()).isEqualTo(206);
    assertThat(server.requests()).contains("GET /media/clips/clip.mp4 206");
  }

  @Test
  void head_answersHeadersWithoutBody() throws Exception {
    URI url = media.url(CLIP).toUri();
    long size = Files.size(root.resolve("media/clips/clip.mp4"));
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(size));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void etag_ifNoneMatch_answers304() throws Exception {
    URI url = media.url(PHOTO).toUri();
    HttpResponse<byte[]> first = get(url);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> again = get(url, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    HttpResponse<byte[]> other = get(url, "If-None-Match", "\"something-else\"");
    assertThat(other.statusCode()).isEqualTo(200);
    String modified = first.headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get(url, "If-Modified-Since", modified).statusCode()).isEqualTo(304);
  }

  @Test
  void downloadNameAndContentType_becomeResponseHeaders() throws Exception {
    URI url =
        media
            .url(
                PHOTO,
                UrlOptions.builder()
                    .downloadName("报告 \"2024\".jpg")
                    .contentType("application/octet-stream")
                    .build())
            .toUri();
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition"))
        .hasValue(
            "attachment; filename=\"__ _2024_.jpg\"; "
                + "filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%222024%22.jpg");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
  }

  @Test
  void tampered_urls_areRefusedWith403() throws Exception {
    URI url =
        media
            .url(
                PHOTO,
                UrlOptions.builder().process(ImageResize.builder().width(50).build()).build())
            .toUri();
    String s = url.toString();
    String otherKey = s.replace("/photos/cat%20photo.jpg", "/logo.png");
    String otherWidth =
        url.getScheme()
            + "://"
            + url.getRawAuthority()
            + url.getRawPath()
            + "?p="
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("[{\"op\":\"resize\",\"width\":2000}]".getBytes())
            + s.substring(s.indexOf("&e="));
    String longer = s.replaceFirst("&e=(\\d+)", "&e=9$1");
    String sig = s.substring(s.indexOf("sig=") + 4);
    String badSig =
        s.replace("sig=" + sig, "sig=" + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1));
    String unsigned = s.substring(0, s.indexOf("&sig="));
    for (String tampered : List.of(otherKey, otherWidth, longer, badSig, unsigned)) {
      HttpResponse<byte[]> r = get(URI.create(tampered));
      assertThat(r.statusCode()).as(tampered).isEqualTo(403);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }
    assertThat(get(url).statusCode()).isEqualTo(200);
  }

  @Test
  void expired_url_isRefusedWith403() throws Exception {
    Map<String, String> settings = settings(root);
    try (LocalMediaServer later =
        LocalMediaServer.builder()
            .config(MediaConfig.fromMap(settings))
            .port(0)
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)))
            .start()) {
      settings.put("media.local.baseUrl", later.baseUrl().toString());
      try (MediaClient m = MediaClient.create(MediaConfig.fromMap(settings))) {
        URI shortLived =
            m.url(PHOTO, UrlOptions.builder().expiry(Duration.ofMinutes(1)).build()).toUri();
        HttpResponse<byte[]> r = get(shortLived);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body())).contains("expired");
        URI longer =
            m.url(PHOTO, UrlOptions.builder().expiry(Duration.ofMinutes(5)).build()).toUri();
        assertThat(get(longer).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void keyLeavingItsBucket_isRefused() throws Exception {
    for (String path :
        List.of(
            "/media/%2E%2E/secret.txt",
            "/media/a/%2E%2E/%2E%2E/secret.txt", "/.mediaflow/url-signing-key")) {
      HttpResponse<byte[]> r = get(URI.create(server.baseUrl() + path));
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(new String(r.body())).doesNotContain("outside every bucket");
    }
    assertThatThrownBy(() -> media.url(MediaObject.of("media", "a/../../secret.txt")))
        .isInstanceOf(MediaValidationException.class);
  }

  @Test
  void missingObject_is404() throws Exception {
    HttpResponse<byte[]> r = get(media.url(MediaObject.of("media", "nothing-here.jpg")).toUri());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void publicBucket_servesUnsignedUrls_privateBucketDoesNot() throws Exception {
    URI open = media.url(MediaObject.of("public", "open.png")).toUri();
    assertThat(open.getRawQuery()).isNull();
    HttpResponse<byte[]> r = get(open);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
    URI unsignedPrivate = media.url(PHOTO, UrlOptions.builder().unsigned().build()).toUri();
    assertThat(unsignedPrivate.getRawQuery()).isNull();
    assertThat(get(unsignedPrivate).statusCode()).isEqualTo(403);
  }

  @Test
  void url_withoutBaseUrl_namesTheSetting() {
    try (MediaClient m = MediaClient.create(MediaConfig.fromMap(settings(root)))) {
      assertThatThrownBy(() -> m.url(PHOTO))
          .isInstanceOf(MediaConfigException.class)
          .hasMessageContaining("media.local.baseUrl");
    }
  }

  @Test
  void configuredSigningKey_signsAndChecks() throws Exception {
    Map<String, String> settings = settings(root);
    settings.put("media.local.urlSigningKey", "a-key-of-our-own-0123456789");
    try (LocalMediaServer own =
        LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start()) {
      settings.put("media.local.baseUrl", own.baseUrl().toString());
      try (MediaClient m = MediaClient.create(MediaConfig.fromMap(settings))) {
        URI url = m.url(PHOTO).toUri();
        assertThat(get(url).statusCode()).isEqualTo(200);
        // The same path and query signed with the kept key is refused by this server.
        URI kept = media.url(PHOTO).toUri();
        assertThat(
                get(URI.create(own.baseUrl() + kept.getRawPath() + "?" + kept.getRawQuery()))
                    .statusCode())
            .isEqualTo(403);
        String expected =
            LocalUrl.sign(
                "a-key-of-our-own-0123456789".getBytes(),
                "MEDIAFLOW-LOCAL-HMAC-SHA256\n/media/photos/cat%20photo.jpg\n"
                    + url.getRawQuery().substring(0, url.getRawQuery().indexOf("&sig=")));
        assertThat(url.getRawQuery()).endsWith("&sig=" + expected);
      }
    }
  }

  @Test
  void cachedTransform_isServedWithoutRunningFfmpegAgain() throws Exception {
    Path file = root.resolve("media/photos/cached.jpg");
    Media.image(file, 400, 300);
    MediaObject object = MediaObject.of("media", "photos/cached.jpg");
    URI url =
        media
            .url(
                object,
                UrlOptions.builder().process(ImageResize.builder().width(80).build()).build())
            .toUri();
    long before = server.transformRuns();
    HttpResponse<byte[]> first = get(url);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(server.transformRuns()).isEqualTo(before + 1);
    HttpResponse<byte[]> second = get(url);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
    assertThat(server.transformRuns()).isEqualTo(before + 1);
    // A new version of the source (another modification time) is processed again.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(get(url).statusCode()).isEqualTo(200);
    assertThat(server.transformRuns()).isEqualTo(before + 2);
  }

  @Test
  void transforms_areBoundedAndTheSameOneRunsOnce(@TempDir Path other) throws Exception {
    for (int i = 0; i < 3; i++) {
      Media.image(other.resolve("b/p" + i + ".jpg"), 320, 240);
    }
    Map<String, String> settings = settings(other);
    settings.put("media.local.maxTransforms", "1");
    settings.put("media.local.serverThreads", "8");
    try (LocalMediaServer bounded =
        LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start()) {
      settings.put("media.local.baseUrl", bounded.baseUrl().toString());
      try (MediaClient m = MediaClient.create(MediaConfig.fromMap(settings))) {
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          urls.add(
              m.url(
                      MediaObject.of("b", "p" + i + ".jpg"),
                      UrlOptions.builder()
                          .process(ImageResize.builder().width(40 + i).build())
                          .build())
                  .toUri());
        }
        URI same =
            m.url(
                    MediaObject.of("b", "p0.jpg"),
                    UrlOptions.builder().process(ImageResize.builder().width(99).build()).build())
                .toUri();
        for (int i = 0; i < 4; i++) {
          urls.add(same);
        }
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (URI u : urls) {
          all.add(
              http.sendAsync(
                  HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < all.size(); i++) {
          HttpResponse<byte[]> r = all.get(i).join();
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(decode(r.body()).getWidth()).isEqualTo(i < 3 ? 40 + i : 99);
        }
        assertThat(bounded.transformPeak()).isEqualTo(1);
        assertThat(bounded.transformRuns()).isEqualTo(4);
      }
    }
  }
}
