package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.auth.COSSigner;
import com.qcloud.cos.http.HttpMethodName;
import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK ({@code com.qcloud:cos_api}) as the oracle: {@code
 * COSSigner#buildAuthorizationStr} with fixed start and end dates over random methods, keys (CJK,
 * spaces, {@code + ? # % &}...), headers (signed and not, any case, padded values) and query
 * parameters (with and without values).
 */
class CosSignerOracleTest {
  private static final String KEY_CHARS = "abcXYZ019 +-_.~!*'()/?#&=%:@;,$|\u00e9\u4e2d\u6587";
  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD");
  private static final List<String> HEADER_NAMES =
      List.of(
          "Content-Type",
          "Content-MD5",
          "Content-Length",
          "Content-Disposition",
          "Cache-Control",
          "Range",
          "If-Match",
          "Origin",
          "Pic-Operations",
          "x-cos-acl",
          "X-Cos-Meta-Name",
          "x-cos-storage-class",
          "x-ci-custom",
          "User-Agent",
          "Accept",
          "Date",
          "Connection");
  private static final List<String> PARAM_NAMES =
      List.of(
          "uploads",
          "uploadId",
          "partNumber",
          "append",
          "position",
          "ci-process",
          "response-content-disposition",
          "imageMogr2/thumbnail/!50p",
          "X-Odd Name",
          "\u4e2d\u6587");

  @Test
  void authorization_matchesTheSdkOnRandomRequests() {
    Random r = new Random(19);
    COSSigner sdk = new COSSigner();
    for (int i = 0; i < 500; i++) {
      String method = METHODS.get(r.nextInt(METHODS.size()));
      String host =
          r.nextBoolean()
              ? "bucket-125000000" + i % 10 + ".cos.ap-guangzhou.myqcloud.com"
              : "127.0.0.1:" + (1024 + r.nextInt(60000));
      String path = "/" + randomString(r, 1 + r.nextInt(30));
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : HEADER_NAMES) {
        if (r.nextInt(3) == 0) {
          String n = r.nextBoolean() ? name : name.toLowerCase(Locale.ROOT);
          headers.put(n, (r.nextInt(4) == 0 ? " " : "") + randomString(r, r.nextInt(12)));
        }
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String name : PARAM_NAMES) {
        if (r.nextInt(3) == 0) {
          params.put(name, r.nextBoolean() ? "" : randomString(r, 1 + r.nextInt(10)));
        }
      }
      long start = 1_500_000_000L + r.nextInt(300_000_000);
      long validity = 60 + r.nextInt(86_400);
      String secretId = "AKID" + Integer.toHexString(r.nextInt());
      String secretKey = "key-" + Long.toHexString(r.nextLong());

      Clock clock = Clock.fixed(Instant.ofEpochSecond(start), ZoneOffset.UTC);
      String ours =
          new CosSigner(secretId, Secret.of(secretKey), Optional.empty(), clock)
              .sign(method, host, path, headers, params, Duration.ofSeconds(validity));

      Map<String, String> sdkHeaders = new HashMap<>(headers);
      sdkHeaders.put("Host", host);
      String theirs =
          sdk.buildAuthorizationStr(
              HttpMethodName.valueOf(method),
              path,
              sdkHeaders,
              new HashMap<>(params),
              new BasicCOSCredentials(secretId, secretKey),
              new Date(start * 1000),
              new Date((start + validity) * 1000),
              true);

      assertThat(ours)
          .as("%s %s %s headers %s params %s", method, host, path, headers, params)
          .isEqualTo(theirs);
    }
  }

  private static String randomString(Random r, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(KEY_CHARS.charAt(r.nextInt(KEY_CHARS.length())));
    }
    return s.toString();
  }
}
