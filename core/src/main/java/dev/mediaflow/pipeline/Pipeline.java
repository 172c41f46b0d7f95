package dev.mediaflow.pipeline;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import dev.mediaflow.op.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do with one source object: one or more outputs, each a chain of operations ending in a
 * save target, plus an optional notification target and provider options.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.from("media", "raw/intro.mov")
 *     .then(Transcode.builder().container(MP4).videoCodec(H264).size(1280, 720).build())
 *     .saveAs("media", "out/intro-720p.mp4")
 *     .then(Snapshot.at(Duration.ofSeconds(10)))
 *     .saveAs("media", "out/cover.jpg")
 *     .notifyUrl("https://hooks.example.com/media")
 *     .build();
 * }</pre>
 *
 * <p>Every output starts again from the source: {@code saveAs} closes one chain and the next {@code
 * then} begins another. Within a chain, each operation takes the previous one's result. Immutable
 * and thread-safe; the JSON form is {@link PipelineSpec}.
 */
public final class Pipeline {
  private final MediaObject source;
  private final List<Output> outputs;
  private final Notify notify;
  private final ProviderOptions options;

  private Pipeline(
      MediaObject source, List<Output> outputs, Notify notify, ProviderOptions options) {
    this.source = Check.notNull("source", source);
    Check.notNull("outputs", outputs);
    if (outputs.isEmpty()) {
      throw new MediaValidationException(
          "outputs", "needs at least one output (a chain of steps and saveAs)");
    }
    this.outputs = List.copyOf(outputs);
    this.notify = notify;
    this.options = options == null ? ProviderOptions.none() : options;
  }

  /** Starts a pipeline for {@code source}. */
  public static Builder from(MediaObject source) {
    return new Builder(Check.notNull("source", source));
  }

  /** Starts a pipeline for the object {@code key} in {@code bucket}. */
  public static Builder from(String bucket, String key) {
    return from(MediaObject.of(bucket, key));
  }

  /** Returns a pipeline from its parts; {@code notify} may be null. */
  public static Pipeline of(
      MediaObject source, List<Output> outputs, Notify notify, ProviderOptions options) {
    return new Pipeline(source, outputs, notify, options);
  }

  /** Returns a builder holding this pipeline's parts, to add outputs or change options. */
  public Builder toBuilder() {
    Builder b = new Builder(source);
    b.outputs.addAll(outputs);
    b.notify = notify;
    b.options = options;
    return b;
  }

  public MediaObject source() {
    return source;
  }

  public List<Output> outputs() {
    return outputs;
  }

  public Optional<Notify> notification() {
    return Optional.ofNullable(notify);
  }

  /** Returns the provider options; never null, possibly {@link ProviderOptions#none()}. */
  public ProviderOptions options() {
    return options;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pipeline p
        && p.source.equals(source)
        && p.outputs.equals(outputs)
        && Objects.equals(p.notify, notify)
        && p.options.equals(options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, outputs, notify, options);
  }

  @Override
  public String toString() {
    return "Pipeline{source="
        + source
        + ", outputs="
        + outputs
        + (notify == null ? "" : ", notify=" + notify)
        + (options.isEmpty() ? "" : ", options=" + options)
        + "}";
  }

  /**
   * Builds a {@link Pipeline} fluently. Not thread-safe.
   *
   * <p>{@code then(op)} adds an operation to the open chain; {@code saveAs(bucket, key)} closes it
   * as an output. {@link #build()} fails if a chain is left open (unless it ends in an operation
   * whose result is delivered by notification).
   */
  public static final class Builder {
    private final MediaObject source;
    private final List<Output> outputs = new ArrayList<>();
    private final List<Operation> chain = new ArrayList<>();
    private Notify notify;
    private ProviderOptions options = ProviderOptions.none();

    private Builder(MediaObject source) {
      this.source = source;
    }

    /** Adds {@code operation} to the open chain; it takes the previous operation's result. */
    public Builder then(Operation operation) {
      chain.add(
          Check.notNull("outputs[" + outputs.size() + "].steps[" + chain.size() + "]", operation));
      return this;
    }

    /** Closes the open chain, saving its result as {@code key} in {@code bucket}. */
    public Builder saveAs(String bucket, String key) {
      return saveAs(MediaObject.of(bucket, key));
    }

    /** Closes the open chain, saving its result as {@code target}. */
    public Builder saveAs(MediaObject target) {
      String at = "outputs[" + outputs.size() + "]";
      if (chain.isEmpty()) {
        throw new MediaValidationException(at + ".steps", "call then(operation) before saveAs");
      }
      outputs.add(output(at, () -> Output.of(chain, Check.notNull("saveAs", target))));
      chain.clear();
      return this;
    }

    /** Adds a complete output. Fails if a chain is open. */
    public Builder output(Output output) {
      requireNoOpenChain();
      outputs.add(Check.notNull("outputs[" + outputs.size() + "]", output));
      return this;
    }

    /** Sets an http(s) URL the provider notifies when the job ends. */
    public Builder notifyUrl(String url) {
      this.notify = Notify.url(url);
      return this;
    }

    /** Sets a message topic the provider notifies when the job ends. */
    public Builder notifyTopic(String topic) {
      this.notify = Notify.topic(topic);
      return this;
    }

    public Builder notification(Notify notify) {
      this.notify = Check.notNull("notify", notify);
      return this;
    }

    public Builder options(ProviderOptions options) {
      this.options = Check.notNull("options", options);
      return this;
    }

    /** Sets the vendor queue (Qiniu pipeline) to run on. */
    public Builder queue(String queue) {
      this.options = options.toBuilder().queue(queue).build();
      return this;
    }

    /** Sets whether existing outputs are overwritten. */
    public Builder force(boolean force) {
      this.options = options.toBuilder().force(force).build();
      return this;
    }

    /** Builds the pipeline. An open chain is kept only if its result needs no save target. */
    public Pipeline build() {
      List<Output> all = new ArrayList<>(outputs);
      if (!chain.isEmpty()) {
        String at = "outputs[" + outputs.size() + "]";
        all.add(
            output(
                at,
                () -> {
                  try {
                    return Output.unsaved(chain);
                  } catch (MediaValidationException e) {
                    throw new MediaValidationException(
                        "saveAs",
                        "the last chain has no save target: end it with saveAs(bucket, key)");
                  }
                }));
      }
      return new Pipeline(source, all, notify, options);
    }

    private void requireNoOpenChain() {
      if (!chain.isEmpty()) {
        throw new MediaValidationException(
            "outputs[" + outputs.size() + "]",
            "a chain is open: end it with saveAs(bucket, key) first");
      }
    }

    private static Output output(String at, java.util.function.Supplier<Output> make) {
      try {
        return make.get();
      } catch (MediaValidationException e) {
        throw e.under(at);
      }
    }
  }
}
