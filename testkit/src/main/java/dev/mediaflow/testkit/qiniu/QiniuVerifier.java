package dev.mediaflow.testkit.qiniu;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks what Qiniu checks before it serves a request: {@code Qiniu} (v2) and {@code QBox}
 * signatures in the {@code Authorization} header, with {@code X-Qiniu-Date} skew, and upload tokens
 * (signature, deadline, scope), and download tokens on private buckets' URLs. It answers nothing
 * when the request is right, else Qiniu's error. Thread-safe.
 */
final class QiniuVerifier {
  private static final DateTimeFormatter QINIU_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** An upload token Qiniu refuses, with Qiniu's message. */
  static final class BadToken extends Exception {
    private static final long serialVersionUID = 1L;

    BadToken(String message) {
      super(message);
    }
  }

  private final Map<String, String> credentials;
  private final Clock clock;
  private final QiniuReplies replies;

  QiniuVerifier(Map<String, String> credentials, Clock clock, QiniuReplies replies) {
    this.credentials = credentials;
    this.clock = clock;
    this.replies = replies;
  }

  /**
   * Checks a management request's signature; returns Qiniu's 401, or nothing when right. Without
   * {@code required}, a request with no {@code Authorization} passes (Qiniu answers prefop
   * unsigned).
   */
  Optional<Reply> verify(Request r, boolean required) {
    String denied = denied(r, required);
    return denied == null ? Optional.empty() : Optional.of(replies.error(401, denied));
  }

  /** Returns null when the request is signed right, else the error message Qiniu gives. */
  private String denied(Request r, boolean required) {
    String auth = r.header("Authorization");
    if (auth == null) {
      return required ? "bad token" : null;
    }
    String scheme;
    if (auth.startsWith("Qiniu ")) {
      scheme = "Qiniu";
    } else if (auth.startsWith("QBox ")) {
      scheme = "QBox";
    } else {
      return "bad token";
    }
    String token = auth.substring(scheme.length() + 1);
    int colon = token.indexOf(':');
    if (colon <= 0) {
      return "bad token";
    }
    String secret = credentials.get(token.substring(0, colon));
    if (secret == null) {
      return "bad token"; // Qiniu does not say whether the key or the signature is wrong
    }
    String contentType = r.header("Content-Type");
    if (scheme.equals("Qiniu")) {
      String date = r.header("X-Qiniu-Date");
      if (date != null) {
        try {
          Instant at = Instant.from(QINIU_DATE.parse(date));
          if (Duration.between(at, clock.instant()).abs().compareTo(FakeQiniuServer.MAX_SKEW) > 0) {
            return "bad token: X-Qiniu-Date "
                + date
                + " is more than 15 minutes from the server time "
                + QINIU_DATE.format(clock.instant());
          }
        } catch (DateTimeParseException e) {
          return "bad token: X-Qiniu-Date must look like 20060102T150405Z";
        }
      }
      // The official Java SDK sends "Host: 127.0.0.1" but signs the host and port of the URL it
      // called, so
      // on a non-default port both forms are accepted.
      String host = r.header("Host");
      List<String> hosts = new ArrayList<>(List.of(host == null ? "" : host));
      if (host != null && !host.contains(":")) {
        hosts.add(host + ":" + r.localPort());
      }
      for (String candidate : hosts) {
        if (matches(token, colon, secret, qiniuSigningBytes(r, candidate, contentType))) {
          return null;
        }
      }
      return "bad token";
    }
    String s =
        r.rawPath()
            + (r.rawQuery() == null || r.rawQuery().isEmpty() ? "" : "?" + r.rawQuery())
            + "\n";
    boolean withBody =
        contentType != null && contentType.equalsIgnoreCase("application/x-www-form-urlencoded");
    byte[] signed = join(s.getBytes(StandardCharsets.UTF_8), withBody ? r.body() : new byte[0]);
    return matches(token, colon, secret, signed) ? null : "bad token";
  }

