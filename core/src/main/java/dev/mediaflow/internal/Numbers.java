package dev.mediaflow.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * Writes numbers the way vendor dialects and command lines want them: short, locale-free, at most 3
 * decimals.
 */
public final class Numbers {
  private Numbers() {}

  /**
   * Returns {@code v} with at most three decimals and no trailing zeros: 2 is {@code "2"}, 0.25
   * {@code "0.25"}.
   */
  public static String number(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Returns {@code d} in seconds, millisecond precision: 1.5 s is {@code "1.5"}. */
  public static String seconds(Duration d) {
    return number(d.toMillis() / 1000.0);
  }
}
