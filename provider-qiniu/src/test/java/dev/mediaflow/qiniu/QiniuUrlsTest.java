package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiniu.storage.DownloadUrl;
import com.qiniu.util.Auth;
import com.qiniu.util.UrlSafeBase64;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Qiniu delivery URLs with a fixed clock: the vectors qiniu-java-sdk 7.19.0 gives ({@code
 * Auth.privateDownloadUrlWithDeadline}, {@code DownloadUrl} with styles, for the python-sdk's test
 * credentials), the SDK as an oracle over random keys and fop chains, and what is refused before a
 * URL is made.
 */
class QiniuUrlsTest {
  static final String AK = "abcdefghklmnopq";
  static final String SK = "1234567890";
  static final long DEADLINE = 1700000000;
  static final Auth SDK = Auth.create(AK, SK);

  static QiniuUrls urls(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("accessKey", AK);
    m.put("secretKey", SK);
    m.put("domain", "http://img.example.com");
    m.putAll(extra);
    QiniuSettings settings = QiniuSettings.from(ProviderConfig.of("qiniu", m));
    Clock clock = Clock.fixed(Instant.ofEpochSecond(DEADLINE - 3600), ZoneOffset.UTC);
    return new QiniuUrls(settings, new QiniuSigner(AK, Secret.of(SK), clock));
  }

  static final QiniuUrls URLS = urls(Map.of());

  @Test
  void vectorsOfTheSdk() {
    assertThat(URLS.url(MediaObject.of("b", "dir/a.jpg"), UrlOptions.defaults()))
        .hasToString(
            "http://img.example.com/dir/a.jpg?e=1700000000&token=abcdefghklmnopq:RnaU3x0whY31OKRAermifrsp_7k=");
    UrlOptions resize =
        UrlOptions.builder().process(ImageResize.builder().size(200, 200).build()).build();
    assertThat(URLS.url(MediaObject.of("b", "dir/a.jpg"), resize))
        .hasToString(
            "http://img.example.com/dir/a.jpg?imageView2/2/w/200/h/200&e=1700000000&token=abcdefghklmnopq:yfWfb0sV4voILkoKhAfpU7Py5x0=");
    assertThat(
            URLS.url(MediaObject.of("b", "dir/a.jpg"), UrlOptions.builder().style("thumb").build()))
        .hasToString(
            "http://img.example.com/dir/a.jpg-thumb?e=1700000000&token=abcdefghklmnopq:gZxKgHqqPYhpCQGW5RZ5hB4c9Dw=");
    assertThat(
            urls(Map.of("styleSeparator", "!"))
                .url(MediaObject.of("b", "dir/a.jpg"), UrlOptions.builder().style("thumb").build()))
        .hasToString(
            "http://img.example.com/dir/a.jpg%21thumb?e=1700000000&token=abcdefghklmnopq:_yQLNTs104FTQQXlUOZTN6N36IE=");
    assertThat(URLS.fopUrl(MediaObject.of("b", "v/a.mp4"), "avinfo", Duration.ofHours(1)))
        .isEqualTo(
            "http://img.example.com/v/a.mp4?avinfo&e=1700000000&token=abcdefghklmnopq:ojqUNalTE1NivE9WDbr26_Hatk8=");
  }

  static final String KEY_CHARS = "ab/ +?#%&|=-_!~.中文ñ@;:'\"()[]{}*$^<>,0";