  private static boolean matches(String token, int colon, String secret, byte[] signed) {
    String expected =
        token.substring(0, colon)
            + ":"
            + Base64.getUrlEncoder()
                .encodeToString(
                    Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), signed));
    return Hashes.same(expected, token);
  }

  /**
   * Qiniu's v2 signing text: method, path and query, Host, Content-Type, X-Qiniu-* headers, then
   * the body.
   */
  private static byte[] qiniuSigningBytes(Request r, String host, String contentType) {
    StringBuilder s = new StringBuilder(r.method()).append(' ').append(r.path());
    if (r.rawQuery() != null && !r.rawQuery().isEmpty()) {
      s.append('?').append(r.rawQuery());
    }
    s.append("\nHost: ").append(host);
    if (contentType != null && !contentType.isEmpty()) {
      s.append("\nContent-Type: ").append(contentType);
    }
    List<String> qiniu = new ArrayList<>();
    r.headers()
        .forEach(
            (name, values) -> {
              if (name.length() > 8 && name.regionMatches(true, 0, "X-Qiniu-", 0, 8)) {
                for (String v : values) {
                  qiniu.add(canonical(name) + ": " + v);
                }
              }
            });
    Collections.sort(qiniu);
    qiniu.forEach(q -> s.append('\n').append(q));
    s.append("\n\n");
    byte[] body = r.body();
    boolean withBody =
        body.length > 0
            && contentType != null
            && !contentType.isEmpty()
            && !contentType.equalsIgnoreCase("application/octet-stream");
    return join(s.toString().getBytes(StandardCharsets.UTF_8), withBody ? body : new byte[0]);
  }

  private static String canonical(String name) {
    StringBuilder b = new StringBuilder();
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  private static byte[] join(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Checks an upload token (signature and deadline) and returns its policy; the scope and the other
   * limits are checked by {@link QiniuPolicy} once the upload's key and content are known. Qiniu
   * answers 401 {@code bad token} for a token that is not signed by a known key (it does not say
   * which part is wrong), and 401 {@code expired token} past the deadline.
   */
  QiniuPolicy uploadPolicy(String token) throws BadToken {
    String[] parts = token.split(":");
    if (parts.length != 3) {
      throw new BadToken("bad token");
    }
    String secret = credentials.get(parts[0]);
    if (secret == null) {
      throw new BadToken("bad token");
    }
    String expected =
        Base64.getUrlEncoder()
            .encodeToString(
                Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), parts[2]));
    if (!Hashes.same(expected, parts[1])) {
      throw new BadToken("bad token");
    }
    JsonObject policy;
    try {
      policy =
          JsonParser.parseString(
                  new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8))
              .getAsJsonObject();
    } catch (RuntimeException e) {
      throw new BadToken("bad token");
    }
    if (!policy.has("scope") || !policy.has("deadline")) {
      throw new BadToken("bad token");
    }
    if (policy.get("deadline").getAsLong() < clock.instant().getEpochSecond()) {
      throw new BadToken("expired token");
    }
    return new QiniuPolicy(policy);
  }

  /**
   * Checks the download token of a private bucket's URL as Qiniu does
   * (https://developer.qiniu.com/kodo/manual/1202): {@code token=<AK>:<sign>} must be the last
   * parameter, and {@code sign} the URL-safe Base64 HMAC-SHA1 of the whole URL before {@code
   * &token=} (scheme, host, path and query as sent, {@code e} included), whose {@code e} deadline
   * has not passed on the server's clock. Returns Qiniu's 401, or nothing when right.
   */
  Optional<Reply> verifyDownload(Request r) {
    String query = r.rawQuery();
    int at = query == null ? -1 : query.lastIndexOf("token=");
    if (at < 0 || (at > 0 && query.charAt(at - 1) != '&')) {
      return Optional.of(replies.error(401, "download token not specified"));
    }
    String token =
        java.net.URLDecoder.decode(query.substring(at + "token=".length()), StandardCharsets.UTF_8);
    String signedQuery = at == 0 ? "" : query.substring(0, at - 1);
    String deadline = null;
    for (String pair : signedQuery.split("&")) {
      if (pair.startsWith("e=")) {
        deadline = pair.substring(2);
      }
    }
    int colon = token.indexOf(':');
    String secret = colon <= 0 ? null : credentials.get(token.substring(0, colon));
    if (deadline == null || secret == null || !deadline.matches("\\d{1,12}")) {
      return Optional.of(replies.error(401, "download token auth failed"));
    }
    String host = r.header("Host");
    List<String> hosts = new ArrayList<>();
    if (host != null) {
      hosts.add(host);
      if (!host.contains(":")) {
        hosts.add(host + ":" + r.localPort());
      }
    } else {
      hosts.add("127.0.0.1:" + r.localPort());
    }
    boolean signed = false;
    for (String h : hosts) {
      String url = "http://" + h + r.rawPath() + (signedQuery.isEmpty() ? "" : "?" + signedQuery);
      signed |= matches(token, colon, secret, url.getBytes(StandardCharsets.UTF_8));
    }
    if (!signed) {
      return Optional.of(replies.error(401, "download token auth failed"));
    }
    // Qiniu's body for an expired download token is not documented; its upload tokens say this.
    if (Long.parseLong(deadline) < clock.instant().getEpochSecond()) {
      return Optional.of(replies.error(401, "token out of date"));
    }
    return Optional.empty();
  }
}
