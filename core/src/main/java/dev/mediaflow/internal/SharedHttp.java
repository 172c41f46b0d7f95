package dev.mediaflow.internal;

import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The one OkHttp client every {@code MediaClient} shares unless given its own: connection pool and
 * dispatcher are shared, timeouts are on, and OkHttp's own silent retry is off (a POST that may
 * have reached the vendor must not be sent again behind the caller's back).
 */
public final class SharedHttp {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  private SharedHttp() {}

  private static final class Holder {
    static final OkHttpClient CLIENT = configure(new OkHttpClient.Builder()).build();
  }

  /** Returns the shared client. */
  public static OkHttpClient client() {
    return Holder.CLIENT;
  }

  /** Applies Mediaflow's defaults to {@code builder}. */
  public static OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
    return builder
        .connectTimeout(CONNECT_TIMEOUT)
        .readTimeout(READ_TIMEOUT)
        .writeTimeout(WRITE_TIMEOUT)
        .callTimeout(CALL_TIMEOUT)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false);
  }
}
