package dev.mediaflow.delivery;

import dev.mediaflow.internal.Check;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The basic facts of a media file, as the provider's probe reports them ({@code
 * MediaClient.probe}): its container format, duration, size and overall bitrate, its video and
 * audio streams, and for a still image its size, format and EXIF orientation. Everything the vendor
 * answered is also kept, flattened, in {@link #raw()}.
 *
 * <p>Numbers the vendor did not give are 0; text it did not give is empty. Immutable and
 * thread-safe.
 */
public final class MediaInfo {
  private final String format;
  private final Duration duration;
  private final long size;
  private final long bitrate;
  private final List<VideoStream> video;
  private final List<AudioStream> audio;
  private final ImageInfo image;
  private final Map<String, String> raw;

  private MediaInfo(Builder b) {
    this.format = b.format;
    this.duration = b.duration;
    this.size = b.size;
    this.bitrate = b.bitrate;
    this.video = List.copyOf(b.video);
    this.audio = List.copyOf(b.audio);
    this.image = b.image;
    this.raw = Collections.unmodifiableMap(new TreeMap<>(b.raw));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the container or image format as the vendor names it, such as {@code mov,mp4,m4a} or
   * {@code jpeg}.
   */
  public String format() {
    return format;
  }

  /** Returns the duration; {@link Duration#ZERO} for a still image or when unknown. */
  public Duration duration() {
    return duration;
  }

  /** Returns the size in bytes; 0 when unknown. */
  public long size() {
    return size;
  }

  /** Returns the overall bitrate in bits per second; 0 when unknown. */
  public long bitrate() {
    return bitrate;
  }

  /** Returns the video streams, in the file's order. */
  public List<VideoStream> video() {
    return video;
  }

  /** Returns the audio streams, in the file's order. */
  public List<AudioStream> audio() {
    return audio;
  }

  /** Returns the facts of a still image; empty for audio and video. */
  public Optional<ImageInfo> image() {
    return Optional.ofNullable(image);
  }

  /**
   * Returns everything the vendor answered, flattened to paths such as {@code format.duration} or
   * {@code streams[0].codec_name}, so that fields without a typed accessor are never lost.
   */
  public Map<String, String> raw() {
    return raw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaInfo m
        && m.format.equals(format)
        && m.duration.equals(duration)
        && m.size == size
        && m.bitrate == bitrate
        && m.video.equals(video)
        && m.audio.equals(audio)
        && Objects.equals(m.image, image)
        && m.raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, duration, size, bitrate, video, audio, image, raw);
  }

  @Override
  public String toString() {
    return "MediaInfo{format="
        + format
        + ", duration="
        + duration
        + ", size="
        + size
        + ", bitrate="
        + bitrate
        + ", video="
        + video
        + ", audio="
        + audio
        + (image == null ? "" : ", image=" + image)
        + "}";
  }

  /**
   * One video stream.
   *
   * @param codec the codec as the vendor names it, such as {@code h264}
   * @param width the coded width in pixels
   * @param height the coded height in pixels
   * @param frameRate frames per second; 0 when unknown
   * @param rotation the display rotation in degrees (0, 90, 180 or 270)
   * @param bitrate bits per second; 0 when unknown
   */
  public record VideoStream(
      String codec, int width, int height, double frameRate, int rotation, long bitrate) {
    public VideoStream {
      Check.notNull("codec", codec);
    }
  }

  /**
   * One audio stream.
   *
   * @param codec the codec as the vendor names it, such as {@code aac}
   * @param sampleRate samples per second
   * @param channels the number of channels
   * @param bitrate bits per second; 0 when unknown
   */
  public record AudioStream(String codec, int sampleRate, int channels, long bitrate) {
    public AudioStream {
      Check.notNull("codec", codec);
    }
  }

  /**
   * A still image.
   *
   * @param width the width in pixels
   * @param height the height in pixels
   * @param format the format as the vendor names it, such as {@code jpeg} or {@code png}
   * @param orientation the EXIF orientation (1 to 8; 1, the default, when absent)
   */
  public record ImageInfo(int width, int height, String format, int orientation) {
    public ImageInfo {
      Check.notNull("format", format);
    }
  }

  /** Builds a {@link MediaInfo}; for providers. Not thread-safe. */
  public static final class Builder {
    private String format = "";
    private Duration duration = Duration.ZERO;
    private long size;
    private long bitrate;
    private List<VideoStream> video = List.of();
    private List<AudioStream> audio = List.of();
    private ImageInfo image;
    private Map<String, String> raw = Map.of();

    private Builder() {}

    public Builder format(String format) {
      this.format = Check.notNull("format", format);
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = Check.notNull("duration", duration);
      return this;
    }

    public Builder size(long size) {
      this.size = size;
      return this;
    }

    public Builder bitrate(long bitrate) {
      this.bitrate = bitrate;
      return this;
    }

    public Builder video(List<VideoStream> streams) {
      this.video = Check.notNull("video", streams);
      return this;
    }

    public Builder audio(List<AudioStream> streams) {
      this.audio = Check.notNull("audio", streams);
      return this;
    }

    public Builder image(ImageInfo image) {
      this.image = image;
      return this;
    }

    /** Sets the vendor's whole answer, flattened to paths. */
    public Builder raw(Map<String, String> raw) {
      this.raw = Check.notNull("raw", raw);
      return this;
    }

    public MediaInfo build() {
      return new MediaInfo(this);
    }
  }
}
