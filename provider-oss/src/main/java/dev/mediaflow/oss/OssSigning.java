package dev.mediaflow.oss;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OSS request signatures, pure functions of the request: V4 ({@code OSS4-HMAC-SHA256}) and V1 (HMAC-SHA1), as
 * the official SDKs compute them ({@code docs/vendor-notes.md}, "OSS request signing"), plus Alibaba Cloud's
 * ACS3-HMAC-SHA256 for the IMM calls that track tasks
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 *
 * <p>A request is described by its method, bucket and key (either may be null), its query parameters
 * <em>decoded</em> (a parameter without a value maps to {@code ""}), and its headers.
 */
final class OssSigning {
  static final String V4 = "OSS4-HMAC-SHA256";
  static final String ACS3 = "ACS3-HMAC-SHA256";
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  static final DateTimeFormatter V4_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter ACS_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /**
   * The query parameters V1 signs (Java SDK {@code SignParameters}, oss2 {@code _subresource_key_set}); any
   * {@code x-oss-} parameter is signed too, as the Go SDK does.
   */
  static final Set<String> V1_SUBRESOURCES = Set.of("acl", "uploads", "location", "cors", "logging", "website",
      "referer", "lifecycle", "delete", "append", "tagging", "objectMeta", "uploadId", "partNumber", "security-token",
      "position", "img", "style", "styleName", "replication", "replicationProgress", "replicationLocation", "cname",
      "bucketInfo", "comp", "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "response-content-type",
      "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
      "response-content-encoding", "udf", "udfName", "udfImage", "udfId", "udfImageDesc", "udfApplication",
      "udfApplicationLog", "restore", "callback", "callback-var", "qosInfo", "policy", "stat", "encryption", "versions",
      "versioning", "versionId", "requestPayment", "sequential", "inventory", "inventoryId", "continuation-token",
      "asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "transferAcceleration", "regionList",
      "cloudboxes", "metaQuery", "resourceGroup", "rtc", "seal");

  private OssSigning() {}

  // ---- V4

