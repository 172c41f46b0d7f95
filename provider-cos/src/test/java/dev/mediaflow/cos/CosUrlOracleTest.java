package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.auth.BasicSessionCredentials;
import com.qcloud.cos.auth.COSCredentials;
import com.qcloud.cos.http.HttpMethodName;
import com.qcloud.cos.model.GeneratePresignedUrlRequest;
import com.qcloud.cos.model.ResponseHeaderOverrides;
import com.qcloud.cos.region.Region;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.internal.ContentDisposition;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Presigned URLs against the official Java SDK's {@code COSClient#generatePresignedUrl} over random
 * keys (CJK, spaces, {@code + ? # % &}...), download names, response content types, a processing
 * rule as a parameter without a value, and temporary credentials. The SDK dates the signature by
 * the system clock, so ours is made at the {@code q-sign-time} the SDK wrote; then the URLs must be
 * equal byte for byte. The SDK is asked for the form with each {@code q-*} pair a parameter ({@code
 * setSignPrefixMode(false)}) rather than one {@code sign=} parameter.
 */
class CosUrlOracleTest {
  private static final String KEY_CHARS = "abcXYZ019 +-_~!*'()?#&=%:@;,$|\u00e9\u4e2d\u6587";
  private static final Pattern SIGN_TIME = Pattern.compile("q-sign-time=(\\d+)%3B(\\d+)");

  @Test
  void presignedGet_matchesTheSdk_onRandomObjectsAndOptions() {
    Random r = new Random(436);
    for (int i = 0; i < 200; i++) {
      String bucket = "bucket" + (i % 7) + "-1250000000";
      String key = randomKey(r);
      String token = r.nextInt(3) == 0 ? "sts-token+/=" + r.nextInt(1000) : null;
      String secretId = "AKID" + Integer.toHexString(r.nextInt());
      String secretKey = "sk-" + Long.toHexString(r.nextLong());
      String downloadName = r.nextBoolean() ? "report " + randomKey(r).replace("/", "") : null;
      String contentType = r.nextBoolean() ? "image/webp" : null;
      boolean rule = r.nextInt(3) == 0;
      long expiry = 60 + r.nextInt(86_400);

      COSCredentials credentials =
          token == null
              ? new BasicCOSCredentials(secretId, secretKey)
              : new BasicSessionCredentials(secretId, secretKey, token);
      COSClient sdk = new COSClient(credentials, new ClientConfig(new Region("ap-guangzhou")));
      String theirs;
      try {
        GeneratePresignedUrlRequest req =
            new GeneratePresignedUrlRequest(bucket, key, HttpMethodName.GET);
        req.setExpiration(new Date(System.currentTimeMillis() + expiry * 1000));
        // The q-sign-* parameters each in the query, rather than one sign=<Authorization>.
        req.setSignPrefixMode(false);
        if (rule) {
          req.addRequestParameter("imageMogr2/thumbnail/320x", null);
        }
        ResponseHeaderOverrides overrides = new ResponseHeaderOverrides();
        if (downloadName != null) {
          overrides.setContentDisposition(ContentDisposition.attachment(downloadName));
        }
        if (contentType != null) {
          overrides.setContentType(contentType);
        }
        req.setResponseHeaders(overrides);
        theirs = sdk.generatePresignedUrl(req).toString();
      } finally {
        sdk.shutdown();
      }

      Matcher m = SIGN_TIME.matcher(theirs);
      assertThat(m.find()).as(theirs).isTrue();
      long start = Long.parseLong(m.group(1));
      long end = Long.parseLong(m.group(2));
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("region", "ap-guangzhou");
      settings.put("secretId", secretId);
      settings.put("secretKey", secretKey);
      if (token != null) {
        settings.put("securityToken", token);
      }
      CosSettings s =
          CosSettings.from(
              ProviderConfig.of("cos", settings).declare(new CosProvider().settings()));
      CosRequests requests =
          new CosRequests(
              s, CosSigner.of(s, Clock.fixed(Instant.ofEpochSecond(start), ZoneOffset.UTC)));
      CosUrls urls = new CosUrls(requests, (source, steps) -> "imageMogr2/thumbnail/320x");
      UrlOptions.Builder options = UrlOptions.builder().expiry(Duration.ofSeconds(end - start));
      if (rule) {
        options.process(ImageResize.builder().width(320).build());
      }
      if (downloadName != null) {
        options.downloadName(downloadName);
      }
      if (contentType != null) {
        options.contentType(contentType);
      }
      CosUrls.Built ours = urls.build(MediaObject.of(bucket, key), options.build());

      assertThat(ours.url()).as("key %s", key).isEqualTo(theirs);
      assertThat(ours.expiresAt()).isEqualTo(Instant.ofEpochSecond(end));
    }
  }

  /**
   * One to three non-empty segments; none ends with '.', which the SDK writes as {@code .%2F}
   * before a slash (the same key, spelled otherwise).
   */
  private static String randomKey(Random r) {
    StringBuilder key = new StringBuilder();
    int segments = 1 + r.nextInt(3);
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        key.append('/');
      }
      int n = 1 + r.nextInt(12);
      for (int i = 0; i < n; i++) {
        key.append(KEY_CHARS.charAt(r.nextInt(KEY_CHARS.length())));
      }
    }
    return key.toString();
  }
}
