package dev.mediaflow.local;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.UrlSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;

/** Makes URLs of the local media server ({@code LocalMediaServer}, {@code mediaflow serve}). */
final class LocalUrlSigner implements UrlSigner {
  private final LocalDeliverySettings delivery;
  private final LocalStore store;
  private final Clock clock;

  LocalUrlSigner(LocalDeliverySettings delivery, LocalStore store, Clock clock) {
    this.delivery = delivery;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public SignedUrl url(MediaObject object, UrlOptions options) {
    URI base = delivery.requiredBaseUrl();
    store.resolve(object, "object"); // the same key checks as every local operation
    String steps = null;
    if (!options.steps().isEmpty()) {
      LocalUrl.checkSteps(options.steps());
      steps = LocalUrl.stepsJson(object, options.steps());
    }
    String style = options.style().orElse(null);
    if (style != null && delivery.style(style).isEmpty()) {
      throw new MediaConfigException(
          delivery.fullKey("style." + style),
          "no local style '"
              + style
              + "': define it as "
              + delivery.fullKey("style." + style)
              + "=<JSON array of steps>");
    }
    boolean unsigned = options.isUnsigned() || delivery.publicBuckets().contains(object.bucket());
    long expires = unsigned ? 0 : clock.instant().getEpochSecond() + options.expiry().toSeconds();
    LocalUrl url =
        new LocalUrl(
            object.bucket(),
            object.key(),
            steps,
            style,
            options.downloadName().orElse(null),
            options.contentType().orElse(null),
            expires,
            null);
    String signed = url.signed(unsigned ? null : delivery.signingKey(), unsigned);
    String text = base.toString() + signed;
    return unsigned ? SignedUrl.unsigned(text) : SignedUrl.of(text, Instant.ofEpochSecond(expires));
  }
}
