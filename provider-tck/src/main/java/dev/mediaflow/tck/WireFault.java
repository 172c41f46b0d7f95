package dev.mediaflow.tck;

/**
 * A fault a {@link FakeService} can inject, in neutral terms; the testkit maps each to its fake
 * servers' faults.
 */
public enum WireFault {
  /** Answers 500 with the vendor's error body, without processing the request. */
  SERVER_ERROR,
  /** Answers 503 with the vendor's error body, without processing the request. */
  UNAVAILABLE,
  /**
   * Answers 403 with the vendor's error body, without processing the request: a permanent refusal.
   */
  REFUSED,
  /** Answers 429 with {@code Retry-After: 0}, without processing the request. */
  THROTTLED,
  /** Closes the connection before the request is processed. */
  DROP,
  /** Processes the request, then closes the connection without answering. */
  DROP_AFTER_PROCESSING,
  /** Answers normally after 200 ms. */
  DELAY,
  /** Flips one bit in the request body, then processes it. */
  CORRUPT
}
