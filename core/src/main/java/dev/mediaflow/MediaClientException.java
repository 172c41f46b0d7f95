package dev.mediaflow;

/**
 * Mediaflow could not talk to the provider: an I/O failure, a timeout, or an answer it could not
 * parse. The vendor did not (knowingly) say no.
 *
 * <p>When {@link #isOutcomeUnknown()} is true the failed request was a submission that may have
 * reached the vendor: check before submitting again.
 */
public final class MediaClientException extends MediaException {
  private static final long serialVersionUID = 1L;

  public MediaClientException(String message, Throwable cause) {
    super(message, cause, false);
  }

  public MediaClientException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause, outcomeUnknown);
  }
}
