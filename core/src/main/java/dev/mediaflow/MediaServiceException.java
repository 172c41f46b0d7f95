package dev.mediaflow;

/**
 * The provider answered with an error: the request reached the vendor, which said no.
 *
 * <p>Carries the HTTP status, the vendor's own error code and request id (quote the request id to
 * the vendor's support), and whether the policy may retry it.
 */
public final class MediaServiceException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final String providerId;
  private final int httpStatus;
  private final String errorCode;
  private final String requestId;
  private final String detail;

  public MediaServiceException(
      String providerId, int httpStatus, String errorCode, String requestId, String detail) {
    this(providerId, httpStatus, errorCode, requestId, detail, false);
  }

  public MediaServiceException(
      String providerId,
      int httpStatus,
      String errorCode,
      String requestId,
      String detail,
      boolean outcomeUnknown) {
    super(
        message(providerId, httpStatus, errorCode, requestId, detail, outcomeUnknown),
        null,
        outcomeUnknown);
    this.providerId = providerId;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode == null ? "" : errorCode;
    this.requestId = requestId == null ? "" : requestId;
    this.detail = detail == null ? "" : detail;
  }

  private static String message(
      String providerId,
      int status,
      String code,
      String requestId,
      String detail,
      boolean unknown) {
    StringBuilder s =
        new StringBuilder(providerId).append(" rejected the request: HTTP ").append(status);
    if (code != null && !code.isEmpty()) {
      s.append(' ').append(code);
    }
    if (requestId != null && !requestId.isEmpty()) {
      s.append(" (request id ").append(requestId).append(')');
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    if (unknown) {
      s.append(". The submission may still have been accepted: check before submitting again.");
    }
    return s.toString();
  }

  public String providerId() {
    return providerId;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Returns the vendor's error code, such as {@code SignatureDoesNotMatch}, or "" when it gave
   * none.
   */
  public String errorCode() {
    return errorCode;
  }

  /** Returns the vendor's request id, or "" when it gave none. */
  public String requestId() {
    return requestId;
  }

  /** Returns the vendor's message, or "". */
  public String detail() {
    return detail;
  }

  /**
   * Returns true for throttling (429) and server-side failures (5xx), which a retry policy may
   * retry. Vendor codes above 599 (Qiniu's 612 "no such job", 614 "exists") are answers, not
   * failures.
   */
  public boolean isRetryable() {
    return httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599);
  }

  /** Returns a copy that says the submission's outcome is unknown. */
  public MediaServiceException withOutcomeUnknown() {
    return new MediaServiceException(providerId, httpStatus, errorCode, requestId, detail, true);
  }
}
