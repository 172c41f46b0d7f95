package dev.mediaflow.qiniu;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;

/**
 * Signs Qiniu requests, a pure function of the request, the credentials and the clock: the {@code
 * Qiniu} (v2, with {@code X-Qiniu-Date}) and legacy {@code QBox} management signatures, upload
 * tokens, private download URLs, and the check of the {@code Authorization} header Qiniu puts on
 * callbacks. The job client, the uploads and download URLs all sign here.
 *
 * <p>Every signature is HMAC-SHA1 with the secret key, URL-safe Base64 with its padding, prefixed
 * with the access key: {@code <AK>:<sign>}
 * (https://developer.qiniu.com/kodo/development_guidelines/1201/access-token,
 * https://developer.qiniu.com/kodo/1206/put-policy, https://developer.qiniu.com/kodo/manual/1202
 * for download tokens; qiniu-java-sdk {@code com/qiniu/util/Auth.java}). Thread-safe; {@link
 * #toString()} shows the access key only.
 */
final class QiniuSigner {
  static final String FORM = "application/x-www-form-urlencoded";
  private static final String OCTET = "application/octet-stream";

  /** {@code X-Qiniu-Date}: the signing time, which Qiniu checks against its clock. */
  static final DateTimeFormatter X_QINIU_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String accessKey;
  private final SecretKeySpec key;
  private final Clock clock;

  /** Download bases ({@code scheme://authority}) that {@code HttpUrl} accepted. */
  private final Map<String, Boolean> validBases = new ConcurrentHashMap<>();

