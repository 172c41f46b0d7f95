package dev.mediaflow.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether and when to retry a request that failed in a way that may pass. Mediaflow asks it
 * only for requests that are safe to retry (status reads, uploads of a part, object reads), never
 * for a submission that may have reached the vendor.
 *
 * <p>Implementations are thread-safe.
 */
public interface RetryPolicy {
  /**
   * Returns how long to wait before retry number {@code retry} (1 for the first retry), or empty to
   * give up.
   *
   * @param retryAfter the server's {@code Retry-After}, or null when it sent none
   */
  Optional<Duration> delayBeforeRetry(int retry, Duration retryAfter);

  /** Never retries. */
  static RetryPolicy none() {
    return (retry, retryAfter) -> Optional.empty();
  }

  /**
   * Returns the default: 3 retries, 200 ms doubling to 5 s with full jitter, honouring Retry-After
   * up to 30 s.
   */
  static RetryPolicy defaultPolicy() {
    return exponential(3, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /**
   * Retries up to {@code maxRetries} times, waiting a random time up to {@code base * 2^(retry-1)}
   * (capped at {@code cap}), or the server's Retry-After when it is longer (up to 30 s; longer
   * gives up).
   */
  static RetryPolicy exponential(int maxRetries, Duration base, Duration cap) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
    }
    Duration maxRetryAfter = Duration.ofSeconds(30);
    return (retry, retryAfter) -> {
      if (retry > maxRetries) {
        return Optional.empty();
      }
      long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry - 1, 30));
      long backoff = ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1);
      if (retryAfter != null) {
        if (retryAfter.compareTo(maxRetryAfter) > 0) {
          return Optional.empty();
        }
        return Optional.of(
            retryAfter.toMillis() > backoff ? retryAfter : Duration.ofMillis(backoff));
      }
      return Optional.of(Duration.ofMillis(backoff));
    };
  }
}
