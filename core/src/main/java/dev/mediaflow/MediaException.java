package dev.mediaflow;

/**
 * The root of every exception Mediaflow throws. It is unchecked and never thrown directly.
 *
 * <p>{@link #isOutcomeUnknown()} is the one question every caller of a submission must ask: when it
 * is true, the request may or may not have reached the vendor, so a blind retry could start the
 * same work twice. Messages never contain credentials or signatures.
 */
public abstract class MediaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean outcomeUnknown;

  protected MediaException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  protected MediaException(String message, Throwable cause) {
    this(message, cause, false);
  }

  protected MediaException(String message) {
    this(message, null, false);
  }

  /**
   * Returns true when a non-idempotent request (a job submission) failed in a way that leaves its
   * effect unknown: the vendor may have accepted it. Check the vendor before submitting again.
   */
  public boolean isOutcomeUnknown() {
    return outcomeUnknown;
  }
}
