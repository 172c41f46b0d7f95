package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.credentials.Credentials;
import com.aliyun.sdk.service.oss2.signer.SignerV1;
import com.aliyun.sdk.service.oss2.signer.SignerV4;
import com.aliyun.sdk.service.oss2.signer.SigningContext;
import com.aliyun.sdk.service.oss2.transport.RequestMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK v2's signers ({@code com.aliyun:alibabacloud-oss-v2}, with a fixed sign time) as the
 * oracle: random keys, query parameters and headers, signed by both, must give the same Authorization.
 */
class OssSignerOracleTest {
  private static final String KEY_CHARS = "abcXYZ019 +-_.~!*'()/?#&=%:@;,$|\u00e9\u4e2d\u6587";

  @Test
  void v4MatchesTheSdkOnRandomRequests() {
    Random r = new Random(4);
    for (int i = 0; i < 300; i++) {
      Req q = random(r);
      Instant t = Instant.ofEpochSecond(1_600_000_000L + r.nextInt(200_000_000));
      String token = r.nextBoolean() ? "STS." + r.nextInt() : null;

      Map<String, String> ours = new LinkedHashMap<>(q.headers);
      ours.put("x-oss-date", OssSigner.V4_DATE.format(t));
      ours.put("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
      if (token != null) {
        ours.put("x-oss-security-token", token);
      }
      String mine = OssSigner.v4Authorization("ak" + i, "sk" + i, "cn-hangzhou", "oss", t, q.method, "bucket-" + i, q.key,
          q.query, ours, Set.of());

      SigningContext c = context(q, i, token);
      c.setSignTime(t);
      new SignerV4().sign(c);
      assertThat(mine).as("request %s\nsdk: %s\nours: %s", q, c.getStringToSign(),
          OssSigner.v4CanonicalRequest(q.method, "bucket-" + i, q.key, q.query, ours, Set.of()))
          .isEqualTo(c.getRequest().headers().get("Authorization"));
    }
  }

  @Test
  void v1MatchesTheSdkOnRandomRequests() {
    Random r = new Random(1);
    for (int i = 0; i < 300; i++) {
      Req q = random(r);
      Instant t = Instant.ofEpochSecond(1_600_000_000L + r.nextInt(200_000_000));
      SigningContext c = context(q, i, null);
      c.setSignTime(t);
      List<String> sub = new ArrayList<>();
      q.query.keySet().forEach(k -> {
        if (OssSigner.V1_SUBRESOURCES.contains(k) || k.startsWith("x-oss-")) {
          sub.add(k);
        }
      });
      c.setSubResource(sub);
      new SignerV1().sign(c);
      Map<String, String> sent = c.getRequest().headers();
      String mine = OssSigner.v1Authorization("ak" + i, "sk" + i,
          OssSigner.v1StringToSign(q.method, "bucket-" + i, q.key, q.query, sent));
      assertThat(mine).as("request %s\nsdk: %s\nours: %s", q, c.getStringToSign(),
          OssSigner.v1StringToSign(q.method, "bucket-" + i, q.key, q.query, sent)).isEqualTo(sent.get("Authorization"));
    }
  }

  private static SigningContext context(Req q, int i, String token) {
    StringBuilder url = new StringBuilder("https://bucket-" + i + ".oss-cn-hangzhou.aliyuncs.com/")
        .append(OssSigner.encode(q.key, true));
    String sep = "?";
    for (Map.Entry<String, String> e : q.query.entrySet()) {
      url.append(sep).append(OssSigner.encode(e.getKey(), false));
      if (!e.getValue().isEmpty()) {
        url.append('=').append(OssSigner.encode(e.getValue(), false));
      }
      sep = "&";
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(q.headers);
    RequestMessage m = RequestMessage.newBuilder().method(q.method).uri(url.toString()).headers(headers).build();
    SigningContext c = new SigningContext();
    c.setProduct("oss");
    c.setRegion("cn-hangzhou");
    c.setBucket("bucket-" + i);
    c.setKey(q.key);
    c.setRequest(m);
    c.setCredentials(token == null ? new Credentials("ak" + i, "sk" + i) : new Credentials("ak" + i, "sk" + i, token));
    return c;
  }

  private record Req(String method, String key, Map<String, String> query, Map<String, String> headers) {}

  private static Req random(Random r) {
    String method = List.of("GET", "PUT", "POST", "HEAD", "DELETE").get(r.nextInt(5));
    StringBuilder key = new StringBuilder();
    int n = 1 + r.nextInt(30);
    for (int j = 0; j < n; j++) {
      key.append(KEY_CHARS.charAt(r.nextInt(KEY_CHARS.length())));
    }
    String k = key.toString().replaceAll("^/+", "a");
    Map<String, String> query = new LinkedHashMap<>();
    String[] names = {"x-oss-async-process", "x-oss-process", "uploadId", "partNumber", "acl", "append", "position",
        "response-content-type", "prefix", "max-keys", "marker"};
    int qn = r.nextInt(4);
    for (int j = 0; j < qn; j++) {
      String name = names[r.nextInt(names.length)];
      query.put(name, r.nextBoolean() ? "" : "v " + r.nextInt(1000) + "/+=");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (r.nextBoolean()) {
      headers.put("Content-Type", List.of("application/octet-stream", "text/plain; charset=utf-8", "image/jpeg").get(r.nextInt(3)));
    }
    if (r.nextBoolean()) {
      headers.put("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw==");
    }
    if (r.nextBoolean()) {
      headers.put("x-oss-meta-a" + r.nextInt(3), "value  " + r.nextInt()); // HTTP strips outer spaces
    }
    if (r.nextBoolean()) {
      headers.put("x-oss-object-acl", "private");
    }
    return new Req(method, k, query, headers);
  }
}
