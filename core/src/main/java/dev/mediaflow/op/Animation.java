package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns part of a video into an animated GIF or WebP. The frame rate is set either as {@code fps}
 * or as {@code interval} between frames, not both.
 *
 * <pre>{@code
 * Animation gif = Animation.builder().format(AnimationFormat.GIF).width(320)
 *     .start(Duration.ofSeconds(1)).duration(Duration.ofSeconds(3)).fps(10).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Animation implements Operation {
  private final AnimationFormat format;
  private final Size size;
  private final Duration start;
  private final Duration duration;
  private final Double fps;
  private final Duration interval;

  private Animation(Builder b) {
    this.format = Check.notNull("format", b.format);
    if (b.fps != null && b.interval != null) {
      throw new MediaValidationException("intervalMs", "set fps or intervalMs, not both");
    }
    this.size = b.width == 0 && b.height == 0 ? null : new Size(b.width, b.height);
    this.start = b.start;
    this.duration = b.duration;
    this.fps = b.fps;
    this.interval = b.interval;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "animate";
  }

  public AnimationFormat format() {
    return format;
  }

  public Optional<Size> size() {
    return Optional.ofNullable(size);
  }

  public Optional<Duration> start() {
    return Optional.ofNullable(start);
  }

  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  public OptionalDouble fps() {
    return fps == null ? OptionalDouble.empty() : OptionalDouble.of(fps);
  }

  /** Returns the time between frames, the other way to set the frame rate. */
  public Optional<Duration> interval() {
    return Optional.ofNullable(interval);
  }

  private Object[] values() {
    return new Object[] {format, size, start, duration, fps, interval};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Animation a && Arrays.equals(values(), a.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "Animation",
        "format",
        format,
        "size",
        size,
        "start",
        start,
        "duration",
        duration,
        "fps",
        fps,
        "interval",
        interval);
  }

  /** Builds an {@link Animation}. */
  public static final class Builder {
    private AnimationFormat format;
    private int width;
    private int height;
    private Duration start;
    private Duration duration;
    private Double fps;
    private Duration interval;

    private Builder() {}

    private Builder(Animation a) {
      format = a.format;
      width = a.size == null ? 0 : a.size.width();
      height = a.size == null ? 0 : a.size.height();
      start = a.start;
      duration = a.duration;
      fps = a.fps;
      interval = a.interval;
    }

    public Builder format(AnimationFormat format) {
      this.format = Check.notNull("format", format);
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

    public Builder start(Duration start) {
      this.start = Check.nonNegative("startMs", start);
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = Check.positive("durationMs", duration);
      return this;
    }

    /** Sets the frame rate, more than 0 and at most 60. */
    public Builder fps(double fps) {
      this.fps = Check.positiveFinite("fps", fps, 60);
      return this;
    }

    /** Sets the time between frames instead of a frame rate. */
    public Builder interval(Duration interval) {
      this.interval = Check.positive("intervalMs", interval);
      return this;
    }

    public Animation build() {
      return new Animation(this);
    }
  }
}
