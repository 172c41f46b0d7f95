package dev.mediaflow.spi;

import java.util.Objects;

/**
 * A credential that never shows itself: {@link #toString()} is {@code "****"}. Call {@link
 * #reveal()} only where the value is used (signing).
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** Returns the secret value. Never log it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s
        && java.security.MessageDigest.isEqual(
            s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // no hint of the value
  }

  @Override
  public String toString() {
    return "****";
  }
}
