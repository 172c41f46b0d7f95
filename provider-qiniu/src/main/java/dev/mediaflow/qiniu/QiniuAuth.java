package dev.mediaflow.qiniu;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Qiniu's signatures: the {@code Qiniu} (v2) and legacy {@code QBox} management tokens, upload tokens, and
 * the check of the {@code Authorization} header Qiniu puts on upload callbacks.
 *
 * <p>Every signature is HMAC-SHA1 with the secret key, URL-safe base64 with its padding, prefixed with the
 * access key: {@code <AK>:<sign>}. The secret key never leaves this object: {@link #toString()} shows the
 * access key only. Immutable and thread-safe.
 *
 * <pre>{@code
 * QiniuAuth auth = QiniuAuth.of("AK", Secret.of(System.getenv("QINIU_SECRET_KEY")));
 * String token = auth.uploadToken(QiniuPutPolicy.builder("media").key("raw/in.mp4").build());
 * boolean genuine = auth.isValidCallback(request.getHeader("Authorization"), "POST", fullUrl, headers, body);
 * }</pre>
 */
public final class QiniuAuth {
  static final String FORM = "application/x-www-form-urlencoded";
  private static final String OCTET = "application/octet-stream";

  private final String accessKey;
  private final SecretKeySpec key;

  private QiniuAuth(String accessKey, Secret secretKey) {
    if (accessKey == null || accessKey.isBlank() || accessKey.contains(":")) {
      throw new MediaValidationException("accessKey", "must be a Qiniu access key (no ':')");
    }
    Objects.requireNonNull(secretKey, "secretKey");
    if (secretKey.reveal().isEmpty()) {
      throw new MediaValidationException("secretKey", "must not be empty");
    }
    this.accessKey = accessKey;
    this.key = new SecretKeySpec(secretKey.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA1");
  }

  public static QiniuAuth of(String accessKey, Secret secretKey) {
    return new QiniuAuth(accessKey, secretKey);
  }

  public String accessKey() {
    return accessKey;
  }

  /** Returns {@code <AK>:<urlsafe_b64(hmac_sha1(SK, data))>}. */
  public String sign(byte[] data) {
    return accessKey + ":" + b64(hmac(data));
  }

  /** Returns {@code <AK>:<sign>:<urlsafe_b64(data)>}, the form of upload tokens. */
  public String signWithData(byte[] data) {
    String encoded = b64(data);
    return sign(encoded.getBytes(StandardCharsets.UTF_8)) + ":" + encoded;
  }

  /** Returns an upload token for {@code policy}. */
  public String uploadToken(QiniuPutPolicy policy) {
    return signWithData(policy.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the {@code Qiniu} (v2) token {@code <AK>:<sign>} for a request, without the {@code "Qiniu "} prefix.
   * The signed text is {@code METHOD path[?query]}, the {@code Host}, the {@code Content-Type} when the request
   * has one, every {@code X-Qiniu-*} header (canonical names, sorted), a blank line, and the body when it is
   * neither empty nor {@code application/octet-stream}.
   *
   * @param method the HTTP method
   * @param url the full URL as sent (the path is signed decoded and the query raw, as Qiniu does)
   * @param headers the request headers, names in any case (Qiniu's servers canonicalise them, so
   *     {@code x-qiniu-date} is signed as {@code X-Qiniu-Date}); {@code Host} is taken from the URL when absent
   * @param body the exact body bytes, or null
   */
  public String signQiniu(String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    return sign(qiniuSigningBytes(method, url, headers, body));
  }

  /**
   * Returns the legacy {@code QBox} token for a request: the signed text is {@code path[?query]\n}, followed by
   * the body only for {@code application/x-www-form-urlencoded}.
   */
  public String signQBox(String url, String contentType, byte[] body) {
    return sign(qboxSigningBytes(url, contentType, body));
  }

  /**
   * Checks the {@code Authorization} header of a request Qiniu sent (an upload callback), in either scheme.
   *
   * @param authorization the header's value, such as {@code "QBox AK:sign"} or {@code "Qiniu AK:sign"}
   * @param method the request method (Qiniu callbacks are POST)
   * @param url the full URL Qiniu called, query included, exactly as configured in {@code callbackUrl}
   * @param headers the request headers (for {@code Qiniu}: Host, Content-Type and X-Qiniu-*)
   * @param body the raw body bytes
   * @return true only when the signature was made with this access key and secret key
   */
  public boolean isValidCallback(String authorization, String method, String url,
      Map<String, ? extends Collection<String>> headers, byte[] body) {
    if (authorization == null) {
      return false;
    }
    String expected;
    if (authorization.startsWith("Qiniu ")) {
      expected = "Qiniu " + signQiniu(method, url, headers, body);
    } else if (authorization.startsWith("QBox ")) {
      expected = "QBox " + signQBox(url, header(headers, "Content-Type"), body);
    } else {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
  }

  // ---- signing strings (package-private: the fake server shows them)

  static byte[] qiniuSigningBytes(String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    URI uri = uri(url);
    StringBuilder s = new StringBuilder();
    s.append(method.toUpperCase(Locale.ROOT)).append(' ').append(uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath());
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      s.append('?').append(uri.getRawQuery());
    }
    String host = header(headers, "Host");
    if (host == null) {
      host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""); // as written in the URL
    }
    s.append("\nHost: ").append(host);
    String contentType = header(headers, "Content-Type");
    if (contentType != null && !contentType.isEmpty()) {
      s.append("\nContent-Type: ").append(contentType);
    }
    List<String[]> qiniu = new ArrayList<>();
    if (headers != null) {
      headers.forEach((name, values) -> {
        if (name != null && name.length() > "X-Qiniu-".length() && name.regionMatches(true, 0, "X-Qiniu-", 0, 8)) {
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
    boolean withBody = body != null && body.length > 0 && contentType != null && !contentType.isEmpty()
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
    boolean withBody = body != null && body.length > 0 && contentType != null && contentType.equalsIgnoreCase(FORM);
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
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  private static String b64(byte[] data) {
    return Base64.getUrlEncoder().encodeToString(data);
  }

  @Override
  public String toString() {
    return "QiniuAuth{accessKey=" + accessKey + "}";
  }
}
