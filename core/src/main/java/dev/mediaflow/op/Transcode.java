package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Re-encodes a video. Only the container is required; every parameter left unset keeps the source's
 * value or the provider's default.
 *
 * <pre>{@code
 * Transcode hd = Transcode.builder()
 *     .container(Container.MP4).videoCodec(VideoCodec.H264).size(1280, 720)
 *     .videoBitrate(2_000_000).fps(30).audioCodec(AudioCodec.AAC).audioBitrate(128_000)
 *     .build();
 * Transcode hevc = hd.toBuilder().videoCodec(VideoCodec.H265).build();
 * }</pre>
 *
 * <p>Bitrates are in bits per second, times in whole milliseconds. Immutable and thread-safe.
 */
public final class Transcode implements Operation {
  private final Container container;
  private final VideoCodec videoCodec;
  private final AudioCodec audioCodec;
  private final Size size;
  private final Long videoBitrate;
  private final Long audioBitrate;
  private final Double fps;
  private final Integer sampleRate;
  private final Integer channels;
  private final Integer crf;
  private final Duration start;
  private final Duration duration;
  private final boolean noAudio;
  private final boolean noVideo;

  private Transcode(Builder b) {
    this.container = Check.notNull("container", b.container);
    this.videoCodec = b.videoCodec;
    this.audioCodec = b.audioCodec;
    this.size = b.width == 0 && b.height == 0 ? null : new Size(b.width, b.height);
    this.videoBitrate = b.videoBitrate;
    this.audioBitrate = b.audioBitrate;
    this.fps = b.fps;
    this.sampleRate = b.sampleRate;
    this.channels = b.channels;
    this.crf = b.crf;
    this.start = b.start;
    this.duration = b.duration;
    this.noAudio = b.noAudio;
    this.noVideo = b.noVideo;
    checkConsistent();
  }

  private void checkConsistent() {
    if (noAudio && audioCodec != null && audioCodec != AudioCodec.NONE) {
      conflict("noAudio", "audioCodec");
    }
    if (dropsAudio()) {
      conflictIfSet(
          "noAudio", "audioBitrate", audioBitrate, "sampleRate", sampleRate, "channels", channels);
    }
    if (audioCodec == AudioCodec.COPY) {
      conflictIfSet(
          "audioCodec",
          "audioBitrate",
          audioBitrate,
          "sampleRate",
          sampleRate,
          "channels",
          channels);
    }
    if (noVideo) {
      conflictIfSet(
          "noVideo",
          "videoCodec",
          videoCodec,
          "width",
          size,
          "videoBitrate",
          videoBitrate,
          "fps",
          fps,
          "crf",
          crf);
      if (dropsAudio()) {
        throw new MediaValidationException(
            "noVideo", "noVideo and noAudio together leave nothing to write");
      }
    }
    if (videoCodec == VideoCodec.COPY) {
      conflictIfSet(
          "videoCodec", "width", size, "videoBitrate", videoBitrate, "fps", fps, "crf", crf);
    }
  }

