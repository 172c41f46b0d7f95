package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One options object used for many objects makes the same URLs as a new options object for each:
 * the reused rendering depends on nothing of the object, and what does (a watermark image's bucket)
 * is checked for every object.
 */
class OssUrlsReuseTest {
  private static final Instant NOW = Instant.parse("2024-05-01T08:00:00Z");

  private static OssUrls urls(String version, String token) {
    OssSettings settings =
        OssSettings.from(
            ProviderConfig.of(
                "oss",
                Map.of(
                    "accessKeyId", "ak",
                    "accessKeySecret", "sk",
                    "region", "cn-hangzhou",
                    "endpoint", "https://oss-cn-hangzhou.aliyuncs.com",
                    "signatureVersion", version)));
    return new OssUrls(
        settings,
        new OssSigner(
            "ak",
            Secret.of("sk"),
            token == null ? null : Secret.of(token),
            "cn-hangzhou",
            Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @Test
  void reusedOptions_giveTheUrlsOfNewOptions_onEveryObject() {
    List<UrlOptions> shared =
        List.of(
            UrlOptions.defaults(),
            UrlOptions.builder().process(ImageResize.builder().width(320).build()).build(),
            UrlOptions.builder()
                .process(
                    ImageResize.builder().width(200).build(),
                    Watermark.text("\u00a9 \u4e2d\u6587 ?&#/+").gravity(Gravity.SOUTH_EAST).build())
                .downloadName("\u62a5\u544a 1.jpg")
                .contentType("image/webp")
                .build(),
            UrlOptions.builder().style("thumb").expiry(Duration.ofMinutes(5)).build(),
            UrlOptions.builder().unsigned().downloadName("a b.jpg").build());
    Random r = new Random(5);
    for (String version : new String[] {"v4", "v1"}) {
      for (String token : new String[] {null, "STS.tok+en/="}) {
        OssUrls urls = urls(version, token);
        for (int i = 0; i < 200; i++) {
          UrlOptions options = shared.get(r.nextInt(shared.size()));
          MediaObject o =
              MediaObject.of(
                  "bucket-" + r.nextInt(3),
                  "photos/" + i + (r.nextBoolean() ? "/\u732b +.jpg" : ""));
          SignedUrl reused = urls.url(o, options);
          SignedUrl fresh = urls.url(o, options.toBuilder().build());
          assertThat(reused).as("%s %s %s", version, o, options).isEqualTo(fresh);
          assertThat(reused.toString()).contains("/" + o.bucket().substring(0, 6));
          assertThat(reused.toUri().getRawPath()).isEqualTo("/" + OssSigner.encode(o.key(), true));
        }
      }
    }
  }

  @Test
  void watermarkImage_isCheckedAgainstEachObjectsBucket() {
    OssUrls urls = urls("v4", null);
    UrlOptions options =
        UrlOptions.builder()
            .process(Watermark.image(MediaObject.of("media", "logo.png")).build())
            .build();
    assertThat(urls.url(MediaObject.of("media", "a.jpg"), options).toString())
        .contains("x-oss-process=image%2Fwatermark");
    assertThatThrownBy(() -> urls.url(MediaObject.of("other", "a.jpg"), options))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("own bucket");
    assertThat(urls.url(MediaObject.of("media", "b.jpg"), options).toString())
        .contains("x-oss-process=image%2Fwatermark");
  }

  @Test
  void signedUrl_carriesItsExpiry_unsignedNone() {
    OssUrls urls = urls("v4", null);
    MediaObject o = MediaObject.of("media", "a.jpg");
    SignedUrl signed = urls.url(o, UrlOptions.builder().expiry(Duration.ofMinutes(10)).build());
    assertThat(signed.expiresAt()).contains(NOW.plusSeconds(600));
    assertThat(signed.method()).isEqualTo("GET");
    assertThat(signed.headers()).isEmpty();
    assertThat(urls.url(o, UrlOptions.builder().unsigned().build()).expiresAt()).isEmpty();
    SignedUrl v1 = urls("v1", null).url(o, UrlOptions.defaults());
    assertThat(v1.expiresAt()).contains(NOW.plusSeconds(3600));
    assertThat(v1.toString()).contains("Expires=" + NOW.plusSeconds(3600).getEpochSecond());
  }
}
