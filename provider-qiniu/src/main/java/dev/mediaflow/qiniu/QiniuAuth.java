package dev.mediaflow.qiniu;

import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;

/**
 * Qiniu's signatures: the {@code Qiniu} (v2) and legacy {@code QBox} management tokens, upload
 * tokens, and the check of the {@code Authorization} header Qiniu puts on upload callbacks.
 *
 * <p>Every signature is HMAC-SHA1 with the secret key, URL-safe base64 with its padding, prefixed
 * with the access key: {@code <AK>:<sign>}. The secret key never leaves this object: {@link
 * #toString()} shows the access key only. Immutable and thread-safe.
 *
 * <pre>{@code
 * QiniuAuth auth = QiniuAuth.of("AK", Secret.of(System.getenv("QINIU_SECRET_KEY")));
 * String token = auth.uploadToken(QiniuPutPolicy.builder("media").key("raw/in.mp4").build());
 * boolean genuine = auth.isValidCallback(request.getHeader("Authorization"), "POST", fullUrl, headers, body);
 * }</pre>
 */
public final class QiniuAuth {
  private final QiniuSigner signer;

  private QiniuAuth(QiniuSigner signer) {
    this.signer = signer;
  }

  public static QiniuAuth of(String accessKey, Secret secretKey) {
    return new QiniuAuth(new QiniuSigner(accessKey, secretKey, Clock.systemUTC()));
  }

  /** The signer of these credentials, on {@code clock}. */
  QiniuSigner signer(Clock clock) {
    return signer.withClock(clock);
  }

  public String accessKey() {
    return signer.accessKey();
  }

  /** Returns {@code <AK>:<urlsafe_b64(hmac_sha1(SK, data))>}. */
  public String sign(byte[] data) {
    return signer.sign(data);
  }

  /** Returns {@code <AK>:<sign>:<urlsafe_b64(data)>}, the form of upload tokens. */
  public String signWithData(byte[] data) {
    return signer.signWithData(data);
  }

  /** Returns an upload token for {@code policy}. */
  public String uploadToken(QiniuPutPolicy policy) {
    return signer.uploadToken(policy);
  }

  /**
   * Returns the {@code Qiniu} (v2) token {@code <AK>:<sign>} for a request, without the {@code
   * "Qiniu "} prefix. The signed text is {@code METHOD path[?query]}, the {@code Host}, the {@code
   * Content-Type} when the request has one, every {@code X-Qiniu-*} header (canonical names,
   * sorted), a blank line, and the body when it is neither empty nor {@code
   * application/octet-stream}.
   *
   * @param method the HTTP method
   * @param url the full URL as sent (the path is signed decoded and the query raw, as Qiniu does)
   * @param headers the request headers, names in any case (Qiniu's servers canonicalise them, so
   *     {@code x-qiniu-date} is signed as {@code X-Qiniu-Date}); {@code Host} is taken from the URL
   *     when absent
   * @param body the exact body bytes, or null
   */
  public String signQiniu(
      String method, String url, Map<String, ? extends Collection<String>> headers, byte[] body) {
    return signer.qiniuToken(method, url, headers, body);
  }

  /**
   * Returns the legacy {@code QBox} token for a request: the signed text is {@code path[?query]\n},
   * followed by the body only for {@code application/x-www-form-urlencoded}.
   */
  public String signQBox(String url, String contentType, byte[] body) {
    return signer.qboxToken(url, contentType, body);
  }

  /**
   * Checks the {@code Authorization} header of a request Qiniu sent (an upload callback), in either
   * scheme.
   *
   * @param authorization the header's value, such as {@code "QBox AK:sign"} or {@code "Qiniu
   *     AK:sign"}
   * @param method the request method (Qiniu callbacks are POST)
   * @param url the full URL Qiniu called, query included, exactly as configured in {@code
   *     callbackUrl}
   * @param headers the request headers (for {@code Qiniu}: Host, Content-Type and X-Qiniu-*)
   * @param body the raw body bytes
   * @return true only when the signature was made with this access key and secret key
   */
  public boolean isValidCallback(
      String authorization,
      String method,
      String url,
      Map<String, ? extends Collection<String>> headers,
      byte[] body) {
    return signer.isValidCallback(authorization, method, url, headers, body);
  }

  @Override
  public String toString() {
    return "QiniuAuth{accessKey=" + signer.accessKey() + "}";
  }
}