  /** The V4 canonical request; {@code additional} are the lowercase names of other headers to sign. */
  static String v4CanonicalRequest(String method, String bucket, String key, Map<String, String> query,
      Map<String, String> headers, Set<String> additional) {
    StringBuilder s = new StringBuilder(method).append('\n');
    s.append(encode(resourcePath(bucket, key), true)).append('\n');
    s.append(v4Query(query)).append('\n');
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> {
      String low = name.toLowerCase(Locale.ROOT);
      if (low.startsWith("x-oss-") || low.equals("content-type") || low.equals("content-md5") || additional.contains(low)) {
        signed.merge(low, value.trim(), (a, b) -> a + "," + b);
      }
    });
    signed.forEach((name, value) -> s.append(name).append(':').append(value).append('\n'));
    s.append('\n');
    s.append(String.join(";", new TreeSet<>(additional))).append('\n');
    s.append(headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("x-oss-content-sha256"))
        .map(Map.Entry::getValue).findFirst().orElse(UNSIGNED_PAYLOAD));
    return s.toString();
  }

  /** {@code yyyyMMdd/<region>/<product>/aliyun_v4_request}. */
  static String v4Scope(Instant time, String region, String product) {
    return V4_DATE.format(time).substring(0, 8) + "/" + region + "/" + product + "/aliyun_v4_request";
  }

  static String v4StringToSign(Instant time, String scope, String canonicalRequest) {
    return V4 + "\n" + V4_DATE.format(time) + "\n" + scope + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The V4 {@code Authorization} header of a request that already carries its {@code x-oss-date} and
   * {@code x-oss-content-sha256} headers.
   */
  static String v4Authorization(String accessKeyId, String secret, String region, String product, Instant time,
      String method, String bucket, String key, Map<String, String> query, Map<String, String> headers, Set<String> additional) {
    return v4Authorization(accessKeyId, new V4Keys(dev.mediaflow.spi.Secret.of(secret)), region, product, time, method,
        bucket, key, query, headers, additional);
  }

  /** As above, signing with {@code keys}, which keep the day's signing key between requests. */
  static String v4Authorization(String accessKeyId, V4Keys keys, String region, String product, Instant time,
      String method, String bucket, String key, Map<String, String> query, Map<String, String> headers, Set<String> additional) {
    String scope = v4Scope(time, region, product);
    String stringToSign = v4StringToSign(time, scope, v4CanonicalRequest(method, bucket, key, query, headers, additional));
    return V4 + " Credential=" + accessKeyId + "/" + scope
        + (additional.isEmpty() ? "" : ",AdditionalHeaders=" + String.join(";", new TreeSet<>(additional)))
        + ",Signature=" + keys.sign(time, region, product, stringToSign);
  }

  /**
   * One secret's V4 signing keys. The key, HMAC-SHA256 chained over the day, the region, the product and
   * {@code aliyun_v4_request}, is the same all day: it is derived once (four HMACs) and kept as a keyed MAC that
   * each request copies, instead of deriving it again for every request. Thread-safe.
   */
  static final class V4Keys {
    private final dev.mediaflow.spi.Secret secret;
    private volatile Keyed last;

    /** The day's keyed MAC; its fields are not secrets' text, and it is never printed. */
    private static final class Keyed {
      final String day;
      final String region;
      final String product;
      final Mac mac;

      Keyed(String day, String region, String product, Mac mac) {
        this.day = day;
        this.region = region;
        this.product = product;
        this.mac = mac;
      }
    }

    V4Keys(dev.mediaflow.spi.Secret secret) {
      this.secret = secret;
    }

    /** The lowercase hex HMAC of {@code stringToSign} under the signing key of {@code time}'s day. */
    String sign(Instant time, String region, String product, String stringToSign) {
      String day = V4_DATE.format(time).substring(0, 8);
      Keyed k = last;
      if (k == null || !k.day.equals(day) || !k.region.equals(region) || !k.product.equals(product)) {
        byte[] key = hmac("HmacSHA256", ("aliyun_v4" + secret.reveal()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac("HmacSHA256", key, region);
        key = hmac("HmacSHA256", key, product);
        key = hmac("HmacSHA256", key, "aliyun_v4_request");
        k = new Keyed(day, region, product, mac("HmacSHA256", key));
        last = k;
      }
      Mac mac;
      try {
        mac = (Mac) k.mac.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("HmacSHA256 cannot be copied", e);
      }
      return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
      return "V4Keys{****}";
    }
  }

  private static String v4Query(Map<String, String> query) {
    List<String> parts = new ArrayList<>();
    query.forEach((k, v) -> parts.add(encode(k, false) + (v == null || v.isEmpty() ? "" : "=" + encode(v, false))));
    parts.sort(null);
    return String.join("&", parts);
  }

  // ---- V1

  /** The V1 string to sign: verb, Content-MD5, Content-Type, Date, x-oss-* headers, resource and sub-resources. */
  static String v1StringToSign(String method, String bucket, String key, Map<String, String> query, Map<String, String> headers) {
    TreeMap<String, String> oss = new TreeMap<>();
    String md5 = "";
    String type = "";
    String date = null;
    String ossDate = null;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String low = e.getKey().toLowerCase(Locale.ROOT);
      switch (low) {
        case "content-md5" -> md5 = e.getValue().trim();
        case "content-type" -> type = e.getValue().trim();
        case "date" -> date = e.getValue().trim();
        default -> {
          if (low.startsWith("x-oss-")) {
            if (low.equals("x-oss-date")) {
              ossDate = e.getValue().trim();
            }
            oss.merge(low, e.getValue().trim(), (a, b) -> a + "," + b);
          }
        }
      }
    }
    StringBuilder s = new StringBuilder(method).append('\n').append(md5).append('\n').append(type).append('\n')
        .append(date != null ? date : ossDate != null ? ossDate : "").append('\n');
    oss.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
    s.append(resourcePath(bucket, key));
    TreeMap<String, String> sub = new TreeMap<>();
    query.forEach((k, v) -> {
      if (V1_SUBRESOURCES.contains(k) || k.startsWith("x-oss-")) {
        sub.put(k, v);
      }
    });
    if (!sub.isEmpty()) {
      List<String> parts = new ArrayList<>();
      sub.forEach((k, v) -> parts.add(v == null || v.isEmpty() ? k : k + "=" + v));
      s.append('?').append(String.join("&", parts));
    }
    return s.toString();
  }

  /** {@code OSS <AccessKeyId>:<base64(HMAC-SHA1(secret, stringToSign))>}. */
  static String v1Authorization(String accessKeyId, String secret, String stringToSign) {
    return "OSS " + accessKeyId + ":" + Base64.getEncoder().encodeToString(
        hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  // ---- ACS3 (IMM)

  /** The ACS3 canonical request: x-acs-*, host and content-type headers signed; query values encoded. */
  static String acsCanonicalRequest(String method, String path, Map<String, String> query, Map<String, String> headers) {
    List<String> q = new ArrayList<>();
    new TreeMap<>(query).forEach((k, v) -> q.add(encode(k, false) + "=" + encode(v == null ? "" : v, false)));
    TreeMap<String, String> signed = acsSignedHeaders(headers);
    StringBuilder s = new StringBuilder(method).append('\n').append(path).append('\n').append(String.join("&", q)).append('\n');
    signed.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
    s.append('\n').append(String.join(";", signed.keySet())).append('\n');
    s.append(headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("x-acs-content-sha256"))
        .map(Map.Entry::getValue).findFirst().orElse(hex(sha256(new byte[0]))));
    return s.toString();
  }

  static String acsAuthorization(String accessKeyId, String secret, String method, String path, Map<String, String> query,
      Map<String, String> headers) {
    String canonical = acsCanonicalRequest(method, path, query, headers);
    String stringToSign = ACS3 + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    return ACS3 + " Credential=" + accessKeyId + ",SignedHeaders=" + String.join(";", acsSignedHeaders(headers).keySet())
        + ",Signature=" + hex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  /** The headers ACS3 signs, by lowercase name, values trimmed. */
  private static TreeMap<String, String> acsSignedHeaders(Map<String, String> headers) {
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> {
      String low = name.toLowerCase(Locale.ROOT);
      if (low.startsWith("x-acs-") || low.equals("host") || low.equals("content-type")) {
        signed.put(low, value.trim());
      }
    });
    return signed;
  }

  // ---- helpers

  /** {@code /bucket/key}, {@code /bucket/} or {@code /}, not encoded. */
  static String resourcePath(String bucket, String key) {
    if (bucket == null || bucket.isEmpty()) {
      return "/";
    }
    return "/" + bucket + "/" + (key == null ? "" : key);
  }

  /**
   * RFC 3986 percent-encoding of the UTF-8 bytes: {@code A-Z a-z 0-9 - . _ ~} stay (and {@code /} with
   * {@code keepSlash}), everything else becomes {@code %XX}.
   */
  static String encode(String value, boolean keepSlash) {
    StringBuilder s = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '~' || (keepSlash && c == '/')) {
        s.append((char) c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] hmac(String algorithm, byte[] key, String data) {
    return mac(algorithm, key).doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static Mac mac(String algorithm, byte[] key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