  QiniuSigner(String accessKey, Secret secretKey, Clock clock) {
    if (accessKey == null || accessKey.isBlank() || accessKey.contains(":")) {
      throw new MediaValidationException("accessKey", "must be a Qiniu access key (no ':')");
    }
    Objects.requireNonNull(secretKey, "secretKey");
    if (secretKey.reveal().isEmpty()) {
      throw new MediaValidationException("secretKey", "must not be empty");
    }
    this.accessKey = accessKey;
    this.key = new SecretKeySpec(secretKey.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  private QiniuSigner(String accessKey, SecretKeySpec key, Clock clock) {
    this.accessKey = accessKey;
    this.key = key;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** This signer on another clock. */
  QiniuSigner withClock(Clock clock) {
    return new QiniuSigner(accessKey, key, clock);
  }

  String accessKey() {
    return accessKey;
  }

  /** {@code <AK>:<urlsafe_b64(hmac_sha1(SK, data))>}. */
  String sign(byte[] data) {
    return accessKey + ":" + b64(hmac(data));
  }

  /** {@code <AK>:<sign>:<urlsafe_b64(data)>}, the form of upload tokens. */
  String signWithData(byte[] data) {
    String encoded = b64(data);
    return sign(encoded.getBytes(StandardCharsets.UTF_8)) + ":" + encoded;
  }

  /** An upload token for {@code policy}, as it is (its deadline included). */
  String uploadToken(QiniuPutPolicy policy) {
    return signWithData(policy.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** An upload token for {@code policy} with its deadline {@code validFor} from now. */
  String uploadToken(QiniuPutPolicy.Builder policy, Duration validFor) {
    return uploadToken(policy.deadline(clock.instant().plus(validFor)).build());
  }

  // ---- management requests

  /**
   * The headers that sign a request with the {@code Qiniu} scheme: {@code X-Qiniu-Date} (the
   * clock's time, signed) when {@code date}, and {@code Authorization: Qiniu <AK>:<sign>}.
   *
   * @param contentType the request's Content-Type, or null for none
   * @param body the exact body bytes, or null
   */
  Map<String, String> qiniuHeaders(
      String method, HttpUrl url, String contentType, byte[] body, boolean date) {
    Map<String, List<String>> signed = new LinkedHashMap<>();
    if (contentType != null) {
      signed.put("Content-Type", List.of(contentType));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (date) {
      String now = X_QINIU_DATE.format(clock.instant());
      headers.put("X-Qiniu-Date", now);
      signed.put("X-Qiniu-Date", List.of(now));
    }
    headers.put("Authorization", "Qiniu " + qiniuToken(method, url.toString(), signed, body));
    return headers;
  }

  /**
   * The header that signs a request with the legacy {@code QBox} scheme: {@code Authorization: QBox
   * <AK>:<sign>}.
   */
  Map<String, String> qboxHeaders(HttpUrl url, String contentType, byte[] body) {
    return Map.of("Authorization", "QBox " + qboxToken(url.toString(), contentType, body));
  }

  /**
   * The {@code Qiniu} (v2) token {@code <AK>:<sign>} for a request, without the {@code "Qiniu "}
   * prefix. The signed text is {@code METHOD path[?query]}, the {@code Host}, the {@code
   * Content-Type} when the request has one, every {@code X-Qiniu-*} header (canonical names,
   * sorted), a blank line, and the body when it is neither empty nor {@code
   * application/octet-stream}.
   *
   * @param url the full URL as sent (the path is signed decoded and the query raw, as Qiniu does)
   * @param headers the request headers, names in any case (Qiniu's servers canonicalise them, so
   *     {@code x-qiniu-date} is signed as {@code X-Qiniu-Date}); {@code Host} is taken from the URL
   *     when absent
   * @param body the exact body bytes, or null
   */
  String qiniuToken(
      String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    return sign(qiniuSigningBytes(method, url, headers, body));
  }

  /**
   * The legacy {@code QBox} token for a request: the signed text is {@code path[?query]\n},
   * followed by the body only for {@code application/x-www-form-urlencoded}.
   */
  String qboxToken(String url, String contentType, byte[] body) {
    return sign(qboxSigningBytes(url, contentType, body));
  }

  // ---- download URLs

  /**
   * A private download URL for {@code url} valid for {@code validFor} from now; see {@link
   * #privateDownloadUrl(String, Instant)}.
   */
  String privateDownloadUrl(String url, Duration validFor) {
    return privateDownloadUrl(new StringBuilder(url.length() + 64).append(url), deadline(validFor));
  }

  /** The deadline ({@code e}, epoch seconds) of a download URL valid for {@code validFor}. */
  long deadline(Duration validFor) {
    if (validFor.isNegative() || validFor.isZero()) {
      throw new MediaValidationException("validFor", "must be positive, was " + validFor);
    }
    return clock.instant().getEpochSecond() + validFor.getSeconds();
  }

  /**
   * A private download URL: {@code url}, then {@code e=<deadline>} ({@code ?} or {@code &}), then
   * {@code token=<AK>:<urlsafe_b64(hmac_sha1(SK, url-with-e))>}, signed over the whole URL, scheme,
   * host, key, fop and query included, as Qiniu's download token and qiniu-java-sdk {@code
   * Auth.privateDownloadUrl} do. The URL is signed as given: its key, fop and query must already be
   * percent-encoded (see {@link #encodePath}), and a style or fop appended before signing.
   *
   * @throws MediaValidationException when {@code url} is not an http(s) URL, has a fragment (never
   *     sent, so it would break the signature), or already carries {@code e} or {@code token}
   */
  String privateDownloadUrl(String url, Instant deadline) {
    return privateDownloadUrl(
        new StringBuilder(url.length() + 64).append(url), deadline.getEpochSecond());
  }

  /**
   * {@link #privateDownloadUrl(String, Instant)} on the URL in {@code url}, which receives {@code
   * e} and {@code token}; the signed text is hashed from a reused buffer.
   */
  String privateDownloadUrl(StringBuilder url, long deadline) {
    if (!plainUrl(url)) {
      String text = url.toString();
      HttpUrl parsed = HttpUrl.parse(text);
      if (parsed == null || text.indexOf('#') >= 0) {
        throw new MediaValidationException("url", "must be an http(s) URL without a fragment");
      }
      if (parsed.queryParameter("e") != null || parsed.queryParameter("token") != null) {
        throw new MediaValidationException(
            "url", "already has an e or token parameter, which the download token adds");
      }
    }
    return appendToken(url, deadline, scratch.get());
  }

  /**
   * Appends {@code e} and {@code token} to a URL that passes the checks of {@link
   * #privateDownloadUrl(String, Instant)}, and returns it.
   */
  String appendToken(StringBuilder url, long deadline, Scratch s) {
    return appendToken(url, url.indexOf("?") >= 0, deadline, s);
  }

  /**
   * {@link #appendToken(StringBuilder, long, Scratch)} on a URL known to have a query ({@code
   * query}) or none.
   */
  String appendToken(StringBuilder url, boolean query, long deadline, Scratch s) {
    url.append(query ? "&e=" : "?e=").append(deadlineText(deadline));
    Mac mac = s.mac;
    int n = url.length();
    if (s.bytes.length < n) {
      s.bytes = new byte[Math.max(n, 2 * s.bytes.length)];
    }
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      char c = url.charAt(i);
      s.bytes[i] = (byte) c;
      ascii = c < 0x80;
    }
    if (ascii) {
      mac.update(s.bytes, 0, n);
    } else {
      mac.update(url.toString().getBytes(StandardCharsets.UTF_8));
    }
    try {
      mac.doFinal(s.signature, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    int length = Base64.getUrlEncoder().encode(s.signature, s.base64);
    url.append("&token=").append(accessKey).append(':');
    for (int i = 0; i < length; i++) {
      url.append((char) s.base64[i]);
    }
    return url.toString();
  }

  /** The last deadline written and its text: the URLs of one second share it. */
  private record Deadline(long at, String text) {}

  private volatile Deadline lastDeadline = new Deadline(Long.MIN_VALUE, "");

  private String deadlineText(long deadline) {
    Deadline d = lastDeadline;
    if (d.at != deadline) {
      d = new Deadline(deadline, Long.toString(deadline));
      lastDeadline = d;
    }
    return d.text;
  }

  /**
   * A thread's MAC and buffers for download tokens: the URL being made, the signed bytes, the HMAC
   * and its Base64.
   */
  static final class Scratch {
    private final Mac mac;
    private StringBuilder url = new StringBuilder(256);
    private StringBuilder fop = new StringBuilder(128);
    private byte[] bytes = new byte[1024];
    private final byte[] signature = new byte[20];
    private final byte[] base64 = new byte[28];

    private Scratch(Mac mac) {
      this.mac = mac;
    }

    /** The URL buffer, emptied (and dropped when a long URL made it large). */
    StringBuilder url() {
      if (url.capacity() > 16 * 1024) {
        url = new StringBuilder(256);
      }
      if (bytes.length > 16 * 1024) {
        bytes = new byte[1024];
      }
      url.setLength(0);
      return url;
    }

    /** The buffer a URL's fop chain is rendered into before it is encoded, emptied. */
    StringBuilder fop() {
      if (fop.capacity() > 16 * 1024) {
        fop = new StringBuilder(128);
      }
      fop.setLength(0);
      return fop;
    }
  }

  /**
   * Each thread's {@link Scratch}, its MAC keyed with {@link #key}: keying a MAC costs a provider
   * look-up and a key schedule, more than the signature of a URL, and {@code doFinal} leaves it
   * ready for the next.
   */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(newMac()));

  /** This thread's buffers. */
  Scratch scratch() {
    return scratch.get();
  }

  /**
   * True when {@code base}, a {@code scheme://authority} without a path, is one that {@code
   * HttpUrl} accepted lately.
   */
  boolean knownBase(String base) {
    for (String b : recentBases) {
      if (b != null && (b == base || b.equals(base))) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when {@code suffix}, written after a known base and an encoded key, keeps the URL plain
   * (see {@link #plainUrl}): printable ASCII, no fragment, and no query parameter named {@code e}
   * or {@code token} or with a {@code %} in its name.
   */
  static boolean plainSuffix(String suffix) {
    return plainSuffix(suffix, 0);
  }

  /** {@link #plainSuffix(String)} of the text of {@code url} from {@code from} to its end. */
  static boolean plainSuffix(CharSequence url, int from) {
    int q = -1;
    for (int i = from; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '#') {
        return false;
      }
      if (c == '?' && q < 0) {
        q = i;
      }
    }
    return q < 0 || plainQuery(url, q + 1);
  }

  /** The last download bases ({@code scheme://authority}) that {@code HttpUrl} accepted. */
  private final String[] recentBases = new String[8];

  /**
   * True when {@code url} is known to pass the checks of {@link #privateDownloadUrl(String,
   * Instant)} without parsing it whole: {@code http://} or {@code https://}, then a scheme and
   * authority that {@code HttpUrl} has accepted before (kept for a few bases, such as a bucket's
   * download domain), only printable ASCII, no fragment, and no query parameter named {@code e} or
   * {@code token} or with a {@code %} in its name. Anything else goes to the full parse, which
   * decides. {@code HttpUrl} refuses a URL only for its scheme, host or port, never for its path or
   * query, so the base decides whether it parses.
   */
  private boolean plainUrl(CharSequence url) {
    int start;
    if (startsWith(url, "https://", 0)) {
      start = 8;
    } else if (startsWith(url, "http://", 0)) {
      start = 7;
    } else {
      return false;
    }
    int n = url.length();
    int end = -1;
    int query = -1;
    for (int i = start; i < n; i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '#') {
        return false;
      }
      if (end < 0 && (c == '/' || c == '\\' || c == '?')) {
        end = i;
      }
      if (c == '?' && query < 0) {
        query = i + 1;
      }
    }
    if (end < 0) {
      end = n;
    }
    if (query >= 0 && !plainQuery(url, query)) {
      return false;
    }
    String[] recent = recentBases;
    for (String b : recent) {
      if (b != null && b.length() == end && startsWith(url, b, 0)) {
        return true;
      }
    }
    String base = url.subSequence(0, end).toString();
    if (validBases.containsKey(base)) {
      recent[Math.floorMod(base.hashCode(), recent.length)] = base;
      return true;
    }
    if (HttpUrl.parse(base) == null) {
      return false;
    }
    if (validBases.size() < 64) {
      validBases.put(base, Boolean.TRUE);
    }
    recent[Math.floorMod(base.hashCode(), recent.length)] = base;
    return true;
  }

  /**
   * True when no query parameter from {@code from} to the end of {@code url} is named {@code e} or
   * {@code token} or has a {@code %} in its name.
   */
  private static boolean plainQuery(CharSequence url, int from) {
    int n = url.length();
    while (from <= n) {
      int to = from;
      int nameEnd = -1;
      boolean percent = false;
      while (to < n && url.charAt(to) != '&') {
        char c = url.charAt(to);
        if (c == '=' && nameEnd < 0) {
          nameEnd = to;
        }
        if (c == '%' && nameEnd < 0) {
          percent = true;
        }
        to++;
      }
      if (nameEnd < 0) {
        nameEnd = to;
      }
      int length = nameEnd - from;
      if ((length == 1 && url.charAt(from) == 'e')
          || (length == 5 && startsWith(url, "token", from))
          || percent) {
        return false;
      }
      from = to + 1;
    }
    return true;
  }

  /** True when {@code s} has {@code prefix} at {@code from}. */
  private static boolean startsWith(CharSequence s, String prefix, int from) {
    int n = prefix.length();
    if (from + n > s.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(from + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Percent-encodes an object key for a download URL's path, as qiniu-java-sdk {@code DownloadUrl}
   * does: UTF-8, with {@code A-Z a-z 0-9 - _ . ~} and {@code /} kept, so no key can add a query or
   * a fragment.
   */
  static String encodePath(String key) {
    if (unreserved(key, true)) {
      return key;
    }
    StringBuilder s = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        s.append((char) c);
      } else {
        s.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }

  /**
   * Appends {@code s} percent-encoded as {@link #encodePath} does: ASCII is encoded as it is read,
   * anything from the first non-ASCII character on through its UTF-8 bytes.
   *
   * @return true when {@code s} was appended as it is (nothing needed encoding)
   */
  static boolean appendPath(StringBuilder out, StringBuilder s) {
    int n = s.length();
    int kept = 0;
    while (kept < n && unreserved(s.charAt(kept), true)) {
      kept++;
    }
    if (kept == n) {
      out.append(s); // one copy
      return true;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        out.append(encodePath(s.substring(i)));
        return false;
      }
      if (unreserved(c, true)) {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return false;
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * True when every character of {@code s} is one that percent-encoding keeps: {@code A-Z a-z 0-9 -
   * _ . ~}, and {@code /} with {@code slash}.
   */
  static boolean unreserved(String s, boolean slash) {
    for (int i = 0; i < s.length(); i++) {
      if (!unreserved(s.charAt(i), slash)) {
        return false;
      }
    }
    return true;
  }

  /** True for {@code A-Z a-z 0-9 - _ . ~}, and {@code /} with {@code slash}. */
  private static boolean unreserved(char c, boolean slash) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~'
        || (slash && c == '/');
  }

  // ---- callbacks

  /**
   * Checks the {@code Authorization} header of a request Qiniu sent (an upload callback), in either
   * scheme.
   *
   * @return true only when the signature was made with this access key and secret key
   */
  boolean isValidCallback(
      String authorization,
      String method,
      String url,
      Map<String, ? extends Collection<String>> headers,
      byte[] body) {
    if (authorization == null) {
      return false;
    }
    String expected;
    if (authorization.startsWith("Qiniu ")) {
      expected = "Qiniu " + qiniuToken(method, url, headers, body);
    } else if (authorization.startsWith("QBox ")) {
      expected = "QBox " + qboxToken(url, header(headers, "Content-Type"), body);
    } else {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
  }

  // ---- signing strings (package-private: the fake server shows them)

  static byte[] qiniuSigningBytes(
      String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    URI uri = uri(url);
    StringBuilder s = new StringBuilder();
    s.append(method.toUpperCase(Locale.ROOT))
        .append(' ')
        .append(uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath());
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      s.append('?').append(uri.getRawQuery());
    }
    String host = header(headers, "Host");
    if (host == null) {
      host =
          uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""); // as written in the URL
    }
    s.append("\nHost: ").append(host);
    String contentType = header(headers, "Content-Type");
    if (contentType != null && !contentType.isEmpty()) {
      s.append("\nContent-Type: ").append(contentType);
    }
    List<String[]> qiniu = new ArrayList<>();
    if (headers != null) {
      headers.forEach(
          (name, values) -> {
            if (name != null
                && name.length() > "X-Qiniu-".length()
                && name.regionMatches(true, 0, "X-Qiniu-", 0, 8)) {
              for (String v : values) {
                qiniu.add(new String[] {canonical(name), v});
              }
            }
          });
    }
    qiniu.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    for (String[] h : qiniu) {
      s.append('\n').append(h[0]).append(": ").append(h[1]);
    }
    s.append("\n\n");
    byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
    boolean withBody =
        body != null
            && body.length > 0
            && contentType != null
            && !contentType.isEmpty()
            && !contentType.equalsIgnoreCase(OCTET);
    return withBody ? concat(head, body) : head;
  }

  static byte[] qboxSigningBytes(String url, String contentType, byte[] body) {
    URI uri = uri(url);
    StringBuilder s = new StringBuilder(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      s.append('?').append(uri.getRawQuery());
    }
    s.append('\n');
    byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
    boolean withBody =
        body != null
            && body.length > 0
            && contentType != null
            && contentType.equalsIgnoreCase(FORM);
    return withBody ? concat(head, body) : head;
  }

  /** Go's textproto canonical form: {@code x-qiniu-date} is {@code X-Qiniu-Date}. */
  static String canonical(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  private static String header(Map<String, ? extends Collection<String>> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, ? extends Collection<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().iterator().next();
      }
    }
    return null;
  }

  private static URI uri(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new MediaValidationException("url", "is not a valid URL: " + e.getReason());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private byte[] hmac(byte[] data) {
    return scratch.get().mac.doFinal(data);
  }

  private static String b64(byte[] data) {
    return Base64.getUrlEncoder().encodeToString(data);
  }

  @Override
  public String toString() {
    return "QiniuSigner{accessKey=" + accessKey + "}";
  }
}
