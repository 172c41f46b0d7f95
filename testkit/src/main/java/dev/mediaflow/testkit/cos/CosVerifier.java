package dev.mediaflow.testkit.cos;

import dev.mediaflow.testkit.Forms;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks COS's q-sign (v5) signature as COS checks it
 * (https://cloud.tencent.com/document/product/436/7778), in the {@code Authorization} header or in
 * the query (presigned URLs): the signed headers and parameters named by {@code q-header-list} and
 * {@code q-url-param-list} must be present; the key time window must hold the server's time;
 * temporary credentials need their token ({@code x-cos-security-token}, or on Cloud Infinite hosts
 * also {@code x-ci-security-token}). Unsigned extra headers and parameters are accepted, as COS
 * accepts the SDKs' unsigned processing parameters. Thread-safe.
 */
final class CosVerifier {
  /** How far before a signature's start time the server's clock may be. */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private static final Set<String> AUTH_PARAMS =
      Set.of(
          "q-sign-algorithm",
          "q-ak",
          "q-sign-time",
          "q-key-time",
          "q-header-list",
          "q-url-param-list",
          "q-signature");

  private final Map<String, String> secrets;
  private final Map<String, String> tokens;
  private final Clock clock;
  private final CosReplies replies;
  private final Set<String> publicBuckets;

  /**
   * @param secrets SecretIds and their SecretKeys (permanent and temporary)
   * @param tokens the session token each temporary SecretId needs
   */
  CosVerifier(
      Map<String, String> secrets,
      Map<String, String> tokens,
      Clock clock,
      CosReplies replies,
      Set<String> publicBuckets) {
    this.secrets = secrets;
    this.tokens = tokens;
    this.clock = clock;
    this.replies = replies;
    this.publicBuckets = publicBuckets;
  }

  /**
   * Returns the error answer for a request whose signature does not hold, or empty when it does.
   *
   * @param ci whether the request came to a Cloud Infinite host ({@code .ci.} or {@code .pic.})
   */
  Optional<Reply> verify(Request r, String bucket, boolean ci) {
    String resource = r.header("Host") + r.rawPath();
    Map<String, String> auth = authorization(r);
    if (auth == null) {
      if (!ci
          && bucket != null
          && publicBuckets.contains(bucket)
          && (r.method().equals("GET") || r.method().equals("HEAD"))) {
        return Optional.empty();
      }
      return Optional.of(replies.error(403, "AccessDenied", "Access Denied.", resource));
    }
    for (String p : AUTH_PARAMS) {
      if (!auth.containsKey(p)) {
        return Optional.of(
            replies.error(
                400,
                "InvalidArgument",
                "The Authorization you provided is malformed: " + p + " is missing.",
                resource));
      }
    }
    if (!auth.get("q-sign-algorithm").equals("sha1")) {
      return Optional.of(
          replies.error(400, "InvalidArgument", "q-sign-algorithm must be sha1.", resource));
    }
    String ak = auth.get("q-ak");
    String secret = secrets.get(ak);
    if (secret == null) {
      return Optional.of(
          replies.error(
              403,
              "InvalidAccessKeyId",
              "The access key Id format you provided is invalid, please check.",
              resource));
    }
    long[] signTime = window(auth.get("q-sign-time"));
    long[] keyTime = window(auth.get("q-key-time"));
    if (signTime == null || keyTime == null) {
      return Optional.of(
          replies.error(
              400,
              "InvalidArgument",
              "q-sign-time and q-key-time must be <start>;<end> in Unix seconds.",
              resource));
    }
    long now = clock.instant().getEpochSecond();
    if (now > signTime[1] || now > keyTime[1]) {
      return Optional.of(replies.error(403, "AccessDenied", "Request has expired", resource));
    }
    if (signTime[0] - MAX_SKEW.toSeconds() > now || keyTime[0] - MAX_SKEW.toSeconds() > now) {
      return Optional.of(
          replies.error(
              403,
              "RequestTimeTooSkewed",
              "The difference between the request time and the server's time is too large.",
              resource));
    }
    String expectedToken = tokens.get(ak);
    if (expectedToken != null) {
      String given = token(r, ci);
      if (given == null || !Hashes.same(expectedToken, given)) {
        return Optional.of(
            replies.error(
                403,
                "InvalidAccessKeyId",
                given == null
                    ? "The temporary key needs its security token."
                    : "The security token you provided is invalid.",
                resource));
      }
    }
    String httpString;
    try {
      httpString = httpString(r, auth.get("q-header-list"), auth.get("q-url-param-list"));
    } catch (IllegalArgumentException e) {
      return Optional.of(
          replies.error(
              403,
              "SignatureDoesNotMatch",
              "The Signature you specified is invalid. " + e.getMessage(),
              resource));
    }
    String expected =
        signature(secret, auth.get("q-key-time"), auth.get("q-sign-time"), httpString);
    if (!Hashes.same(expected, auth.get("q-signature").toLowerCase(Locale.ROOT))) {
      return Optional.of(
          replies.error(
              403, "SignatureDoesNotMatch", "The Signature you specified is invalid.", resource));
    }
    return Optional.empty();
  }

  /** The token sent: on COS hosts only {@code x-cos-security-token}, on CI hosts either header. */
  private static String token(Request r, boolean ci) {
    String t = r.header("x-cos-security-token");
    if (t == null) {
      t = r.query().get("x-cos-security-token");
    }
    if (t == null && ci) {
      t = r.header("x-ci-security-token");
      if (t == null) {
        t = r.query().get("x-ci-security-token");
      }
    }
    return t;
  }

  /** The authorization's fields, from the header or the query; null for an anonymous request. */
  static Map<String, String> authorization(Request r) {
    String header = r.header("Authorization");
    Map<String, String> m = new LinkedHashMap<>();
    if (header != null && !header.isBlank()) {
      for (String pair : header.trim().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
      return m;
    }
    Map<String, String> q = r.query();
    if (q.containsKey("sign")) {
      // One query parameter holding the whole authorization, URL-encoded.
      for (String pair : q.get("sign").split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      return m;
    }
    if (!q.containsKey("q-signature") && !q.containsKey("q-ak")) {
      return null;
    }
    for (String p : AUTH_PARAMS) {
      if (q.containsKey(p)) {
        m.put(p, q.get(p));
      }
    }
    return m;
  }

  private static long[] window(String text) {
    String[] parts = text.split(";");
    if (parts.length != 2) {
      return null;
    }
    try {
      long a = Long.parseLong(parts[0].trim());
      long b = Long.parseLong(parts[1].trim());
      return a <= b ? new long[] {a, b} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The HttpString of the doc's algorithm: method, decoded path, the listed parameters and the
   * listed headers, each {@code key=value} URL-encoded and sorted.
   */
  static String httpString(Request r, String headerList, String paramList) {
    Map<String, String> params = new TreeMap<>();
    Map<String, String> query = queryForSigning(r.rawQuery());
    for (String name : list(paramList)) {
      if (!query.containsKey(name)) {
        throw new IllegalArgumentException("The signed parameter " + name + " was not sent.");
      }
      params.put(name, query.get(name));
    }
    Map<String, String> sent = new TreeMap<>();
    r.lowerCaseHeaders().forEach((k, v) -> sent.put(encode(k).toLowerCase(Locale.ROOT), v));
    Map<String, String> headers = new TreeMap<>();
    for (String name : list(headerList)) {
      String v = sent.get(name);
      if (v == null) {
        throw new IllegalArgumentException("The signed header " + name + " was not sent.");
      }
      headers.put(name, encode(v.trim()));
    }
    return r.method().toLowerCase(Locale.ROOT)
        + "\n"
        + r.path()
        + "\n"
        + join(params)
        + "\n"
        + join(headers)
        + "\n";
  }

  /** The query's parameters, keys lower-cased and encoded, values encoded, the auth's removed. */
  private static Map<String, String> queryForSigning(String rawQuery) {
    Map<String, String> m = new TreeMap<>();
    Forms.pairs(rawQuery)
        .forEach(
            (k, v) -> {
              if (!AUTH_PARAMS.contains(k)) {
                m.put(encode(k).toLowerCase(Locale.ROOT), encode(v == null ? "" : v));
              }
            });
    return m;
  }

  private static List<String> list(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(text.trim().toLowerCase(Locale.ROOT).split(";"));
  }

  private static String join(Map<String, String> sorted) {
    StringBuilder b = new StringBuilder();
    sorted.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=').append(v));
    return b.toString();
  }

  /** The signature of {@code httpString} under {@code secret}. */
  static String signature(String secret, String keyTime, String signTime, String httpString) {
    HexFormat hex = HexFormat.of();
    String signKey =
        hex.formatHex(Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), keyTime));
    String stringToSign =
        "sha1\n"
            + signTime
            + "\n"
            + hex.formatHex(Hashes.digest("SHA-1", httpString.getBytes(StandardCharsets.UTF_8)))
            + "\n";
    return hex.formatHex(
        Hashes.hmac("HmacSHA1", signKey.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  /** RFC 3986 percent-encoding: unreserved characters kept, hex upper-case. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if ((u >= 'a' && u <= 'z')
          || (u >= 'A' && u <= 'Z')
          || (u >= '0' && u <= '9')
          || u == '-'
          || u == '_'
          || u == '.'
          || u == '~') {
        b.append((char) u);
      } else {
        b.append('%').append(String.format("%02X", u));
      }
    }
    return b.toString();
  }
}
