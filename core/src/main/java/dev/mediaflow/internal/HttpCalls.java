package dev.mediaflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.spi.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a provider's HTTP requests with the one rule that matters: only what is safe to repeat
 * is repeated.
 *
 * <p>{@link #read} is for idempotent requests (status reads, HEAD, GET, part uploads): I/O
 * failures, 429 and 5xx are retried by the {@link RetryPolicy}, honouring {@code Retry-After}.
 * {@link #submit} is for requests that start work: it is retried only when the request provably
 * never reached the vendor (the connection could not be opened) or was refused unprocessed (429,
 * 503); any other failure after sending throws an exception whose {@code isOutcomeUnknown()} is
 * true. Thread-safe.
 */
public final class HttpCalls {
  private static final Logger log = LoggerFactory.getLogger(HttpCalls.class);

  /** Turns a non-2xx reply into the vendor's typed error. */
  @FunctionalInterface
  public interface ErrorReader {
    MediaServiceException read(Reply reply);
  }

  /** A fully read HTTP reply. */
  public record Reply(int code, Headers headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isSuccessful() {
      return code >= 200 && code < 300;
    }

    /** Returns the body as a JSON object, or empty when it is not one. */
    public Optional<JsonObject> json() {
      try {
        JsonElement e = JsonParser.parseString(text());
        return e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  private final String providerId;
  private final OkHttpClient http;
  private final RetryPolicy retry;
  private final ErrorReader errors;
  private final Clock clock;
  private final Sleeper sleeper;

  /** Whether {@code http} reports to an observer; without one, operations are not tagged. */
  private final boolean observed;

  /** Sleeps between retries; a seam for tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public HttpCalls(
      String providerId, OkHttpClient http, RetryPolicy retry, ErrorReader errors, Clock clock) {
    this(providerId, http, retry, errors, clock, d -> Thread.sleep(d.toMillis()));
  }

  public HttpCalls(
      String providerId,
      OkHttpClient http,
      RetryPolicy retry,
      ErrorReader errors,
      Clock clock,
      Sleeper sleeper) {
    this.providerId = providerId;
    this.http = http;
    this.retry = retry;
    this.errors = errors;
    this.clock = clock;
    this.sleeper = sleeper;
    this.observed = ObservedHttp.isObserved(http);
  }

  /** Sends an idempotent request, retrying passing failures; returns the 2xx reply or throws. */
  public Reply read(Request request) {
    return execute(request, true);
  }

  /**
   * Like {@link #read(Request)}, naming the request's {@code operation} for metrics (such as {@code
   * status} or {@code upload-part}; see docs/metrics.md).
   */
  public Reply read(String operation, Request request) {
    return execute(observed ? named(request, operation) : request, true);
  }

  /**
   * Like {@link #submit(Request)}, naming the request's {@code operation} for metrics (such as
   * {@code submit} or {@code complete-upload}; see docs/metrics.md).
   */
  public Reply submit(String operation, Request request) {
    return execute(observed ? named(request, operation) : request, false);
  }

  private static Request named(Request request, String operation) {
    return ObservedHttp.operation(request.newBuilder(), operation).build();
  }

  /**
   * Sends a request that starts work, at most once as far as the vendor can tell; returns the 2xx
   * reply.
   */
  public Reply submit(Request request) {
    return execute(request, false);
  }

  private Reply execute(Request request, boolean idempotent) {
    String what = request.method() + " " + request.url().host() + request.url().encodedPath();
    for (int attempt = 0; ; attempt++) {
      Reply reply;
      try {
        reply = once(request);
      } catch (IOException e) {
        boolean neverSent = neverSent(e);
        if (idempotent || neverSent) {
          Optional<Duration> delay = retry.delayBeforeRetry(attempt + 1, null);
          if (delay.isPresent()) {
            log.debug(
                "{} failed ({}); retry {} in {} ms",
                what,
                e.toString(),
                attempt + 1,
                delay.get().toMillis());
            pause(delay.get(), what);
            continue;
          }
          throw new MediaClientException(
              "Could not reach "
                  + providerId
                  + " ("
                  + what
                  + "): "
                  + e.getMessage()
                  + (idempotent
                      ? ""
                      : ". The request was not sent, so nothing was submitted; it is safe to retry."),
              e,
              false);
        }
        throw new MediaClientException(
            "The connection to "
                + providerId
                + " failed after the request was sent ("
                + what
                + "): "
                + e.getMessage()
                + ". The outcome is unknown: the job may have been submitted. Check its status before submitting again.",
            e,
            true);
      }
      if (reply.isSuccessful()) {
        return reply;
      }
      MediaServiceException error = errors.read(reply);
      boolean refusedUnprocessed = reply.code() == 429 || reply.code() == 503;
      if (idempotent ? error.isRetryable() : refusedUnprocessed) {
        Optional<Duration> delay =
            retry.delayBeforeRetry(
                attempt + 1, retryAfter(reply.headers().get("Retry-After"), clock));
        if (delay.isPresent()) {
          log.debug(
              "{} answered HTTP {}; retry {} in {} ms",
              what,
              reply.code(),
              attempt + 1,
              delay.get().toMillis());
          pause(delay.get(), what);
          continue;
        }
      }
      if (!idempotent && reply.code() >= 500 && !refusedUnprocessed) {
        throw error.withOutcomeUnknown();
      }
      throw error;
    }
  }

  private Reply once(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      return new Reply(
          response.code(), response.headers(), body == null ? new byte[0] : body.bytes());
    }
  }

  private void pause(Duration d, String what) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaClientException("Interrupted while waiting to retry " + what, e);
    }
  }

  /**
   * Returns true when the failure happened before any byte of the request could reach the server.
   */
  static boolean neverSent(IOException e) {
    if (e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        || e instanceof SSLHandshakeException) {
      return true;
    }
    if (e instanceof SocketTimeoutException
        && e.getMessage() != null
        && e.getMessage().toLowerCase(Locale.ROOT).startsWith("connect")) {
      return true;
    }
    return false;
  }

  /**
   * Parses {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable.
   */
  public static Duration retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException ignored) {
      // not delta-seconds: try an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
