package dev.mediaflow.spi;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Token;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a provider can express: which operations, which enum values, how many outputs and concat
 * inputs, which notification targets and options. {@link #check(Pipeline)} turns the first thing it
 * cannot into an {@link UnsupportedMediaOperationException} naming the operation and parameter,
 * before any network call.
 *
 * <p>Renderers may reject finer combinations themselves. Immutable and thread-safe.
 */
public final class Capabilities {
  /** Option names, as in the JSON spec's {@code options} object. */
  public static final String QUEUE = "queue";

  public static final String FORCE = "force";
  public static final String IDLE_TIME = "idleTime";

  /** Every option name a pipeline can carry. */
  public static final Set<String> OPTIONS = Set.of(QUEUE, FORCE, IDLE_TIME);

  private final String providerId;
  private final Set<Class<? extends Operation>> operations;
  private final Set<Container> containers;
  private final Set<VideoCodec> videoCodecs;
  private final Set<AudioCodec> audioCodecs;
  private final Set<AudioFormat> audioFormats;
  private final Set<ImageFormat> imageFormats;
  private final Set<AnimationFormat> animationFormats;
  private final Set<DocumentTarget> documentTargets;
  private final Set<FitMode> fitModes;
  private final Set<String> options;
  private final boolean notifyUrl;
  private final boolean notifyTopic;
  private final int maxOutputs;
  private final int maxConcatInputs;
  private final int maxStepsPerOutput;

  private Capabilities(Builder b) {
    this.providerId = b.providerId;
    this.operations = Collections.unmodifiableSet(new LinkedHashSet<>(b.operations));
    this.containers = Collections.unmodifiableSet(EnumSet.copyOf(b.containers));
    this.videoCodecs = Collections.unmodifiableSet(EnumSet.copyOf(b.videoCodecs));
    this.audioCodecs = Collections.unmodifiableSet(EnumSet.copyOf(b.audioCodecs));
    this.audioFormats = Collections.unmodifiableSet(EnumSet.copyOf(b.audioFormats));
    this.imageFormats = Collections.unmodifiableSet(EnumSet.copyOf(b.imageFormats));
    this.animationFormats = Collections.unmodifiableSet(EnumSet.copyOf(b.animationFormats));
    this.documentTargets = Collections.unmodifiableSet(EnumSet.copyOf(b.documentTargets));
    this.fitModes = Collections.unmodifiableSet(EnumSet.copyOf(b.fitModes));
    this.options = Set.copyOf(b.options);
    this.notifyUrl = b.notifyUrl;
    this.notifyTopic = b.notifyTopic;
    this.maxOutputs = b.maxOutputs;
    this.maxConcatInputs = b.maxConcatInputs;
    this.maxStepsPerOutput = b.maxStepsPerOutput;
  }

  /**
   * Starts with nothing allowed: no operation, no enum value, no option and no notification target.
   * A provider lists what it can express, so whatever it forgets is refused rather than silently
   * dropped.
   */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  public String providerId() {
    return providerId;
  }

  public Set<Class<? extends Operation>> operations() {
    return operations;
  }

  public boolean supports(Class<? extends Operation> type) {
    return operations.contains(type);
  }

  public Set<Container> containers() {
    return containers;
  }

  public Set<VideoCodec> videoCodecs() {
    return videoCodecs;
  }

  public Set<AudioCodec> audioCodecs() {
    return audioCodecs;
  }

  public Set<AudioFormat> audioFormats() {
    return audioFormats;
  }

  public Set<ImageFormat> imageFormats() {
    return imageFormats;
  }

  public Set<AnimationFormat> animationFormats() {
    return animationFormats;
  }

  public Set<DocumentTarget> documentTargets() {
    return documentTargets;
  }

  public Set<FitMode> fitModes() {
    return fitModes;
  }

  /** Returns the supported option names ({@link #QUEUE}, {@link #FORCE}, {@link #IDLE_TIME}). */
  public Set<String> options() {
    return options;
  }

  /** Returns whether a job can notify an http(s) URL when it ends. */
  public boolean notifiesUrl() {
    return notifyUrl;
  }

  /** Returns whether a job can publish to a message topic when it ends. */
  public boolean notifiesTopic() {
    return notifyTopic;
  }

  public int maxOutputs() {
    return maxOutputs;
  }

  /**
   * Checks every part of {@code pipeline} against these capabilities.
   *
   * @throws UnsupportedMediaOperationException at the first thing this provider cannot express
   */
  public void check(Pipeline pipeline) {
    if (pipeline.outputs().size() > maxOutputs) {
      throw new UnsupportedMediaOperationException(
          providerId,
          "pipeline",
          "outputs",
          "at most "
              + maxOutputs
              + " outputs per job, was "
              + pipeline.outputs().size()
              + "; split the pipeline");
    }
    pipeline
        .notification()
        .ifPresent(
            n -> {
              if (!notifyUrl && !notifyTopic) {
                throw new UnsupportedMediaOperationException(
                    providerId,
                    "pipeline",
                    "notify",
                    "this provider sends no notification when a job ends; remove notify and watch the job instead");
              }
              if (n.url().isPresent() && !notifyUrl) {
                throw new UnsupportedMediaOperationException(
                    providerId,
                    "pipeline",
                    "notify",
                    "this provider notifies a message topic, not a URL: give a topic name");
              }
              if (n.topic().isPresent() && !notifyTopic) {
                throw new UnsupportedMediaOperationException(
                    providerId,
                    "pipeline",
                    "notify",
                    "this provider notifies an http(s) URL, not a topic: give a URL");
              }
            });
    var opts = pipeline.options();
    option(opts.queue().isPresent(), QUEUE);
    option(opts.force().isPresent(), FORCE);
    option(opts.idleTime().isPresent(), IDLE_TIME);
    for (Output out : pipeline.outputs()) {
      if (out.steps().size() > maxStepsPerOutput) {
        throw new UnsupportedMediaOperationException(
            providerId,
            out.steps().get(0).type(),
            "steps",
            "at most "
                + maxStepsPerOutput
                + " chained operation(s) per output, was "
                + out.steps().size());
      }
      for (Operation op : out.steps()) {
        check(op);
      }
    }
  }

  private void option(boolean set, String name) {
    if (set && !options.contains(name)) {
      throw new UnsupportedMediaOperationException(
          providerId, "pipeline", "options." + name, "this provider has no such option; remove it");
    }
  }

  /** Checks one operation. */
  public void check(Operation op) {
    if (op instanceof RawOperation r && !r.provider().equals(providerId)) {
      throw new UnsupportedMediaOperationException(
          providerId, op.type(), "provider", "this raw step is written for '" + r.provider() + "'");
    }
    if (!operations.contains(op.getClass())) {
      throw new UnsupportedMediaOperationException(
          providerId,
          op.type(),
          "",
          "supported here: "
              + operations.stream().map(Capabilities::name).collect(Collectors.joining(", ")));
    }
    if (op instanceof Transcode t) {
      transcode(op.type(), t);
    } else if (op instanceof AudioTranscode a) {
      value(op, "format", a.format(), audioFormats);
    } else if (op instanceof Snapshot s) {
      s.format().ifPresent(f -> value(op, "format", f, imageFormats));
      s.fit().ifPresent(f -> value(op, "fit", f, fitModes));
    } else if (op instanceof Animation a) {
      value(op, "format", a.format(), animationFormats);
    } else if (op instanceof DocumentConversion d) {
      value(op, "to", d.to(), documentTargets);
    } else if (op instanceof ImageResize r) {
      r.format().ifPresent(f -> value(op, "format", f, imageFormats));
      r.fit().ifPresent(f -> value(op, "fit", f, fitModes));
    } else if (op instanceof Concat c) {
      if (c.inputs().size() > maxConcatInputs) {
        throw new UnsupportedMediaOperationException(
            providerId,
            op.type(),
            "inputs",
            "at most " + maxConcatInputs + " further inputs, was " + c.inputs().size());
      }
      transcode(op.type(), c.encoding());
    }
  }

  private void transcode(String type, Transcode t) {
    value(type, "container", t.container(), containers);
    t.videoCodec().ifPresent(c -> value(type, "videoCodec", c, videoCodecs));
    t.audioCodec().ifPresent(c -> value(type, "audioCodec", c, audioCodecs));
  }

  private <E extends Enum<E> & Token> void value(Operation op, String param, E v, Set<E> allowed) {
    value(op.type(), param, v, allowed);
  }

  private <E extends Enum<E> & Token> void value(String type, String param, E v, Set<E> allowed) {
    if (!allowed.contains(v)) {
      throw new UnsupportedMediaOperationException(
          providerId,
          type,
          param,
          allowed.isEmpty()
              ? "this provider takes no " + param + " here; remove it"
              : "'"
                  + v.token()
                  + "' is not supported; use one of "
                  + allowed.stream().map(Token::token).collect(Collectors.joining(", ")));
    }
  }

  private static String name(Class<? extends Operation> type) {
    return Optional.ofNullable(OP_NAMES.get(type)).orElse(type.getSimpleName());
  }

  private static final java.util.Map<Class<? extends Operation>, String> OP_NAMES =
      java.util.Map.of(
          Transcode.class,
          "transcode",
          AudioTranscode.class,
          "audio",
          Snapshot.class,
          "snapshot",
          Animation.class,
          "animate",
          DocumentConversion.class,
          "convertDocument",
          ImageResize.class,
          "resize",
          dev.mediaflow.op.Watermark.class,
          "watermark",
          Concat.class,
          "concat",
          dev.mediaflow.op.BlindWatermarkDecode.class,
          "decodeBlindWatermark",
          RawOperation.class,
          "raw");

  /** Builds {@link Capabilities}. */
  public static final class Builder {
    private final String providerId;
    private final Set<Class<? extends Operation>> operations = new LinkedHashSet<>();
    private Set<Container> containers = EnumSet.noneOf(Container.class);
    private Set<VideoCodec> videoCodecs = EnumSet.noneOf(VideoCodec.class);
    private Set<AudioCodec> audioCodecs = EnumSet.noneOf(AudioCodec.class);
    private Set<AudioFormat> audioFormats = EnumSet.noneOf(AudioFormat.class);
    private Set<ImageFormat> imageFormats = EnumSet.noneOf(ImageFormat.class);
    private Set<AnimationFormat> animationFormats = EnumSet.noneOf(AnimationFormat.class);
    private Set<DocumentTarget> documentTargets = EnumSet.noneOf(DocumentTarget.class);
    private Set<FitMode> fitModes = EnumSet.noneOf(FitMode.class);
    private Set<String> options = Set.of();
    private boolean notifyUrl;
    private boolean notifyTopic;
    private int maxOutputs = Integer.MAX_VALUE;
    private int maxConcatInputs = Concat.MAX_INPUTS;
    private int maxStepsPerOutput = Integer.MAX_VALUE;

    private Builder(String providerId) {
      this.providerId = providerId;
    }

    @SafeVarargs
    public final Builder operations(Class<? extends Operation>... types) {
      operations.addAll(Arrays.asList(types));
      return this;
    }

    public Builder containers(Set<Container> v) {
      containers = v.isEmpty() ? EnumSet.noneOf(Container.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder videoCodecs(Set<VideoCodec> v) {
      videoCodecs = v.isEmpty() ? EnumSet.noneOf(VideoCodec.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder audioCodecs(Set<AudioCodec> v) {
      audioCodecs = v.isEmpty() ? EnumSet.noneOf(AudioCodec.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder audioFormats(Set<AudioFormat> v) {
      audioFormats = v.isEmpty() ? EnumSet.noneOf(AudioFormat.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder imageFormats(Set<ImageFormat> v) {
      imageFormats = v.isEmpty() ? EnumSet.noneOf(ImageFormat.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder animationFormats(Set<AnimationFormat> v) {
      animationFormats = v.isEmpty() ? EnumSet.noneOf(AnimationFormat.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder documentTargets(Set<DocumentTarget> v) {
      documentTargets = v.isEmpty() ? EnumSet.noneOf(DocumentTarget.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder fitModes(Set<FitMode> v) {
      fitModes = v.isEmpty() ? EnumSet.noneOf(FitMode.class) : EnumSet.copyOf(v);
      return this;
    }

    /** Sets the supported option names, a subset of {@link #OPTIONS}. */
    public Builder options(Set<String> names) {
      for (String n : names) {
        if (!OPTIONS.contains(n)) {
          throw new IllegalArgumentException("unknown option '" + n + "'; options are " + OPTIONS);
        }
      }
      options = Set.copyOf(names);
      return this;
    }

    public Builder notifyUrl(boolean supported) {
      notifyUrl = supported;
      return this;
    }

    public Builder notifyTopic(boolean supported) {
      notifyTopic = supported;
      return this;
    }

    public Builder maxOutputs(int n) {
      maxOutputs = n;
      return this;
    }

    public Builder maxConcatInputs(int n) {
      maxConcatInputs = n;
      return this;
    }

    public Builder maxStepsPerOutput(int n) {
      maxStepsPerOutput = n;
      return this;
    }

    public Capabilities build() {
      return new Capabilities(this);
    }
  }
}
