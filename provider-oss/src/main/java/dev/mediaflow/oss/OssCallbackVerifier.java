package dev.mediaflow.oss;

import dev.mediaflow.MediaValidationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Verifies the upload callbacks OSS makes to your server (signature version 1.0): {@code
 * Authorization} is Base64 of an MD5withRSA signature over {@code urldecode(path) [+ "?" + query] +
 * "\n" + body}, made with the key whose URL is Base64 in {@code x-oss-pub-key-url}. Only keys
 * served from {@code gosspublic.alicdn.com} are trusted, so a forger cannot point at a key of their
 * own. Keys are fetched once and cached.
 *
 * <pre>{@code
 * OssCallbackVerifier verifier = OssCallbackVerifier.create();    // fetches keys over HTTPS
 * boolean genuine = verifier.verify(req.getHeader("Authorization"), req.getHeader("x-oss-pub-key-url"),
 *     req.getRequestURI(), req.getQueryString(), bodyBytes);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class OssCallbackVerifier {
  private static final String[] TRUSTED = {
    "http://gosspublic.alicdn.com/", "https://gosspublic.alicdn.com/"
  };

  private final Function<String, String> fetch;
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

  private OssCallbackVerifier(Function<String, String> fetch) {
    this.fetch = fetch;
  }

  /** A verifier that fetches OSS's public keys over HTTPS. */
  public static OssCallbackVerifier create() {
    okhttp3.OkHttpClient http = dev.mediaflow.internal.SharedHttp.client();
    return new OssCallbackVerifier(
        url -> {
          String https =
              url.startsWith("http://") ? "https://" + url.substring("http://".length()) : url;
          try (okhttp3.Response r =
              http.newCall(new okhttp3.Request.Builder().url(https).build()).execute()) {
            if (!r.isSuccessful() || r.body() == null) {
              throw new MediaValidationException(
                  "x-oss-pub-key-url", "the key at " + https + " answered HTTP " + r.code());
            }
            return r.body().string();
          } catch (java.io.IOException e) {
            throw new dev.mediaflow.MediaClientException(
                "Cannot fetch the OSS callback key " + https + ": " + e.getMessage(), e);
          }
        });
  }

  /**
   * A verifier that gets the PEM key of a (trusted) key URL from {@code fetch}: for tests, or to
   * serve OSS's key from a local copy.
   */
  public static OssCallbackVerifier withKeys(Function<String, String> fetch) {
    return new OssCallbackVerifier(Objects.requireNonNull(fetch, "fetch"));
  }

  /**
   * Returns true when the callback is signed by OSS.
   *
   * @param authorization the request's {@code Authorization} header
   * @param publicKeyUrl the request's {@code x-oss-pub-key-url} header (Base64)
   * @param path the request path as received (URL-encoded)
   * @param query the raw query string, or null for none
   * @param body the raw body
   * @throws MediaValidationException when the key URL is missing, not Base64, or not OSS's
   */
  public boolean verify(
      String authorization, String publicKeyUrl, String path, String query, byte[] body) {
    if (authorization == null || authorization.isBlank()) {
      return false;
    }
    if (publicKeyUrl == null || publicKeyUrl.isBlank()) {
      throw new MediaValidationException(
          "x-oss-pub-key-url", "is missing: this is not an OSS callback");
    }
    String url;
    try {
      url = new String(Base64.getDecoder().decode(publicKeyUrl.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MediaValidationException("x-oss-pub-key-url", "is not Base64");
    }
    boolean trusted = false;
    for (String prefix : TRUSTED) {
      trusted |= url.startsWith(prefix);
    }
    if (!trusted) {
      throw new MediaValidationException(
          "x-oss-pub-key-url",
          "names a key outside gosspublic.alicdn.com (" + url + "): refusing to trust it");
    }
    PublicKey key = keys.computeIfAbsent(url, u -> parse(fetch.apply(u)));
    String signed =
        URLDecoder.decode(path, StandardCharsets.UTF_8)
            + (query == null || query.isEmpty() ? "" : "?" + query)
            + "\n";
    try {
      Signature s = Signature.getInstance("MD5withRSA");
      s.initVerify(key);
      s.update(signed.getBytes(StandardCharsets.UTF_8));
      s.update(body);
      return s.verify(Base64.getDecoder().decode(authorization.trim()));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  private static PublicKey parse(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new MediaValidationException(
          "x-oss-pub-key-url", "does not name an RSA public key in PEM");
    }
  }
}
