package dev.mediaflow.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure a fake server injects into its next matching request, instead of (or before) the real
 * answer.
 *
 * <pre>{@code
 * qiniu.inject("/status/get/prefop", Fault.status(503), 2);   // the next two status reads fail
 * qiniu.inject("/pfop/", Fault.dropAfterProcessing(), 1);      // pfop runs, but the answer never comes
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Fault {
  /** What the fault does. */
  public enum Kind {
    /**
     * Answer with an error status and the vendor's JSON error body, without processing the request.
     */
    STATUS,
    /** Close the connection without answering, without processing the request. */
    DROP,
    /**
     * Process the request, then close the connection without answering (the outcome is unknown).
     */
    DROP_AFTER_PROCESSING,
    /** Wait, then answer normally. */
    DELAY,
    /**
     * Process the request with one byte of its body flipped, as if corrupted on the way: the vendor
     * stores it.
     */
    CORRUPT
  }

  private final Kind kind;
  private final int status;
  private final Duration retryAfter;
  private final Duration delay;

  private Fault(Kind kind, int status, Duration retryAfter, Duration delay) {
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.delay = delay;
  }

  /** Answers with {@code status} (such as 500, 503 or Qiniu's 599) and the vendor's error body. */
  public static Fault status(int status) {
    if (status < 400 || status > 999) {
      throw new IllegalArgumentException("an error status is 400..999, was " + status);
    }
    return new Fault(Kind.STATUS, status, null, Duration.ZERO);
  }

  /** Answers 429 with {@code Retry-After} in whole seconds. */
  public static Fault throttle(Duration retryAfter) {
    return new Fault(
        Kind.STATUS, 429, Objects.requireNonNull(retryAfter, "retryAfter"), Duration.ZERO);
  }

  /** Closes the connection before the request is processed. */
  public static Fault drop() {
    return new Fault(Kind.DROP, 0, null, Duration.ZERO);
  }

  /** Processes the request, then closes the connection without answering. */
  public static Fault dropAfterProcessing() {
    return new Fault(Kind.DROP_AFTER_PROCESSING, 0, null, Duration.ZERO);
  }

  /**
   * Processes the request with the middle byte of its body flipped; the server stores and answers
   * the corrupted data.
   */
  public static Fault corrupt() {
    return new Fault(Kind.CORRUPT, 0, null, Duration.ZERO);
  }

  /** Answers normally after {@code delay}. */
  public static Fault delay(Duration delay) {
    return new Fault(Kind.DELAY, 0, null, Objects.requireNonNull(delay, "delay"));
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  /** Returns the {@code Retry-After} of a throttling fault, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STATUS ->
          "Fault{status "
              + status
              + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s")
              + "}";
      case DELAY -> "Fault{delay " + delay.toMillis() + " ms}";
      default -> "Fault{" + kind + "}";
    };
  }
}
