package dev.mediaflow.oss;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;

/**
 * Signs OSS requests, a pure function of the request, the credentials and the clock: V4 ({@code
 * OSS4-HMAC-SHA256}) and V1 (HMAC-SHA1) in the {@code Authorization} header or in the query of a
 * presigned URL, as the official SDKs compute them ({@code docs/vendor-notes.md}, "OSS request
 * signing"), plus Alibaba Cloud's ACS3-HMAC-SHA256 for the IMM calls that track tasks
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 * The job client, the uploads and presigned URLs all sign here; none of them signs another way.
 *
 * <p>A request is described by its method, bucket and key (either may be null), its query
 * parameters <em>decoded</em> (a parameter without a value maps to {@code ""}), and its headers.
 * PostObject policies are signed with the same keys ({@link #postFields}, {@link #postSignature}):
 * V1 as Base64 HMAC-SHA1 of the Base64 policy, V4 as lowercase hex HMAC-SHA256 of it under the
 * day's V4 key (https://help.aliyun.com/zh/oss/developer-reference/signature-version-4-recommend).
 *
 * <p>Specifications:
 * https://help.aliyun.com/zh/oss/developer-reference/signature-version-4-recommend (V4 header),
 * https://help.aliyun.com/en/oss/developer-reference/add-signatures-to-urls (V4 URL),
 * https://www.alibabacloud.com/help/doc-detail/31952.htm (V1 URL) and
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 * (ACS3). Thread-safe; the secret and the STS token never appear in {@link #toString()}.
 */
final class OssSigner {
  static final String V4 = "OSS4-HMAC-SHA256";
  static final String ACS3 = "ACS3-HMAC-SHA256";
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  static final DateTimeFormatter V4_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter ACS_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /**
   * The query parameters V1 signs (Java SDK {@code SignParameters}, oss2 {@code
   * _subresource_key_set}); any {@code x-oss-} parameter is signed too, as the Go SDK does.
   */
  static final Set<String> V1_SUBRESOURCES =
      Set.of(
          "acl",
          "uploads",
          "location",
          "cors",
          "logging",
          "website",
          "referer",
          "lifecycle",
          "delete",
          "append",
          "tagging",
          "objectMeta",
          "uploadId",
          "partNumber",
          "security-token",
          "position",
          "img",
          "style",
          "styleName",
          "replication",
          "replicationProgress",
          "replicationLocation",
          "cname",
          "bucketInfo",
          "comp",
          "qos",
          "live",
          "status",
          "vod",
          "startTime",
          "endTime",
          "symlink",
          "response-content-type",
          "response-content-language",
          "response-expires",
          "response-cache-control",
          "response-content-disposition",
          "response-content-encoding",
          "udf",
          "udfName",
          "udfImage",
          "udfId",
          "udfImageDesc",
          "udfApplication",
          "udfApplicationLog",
          "restore",
          "callback",
          "callback-var",
          "qosInfo",
          "policy",
          "stat",
          "encryption",
          "versions",
          "versioning",
          "versionId",
          "requestPayment",
          "sequential",
          "inventory",
          "inventoryId",
          "continuation-token",
          "asyncFetch",
          "worm",
          "wormId",
          "wormExtend",
          "withHashContext",
          "transferAcceleration",
          "regionList",
          "cloudboxes",
          "metaQuery",
          "resourceGroup",
          "rtc",
          "seal");

  /**
   * The longest validity of a V4 presigned URL, 7 days: OSS refuses a longer {@code x-oss-expires}.
   */
  static final Duration V4_MAX_EXPIRY = Duration.ofDays(7);

  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /**
   * Query parameters that carry the signature of a presigned URL. A caller's parameter by one of
   * these names could change what the URL means (OSS takes the first of repeated V1 parameters), so
   * presigning refuses it.
   */
  private static final Set<String> RESERVED_QUERY =
      Set.of(
          "OSSAccessKeyId",
          "Expires",
          "Signature",
          "security-token",
          "x-oss-signature-version",
          "x-oss-credential",
          "x-oss-date",
          "x-oss-expires",
          "x-oss-signature",
          "x-oss-additional-headers",
          "x-oss-security-token");

  /** The signature versions of OSS requests. */
  enum Version {
    /** HMAC-SHA1 over the V1 string to sign. */
    V1,
    /** {@code OSS4-HMAC-SHA256}, with a region-scoped signing key. */
    V4
  }

  private final String accessKeyId;
  private final Secret secret;
  private final Secret securityToken;
  private final String region;
  private final Clock clock;
  private final V4Keys v4Keys;

