package dev.mediaflow.spi;

import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.pipeline.MediaObject;

/**
 * A provider's delivery URLs: signed (or public) URLs of objects, with processing applied on the
 * fly, styles and response overrides. {@code MediaClient.url} calls it; a provider without it
 * cannot make URLs.
 *
 * <p>Pure given the client's clock: no network call. Implementations check the options against what
 * the vendor can apply on a URL and throw {@link dev.mediaflow.UnsupportedMediaOperationException}
 * for the rest, encode every value the user supplied, and never put a secret in the URL beyond the
 * signature. A URL is made without parsing one: {@link SignedUrl} parses it only when asked.
 * Thread-safe.
 */
public interface UrlSigner {
  /**
   * Returns the URL of {@code object} with {@code options} applied: {@link SignedUrl#of(String,
   * java.time.Instant)} with its expiry, or {@link SignedUrl#unsigned} for a public bucket.
   *
   * @throws dev.mediaflow.UnsupportedMediaOperationException for a step, style or option the vendor
   *     cannot apply
   * @throws dev.mediaflow.MediaValidationException for a value the vendor refuses (an expiry past
   *     its maximum)
   */
  SignedUrl url(MediaObject object, UrlOptions options);
}
