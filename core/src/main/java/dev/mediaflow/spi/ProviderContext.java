package dev.mediaflow.spi;

import java.time.Clock;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What a provider gets to build its client with: its configuration, the shared HTTP client (derive
 * from it with {@code http.newBuilder()} for other timeouts), the clock to sign with, and the retry
 * policy for idempotent requests.
 *
 * @param config the provider instance's settings
 * @param http the shared HTTP client; it does not retry by itself (Mediaflow decides what is safe
 *     to retry)
 * @param clock the clock for signatures and deadlines
 * @param retryPolicy how idempotent requests are retried
 */
public record ProviderContext(
    ProviderConfig config, OkHttpClient http, Clock clock, RetryPolicy retryPolicy) {
  public ProviderContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
  }
}