  private static void conflictIfSet(String because, Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        conflict(because, (String) namesAndValues[i]);
      }
    }
  }

  private static void conflict(String because, String field) {
    String why =
        switch (because) {
          case "noAudio" -> "the audio is dropped (noAudio or audioCodec none)";
          case "noVideo" -> "the video is dropped (noVideo)";
          case "audioCodec" -> "audioCodec copy keeps the audio stream as it is";
          case "videoCodec" -> "videoCodec copy keeps the video stream as it is";
          default -> because;
        };
    throw new MediaValidationException(field, "cannot be set when " + why + "; remove one of them");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "transcode";
  }

  public Container container() {
    return container;
  }

  public Optional<VideoCodec> videoCodec() {
    return Optional.ofNullable(videoCodec);
  }

  public Optional<AudioCodec> audioCodec() {
    return Optional.ofNullable(audioCodec);
  }

  /** Returns the target size; a side of 0 follows the aspect ratio. */
  public Optional<Size> size() {
    return Optional.ofNullable(size);
  }

  /** Returns the video bitrate in bits per second. */
  public OptionalLong videoBitrate() {
    return videoBitrate == null ? OptionalLong.empty() : OptionalLong.of(videoBitrate);
  }

  /** Returns the audio bitrate in bits per second. */
  public OptionalLong audioBitrate() {
    return audioBitrate == null ? OptionalLong.empty() : OptionalLong.of(audioBitrate);
  }

  /** Returns the frame rate in frames per second. */
  public OptionalDouble fps() {
    return fps == null ? OptionalDouble.empty() : OptionalDouble.of(fps);
  }

  /** Returns the audio sample rate in Hz. */
  public OptionalInt sampleRate() {
    return sampleRate == null ? OptionalInt.empty() : OptionalInt.of(sampleRate);
  }

  public OptionalInt channels() {
    return channels == null ? OptionalInt.empty() : OptionalInt.of(channels);
  }

  /** Returns the constant rate factor, 0 (best) to 51. */
  public OptionalInt crf() {
    return crf == null ? OptionalInt.empty() : OptionalInt.of(crf);
  }

  /** Returns where in the source to start; unset starts at the beginning. */
  public Optional<Duration> start() {
    return Optional.ofNullable(start);
  }

  /** Returns how much to keep from the start; unset keeps the rest. */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  /** Returns true when the {@code noAudio} flag is set. See also {@link #dropsAudio()}. */
  public boolean isNoAudio() {
    return noAudio;
  }

  public boolean isNoVideo() {
    return noVideo;
  }

  /** Returns true when the output has no audio: {@code noAudio}, or audio codec {@code none}. */
  public boolean dropsAudio() {
    return noAudio || audioCodec == AudioCodec.NONE;
  }

  private Object[] values() {
    return new Object[] {
      container,
      videoCodec,
      audioCodec,
      size,
      videoBitrate,
      audioBitrate,
      fps,
      sampleRate,
      channels,
      crf,
      start,
      duration,
      noAudio,
      noVideo
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transcode t && Arrays.equals(values(), t.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values());
  }

  @Override
  public String toString() {
    return Values.describe(
        "Transcode",
        "container",
        container,
        "videoCodec",
        videoCodec,
        "audioCodec",
        audioCodec,
        "size",
        size,
        "videoBitrate",
        videoBitrate,
        "audioBitrate",
        audioBitrate,
        "fps",
        fps,
        "sampleRate",
        sampleRate,
        "channels",
        channels,
        "crf",
        crf,
        "start",
        start,
        "duration",
        duration,
        "noAudio",
        noAudio,
        "noVideo",
        noVideo);
  }

  /**
   * Builds a {@link Transcode}. Setters validate their argument; {@link #build()} checks the
   * combination.
   */
  public static final class Builder {
    private Container container;
    private VideoCodec videoCodec;
    private AudioCodec audioCodec;
    private int width;
    private int height;
    private Long videoBitrate;
    private Long audioBitrate;
    private Double fps;
    private Integer sampleRate;
    private Integer channels;
    private Integer crf;
    private Duration start;
    private Duration duration;
    private boolean noAudio;
    private boolean noVideo;

    private Builder() {}

    private Builder(Transcode t) {
      container = t.container;
      videoCodec = t.videoCodec;
      audioCodec = t.audioCodec;
      width = t.size == null ? 0 : t.size.width();
      height = t.size == null ? 0 : t.size.height();
      videoBitrate = t.videoBitrate;
      audioBitrate = t.audioBitrate;
      fps = t.fps;
      sampleRate = t.sampleRate;
      channels = t.channels;
      crf = t.crf;
      start = t.start;
      duration = t.duration;
      noAudio = t.noAudio;
      noVideo = t.noVideo;
    }

    public Builder container(Container container) {
      this.container = Check.notNull("container", container);
      return this;
    }

    public Builder videoCodec(VideoCodec codec) {
      this.videoCodec = Check.notNull("videoCodec", codec);
      return this;
    }

    public Builder audioCodec(AudioCodec codec) {
      this.audioCodec = Check.notNull("audioCodec", codec);
      return this;
    }

    /** Sets both sides of the target size. */
    public Builder size(int width, int height) {
      return width(width).height(height);
    }

    public Builder size(Size size) {
      Check.notNull("size", size);
      this.width = size.width();
      this.height = size.height();
      return this;
    }

    /** Sets the target width in pixels; leave the height unset to keep the aspect ratio. */
    public Builder width(int width) {
      this.width = Check.range("width", width, 1, Size.MAX_SIDE);
      return this;
    }

    /** Sets the target height in pixels; leave the width unset to keep the aspect ratio. */
    public Builder height(int height) {
      this.height = Check.range("height", height, 1, Size.MAX_SIDE);
      return this;
    }

    /** Sets the video bitrate in bits per second (2 Mbit/s is {@code 2_000_000}). */
    public Builder videoBitrate(long bitsPerSecond) {
      this.videoBitrate = Check.positive("videoBitrate", bitsPerSecond);
      return this;
    }

    /** Sets the audio bitrate in bits per second (128 kbit/s is {@code 128_000}). */
    public Builder audioBitrate(long bitsPerSecond) {
      this.audioBitrate = Check.positive("audioBitrate", bitsPerSecond);
      return this;
    }

    /** Sets the frame rate, more than 0 and at most 240. */
    public Builder fps(double fps) {
      this.fps = Check.positiveFinite("fps", fps, 240);
      return this;
    }

    /** Sets the audio sample rate in Hz, 1000 to 384000. */
    public Builder sampleRate(int hz) {
      this.sampleRate = Check.range("sampleRate", hz, 1000, 384_000);
      return this;
    }

    /** Sets the number of audio channels, 1 to 8. */
    public Builder channels(int channels) {
      this.channels = Check.range("channels", channels, 1, 8);
      return this;
    }

    /** Sets the constant rate factor, 0 (best) to 51 (worst). */
    public Builder crf(int crf) {
      this.crf = Check.range("crf", crf, 0, 51);
      return this;
    }

    /** Starts the output at this offset into the source. */
    public Builder start(Duration start) {
      this.start = Check.nonNegative("startMs", start);
      return this;
    }

    /** Keeps this much of the source from the start offset. */
    public Builder duration(Duration duration) {
      this.duration = Check.positive("durationMs", duration);
      return this;
    }

    /** Drops the audio stream. */
    public Builder noAudio() {
      return noAudio(true);
    }

    public Builder noAudio(boolean noAudio) {
      this.noAudio = noAudio;
      return this;
    }

    /** Drops the video stream (an audio-only output in a video container). */
    public Builder noVideo() {
      return noVideo(true);
    }

    public Builder noVideo(boolean noVideo) {
      this.noVideo = noVideo;
      return this;
    }

    public Transcode build() {
      return new Transcode(this);
    }
  }
}