  static String randomKey(Random r) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(20);
    for (int i = 0; i < n; i++) {
      b.append(KEY_CHARS.charAt(r.nextInt(KEY_CHARS.length())));
    }
    String k = b.toString().replaceAll("^/+", "x");
    return k.matches("(.*/)?\\.{1,2}(/.*)?") ? k + "z" : k;
  }

  /** A random chain and the fop string Qiniu's documentation gives for it, built independently. */
  static Map.Entry<List<Operation>, String> randomChain(Random r) {
    List<Operation> ops = new ArrayList<>();
    List<String> fops = new ArrayList<>();
    if (r.nextInt(4) == 0) {
      int s = r.nextInt(30);
      ops.add(Snapshot.builder().at(Duration.ofSeconds(s)).width(480).height(360).build());
      fops.add("vframe/jpg/offset/" + s + "/w/480/h/360");
    }
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(3)) {
        case 0 -> {
          int w = 1 + r.nextInt(2000);
          ops.add(ImageResize.builder().width(w).build());
          fops.add("imageView2/2/w/" + w);
        }
        case 1 -> {
          int w = 1 + r.nextInt(500);
          int h = 1 + r.nextInt(500);
          ops.add(
              ImageResize.builder()
                  .size(w, h)
                  .fit(FitMode.STRETCH)
                  .format(ImageFormat.WEBP)
                  .build());
          fops.add("imageMogr2/thumbnail/" + w + "x" + h + "!/format/webp");
        }
        default -> {
          String text = randomKey(r) + "水印";
          ops.add(Watermark.text(text).build());
          fops.add("watermark/2/text/" + UrlSafeBase64.encodeToString(text));
        }
      }
    }
    return Map.entry(ops, String.join("|", fops));
  }

  @Test
  void oracle_privateDownloadUrl_overRandomKeysAndFopChains() {
    Random r = new Random(20240601);
    for (int i = 0; i < 500; i++) {
      MediaObject o = MediaObject.of("b", randomKey(r));
      var chain = randomChain(r);
      UrlOptions.Builder b = UrlOptions.builder().process(chain.getKey());
      if (r.nextBoolean()) {
        b.downloadName(randomKey(r).replace("/", "_"));
      }
      UrlOptions options = b.build();
      URI unsigned = URLS.url(o, options.toBuilder().unsigned().build()).toUri();
      URI signed = URLS.url(o, options).toUri();
      // the key and the fop survive decoding, and nothing else joins the query
      assertThat(unsigned.getPath()).isEqualTo("/" + o.key());
      String[] query = unsigned.getRawQuery().split("&");
      assertThat(URLDecoder.decode(query[0].replace("+", "%2B"), StandardCharsets.UTF_8))
          .isEqualTo(chain.getValue());
      assertThat(query.length).isLessThanOrEqualTo(2);
      assertThat(unsigned.getRawFragment()).isNull();
      assertThat(signed.toString()).startsWith(unsigned.toString() + "&e=1700000000&token=");
      assertThat(signed.toString())
          .isEqualTo(SDK.privateDownloadUrlWithDeadline(unsigned.toString(), DEADLINE));
      // The same options object again: its rendering and checks are reused, the URL is the same.
      assertThat(URLS.url(o, options).toString()).isEqualTo(signed.toString());
    }
  }

  @Test
  void signedUrl_carriesItsDeadline_unsignedNone() {
    dev.mediaflow.delivery.SignedUrl signed =
        URLS.url(MediaObject.of("b", "a.jpg"), UrlOptions.defaults());
    assertThat(signed.expiresAt()).contains(Instant.ofEpochSecond(DEADLINE));
    assertThat(signed.method()).isEqualTo("GET");
    assertThat(signed.headers()).isEmpty();
    assertThat(URLS.url(MediaObject.of("b", "a.jpg"), UrlOptions.builder().unsigned().build()))
        .hasToString("http://img.example.com/a.jpg")
        .satisfies(u -> assertThat(u.expiresAt()).isEmpty());
  }

  @Test
  void oracle_downloadUrlOfTheSdk_forPlainKeys() throws Exception {
    Random r = new Random(7);
    for (int i = 0; i < 300; i++) {
      String key = randomKey(r);
      assertThat(URLS.url(MediaObject.of("b", key), UrlOptions.defaults()).toString())
          .as(key)
          .isEqualTo(new DownloadUrl("img.example.com", false, key).buildURL(SDK, DEADLINE));
    }
  }

  @Test
  void attname_isPercentEncodedUtf8_andSigned() {
    URI u =
        URLS.url(
                MediaObject.of("b", "a.jpg"),
                UrlOptions.builder().downloadName("报告 a&b=1.pdf").build())
            .toUri();
    assertThat(u.toString())
        .startsWith(
            "http://img.example.com/a.jpg?attname=%E6%8A%A5%E5%91%8A%20a%26b%3D1.pdf&e=1700000000&token=");
  }

  @Test
  void publicBuckets_andUnsigned_haveNoToken() {
    QiniuUrls u = urls(Map.of("publicBuckets", "pub, other", "domain.pub", "cdn.example.com"));
    assertThat(u.url(MediaObject.of("pub", "a b.jpg"), UrlOptions.defaults()))
        .hasToString("https://cdn.example.com/a%20b.jpg");
    assertThat(u.url(MediaObject.of("b", "a.jpg"), UrlOptions.builder().unsigned().build()))
        .hasToString("http://img.example.com/a.jpg");
  }

  @Test
  void refusals_beforeAnyUrl() {
    MediaObject o = MediaObject.of("b", "a.jpg");
    assertThatThrownBy(() -> URLS.url(o, UrlOptions.builder().contentType("image/webp").build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("contentType"));
    assertThatThrownBy(
            () ->
                URLS.url(
                    o,
                    UrlOptions.builder()
                        .process(
                            Transcode.builder().container(dev.mediaflow.op.Container.MP4).build())
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class);
    assertThatThrownBy(
            () ->
                URLS.url(
                    o,
                    UrlOptions.builder().process(Snapshot.every(Duration.ofSeconds(1), 3)).build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("count"));
    assertThatThrownBy(
            () ->
                URLS.url(
                    o,
                    UrlOptions.builder()
                        .process(
                            ImageResize.builder().width(10).build(),
                            Snapshot.at(Duration.ofSeconds(1)))
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class);
    assertThatThrownBy(
            () ->
                urls(Map.of("styleSeparator", "_"))
                    .url(o, UrlOptions.builder().style("a_b").build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("separator");
    assertThatThrownBy(() -> URLS.url(MediaObject.of("b", "a/../c.jpg"), UrlOptions.defaults()))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> urls(Map.of("styleSeparator", ".")))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.qiniu.styleSeparator");
    Map<String, String> noDomain = new HashMap<>();
    noDomain.put("accessKey", AK);
    noDomain.put("secretKey", SK);
    QiniuUrls without =
        new QiniuUrls(
            QiniuSettings.from(ProviderConfig.of("qiniu", noDomain)),
            new QiniuSigner(AK, Secret.of(SK), Clock.systemUTC()));
    assertThatThrownBy(() -> without.url(MediaObject.of("photos", "a.jpg"), UrlOptions.defaults()))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.qiniu.domain.photos");
  }
}
