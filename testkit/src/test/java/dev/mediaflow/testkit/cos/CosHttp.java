package dev.mediaflow.testkit.cos;

import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.auth.BasicSessionCredentials;
import com.qcloud.cos.auth.COSCredentials;
import com.qcloud.cos.auth.COSSigner;
import com.qcloud.cos.http.HttpMethodName;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw requests to the fake COS, signed by the official SDK's {@link COSSigner} (an oracle
 * independent of the fake's verifier), sent with OkHttp to the fake's port with the real {@code
 * Host}.
 */
final class CosHttp {
  static final OkHttpClient HTTP = new OkHttpClient();

  private final FakeCosServer cos;
  private final COSCredentials credentials;
  private String token;
  private String tokenHeader = "x-cos-security-token";
  private long validFor = 600;
  private long startOffset;

  CosHttp(FakeCosServer cos, String secretId, String secretKey) {
    this.cos = cos;
    this.credentials = new BasicCOSCredentials(secretId, secretKey);
  }

  CosHttp(FakeCosServer cos, String secretId, String secretKey, String token) {
    this.cos = cos;
    this.credentials = new BasicSessionCredentials(secretId, secretKey, token);
  }

  /** Sends the token in {@code header} (after signing, as the SDKs do); null sends none. */
  CosHttp token(String token, String header) {
    this.token = token;
    this.tokenHeader = header;
    return this;
  }

  /** Signs for {@code seconds} from {@code offset} seconds from now. */
  CosHttp window(long offset, long seconds) {
    this.startOffset = offset;
    this.validFor = seconds;
    return this;
  }

  static String cosHost(String bucket) {
    return bucket + ".cos.ap-guangzhou.myqcloud.com";
  }

  static String ciHost(String bucket) {
    return bucket + ".ci.ap-guangzhou.myqcloud.com";
  }

  Response send(String method, String host, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    Map<String, String> signed = new LinkedHashMap<>(headers);
    signed.put("Host", host);
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    Map<String, String> params = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    long now = System.currentTimeMillis() + startOffset * 1000;
    String auth =
        new COSSigner()
            .buildAuthorizationStr(
                HttpMethodName.valueOf(method),
                URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8),
                signed,
                params,
                credentials,
                new Date(now),
                new Date(now + validFor * 1000),
                true);
    okhttp3.Request.Builder b =
        new okhttp3.Request.Builder().url("http://127.0.0.1:" + cos.port() + target);
    headers.forEach(b::header);
    b.header("Host", host).header("Authorization", auth);
    if (token != null) {
      b.header(tokenHeader, token);
    }
    RequestBody rb =
        body == null
            ? (method.equals("POST") || method.equals("PUT")
                ? RequestBody.create(new byte[0], null)
                : null)
            : RequestBody.create(
                body,
                headers.containsKey("Content-Type")
                    ? MediaType.parse(headers.get("Content-Type"))
                    : null);
    b.method(method, rb);
    return HTTP.newCall(b.build()).execute();
  }

  /** Sends and returns the status and body text. */
  Answer call(String method, String host, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Response r = send(method, host, target, headers, body)) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }

  Answer xml(String method, String host, String target, String xml) throws IOException {
    return call(
        method,
        host,
        target,
        Map.of("Content-Type", "application/xml"),
        xml == null ? null : xml.getBytes(StandardCharsets.UTF_8));
  }

  record Answer(int status, String body, okhttp3.Headers headers) {
    String between(String open, String close) {
      int a = body.indexOf(open);
      int z = body.indexOf(close, a + open.length());
      return a < 0 || z < 0 ? null : body.substring(a + open.length(), z);
    }
  }
}
