package dev.mediaflow.op;

import dev.mediaflow.internal.Check;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Extracts or re-encodes audio into an audio-only format.
 *
 * <pre>{@code
 * AudioTranscode mp3 = AudioTranscode.builder().format(AudioFormat.MP3).bitrate(192_000).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AudioTranscode implements Operation {
  private final AudioFormat format;
  private final Long bitrate;
  private final Integer sampleRate;
  private final Integer channels;
  private final Duration start;
  private final Duration duration;

  private AudioTranscode(Builder b) {
    this.format = Check.notNull("format", b.format);
    this.bitrate = b.bitrate;
    this.sampleRate = b.sampleRate;
    this.channels = b.channels;
    this.start = b.start;
    this.duration = b.duration;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns an operation that converts to {@code format} with the provider's default settings. */
  public static AudioTranscode to(AudioFormat format) {
    return builder().format(format).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "audio";
  }

  public AudioFormat format() {
    return format;
  }

  /** Returns the bitrate in bits per second. */
  public OptionalLong bitrate() {
    return bitrate == null ? OptionalLong.empty() : OptionalLong.of(bitrate);
  }

  public OptionalInt sampleRate() {
    return sampleRate == null ? OptionalInt.empty() : OptionalInt.of(sampleRate);
  }

  public OptionalInt channels() {
    return channels == null ? OptionalInt.empty() : OptionalInt.of(channels);
  }

  public Optional<Duration> start() {
    return Optional.ofNullable(start);
  }

  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  private Object[] values() {
    return new Object[] {format, bitrate, sampleRate, channels, start, duration};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioTranscode a && Arrays.equals(values(), a.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "AudioTranscode",
        "format",
        format,
        "bitrate",
        bitrate,
        "sampleRate",
        sampleRate,
        "channels",
        channels,
        "start",
        start,
        "duration",
        duration);
  }

  /** Builds an {@link AudioTranscode}. */
  public static final class Builder {
    private AudioFormat format;
    private Long bitrate;
    private Integer sampleRate;
    private Integer channels;
    private Duration start;
    private Duration duration;

    private Builder() {}

    private Builder(AudioTranscode a) {
      format = a.format;
      bitrate = a.bitrate;
      sampleRate = a.sampleRate;
      channels = a.channels;
      start = a.start;
      duration = a.duration;
    }

    public Builder format(AudioFormat format) {
      this.format = Check.notNull("format", format);
      return this;
    }

    /** Sets the bitrate in bits per second (96 kbit/s is {@code 96_000}). */
    public Builder bitrate(long bitsPerSecond) {
      this.bitrate = Check.positive("audioBitrate", bitsPerSecond);
      return this;
    }

    /** Sets the sample rate in Hz, 1000 to 384000. */
    public Builder sampleRate(int hz) {
      this.sampleRate = Check.range("sampleRate", hz, 1000, 384_000);
      return this;
    }

    /** Sets the number of channels, 1 to 8. */
    public Builder channels(int channels) {
      this.channels = Check.range("channels", channels, 1, 8);
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

    public AudioTranscode build() {
      return new AudioTranscode(this);
    }
  }
}
