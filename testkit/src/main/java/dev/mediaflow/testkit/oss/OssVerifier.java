package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the signatures of requests to the fake OSS as OSS and IMM check them: OSS V4 and V1 in the
 * {@code Authorization} header for objects and processing, ACS3-HMAC-SHA256 for IMM. Each check
 * answers nothing when the request is signed right, else OSS's error (with what the server expected
 * to be signed, as OSS's errors carry it), and the same two in the query of a presigned URL, with
 * its expiry ({@code AccessDenied}, "Request has expired."; see
 * https://help.aliyun.com/en/oss/user-guide/0002-00000069). A request without any signature is
 * anonymous: allowed to read a public-read bucket, denied elsewhere. Thread-safe.
 */
final class OssVerifier {
  private static final DateTimeFormatter V4_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter ACS_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** The query parameters V1 signs, as OSS's servers read them (see the provider's signer). */
  private static final Set<String> V1_SUBRESOURCES =
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

  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

  /** The longest validity of a V4 presigned URL, in seconds (7 days). */
  static final long V4_MAX_EXPIRES = 604_800;

  private final Map<String, String> credentials;
  private final Clock clock;
  private final String region;
  private final OssReplies replies;
  private final Set<String> publicBuckets;

  OssVerifier(
      Map<String, String> credentials,
      Clock clock,
      String region,
      OssReplies replies,
      Set<String> publicBuckets) {
    this.credentials = credentials;
    this.clock = clock;
    this.region = region;
    this.replies = replies;
    this.publicBuckets = publicBuckets;
  }

  /** Returns whether the request carries no signature at all (header or query). */
  static boolean anonymous(Request r) {
    Map<String, String> q = r.query();
    return r.header("Authorization") == null
        && !q.containsKey("x-oss-signature")
        && !q.containsKey("Signature");
  }

  /**
   * Checks an object or processing request's V4 or V1 signature; returns OSS's error, or nothing
   * when right.
   */
  Optional<Reply> verify(Request r, String bucket, String key) {
    String auth = r.header("Authorization");
    Map<String, String> query = r.query();
    if (auth == null && query.containsKey("x-oss-signature")) {
      return Optional.ofNullable(v4Query(r, query, bucket, key));
    }
    if (auth == null && query.containsKey("Signature")) {
      return Optional.ofNullable(v1Query(r, query, bucket, key));
    }
    if (auth == null
        && bucket != null
        && publicBuckets.contains(bucket)
        && (r.method().equals("GET") || r.method().equals("HEAD"))) {
      return Optional.empty();
    }
    if (auth == null) {
      return Optional.of(
          replies.error(
              403,
              "AccessDenied",
              "You have no right to access this object because of bucket acl."));
    }
    if (auth.startsWith("OSS4-HMAC-SHA256 ")) {
      return Optional.ofNullable(v4(r, auth.substring("OSS4-HMAC-SHA256 ".length()), bucket, key));
    }
    if (auth.startsWith("OSS ")) {
      return Optional.ofNullable(v1(r, auth.substring(4), bucket, key));
    }
    return Optional.of(replies.error(400, "InvalidArgument", "Authorization header is invalid."));
  }

  private Reply v4(Request r, String authorization, String bucket, String key) {
    Map<String, String> headers = r.lowerCaseHeaders();
    Map<String, String> parts = authParts(authorization);
    String[] credential = parts.getOrDefault("Credential", "").split("/");
    String secret = credential.length == 5 ? credentials.get(credential[0]) : null;
    if (secret == null) {
      return replies.error(
          403,
          "InvalidAccessKeyId",
          "The OSS Access Key Id you provided does not exist in our records.",
          Map.of("OSSAccessKeyId", credential.length > 0 ? credential[0] : ""));
    }
    String date = headers.get("x-oss-date");
    Instant at;
    try {
      at = Instant.from(V4_DATE.parse(date == null ? "" : date));
    } catch (DateTimeParseException e) {
      return replies.error(
          403, "AccessDenied", "x-oss-date must be given as 20060102T150405Z for V4.");
    }
    Reply skewed = skewed(at, date);
    if (skewed != null) {
      return skewed;
    }
    Set<String> additional = new TreeSet<>();
    if (parts.containsKey("AdditionalHeaders") && !parts.get("AdditionalHeaders").isEmpty()) {
      additional.addAll(
          List.of(parts.get("AdditionalHeaders").toLowerCase(Locale.ROOT).split(";")));
    }
    return v4Signature(
        r,
        bucket,
        key,
        r.query(),
        headers,
        additional,
        credential,
        secret,
        date,
        parts.getOrDefault("Signature", ""));
  }

  /**
   * Checks a V4 presigned URL: its credential scope, then its validity ({@code x-oss-date} plus
   * {@code x-oss-expires}, 1 to 604800 s), then the signature over every query parameter but {@code
   * x-oss-signature}.
   */
  private Reply v4Query(Request r, Map<String, String> query, String bucket, String key) {
    String[] credential = query.getOrDefault("x-oss-credential", "").split("/");
    String secret = credential.length == 5 ? credentials.get(credential[0]) : null;
    if (secret == null) {
      return replies.error(
          403,
          "InvalidAccessKeyId",
          "The OSS Access Key Id you provided does not exist in our records.",
          Map.of("OSSAccessKeyId", credential.length > 0 ? credential[0] : ""),
          "0002-00000217");
    }
    if (!"OSS4-HMAC-SHA256".equals(query.get("x-oss-signature-version"))) {
      return replies.error(
          400,
          "InvalidArgument",
          "x-oss-signature-version must be OSS4-HMAC-SHA256.",
          Map.of(),
          "0002-00000215");
    }
    String date = query.getOrDefault("x-oss-date", "");
    Instant at;
    long expires;
    try {
      at = Instant.from(V4_DATE.parse(date));
      expires = Long.parseLong(query.getOrDefault("x-oss-expires", ""));
    } catch (DateTimeParseException | NumberFormatException e) {
      return replies.error(
          400,
          "InvalidArgument",
          "x-oss-date (20060102T150405Z) and x-oss-expires (seconds) are required.",
          Map.of(),
          "0002-00000215");
    }
    if (expires < 1 || expires > V4_MAX_EXPIRES) {
      return replies.error(
          400,
          "InvalidArgument",
          "x-oss-expires must be between 1 and 604800 seconds, was " + expires + ".",
          Map.of(),
          "0002-00000232");
    }
    Instant now = clock.instant();
    if (at.isAfter(now.plus(FakeOssServer.MAX_SKEW))) {
      return skewed(at, date);
    }
    Reply expired = expired(at.plusSeconds(expires));
    if (expired != null) {
      return expired;
    }
    Set<String> additional = new TreeSet<>();
    String names = query.getOrDefault("x-oss-additional-headers", "");
    if (!names.isEmpty()) {
      additional.addAll(List.of(names.toLowerCase(Locale.ROOT).split(";")));
    }
    Map<String, String> signed = new LinkedHashMap<>(query);
    signed.remove("x-oss-signature");
    return v4Signature(
        r,
        bucket,
        key,
        signed,
        r.lowerCaseHeaders(),
        additional,
        credential,
        secret,
        date,
        query.get("x-oss-signature"));
  }

  /** Answers {@code AccessDenied}, "Request has expired.", when {@code end} has passed. */
  private Reply expired(Instant end) {
    Instant now = clock.instant();
    if (!now.isAfter(end)) {
      return null;
    }
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("Expires", end.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "");
    extra.put("ServerTime", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "");
    return replies.error(403, "AccessDenied", "Request has expired.", extra, "0002-00000069");
  }

  private Reply v4Signature(
      Request r,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      Set<String> additional,
      String[] credential,
      String secret,
      String date,
      String given) {
    if (!credential[1].equals(date.substring(0, 8))
        || !credential[2].equals(region)
        || !credential[3].equals("oss")
        || !credential[4].equals("aliyun_v4_request")) {
      return replies.error(
          403,
          "SignatureDoesNotMatch",
          "Invalid credential scope "
              + String.join("/", credential)
              + "; this server expects "
              + date.substring(0, 8)
              + "/"
              + region
              + "/oss/aliyun_v4_request.");
    }
    StringBuilder c = new StringBuilder(r.method()).append('\n');
    c.append(rfc3986(resource(bucket, key), true)).append('\n');
    List<String> q = new ArrayList<>();
    query.forEach(
        (k, v) -> q.add(rfc3986(k, false) + (v.isEmpty() ? "" : "=" + rfc3986(v, false))));
    q.sort(null);
    c.append(String.join("&", q)).append('\n');
    new TreeMap<>(headers)
        .forEach(
            (name, value) -> {
              if (name.startsWith("x-oss-")
                  || name.equals("content-type")
                  || name.equals("content-md5")
                  || additional.contains(name)) {
                c.append(name).append(':').append(value.trim()).append('\n');
              }
            });
    c.append('\n').append(String.join(";", additional)).append('\n');
    c.append(headers.getOrDefault("x-oss-content-sha256", "UNSIGNED-PAYLOAD"));
    String canonical = c.toString();
    String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
    String stringToSign =
        "OSS4-HMAC-SHA256\n"
            + date
            + "\n"
            + scope
            + "\n"
            + Hashes.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] k =
        Hashes.hmac(
            "HmacSHA256", ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), credential[1]);
    k = Hashes.hmac("HmacSHA256", k, credential[2]);
    k = Hashes.hmac("HmacSHA256", k, credential[3]);
    k = Hashes.hmac("HmacSHA256", k, credential[4]);
    String expected = HexFormat.of().formatHex(Hashes.hmac("HmacSHA256", k, stringToSign));
    if (!Hashes.same(expected, given)) {
      Map<String, String> extra = new LinkedHashMap<>();
      extra.put("OSSAccessKeyId", credential[0]);
      extra.put("SignatureProvided", given);
      extra.put("StringToSign", stringToSign);
      extra.put("CanonicalRequest", canonical);
      return replies.error(403, "SignatureDoesNotMatch", MISMATCH, extra, "0002-00000040");
    }
    return null;
  }

  private Reply v1(Request r, String token, String bucket, String key) {
    Map<String, String> headers = r.lowerCaseHeaders();
    int colon = token.lastIndexOf(':');
    String secret = colon > 0 ? credentials.get(token.substring(0, colon)) : null;
    if (secret == null) {
      return replies.error(
          403,
          "InvalidAccessKeyId",
          "The OSS Access Key Id you provided does not exist in our records.",
          Map.of("OSSAccessKeyId", colon > 0 ? token.substring(0, colon) : ""));
    }
    String date =
        headers.containsKey("x-oss-date") ? headers.get("x-oss-date") : headers.get("date");
    try {
      Reply skewed =
          skewed(
              ZonedDateTime.parse(date == null ? "" : date, OssReplies.HTTP_DATE).toInstant(),
              date);
      if (skewed != null) {
        return skewed;
      }
    } catch (DateTimeParseException e) {
      return replies.error(403, "AccessDenied", "V1 needs a Date header in RFC 1123 form.");
    }
    return v1Signature(
        r,
        bucket,
        key,
        headers,
        headers.containsKey("date") ? headers.get("date").trim() : date,
        token.substring(0, colon),
        secret,
        token.substring(colon + 1));
  }

  /**
   * Checks a V1 presigned URL: {@code OSSAccessKeyId}, {@code Expires} (epoch seconds) in place of
   * the date, and {@code Signature}. OSS reads the first of repeated parameters; the query map
   * keeps them so.
   */
  private Reply v1Query(Request r, Map<String, String> query, String bucket, String key) {
    String accessKeyId = query.getOrDefault("OSSAccessKeyId", "");
    String secret = credentials.get(accessKeyId);
    if (secret == null) {
      return replies.error(
          403,
          "InvalidAccessKeyId",
          "The OSS Access Key Id you provided does not exist in our records.",
          Map.of("OSSAccessKeyId", accessKeyId));
    }
    String expires = query.getOrDefault("Expires", "");
    long at;
    try {
      at = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      return replies.error(
          403, "AccessDenied", "Expires must be a UNIX time in seconds, was '" + expires + "'.");
    }
    Reply expired = expired(Instant.ofEpochSecond(at));
    if (expired != null) {
      return expired;
    }
    return v1Signature(
        r,
        bucket,
        key,
        r.lowerCaseHeaders(),
        expires,
        accessKeyId,
        secret,
        query.getOrDefault("Signature", ""));
  }

  private Reply v1Signature(
      Request r,
      String bucket,
      String key,
      Map<String, String> headers,
      String date,
      String accessKeyId,
      String secret,
      String given) {
    StringBuilder s =
        new StringBuilder(r.method())
            .append('\n')
            .append(headers.getOrDefault("content-md5", "").trim())
            .append('\n')
            .append(headers.getOrDefault("content-type", "").trim())
            .append('\n')
            .append(date)
            .append('\n');
    new TreeMap<>(headers)
        .forEach(
            (name, value) -> {
              if (name.startsWith("x-oss-")) {
                s.append(name).append(':').append(value.trim()).append('\n');
              }
            });
    s.append(resource(bucket, key));
    TreeMap<String, String> sub = new TreeMap<>();
    r.query()
        .forEach(
            (qk, qv) -> {
              if (V1_SUBRESOURCES.contains(qk) || qk.startsWith("x-oss-")) {
                sub.put(qk, qv);
              }
            });
    String sep = "?";
    for (Map.Entry<String, String> e : sub.entrySet()) {
      s.append(sep).append(e.getKey()).append(e.getValue().isEmpty() ? "" : "=" + e.getValue());
      sep = "&";
    }
    String expected =
        Base64.getEncoder()
            .encodeToString(
                Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), s.toString()));
    if (!Hashes.same(expected, given)) {
      Map<String, String> extra = new LinkedHashMap<>();
      extra.put("OSSAccessKeyId", accessKeyId);
      extra.put("SignatureProvided", given);
      extra.put("StringToSign", s.toString());
      return replies.error(403, "SignatureDoesNotMatch", MISMATCH, extra, "0002-00000040");
    }
    return null;
  }

  private Reply skewed(Instant at, String given) {
    if (Duration.between(at, clock.instant()).abs().compareTo(FakeOssServer.MAX_SKEW) <= 0) {
      return null;
    }
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("RequestTime", given);
    extra.put("ServerTime", OssReplies.HTTP_DATE.format(clock.instant()));
    return replies.error(
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        extra,
        "0002-00000504");
  }

  /**
   * Checks an IMM request's ACS3-HMAC-SHA256 signature; returns IMM's error, or nothing when right.
   */
  Optional<Reply> verifyAcs(Request r) {
    String denied = acs(r);
    if (denied == null) {
      return Optional.empty();
    }
    int colon = denied.indexOf(':');
    return Optional.of(
        replies.acsError(
            denied.startsWith("InvalidAccessKeyId") ? 404 : 400,
            denied.substring(0, colon),
            denied.substring(colon + 2)));
  }

  /** Returns null when right, else {@code Code: message}. */
  private String acs(Request r) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.startsWith("ACS3-HMAC-SHA256 ")) {
      return "MissingAuthorization: ACS3-HMAC-SHA256 Authorization header is required.";
    }
    Map<String, String> parts = authParts(auth.substring("ACS3-HMAC-SHA256 ".length()));
    String secret = credentials.get(parts.getOrDefault("Credential", ""));
    if (secret == null) {
      return "InvalidAccessKeyId.NotFound: Specified access key is not found.";
    }
    String date = r.header("x-acs-date");
    try {
      Instant at = Instant.from(ACS_DATE.parse(date == null ? "" : date));
      if (Duration.between(at, clock.instant()).abs().compareTo(FakeOssServer.MAX_SKEW) > 0) {
        return "InvalidTimeStamp.Expired: Specified time stamp or date value is expired.";
      }
    } catch (DateTimeParseException e) {
      return "InvalidTimeStamp.Format: x-acs-date must look like 2006-01-02T15:04:05Z.";
    }
    String sha = Hashes.sha256Hex(r.body());
    if (!sha.equals(r.header("x-acs-content-sha256"))) {
      return "SignatureDoesNotMatch: x-acs-content-sha256 is not the SHA-256 of the body.";
    }
    StringBuilder c = new StringBuilder(r.method()).append("\n/\n");
    List<String> q = new ArrayList<>();
    new TreeMap<>(r.query()).forEach((k, v) -> q.add(rfc3986(k, false) + "=" + rfc3986(v, false)));
    c.append(String.join("&", q)).append('\n');
    String signedHeaders = parts.getOrDefault("SignedHeaders", "");
    for (String name : signedHeaders.split(";")) {
      String v = r.header(name);
      c.append(name).append(':').append(v == null ? "" : v.trim()).append('\n');
    }
    c.append('\n').append(signedHeaders).append('\n').append(sha);
    String stringToSign =
        "ACS3-HMAC-SHA256\n" + Hashes.sha256Hex(c.toString().getBytes(StandardCharsets.UTF_8));
    String expected =
        HexFormat.of()
            .formatHex(
                Hashes.hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
    if (!signedHeaders.contains("host")
        || !signedHeaders.contains("x-acs-date")
        || !Hashes.same(expected, parts.getOrDefault("Signature", ""))) {
      return "SignatureDoesNotMatch: Specified signature is not matched with our calculation. server string to sign is:"
          + stringToSign;
    }
    return null;
  }

  private static Map<String, String> authParts(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return m;
  }

  private static String resource(String bucket, String key) {
    return bucket == null ? "/" : "/" + bucket + "/" + (key == null ? "" : key);
  }

  private static String rfc3986(String value, boolean keepSlash) {
    StringBuilder s = new StringBuilder();
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
        s.append('%').append(String.format("%02X", c));
      }
    }
    return s.toString();
  }
}
