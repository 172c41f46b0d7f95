package dev.mediaflow.internal;

import dev.mediaflow.MediaValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Argument checks that throw {@link MediaValidationException} naming the field. */
public final class Check {
  private Check() {}

  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new MediaValidationException(field, "is required");
    }
    return value;
  }

  public static int positive(String field, int value) {
    if (value <= 0) {
      throw new MediaValidationException(field, "must be > 0, was " + value);
    }
    return value;
  }

  public static long positive(String field, long value) {
    if (value <= 0) {
      throw new MediaValidationException(field, "must be > 0, was " + value);
    }
    return value;
  }

  public static int nonNegative(String field, int value) {
    if (value < 0) {
      throw new MediaValidationException(field, "must be >= 0, was " + value);
    }
    return value;
  }

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new MediaValidationException(
          field, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static double positiveFinite(String field, double value, double max) {
    if (!(value > 0) || value > max) { // !(value > 0) also rejects NaN
      throw new MediaValidationException(
          field, "must be > 0 and <= " + fmt(max) + ", was " + fmt(value));
    }
    return value;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && !Double.isInfinite(d)
        ? Long.toString((long) d)
        : Double.toString(d);
  }

  /** Requires a duration that is >= 0 and whole milliseconds (the unit every vendor shares). */
  public static Duration nonNegative(String field, Duration value) {
    notNull(field, value);
    if (value.isNegative()) {
      throw new MediaValidationException(field, "must be >= 0, was " + value.toMillis() + " ms");
    }
    return wholeMillis(field, value);
  }

  /** Requires a duration that is > 0 and whole milliseconds. */
  public static Duration positive(String field, Duration value) {
    notNull(field, value);
    if (value.isNegative() || value.isZero()) {
      throw new MediaValidationException(field, "must be > 0, was " + value.toMillis() + " ms");
    }
    return wholeMillis(field, value);
  }

  private static Duration wholeMillis(String field, Duration value) {
    if (value.getNano() % 1_000_000 != 0) {
      throw new MediaValidationException(
          field, "must be a whole number of milliseconds, was " + value);
    }
    try {
      value.toMillis();
    } catch (ArithmeticException e) {
      throw new MediaValidationException(field, "is too large: " + value);
    }
    return value;
  }

  /**
   * Requires text that is non-empty, well-formed UTF-16 and free of control characters, and at most
   * {@code maxUtf8Bytes} long in UTF-8.
   */
  public static String text(String field, String value, int maxUtf8Bytes) {
    notNull(field, value);
    if (value.isEmpty()) {
      throw new MediaValidationException(field, "must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new MediaValidationException(
            field,
            String.format(
                "must not contain control characters (found U+%04X at index %d)", (int) c, i));
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new MediaValidationException(
              field, "is not valid Unicode (unpaired surrogate at index " + i + ")");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new MediaValidationException(
            field, "is not valid Unicode (unpaired surrogate at index " + i + ")");
      }
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxUtf8Bytes) {
      throw new MediaValidationException(
          field, "must be at most " + maxUtf8Bytes + " bytes in UTF-8, was " + bytes);
    }
    return value;
  }
}
