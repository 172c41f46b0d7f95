package dev.mediaflow.op;

import dev.mediaflow.internal.Check;
import dev.mediaflow.pipeline.MediaObject;
import java.util.List;
import java.util.Objects;

/**
 * Joins further input objects before or after the pipeline's source, encoding the result as a
 * {@link Transcode} would.
 *
 * <pre>{@code
 * Concat withOutro = Concat.builder()
 *     .inputs(List.of(MediaObject.of("media", "brand/outro.mp4")))
 *     .position(ConcatPosition.AFTER)
 *     .encoding(Transcode.builder().container(Container.MP4).videoCodec(VideoCodec.H264).build())
 *     .build();
 * }</pre>
 *
 * <p>Inputs are joined in list order; {@code position} says whether they come before or after the
 * source (default after). Immutable and thread-safe.
 */
public final class Concat implements Operation {
  /** The most further inputs any provider takes in one job (Qiniu: 20; OSS: 10). */
  public static final int MAX_INPUTS = 20;

  private final List<MediaObject> inputs;
  private final ConcatPosition position;
  private final Transcode encoding;

  private Concat(Builder b) {
    Check.notNull("inputs", b.inputs);
    if (b.inputs.isEmpty()) {
      throw new dev.mediaflow.MediaValidationException(
          "inputs", "needs at least one further input");
    }
    if (b.inputs.size() > MAX_INPUTS) {
      throw new dev.mediaflow.MediaValidationException(
          "inputs", "at most " + MAX_INPUTS + " further inputs, was " + b.inputs.size());
    }
    this.inputs = b.inputs;
    this.position = b.position;
    this.encoding = Check.notNull("container", b.encoding);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "concat";
  }

  /** Returns the further inputs, in the order they are joined. */
  public List<MediaObject> inputs() {
    return inputs;
  }

  /**
   * Returns where the inputs go relative to the source; unset means {@link ConcatPosition#AFTER}.
   */
  public java.util.Optional<ConcatPosition> position() {
    return java.util.Optional.ofNullable(position);
  }

  /** Returns whether the inputs come before or after the source. */
  public ConcatPosition effectivePosition() {
    return position == null ? ConcatPosition.AFTER : position;
  }

  /** Returns how the joined result is encoded. */
  public Transcode encoding() {
    return encoding;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Concat c
        && c.inputs.equals(inputs)
        && c.position == position
        && c.encoding.equals(encoding);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, position, encoding);
  }

  @Override
  public String toString() {
    return Values.describe("Concat", "inputs", inputs, "position", position, "encoding", encoding);
  }

  /** Builds a {@link Concat}. */
  public static final class Builder {
    private List<MediaObject> inputs;
    private ConcatPosition position;
    private Transcode encoding;

    private Builder() {}

    private Builder(Concat c) {
      inputs = c.inputs;
      position = c.position;
      encoding = c.encoding;
    }

    public Builder inputs(List<MediaObject> inputs) {
      Check.notNull("inputs", inputs);
      for (int i = 0; i < inputs.size(); i++) {
        Check.notNull("inputs[" + i + "]", inputs.get(i));
      }
      this.inputs = List.copyOf(inputs);
      return this;
    }

    public Builder position(ConcatPosition position) {
      this.position = Check.notNull("position", position);
      return this;
    }

    public Builder encoding(Transcode encoding) {
      this.encoding = Check.notNull("encoding", encoding);
      return this;
    }

    public Concat build() {
      return new Concat(this);
    }
  }
}