  /**
   * Each thread's HMAC-SHA1 keyed with the secret, for V1 URLs: keying a MAC costs more than
   * signing one URL, and {@code doFinal} leaves it ready for the next.
   */
  private final ThreadLocal<Mac> v1Mac;

  /**
   * A signer for these credentials.
   *
   * @param securityToken an STS token, or null for long-term keys
   * @param region the region id V4 scopes its keys to, such as {@code cn-hangzhou}
   * @param clock the time every signature is made at
   */
  OssSigner(String accessKeyId, Secret secret, Secret securityToken, String region, Clock clock) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.securityToken = securityToken;
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.v4Keys = new V4Keys(secret);
    this.v1Mac =
        ThreadLocal.withInitial(
            () -> mac("HmacSHA1", secret.reveal().getBytes(StandardCharsets.UTF_8)));
  }

  /** A signer for the configured credentials and region. */
  static OssSigner of(OssSettings settings, Clock clock) {
    return new OssSigner(
        settings.accessKeyId(),
        settings.secret(),
        settings.securityToken().orElse(null),
        settings.region(),
        clock);
  }

  /**
   * Signs a request in its {@code Authorization} header. Returns the headers to send: {@code Date},
   * then {@code headers} (all signed when OSS signs them: {@code Content-Type}, {@code
   * Content-MD5}, {@code x-oss-*}), the STS token ({@code x-oss-security-token}), for V4 {@code
   * x-oss-date} and {@code x-oss-content-sha256} ({@code UNSIGNED-PAYLOAD}), and {@code
   * Authorization}.
   *
   * @param query the decoded query, every parameter the URL carries
   */
  Map<String, String> sign(
      Version version,
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers) {
    Instant now = clock.instant();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Date", HTTP_DATE.format(now));
    h.putAll(headers);
    if (securityToken != null) {
      h.put("x-oss-security-token", securityToken.reveal());
    }
    String auth;
    if (version == Version.V1) {
      auth =
          v1Authorization(
              accessKeyId, secret.reveal(), v1StringToSign(method, bucket, key, query, h));
    } else {
      h.put("x-oss-date", v4Date(now));
      h.put("x-oss-content-sha256", UNSIGNED_PAYLOAD);
      auth =
          v4Authorization(
              accessKeyId, v4Keys, region, "oss", now, method, bucket, key, query, h, Set.of());
    }
    h.put("Authorization", auth);
    return h;
  }

  /**
   * A presigned URL: anyone holding {@link #url()} may make the request, sending {@link
   * #headers()}, until {@link #expiresAt()}. Its {@code toString()} leaves out the query, which is
   * a credential.
   */
  record Presigned(String method, String url, Map<String, String> headers, Instant expiresAt) {
    Presigned {
      headers =
          headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public String toString() {
      int q = url.indexOf('?');
      return "Presigned{"
          + method
          + " "
          + (q < 0 ? url : url.substring(0, q) + "?****")
          + ", expiresAt="
          + expiresAt
          + "}";
    }
  }

  /**
   * Presigns a request in its query, valid for {@code expires} from now. V4 adds {@code
   * x-oss-date}, {@code x-oss-expires} (seconds, 1 to 604800), the STS token as {@code
   * x-oss-security-token}, {@code x-oss-signature-version}, {@code x-oss-credential} and {@code
   * x-oss-signature}, and signs every query parameter. V1 adds {@code Expires} (epoch seconds),
   * {@code OSSAccessKeyId}, {@code Signature} and the STS token as {@code security-token}, and
   * signs the sub-resources among the parameters ({@code x-oss-process}, {@code response-*}, {@code
   * versionId}...), as OSS checks them; others ride along unsigned.
   *
   * <p>Every name and value is percent-encoded (RFC 3986; the key keeps its {@code /}), so nothing
   * in a key, a process string or a file name can change what the URL asks for.
   *
   * @param objectUrl the object's URL without a query (its path the key, encoded keeping {@code /})
   * @param query the decoded query parameters to sign and send, such as {@code x-oss-process} or
   *     {@code response-content-disposition}; {@code ""} for a parameter without a value
   * @param headers the headers the user of the URL must send that OSS signs ({@code Content-Type},
   *     {@code Content-MD5}, {@code x-oss-*}); usually empty
   * @throws MediaValidationException for a validity outside what OSS accepts, a query parameter
   *     that carries a signature ({@code Expires}, {@code x-oss-credential}...), or a {@code .} or
   *     {@code ..} key segment
   */
  Presigned presign(
      Version version,
      String method,
      HttpUrl objectUrl,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Duration expires) {
    Objects.requireNonNull(objectUrl, "objectUrl");
    if (objectUrl.encodedQuery() != null) {
      throw new MediaValidationException(
          "objectUrl", "must not have a query, was " + objectUrl.redact());
    }
    return presign(version, method, objectUrl.toString(), bucket, key, query, headers, expires);
  }

  /**
   * As {@link #presign(Version, String, HttpUrl, String, String, Map, Map, Duration)}, on the
   * object's URL as {@code HttpUrl} writes it, known to have no query (delivery URLs make it
   * without parsing a URL).
   */
  Presigned presign(
      Version version,
      String method,
      String objectUrl,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Duration expires) {
    SignedUrl url =
        presignUrl(version, method, objectUrl, null, bucket, key, query, headers, expires);
    return new Presigned(method, url.url(), url.headers(), url.expiresAt().orElseThrow());
  }

  /**
   * As {@link #presign(Version, String, String, String, String, Map, Map, Duration)}, the object's
   * URL being {@code base} followed by {@code urlKey} percent-encoded keeping {@code /} (null for
   * none), as a delivery URL. The canonical request, the string to sign and the URL are written
   * into the thread's reused buffers and hashed from there, so a URL allocates little beyond its
   * own text.
   */
  SignedUrl presignUrl(
      Version version,
      String method,
      String base,
      String urlKey,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Duration expires) {
    for (String name : query.keySet()) {
      if (RESERVED_QUERY.contains(name)) {
        throw new MediaValidationException(
            "query." + name, "carries the URL's signature; it cannot be given");
      }
    }
    if (key != null && OssObjects.dotSegment(key)) {
      throw new MediaValidationException(
          "key", "'.' and '..' segments in \"" + key + "\" would be resolved away by HTTP clients");
    }
    long seconds = expires.getSeconds();
    if (seconds < 1 || (version == Version.V4 && expires.compareTo(V4_MAX_EXPIRY) > 0)) {
      throw new MediaValidationException(
          "expires",
          "a presigned URL is valid for 1 s to "
              + (version == Version.V4 ? "7 days (V4)" : "any number of seconds (V1)")
              + ", was "
              + expires);
    }
    Instant now = clock.instant();
    Scratch s = Scratch.take();
    StringBuilder url = s.url.append(base);
    if (urlKey != null) {
      encodeTo(url, urlKey, true);
    }
    url.append('?');
    Instant expiresAt;
    if (version == Version.V1) {
      long at = now.getEpochSecond() + seconds;
      expiresAt = Instant.ofEpochSecond(at);
      StringBuilder text = s.text;
      if (headers.isEmpty()) {
        // For a URL, Expires takes the place of Date in the string to sign.
        text.append(method).append("\n\n\n").append(at).append('\n');
        appendResourcePath(text, bucket, key);
        v1SubResources(text, query, securityToken == null ? null : securityToken.reveal(), s);
      } else {
        Map<String, String> signedQuery = new LinkedHashMap<>(query);
        if (securityToken != null) {
          signedQuery.put("security-token", securityToken.reveal());
        }
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach(
            (k, v) -> {
              if (!k.equalsIgnoreCase("date")) {
                h.put(k, v);
              }
            });
        h.put("Date", String.valueOf(at));
        text.append(v1StringToSign(method, bucket, key, signedQuery, h));
      }
      Mac mac = v1Mac.get();
      byte[] bytes = s.utf8(text);
      mac.update(bytes, 0, s.byteCount);
      doFinal(mac, s.sha1);
      int n = Base64.getEncoder().encode(s.sha1, s.base64);
      url.append("Expires=").append(at).append("&OSSAccessKeyId=");
      encodeTo(url, accessKeyId, false).append("&Signature=");
      // As the Authorization header's text after its first ':' (the access key has none).
      int colon = accessKeyId.indexOf(':');
      if (colon >= 0) {
        encodeTo(url, accessKeyId.substring(colon + 1) + ":", false);
      }
      for (int i = 0; i < n; i++) {
        appendEncoded(url, (char) s.base64[i]);
      }
      for (Map.Entry<String, String> e : query.entrySet()) {
        appendParameter(url.append('&'), e.getKey(), e.getValue());
      }
      if (securityToken != null) {
        appendParameter(url.append('&'), "security-token", securityToken.reveal());
      }
    } else {
      expiresAt = now.plusSeconds(seconds);
      String date = v4Date(now);
      Day day = day(date);
      StringBuilder parts = s.parts;
      for (Map.Entry<String, String> e : query.entrySet()) {
        int start = parts.length();
        appendParameter(parts, e.getKey(), e.getValue());
        s.part(start);
      }
      int start = parts.length();
      parts.append("x-oss-date=").append(date);
      s.part(start);
      start = parts.length();
      parts.append("x-oss-expires=").append(seconds);
      s.part(start);
      if (securityToken != null) {
        start = parts.length();
        appendParameter(parts, "x-oss-security-token", securityToken.reveal());
        s.part(start);
      }
      start = parts.length();
      parts.append("x-oss-signature-version=").append(V4);
      s.part(start);
      start = parts.length();
      parts.append("x-oss-credential=").append(day.credential);
      s.part(start);

      // The canonical request: the parameters sorted as whole "name=value" texts.
      StringBuilder text = s.text.append(method).append('\n');
      appendEncodedResourcePath(text, bucket, key).append('\n');
      s.appendSorted(text).append('\n');
      appendV4Headers(text, headers, Set.of());
      byte[] bytes = s.utf8(text);
      MessageDigest sha256 = SHA256.get();
      sha256.update(bytes, 0, s.byteCount);
      digest(sha256, s.sha256);

      text.setLength(0);
      text.append(V4).append('\n').append(date).append('\n').append(day.scope).append('\n');
      appendHex(text, s.sha256, 32);
      Mac mac = v4Keys.keyedMac(date, region, "oss");
      bytes = s.utf8(text);
      mac.update(bytes, 0, s.byteCount);
      doFinal(mac, s.sha256);

      s.appendInOrder(url).append("&x-oss-signature=");
      appendHex(url, s.sha256, 32);
    }
    return SignedUrl.of(method, url.toString(), headers, expiresAt);
  }

  /** The day's V4 scope and encoded {@code x-oss-credential}, made once a day. */
  private record Day(String date, String scope, String credential) {}

  private volatile Day lastDay = new Day("", "", "");

  /** The {@link Day} of a {@link #v4Date} text. */
  private Day day(String date) {
    Day d = lastDay;
    if (d.date.length() != 8 || !date.startsWith(d.date)) {
      String day = date.substring(0, 8);
      String scope = day + "/" + region + "/oss/aliyun_v4_request";
      d = new Day(day, scope, encode(accessKeyId + "/" + scope, false));
      lastDay = d;
    }
    return d;
  }

  /**
   * The V1 sub-resources among {@code query} (and the STS token as {@code security-token}, when
   * given), sorted by name, appended as {@code ?name[=value]&...}, values as they are.
   */
  private static void v1SubResources(
      StringBuilder s, Map<String, String> query, String token, Scratch sc) {
    int n = 0;
    for (Map.Entry<String, String> e : query.entrySet()) {
      String k = e.getKey();
      if (V1_SUBRESOURCES.contains(k) || k.startsWith("x-oss-")) {
        n = sc.name(n, k, e.getValue());
      }
    }
    if (token != null) {
      n = sc.name(n, "security-token", token);
    }
    String[] names = sc.names;
    String[] values = sc.values;
    for (int i = 1; i < n; i++) {
      for (int j = i; j > 0 && names[j - 1].compareTo(names[j]) > 0; j--) {
        String t = names[j];
        names[j] = names[j - 1];
        names[j - 1] = t;
        t = values[j];
        values[j] = values[j - 1];
        values[j - 1] = t;
      }
    }
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? '?' : '&').append(names[i]);
      if (values[i] != null && !values[i].isEmpty()) {
        s.append('=').append(values[i]);
      }
      names[i] = null;
      values[i] = null;
    }
  }

  /** {@code name[=value]}, both RFC 3986-encoded; a bare name for an empty value. */
  private static StringBuilder appendParameter(StringBuilder s, String name, String value) {
    encodeTo(s, name, false);
    if (value != null && !value.isEmpty()) {
      encodeTo(s.append('='), value, false);
    }
    return s;
  }

  /** One ASCII character, RFC 3986-encoded. */
  private static void appendEncoded(StringBuilder s, char c) {
    if (unreserved(c, false)) {
      s.append(c);
    } else {
      s.append('%').append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xf]);
    }
  }

  private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

  /** The first {@code n} bytes of {@code b} in lowercase hex. */
  private static void appendHex(StringBuilder s, byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      s.append(LOWER_HEX[(b[i] >> 4) & 0xf]).append(LOWER_HEX[b[i] & 0xf]);
    }
  }

  /** {@link #resourcePath} appended to {@code s}. */
  private static void appendResourcePath(StringBuilder s, String bucket, String key) {
    s.append('/');
    if (bucket != null && !bucket.isEmpty()) {
      s.append(bucket).append('/');
      if (key != null) {
        s.append(key);
      }
    }
  }

  /**
   * {@link #resourcePath} percent-encoded keeping {@code /}, appended to {@code s}: each part is
   * encoded on its own, which gives the same text as encoding the whole path.
   */
  private static StringBuilder appendEncodedResourcePath(
      StringBuilder s, String bucket, String key) {
    s.append('/');
    if (bucket != null && !bucket.isEmpty()) {
      encodeTo(s, bucket, true).append('/');
      if (key != null) {
        encodeTo(s, key, true);
      }
    }
    return s;
  }

  private static void digest(MessageDigest md, byte[] out) {
    try {
      md.digest(out, 0, out.length);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void doFinal(Mac mac, byte[] out) {
    try {
      mac.doFinal(out, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A thread's buffers for presigning, reused from one URL to the next (and dropped when a long URL
   * made them large): the canonical request or string to sign, the URL, the encoded query
   * parameters with their bounds, the V1 sub-resources, and the bytes hashed.
   */
  private static final class Scratch {
    private static final int KEEP = 16 * 1024;
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    StringBuilder text = new StringBuilder(512);
    StringBuilder url = new StringBuilder(512);
    StringBuilder parts = new StringBuilder(512);
    int[] starts = new int[16];
    int[] ends = new int[16];
    int[] order = new int[16];
    int count;
    String[] names = new String[16];
    String[] values = new String[16];
    byte[] bytes = new byte[1024];
    int byteCount;
    final byte[] sha256 = new byte[32];
    final byte[] sha1 = new byte[20];
    final byte[] base64 = new byte[28];

    /** The thread's buffers, emptied. */
    static Scratch take() {
      Scratch s = OF_THREAD.get();
      s.text = reset(s.text);
      s.url = reset(s.url);
      s.parts = reset(s.parts);
      s.count = 0;
      if (s.bytes.length > KEEP) {
        s.bytes = new byte[1024];
      }
      return s;
    }

    private static StringBuilder reset(StringBuilder b) {
      if (b.capacity() > KEEP) {
        return new StringBuilder(512);
      }
      b.setLength(0);
      return b;
    }

    /** Ends the parameter written into {@link #parts} from {@code start}. */
    void part(int start) {
      if (count == starts.length) {
        starts = java.util.Arrays.copyOf(starts, count * 2);
        ends = java.util.Arrays.copyOf(ends, count * 2);
        order = new int[count * 2];
      }
      starts[count] = start;
      ends[count] = parts.length();
      count++;
    }

    /** Puts a name and its value at {@code n}; returns {@code n + 1}. */
    int name(int n, String name, String value) {
      if (n == names.length) {
        names = java.util.Arrays.copyOf(names, n * 2);
        values = java.util.Arrays.copyOf(values, n * 2);
      }
      names[n] = name;
      values[n] = value;
      return n + 1;
    }

    /** Appends the parameters in the order written, joined by {@code &}. */
    StringBuilder appendInOrder(StringBuilder s) {
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          s.append('&');
        }
        s.append(parts, starts[i], ends[i]);
      }
      return s;
    }

    /**
     * Appends the parameters sorted as texts (as {@code String.compareTo}), joined by {@code &}.
     */
    StringBuilder appendSorted(StringBuilder s) {
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      for (int i = 1; i < count; i++) {
        for (int j = i; j > 0 && compare(order[j - 1], order[j]) > 0; j--) {
          int t = order[j];
          order[j] = order[j - 1];
          order[j - 1] = t;
        }
      }
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          s.append('&');
        }
        s.append(parts, starts[order[i]], ends[order[i]]);
      }
      return s;
    }

    private int compare(int a, int b) {
      int i = starts[a];
      int j = starts[b];
      int ea = ends[a];
      int eb = ends[b];
      while (i < ea && j < eb) {
        char x = parts.charAt(i++);
        char y = parts.charAt(j++);
        if (x != y) {
          return x - y;
        }
      }
      return (ea - i) - (eb - j);
    }

    /**
     * The UTF-8 bytes of {@code s}, in {@link #bytes} when it is ASCII (the usual case: encoded
     * paths and queries), else a new array; their number in {@link #byteCount}.
     */
    byte[] utf8(CharSequence s) {
      int n = s.length();
      if (bytes.length < n) {
        bytes = new byte[Math.max(n, bytes.length * 2)];
      }
      byte[] b = bytes;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          b = s.toString().getBytes(StandardCharsets.UTF_8);
          byteCount = b.length;
          return b;
        }
        b[i] = (byte) c;
      }
      byteCount = n;
      return b;
    }
  }

  /** Returns the time signatures are made at now. */
  Instant now() {
    return clock.instant();
  }

  /**
   * The PostObject form fields that say who signs, made at {@code time}: V4 {@code
   * x-oss-signature-version}, {@code x-oss-credential} and {@code x-oss-date}; V1 {@code
   * OSSAccessKeyId}; then the STS token as {@code x-oss-security-token}. Apart from {@code
   * OSSAccessKeyId}, the policy names each of them as an exact condition.
   */
  Map<String, String> postFields(Version version, Instant time) {
    Map<String, String> f = new LinkedHashMap<>();
    if (version == Version.V4) {
      f.put("x-oss-signature-version", V4);
      f.put("x-oss-credential", accessKeyId + "/" + v4Scope(time, region, "oss"));
      f.put("x-oss-date", V4_DATE.format(time));
    } else {
      f.put("OSSAccessKeyId", accessKeyId);
    }
    if (securityToken != null) {
      f.put("x-oss-security-token", securityToken.reveal());
    }
    return f;
  }

  /**
   * Signs a PostObject policy, {@code policy} being the Base64 text sent in the {@code policy}
   * field: V4 lowercase hex HMAC-SHA256 under the V4 key of {@code time}'s day (the {@code
   * x-oss-signature} field), V1 Base64 HMAC-SHA1 with the secret (the {@code Signature} field).
   */
  String postSignature(Version version, Instant time, String policy) {
    if (version == Version.V4) {
      return v4Keys.sign(time, region, "oss", policy);
    }
    return Base64.getEncoder()
        .encodeToString(v1Mac.get().doFinal(policy.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Signs an Alibaba Cloud RPC request (IMM) with ACS3-HMAC-SHA256, its body empty. Returns the
   * headers to send: {@code host} (signed; HTTP clients send it themselves), {@code headers},
   * {@code x-acs-date}, {@code x-acs-signature-nonce}, {@code x-acs-content-sha256}, the STS token
   * ({@code x-acs-security-token}) and {@code Authorization}.
   *
   * @param host the {@code Host} header as sent, with a port that is not the scheme's default
   * @param nonce a value never used before, such as 16 random bytes in hex
   */
  Map<String, String> signAcs(
      String method,
      String host,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      String nonce) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", host);
    h.putAll(headers);
    h.put("x-acs-date", ACS_DATE.format(clock.instant()));
    h.put("x-acs-signature-nonce", nonce);
    h.put("x-acs-content-sha256", EMPTY_SHA256);
    if (securityToken != null) {
      h.put("x-acs-security-token", securityToken.reveal());
    }
    h.put("Authorization", acsAuthorization(accessKeyId, secret.reveal(), method, path, query, h));
    return h;
  }

  /**
   * {@code name[=value]&...}, RFC 3986-encoded, in the map's order; a bare name for an empty value.
   */
  static String encodeQuery(Map<String, String> query) {
    return encodeQueryTo(new StringBuilder(queryCapacity(query)), query).toString();
  }

  /** {@link #encodeQuery} appending to {@code q}; returns {@code q}. */
  private static StringBuilder encodeQueryTo(StringBuilder q, Map<String, String> query) {
    boolean first = true;
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (!first) {
        q.append('&');
      }
      first = false;
      encodeTo(q, e.getKey(), false);
      String v = e.getValue();
      if (v != null && !v.isEmpty()) {
        encodeTo(q.append('='), v, false);
      }
    }
    return q;
  }

  /** Room for the encoded query: its text, separators, and some escapes. */
  private static int queryCapacity(Map<String, String> query) {
    int n = 16;
    for (Map.Entry<String, String> e : query.entrySet()) {
      n += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length()) + 2;
    }
    return n + n / 4;
  }

  @Override
  public String toString() {
    return "OssSigner{accessKeyId="
        + accessKeyId
        + ", region="
        + region
        + (securityToken != null ? ", sts" : "")
        + "}";
  }

  // ---- V4

  /**
   * The V4 canonical request; {@code additional} are the lowercase names of other headers to sign.
   */
  static String v4CanonicalRequest(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Set<String> additional) {
    StringBuilder s =
        new StringBuilder(
                method.length()
                    + 2 * (bucket == null ? 0 : bucket.length())
                    + (key == null ? 0 : key.length())
                    + queryCapacity(query)
                    + 160)
            .append(method)
            .append('\n');
    encodeTo(s, resourcePath(bucket, key), true).append('\n');
    v4Query(s, query).append('\n');
    return appendV4Headers(s, headers, additional).toString();
  }

  /**
   * The headers part of the V4 canonical request, appended to {@code s}: the signed headers (the
   * {@code x-oss-*} ones, {@code Content-Type}, {@code Content-MD5} and {@code additional}) by
   * lowercase name, a blank line, the additional names, and the payload hash.
   */
  private static StringBuilder appendV4Headers(
      StringBuilder s, Map<String, String> headers, Set<String> additional) {
    if (headers.isEmpty() && additional.isEmpty()) {
      // No headers to sign (a presigned GET): an empty list, an empty name list, unsigned payload.
      return s.append("\n\n").append(UNSIGNED_PAYLOAD);
    }
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach(
        (name, value) -> {
          String low = name.toLowerCase(Locale.ROOT);
          if (low.startsWith("x-oss-")
              || low.equals("content-type")
              || low.equals("content-md5")
              || additional.contains(low)) {
            signed.merge(low, value.trim(), (a, b) -> a + "," + b);
          }
        });
    signed.forEach((name, value) -> s.append(name).append(':').append(value).append('\n'));
    s.append('\n');
    s.append(String.join(";", new TreeSet<>(additional))).append('\n');
    s.append(
        headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase("x-oss-content-sha256"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(UNSIGNED_PAYLOAD));
    return s;
  }

  /** The last time formatted by {@link #v4Date}: one second's URLs and requests share it. */
  private record FormattedSecond(long epochSecond, String text) {}

  private static volatile FormattedSecond lastV4Date = new FormattedSecond(Long.MIN_VALUE, "");

  /** {@link #V4_DATE} applied to {@code time}, formatted once a second. */
  static String v4Date(Instant time) {
    FormattedSecond last = lastV4Date;
    if (last.epochSecond() != time.getEpochSecond()) {
      last = new FormattedSecond(time.getEpochSecond(), V4_DATE.format(time));
      lastV4Date = last;
    }
    return last.text();
  }

  /** {@code yyyyMMdd/<region>/<product>/aliyun_v4_request}. */
  static String v4Scope(Instant time, String region, String product) {
    return v4Date(time).substring(0, 8) + "/" + region + "/" + product + "/aliyun_v4_request";
  }

  static String v4StringToSign(Instant time, String scope, String canonicalRequest) {
    return V4
        + "\n"
        + v4Date(time)
        + "\n"
        + scope
        + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The V4 {@code Authorization} header of a request that already carries its {@code x-oss-date}
   * and {@code x-oss-content-sha256} headers.
   */
  static String v4Authorization(
      String accessKeyId,
      String secret,
      String region,
      String product,
      Instant time,
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Set<String> additional) {
    return v4Authorization(
        accessKeyId,
        new V4Keys(dev.mediaflow.spi.Secret.of(secret)),
        region,
        product,
        time,
        method,
        bucket,
        key,
        query,
        headers,
        additional);
  }

  /** As above, signing with {@code keys}, which keep the day's signing key between requests. */
  static String v4Authorization(
      String accessKeyId,
      V4Keys keys,
      String region,
      String product,
      Instant time,
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Set<String> additional) {
    String scope = v4Scope(time, region, product);
    String stringToSign =
        v4StringToSign(
            time, scope, v4CanonicalRequest(method, bucket, key, query, headers, additional));
    return V4
        + " Credential="
        + accessKeyId
        + "/"
        + scope
        + (additional.isEmpty()
            ? ""
            : ",AdditionalHeaders=" + String.join(";", new TreeSet<>(additional)))
        + ",Signature="
        + keys.sign(time, region, product, stringToSign);
  }

  /**
   * One secret's V4 signing keys. The key, HMAC-SHA256 chained over the day, the region, the
   * product and {@code aliyun_v4_request}, is the same all day: it is derived once (four HMACs) and
   * kept as a keyed MAC that each request copies, instead of deriving it again for every request.
   * Thread-safe.
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

    /** A thread's copy of a day's keyed MAC, which {@code doFinal} leaves ready for the next. */
    private record Copy(Keyed of, Mac mac) {}

    private final ThreadLocal<Copy> copies = new ThreadLocal<>();

    V4Keys(dev.mediaflow.spi.Secret secret) {
      this.secret = secret;
    }

    /**
     * The lowercase hex HMAC of {@code stringToSign} under the signing key of {@code time}'s day.
     */
    String sign(Instant time, String region, String product, String stringToSign) {
      return hex(
          keyedMac(v4Date(time), region, product)
              .doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * This thread's MAC keyed with the signing key of the day of {@code date} (a {@link #v4Date}
     * text), ready for a string to sign.
     */
    Mac keyedMac(String date, String region, String product) {
      Keyed k = last;
      if (k == null
          || !date.startsWith(k.day)
          || !k.region.equals(region)
          || !k.product.equals(product)) {
        String day = date.substring(0, 8);
        byte[] key =
            hmac(
                "HmacSHA256",
                ("aliyun_v4" + secret.reveal()).getBytes(StandardCharsets.UTF_8),
                day);
        key = hmac("HmacSHA256", key, region);
        key = hmac("HmacSHA256", key, product);
        key = hmac("HmacSHA256", key, "aliyun_v4_request");
        k = new Keyed(day, region, product, OssSigner.mac("HmacSHA256", key));
        last = k;
      }
      Copy copy = copies.get();
      if (copy == null || copy.of != k) {
        try {
          copy = new Copy(k, (Mac) k.mac.clone());
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException("HmacSHA256 cannot be copied", e);
        }
        copies.set(copy);
      }
      return copy.mac;
    }

    @Override
    public String toString() {
      return "V4Keys{****}";
    }
  }

  /** The V4 canonical query appended to {@code s}: each {@code name[=value]} encoded, sorted. */
  private static StringBuilder v4Query(StringBuilder s, Map<String, String> query) {
    String[] parts = new String[query.size()];
    int i = 0;
    for (Map.Entry<String, String> e : query.entrySet()) {
      String k = encode(e.getKey(), false);
      String v = e.getValue();
      parts[i++] = v == null || v.isEmpty() ? k : k + "=" + encode(v, false);
    }
    Arrays.sort(parts);
    for (int j = 0; j < parts.length; j++) {
      if (j > 0) {
        s.append('&');
      }
      s.append(parts[j]);
    }
    return s;
  }

  // ---- V1

  /**
   * The V1 string to sign: verb, Content-MD5, Content-Type, Date, x-oss-* headers, resource and
   * sub-resources.
   */
  static String v1StringToSign(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers) {
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
    StringBuilder s =
        new StringBuilder(method)
            .append('\n')
            .append(md5)
            .append('\n')
            .append(type)
            .append('\n')
            .append(date != null ? date : ossDate != null ? ossDate : "")
            .append('\n');
    oss.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
    s.append(resourcePath(bucket, key));
    TreeMap<String, String> sub = new TreeMap<>();
    query.forEach(
        (k, v) -> {
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
    return "OSS "
        + accessKeyId
        + ":"
        + Base64.getEncoder()
            .encodeToString(
                hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  // ---- ACS3 (IMM)

  /**
   * The ACS3 canonical request: x-acs-*, host and content-type headers signed; query values
   * encoded.
   */
  static String acsCanonicalRequest(
      String method, String path, Map<String, String> query, Map<String, String> headers) {
    List<String> q = new ArrayList<>();
    new TreeMap<>(query)
        .forEach((k, v) -> q.add(encode(k, false) + "=" + encode(v == null ? "" : v, false)));
    TreeMap<String, String> signed = acsSignedHeaders(headers);
    StringBuilder s =
        new StringBuilder(method)
            .append('\n')
            .append(path)
            .append('\n')
            .append(String.join("&", q))
            .append('\n');
    signed.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
    s.append('\n').append(String.join(";", signed.keySet())).append('\n');
    s.append(
        headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase("x-acs-content-sha256"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(hex(sha256(new byte[0]))));
    return s.toString();
  }

  static String acsAuthorization(
      String accessKeyId,
      String secret,
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers) {
    String canonical = acsCanonicalRequest(method, path, query, headers);
    String stringToSign = ACS3 + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    return ACS3
        + " Credential="
        + accessKeyId
        + ",SignedHeaders="
        + String.join(";", acsSignedHeaders(headers).keySet())
        + ",Signature="
        + hex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  /** The headers ACS3 signs, by lowercase name, values trimmed. */
  private static TreeMap<String, String> acsSignedHeaders(Map<String, String> headers) {
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach(
        (name, value) -> {
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
   * RFC 3986 percent-encoding of the UTF-8 bytes: {@code A-Z a-z 0-9 - . _ ~} stay (and {@code /}
   * with {@code keepSlash}), everything else becomes {@code %XX}.
   */
  static String encode(String value, boolean keepSlash) {
    int i = 0;
    int n = value.length();
    while (i < n && unreserved(value.charAt(i), keepSlash)) {
      i++;
    }
    if (i == n) {
      return value;
    }
    return encodeTo(new StringBuilder(n + 16), value, keepSlash).toString();
  }

  /** {@link #encode} appending to {@code s}; returns {@code s}. */
  static StringBuilder encodeTo(StringBuilder s, String value, boolean keepSlash) {
    int n = value.length();
    int i = 0;
    while (i < n && value.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      // ASCII: each character is its own UTF-8 byte.
      for (int j = 0; j < n; j++) {
        char c = value.charAt(j);
        if (unreserved(c, keepSlash)) {
          s.append(c);
        } else {
          s.append('%').append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xf]);
        }
      }
      return s;
    }
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || (keepSlash && c == '/')) {
        s.append((char) c);
      } else {
        s.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s;
  }

  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  /** Each thread's SHA-256; {@code digest} leaves it reset for the next. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          });

  static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  private static boolean unreserved(char c, boolean keepSlash) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || (keepSlash && c == '/');
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
