package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Captures still frames from a video: one frame at an offset ({@link #at(Duration)}), or up to
 * {@code count} frames every {@code interval} ({@link #every(Duration, int)}), starting at the
 * offset when one is set.
 *
 * <pre>{@code
 * Snapshot cover = Snapshot.builder().at(Duration.ofSeconds(10)).format(ImageFormat.JPG).size(320, 240).build();
 * Snapshot strip = Snapshot.every(Duration.ofSeconds(10), 6);
 * }</pre>
 *
 * <p>Formats: jpg, png or webp. Immutable and thread-safe.
 */
public final class Snapshot implements Operation {
  private final Duration offset;
  private final Duration interval;
  private final Integer count;
  private final ImageFormat format;
  private final Size size;
  private final FitMode fit;

  private Snapshot(Builder b) {
    if (b.interval == null && b.offset == null) {
      throw new MediaValidationException(
          "atMs", "set atMs for one frame, or intervalMs and count for several");
    }
    if ((b.interval == null) != (b.count == null)) {
      throw new MediaValidationException(
          b.interval == null ? "intervalMs" : "count",
          "intervalMs and count go together; set both or neither");
    }
    if (b.fit != null && (b.width == 0 || b.height == 0)) {
      throw new MediaValidationException("fit", "needs both width and height");
    }
    this.offset = b.offset;
    this.interval = b.interval;
    this.count = b.count;
    this.format = b.format;
    this.size = b.width == 0 && b.height == 0 ? null : new Size(b.width, b.height);
    this.fit = b.fit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a snapshot of the frame at {@code offset}, in the provider's default format. */
  public static Snapshot at(Duration offset) {
    return builder().at(offset).build();
  }

  /** Returns up to {@code count} frames, one every {@code interval} from the start. */
  public static Snapshot every(Duration interval, int count) {
    return builder().every(interval, count).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "snapshot";
  }

  /** Returns the single frame's offset, or the first frame's offset in interval mode. */
  public Optional<Duration> offset() {
    return Optional.ofNullable(offset);
  }

  /** Returns the time between frames, or empty for a single frame. */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  /** Returns the most frames to take: 1 for a single frame. */
  public int count() {
    return count == null ? 1 : count;
  }

  /** Returns true when this takes several frames ({@code intervalMs} and {@code count}). */
  public boolean isMultiFrame() {
    return interval != null;
  }

  public Optional<ImageFormat> format() {
    return Optional.ofNullable(format);
  }

  public Optional<Size> size() {
    return Optional.ofNullable(size);
  }

  public Optional<FitMode> fit() {
    return Optional.ofNullable(fit);
  }

  private Object[] values() {
    return new Object[] {offset, interval, count, format, size, fit};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot s && Arrays.equals(values(), s.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "Snapshot",
        "at",
        offset,
        "interval",
        interval,
        "count",
        count,
        "format",
        format,
        "size",
        size,
        "fit",
        fit);
  }

  /** Builds a {@link Snapshot}. */
  public static final class Builder {
    private Duration offset;
    private Duration interval;
    private Integer count;
    private ImageFormat format;
    private int width;
    private int height;
    private FitMode fit;

    private Builder() {}

    private Builder(Snapshot s) {
      offset = s.offset;
      interval = s.interval;
      count = s.count;
      format = s.format;
      width = s.size == null ? 0 : s.size.width();
      height = s.size == null ? 0 : s.size.height();
      fit = s.fit;
    }

    /** Takes the frame at {@code offset} (or, with {@link #every}, starts there). */
    public Builder at(Duration offset) {
      this.offset = Check.nonNegative("atMs", offset);
      return this;
    }

    /** Takes up to {@code count} frames, one every {@code interval}. */
    public Builder every(Duration interval, int count) {
      this.interval = Check.positive("intervalMs", interval);
      this.count = Check.range("count", count, 1, 10_000);
      return this;
    }

    public Builder format(ImageFormat format) {
      Check.notNull("format", format);
      if (format != ImageFormat.JPG && format != ImageFormat.PNG && format != ImageFormat.WEBP) {
        throw new MediaValidationException(
            "format", "snapshots are jpg, png or webp, was " + format.token());
      }
      this.format = format;
      return this;
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

    /** Sets how the frame is fitted to width x height (both required). */
    public Builder fit(FitMode fit) {
      this.fit = Check.notNull("fit", fit);
      return this;
    }

    public Snapshot build() {
      return new Snapshot(this);
    }
  }
}
