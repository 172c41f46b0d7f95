package dev.mediaflow;

/**
 * The provider cannot express an operation or one of its parameter values. Thrown before any
 * network call.
 */
public final class UnsupportedMediaOperationException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final String providerId;
  private final String operation;
  private final String parameter;

  /**
   * Creates the error.
   *
   * @param providerId the provider, such as {@code qiniu}
   * @param operation the operation's JSON name, such as {@code decodeBlindWatermark}
   * @param parameter the parameter that cannot be expressed, or "" when the whole operation cannot
   * @param detail what to do instead, or ""
   */
  public UnsupportedMediaOperationException(
      String providerId, String operation, String parameter, String detail) {
    super(message(providerId, operation, parameter, detail));
    this.providerId = providerId;
    this.operation = operation;
    this.parameter = parameter == null ? "" : parameter;
  }

  private static String message(
      String providerId, String operation, String parameter, String detail) {
    String what =
        parameter == null || parameter.isEmpty()
            ? "Provider '" + providerId + "' does not support the operation '" + operation + "'"
            : "Provider '" + providerId + "' cannot express " + operation + "." + parameter;
    return detail == null || detail.isEmpty() ? what : what + ": " + detail;
  }

  public String providerId() {
    return providerId;
  }

  /** Returns the operation's JSON name, such as {@code transcode}. */
  public String operation() {
    return operation;
  }

  /**
   * Returns the parameter that cannot be expressed, or "" when the operation as a whole is
   * unsupported.
   */
  public String parameter() {
    return parameter;
  }
}
