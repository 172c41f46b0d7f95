package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.util.OptionalInt;

/**
 * A target size in pixels. Either side may be left out (0) to keep the source's aspect ratio; not
 * both.
 *
 * <p>Immutable and thread-safe.
 */
public record Size(int width, int height) {
  /** The largest side any provider accepts; larger values are rejected at construction. */
  public static final int MAX_SIDE = 16384;

  public Size {
    Check.range("width", width, 0, MAX_SIDE);
    Check.range("height", height, 0, MAX_SIDE);
    if (width == 0 && height == 0) {
      throw new MediaValidationException("width", "width or height must be set (> 0)");
    }
  }

  /** Returns an exact size. */
  public static Size of(int width, int height) {
    Check.positive("width", width);
    Check.positive("height", height);
    return new Size(width, height);
  }

  /** Returns a size with only the width set; the height follows the aspect ratio. */
  public static Size ofWidth(int width) {
    return new Size(Check.positive("width", width), 0);
  }

  /** Returns a size with only the height set; the width follows the aspect ratio. */
  public static Size ofHeight(int height) {
    return new Size(0, Check.positive("height", height));
  }

  /** Returns the width, or empty when it follows the aspect ratio. */
  public OptionalInt widthIfSet() {
    return width == 0 ? OptionalInt.empty() : OptionalInt.of(width);
  }

  /** Returns the height, or empty when it follows the aspect ratio. */
  public OptionalInt heightIfSet() {
    return height == 0 ? OptionalInt.empty() : OptionalInt.of(height);
  }

  @Override
  public String toString() {
    return (width == 0 ? "" : Integer.toString(width))
        + "x"
        + (height == 0 ? "" : Integer.toString(height));
  }
}
