package dev.mediaflow.cos;

import dev.mediaflow.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs COS and Cloud Infinite requests with the COS XML signature ({@code q-sign-algorithm=sha1}):
 * the {@code Authorization} value, the query of a presigned URL and the signature of a POST Object
 * policy. Pure given its {@link Clock}; thread-safe.
 *
 * <p>The algorithm, from https://cloud.tencent.com/document/product/436/7778: {@code KeyTime =
 * "<start>;<end>"} in Unix seconds; {@code SignKey = hex(HMAC-SHA1(SecretKey, KeyTime))}; {@code
 * HttpString = lower(method) \n path \n params \n headers \n}, where params and headers are {@code
 * k=v} pairs joined by {@code &}, each key URL-encoded then lower-cased, each value trimmed then
 * URL-encoded, sorted by key; {@code StringToSign = "sha1\n" + KeyTime + "\n" +
 * hex(SHA1(HttpString)) + "\n"}; {@code Signature = hex(HMAC-SHA1(SignKey, StringToSign))}. The
 * path is the decoded one.
 *
 * <p>Temporary credentials add their token after signing, as the SDKs do, in {@code
 * x-cos-security-token} on the COS host and {@code x-ci-security-token} on the Cloud Infinite host
 * (https://cloud.tencent.com/document/api/1534/108713).
 */
final class CosSigner {
  /** How long a request signature lasts: the Java SDK's {@code ClientConfig} default, 3600 s. */
  static final Duration REQUEST_VALIDITY = Duration.ofHours(1);

  /** The header that carries an STS token on the COS (object) host. */
  static final String COS_TOKEN_HEADER = "x-cos-security-token";

  /** The header that carries an STS token on the Cloud Infinite host. */
  static final String CI_TOKEN_HEADER = "x-ci-security-token";

  /**
   * The headers signed besides {@code x-cos-*} and {@code x-ci-*}: those the Java SDK's {@code
   * COSSigner} signs. The server checks exactly the ones listed in {@code q-header-list}.
   */
  static final Set<String> SIGNED_HEADERS =
      Set.of(
          "cache-control",
          "content-disposition",
          "content-encoding",
          "content-length",
          "content-md5",
          "content-type",
          "expect",
          "expires",
          "host",
          "if-match",
          "if-modified-since",
          "if-none-match",
          "if-unmodified-since",
          "origin",
          "range",
          "transfer-encoding",
          "pic-operations");

  private static final HexFormat HEX = HexFormat.of();

  private final String secretId;
  private final Secret secretKey;
  private final Optional<Secret> securityToken;
  private final Clock clock;

  CosSigner(String secretId, Secret secretKey, Optional<Secret> securityToken, Clock clock) {
    this.secretId = secretId;
    this.secretKey = secretKey;
    this.securityToken = securityToken;
    this.clock = clock;
  }

  static CosSigner of(CosSettings settings, Clock clock) {
    return new CosSigner(
        settings.secretId(), settings.secretKey(), settings.securityToken(), clock);
  }

  String secretId() {
    return secretId;
  }

  /** Returns the STS token, when the credentials are temporary. */
  Optional<Secret> securityToken() {
    return securityToken;
  }

  /** Returns the clock signatures are dated by. */
  Clock clock() {
    return clock;
  }

  /**
   * Returns the {@code Authorization} value of a request valid for {@link #REQUEST_VALIDITY} from
   * now.
   *
   * @param method the HTTP method
   * @param host the {@code Host} header as sent ({@code host[:port]})
   * @param path the decoded path, starting with {@code /}
   * @param headers the headers to send; those COS signs ({@link #isSigned}) are signed
   * @param params the decoded query parameters; all are signed ({@code ""} for a parameter without
   *     a value)
   */
  String sign(
      String method,
      String host,
      String path,
      Map<String, String> headers,
      Map<String, String> params) {
    return sign(method, host, path, headers, params, REQUEST_VALIDITY);
  }

  /** Returns the {@code Authorization} value of a request valid for {@code validity} from now. */
  String sign(
      String method,
      String host,
      String path,
      Map<String, String> headers,
      Map<String, String> params,
      Duration validity) {
    return authorization(
        secretId,
        secretKey.reveal(),
        keyTime(validity),
        method,
        path,
        signedHeaders(host, headers),
        params);
  }

  /**
   * Returns the query that presigns a URL, the {@code Authorization} pairs each URL-encoded as the
   * Java SDK's {@code generatePresignedUrl} writes them, plus {@code x-cos-security-token} for
   * temporary credentials; without a leading {@code ?}. The caller appends {@code params} after it.
   */
  String presign(
      String method,
      String host,
      String path,
      Map<String, String> headers,
      Map<String, String> params,
      Duration validity) {
    String auth = sign(method, host, path, headers, params, validity);
    StringBuilder q = new StringBuilder();
    for (String pair : auth.split("&")) {
      int eq = pair.indexOf('=');
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(encode(pair.substring(0, eq))).append('=').append(encode(pair.substring(eq + 1)));
    }
    securityToken.ifPresent(
        t -> q.append('&').append(COS_TOKEN_HEADER).append('=').append(encode(t.reveal())));
    return q.toString();
  }

  /** Returns {@code "<now>;<now + validity>"} in Unix seconds. */
  String keyTime(Duration validity) {
    long start = clock.instant().getEpochSecond();
    return start + ";" + (start + validity.toSeconds());
  }

  /**
   * Returns the signature of a POST Object policy: {@code hex(HMAC-SHA1(hex(HMAC-SHA1(SecretKey,
   * KeyTime)), hex(SHA1(policy))))} over the policy's JSON text (before Base64), as the Java SDK's
   * {@code COSSigner.buildPostObjectSignature} computes it.
   */
  String policySignature(String keyTime, String policy) {
    String signKey = hmacSha1Hex(secretKey.reveal(), keyTime);
    return hmacSha1Hex(signKey, sha1Hex(policy));
  }

  /** The headers COS signs among {@code headers}, plus {@code host}. */
  static Map<String, String> signedHeaders(String host, Map<String, String> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          if (isSigned(k)) {
            out.put(k, v);
          }
        });
    if (out.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("host"))) {
      out.put("host", host);
    }
    return out;
  }

  /**
   * Returns true for a header COS signs: {@link #SIGNED_HEADERS}, {@code x-cos-*}, {@code x-ci-*}.
   */
  static boolean isSigned(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    return SIGNED_HEADERS.contains(h) || h.startsWith("x-cos-") || h.startsWith("x-ci-");
  }

  /**
   * Returns the {@code Authorization} value signing exactly {@code headers} (all of them, such as
   * {@code date} in the documented example) and {@code params}, at {@code keyTime}.
   */
  static String authorization(
      String secretId,
      String secretKey,
      String keyTime,
      String method,
      String path,
      Map<String, String> headers,
      Map<String, String> params) {
    TreeMap<String, String> h = encodedSorted(headers);
    TreeMap<String, String> p = encodedSorted(params);
    String httpString =
        method.toLowerCase(Locale.ROOT)
            + "\n"
            + path
            + "\n"
            + joinPairs(p)
            + "\n"
            + joinPairs(h)
            + "\n";
    String stringToSign = "sha1\n" + keyTime + "\n" + sha1Hex(httpString) + "\n";
    String signature = hmacSha1Hex(hmacSha1Hex(secretKey, keyTime), stringToSign);
    return "q-sign-algorithm=sha1&q-ak="
        + secretId
        + "&q-sign-time="
        + keyTime
        + "&q-key-time="
        + keyTime
        + "&q-header-list="
        + String.join(";", h.keySet())
        + "&q-url-param-list="
        + String.join(";", p.keySet())
        + "&q-signature="
        + signature;
  }

  private static TreeMap<String, String> encodedSorted(Map<String, String> pairs) {
    TreeMap<String, String> out = new TreeMap<>();
    pairs.forEach(
        (k, v) ->
            out.put(encode(k.trim()).toLowerCase(Locale.ROOT), encode(v == null ? "" : v.trim())));
    return out;
  }

  private static String joinPairs(Map<String, String> pairs) {
    StringBuilder s = new StringBuilder();
    pairs.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append('&');
          }
          s.append(k).append('=').append(v);
        });
    return s.toString();
  }

  /**
   * URL-encodes {@code s} as COS signs it (RFC 3986): every UTF-8 byte but {@code A-Z a-z 0-9 - _ .
   * ~} becomes {@code %XX} with upper-case hex.
   */
  static String encode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** URL-encodes each {@code /}-separated segment of {@code path}, keeping the slashes. */
  static String encodePath(String path) {
    StringBuilder out = new StringBuilder(path.length() + 16);
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      out.append(encode(slash < 0 ? path.substring(start) : path.substring(start, slash)));
      if (slash < 0) {
        return out.toString();
      }
      out.append('/');
      start = slash + 1;
    }
  }

  static String sha1Hex(String s) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  static String hmacSha1Hex(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "CosSigner{secretId="
        + secretId
        + (securityToken.isPresent() ? ", temporary credentials" : "")
        + "}";
  }
}
