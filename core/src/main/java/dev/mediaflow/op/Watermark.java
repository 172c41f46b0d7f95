package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Draws a visible watermark: text (with font, size and colour) or an image object, anchored at a
 * gravity with pixel offsets and an opacity.
 *
 * <pre>{@code
 * Watermark text = Watermark.text("© Mediaflow").fontSize(24).color("#FFFFFF").gravity(Gravity.SOUTH_EAST)
 *     .offset(10, 10).opacity(80).build();
 * Watermark logo = Watermark.image(MediaObject.of("media", "brand/logo.png")).gravity(Gravity.NORTH_WEST).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Text may hold any printable Unicode; providers encode it.
 */
public final class Watermark implements Operation {
  private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

  private final String text;
  private final MediaObject image;
  private final String font;
  private final Integer fontSize;
  private final String color;
  private final Gravity gravity;
  private final Integer dx;
  private final Integer dy;
  private final Integer opacity;

  private Watermark(Builder b) {
    if ((b.text == null) == (b.image == null)) {
      throw new MediaValidationException("text", "set text or image, exactly one of them");
    }
    if (b.image != null) {
      for (Object[] f :
          new Object[][] {{"font", b.font}, {"fontSize", b.fontSize}, {"color", b.color}}) {
        if (f[1] != null) {
          throw new MediaValidationException((String) f[0], "applies to text watermarks only");
        }
      }
    }
    this.text = b.text;
    this.image = b.image;
    this.font = b.font;
    this.fontSize = b.fontSize;
    this.color = b.color;
    this.gravity = b.gravity;
    this.dx = b.dx;
    this.dy = b.dy;
    this.opacity = b.opacity;
  }

  /** Starts a text watermark. */
  public static Builder text(String text) {
    Builder b = new Builder();
    b.text = Check.text("text", text, 1024);
    return b;
  }

  /** Starts an image watermark drawn from {@code image}. */
  public static Builder image(MediaObject image) {
    Builder b = new Builder();
    b.image = Check.notNull("image", image);
    return b;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "watermark";
  }

  /** Returns the text, for a text watermark. */
  public Optional<String> text() {
    return Optional.ofNullable(text);
  }

  /** Returns the image object, for an image watermark. */
  public Optional<MediaObject> image() {
    return Optional.ofNullable(image);
  }

  /** Returns the font family name. */
  public Optional<String> font() {
    return Optional.ofNullable(font);
  }

  /** Returns the font size in pixels. */
  public OptionalInt fontSize() {
    return fontSize == null ? OptionalInt.empty() : OptionalInt.of(fontSize);
  }

  /** Returns the text colour as {@code #RRGGBB}. */
  public Optional<String> color() {
    return Optional.ofNullable(color);
  }

  public Optional<Gravity> gravity() {
    return Optional.ofNullable(gravity);
  }

  /** Returns the horizontal offset from the gravity edge, in pixels. */
  public OptionalInt dx() {
    return dx == null ? OptionalInt.empty() : OptionalInt.of(dx);
  }

  /** Returns the vertical offset from the gravity edge, in pixels. */
  public OptionalInt dy() {
    return dy == null ? OptionalInt.empty() : OptionalInt.of(dy);
  }

  /** Returns the opacity in percent: 0 invisible, 100 opaque. */
  public OptionalInt opacity() {
    return opacity == null ? OptionalInt.empty() : OptionalInt.of(opacity);
  }

  private Object[] values() {
    return new Object[] {text, image, font, fontSize, color, gravity, dx, dy, opacity};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Watermark w && Arrays.equals(values(), w.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "Watermark",
        "text",
        text,
        "image",
        image,
        "font",
        font,
        "fontSize",
        fontSize,
        "color",
        color,
        "gravity",
        gravity,
        "dx",
        dx,
        "dy",
        dy,
        "opacity",
        opacity);
  }

  /** Builds a {@link Watermark}; start with {@link Watermark#text} or {@link Watermark#image}. */
  public static final class Builder {
    private String text;
    private MediaObject image;
    private String font;
    private Integer fontSize;
    private String color;
    private Gravity gravity;
    private Integer dx;
    private Integer dy;
    private Integer opacity;

    private Builder() {}

    private Builder(Watermark w) {
      text = w.text;
      image = w.image;
      font = w.font;
      fontSize = w.fontSize;
      color = w.color;
      gravity = w.gravity;
      dx = w.dx;
      dy = w.dy;
      opacity = w.opacity;
    }

    /** Sets the font family, such as {@code "DejaVu Sans"} (CJK text needs a CJK font). */
    public Builder font(String font) {
      this.font = Check.text("font", font, 256);
      return this;
    }

    /** Sets the font size in pixels, 1 to 1000. */
    public Builder fontSize(int pixels) {
      this.fontSize = Check.range("fontSize", pixels, 1, 1000);
      return this;
    }

    /** Sets the text colour as {@code #RRGGBB}. */
    public Builder color(String color) {
      Check.notNull("color", color);
      if (!COLOR.matcher(color).matches()) {
        throw new MediaValidationException(
            "color", "must be #RRGGBB (six hex digits), was \"" + color + "\"");
      }
      this.color = color;
      return this;
    }

    public Builder gravity(Gravity gravity) {
      this.gravity = Check.notNull("gravity", gravity);
      return this;
    }

    /** Sets both offsets from the gravity edge, in pixels (0 to 4096). */
    public Builder offset(int dx, int dy) {
      return dx(dx).dy(dy);
    }

    public Builder dx(int dx) {
      this.dx = Check.range("dx", dx, 0, 4096);
      return this;
    }

    public Builder dy(int dy) {
      this.dy = Check.range("dy", dy, 0, 4096);
      return this;
    }

    /** Sets the opacity in percent: 0 invisible to 100 opaque. */
    public Builder opacity(int percent) {
      this.opacity = Check.range("opacity", percent, 0, 100);
      return this;
    }

    public Watermark build() {
      return new Watermark(this);
    }
  }
}
