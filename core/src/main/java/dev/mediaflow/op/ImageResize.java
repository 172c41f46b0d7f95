package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Resizes an image, optionally changing its format and quality.
 *
 * <pre>{@code
 * ImageResize thumb = ImageResize.builder().size(800, 600).fit(FitMode.FIT).format(ImageFormat.WEBP).quality(80).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageResize implements Operation {
  private final Size size;
  private final FitMode fit;
  private final ImageFormat format;
  private final Integer quality;

  private ImageResize(Builder b) {
    if (b.width == 0 && b.height == 0) {
      throw new MediaValidationException("width", "width or height is required");
    }
    if (b.fit != null && b.fit != FitMode.FIT && (b.width == 0 || b.height == 0)) {
      throw new MediaValidationException(
          "fit", "fit " + b.fit.token() + " needs both width and height");
    }
    this.size = new Size(b.width, b.height);
    this.fit = b.fit;
    this.format = b.format;
    this.quality = b.quality;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "resize";
  }

  public Size size() {
    return size;
  }

  public Optional<FitMode> fit() {
    return Optional.ofNullable(fit);
  }

  public Optional<ImageFormat> format() {
    return Optional.ofNullable(format);
  }

  /** Returns the output quality, 1 to 100, for lossy formats. */
  public OptionalInt quality() {
    return quality == null ? OptionalInt.empty() : OptionalInt.of(quality);
  }

  private Object[] values() {
    return new Object[] {size, fit, format, quality};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageResize r && Arrays.equals(values(), r.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "ImageResize", "size", size, "fit", fit, "format", format, "quality", quality);
  }

  /** Builds an {@link ImageResize}. */
  public static final class Builder {
    private int width;
    private int height;
    private FitMode fit;
    private ImageFormat format;
    private Integer quality;

    private Builder() {}

    private Builder(ImageResize r) {
      width = r.size.width();
      height = r.size.height();
      fit = r.fit;
      format = r.format;
      quality = r.quality;
    }

    public Builder size(int width, int height) {
      return width(width).height(height);
    }

    public Builder width(int width) {
      this.width = Check.range("width", width, 1, Size.MAX_SIDE);
      return this;
    }

    public Builder height(int height) {
      this.height = Check.range("height", height, 1, Size.MAX_SIDE);
      return this;
    }

    public Builder fit(FitMode fit) {
      this.fit = Check.notNull("fit", fit);
      return this;
    }

    public Builder format(ImageFormat format) {
      this.format = Check.notNull("format", format);
      return this;
    }

    /** Sets the output quality, 1 (smallest) to 100 (best). */
    public Builder quality(int quality) {
      this.quality = Check.range("quality", quality, 1, 100);
      return this;
    }

    public ImageResize build() {
      return new ImageResize(this);
    }
  }
}
