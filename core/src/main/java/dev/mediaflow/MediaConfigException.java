package dev.mediaflow;

/**
 * Bad or missing configuration, or an unknown or duplicate provider. Thrown before any network
 * call.
 *
 * <p>{@link #key()} names the configuration key or provider id involved, or is empty.
 */
public final class MediaConfigException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public MediaConfigException(String key, String message) {
    this(key, message, null);
  }

  public MediaConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key == null ? "" : key;
  }

  /** Returns the configuration key or provider id this error is about, or "" when there is none. */
  public String key() {
    return key;
  }
}
