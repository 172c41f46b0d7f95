package dev.mediaflow.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Names;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Token;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.op.WatermarkKind;
import dev.mediaflow.op.WatermarkStrength;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads and writes the JSON pipeline spec (documented in {@code docs/pipeline-spec.md}).
 *
 * <pre>{@code
 * Pipeline p = PipelineSpec.parse(Files.readString(Path.of("job.json")));
 * String json = PipelineSpec.toJson(p);
 * }</pre>
 *
 * <p>Parsing is strict: unknown fields, wrong types, fractions where integers belong and
 * out-of-range values are rejected with a {@link MediaValidationException} whose field is the JSON
 * path, such as {@code outputs[1].steps[0].width}. Writing gives the canonical form (documented
 * field order, unset fields and false flags left out), so {@code toJson(parse(json))} returns a
 * canonical {@code json} unchanged and {@code parse(toJson(p))} equals {@code p}. Stateless and
 * thread-safe.
 */
public final class PipelineSpec {
  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  /** JSON field names of the transcode fields, shared by {@code transcode} and {@code concat}. */
  private static final List<String> TRANSCODE_FIELDS =
      List.of(
          "container",
          "videoCodec",
          "audioCodec",
          "width",
          "height",
          "videoBitrate",
          "audioBitrate",
          "fps",
          "sampleRate",
          "channels",
          "crf",
          "startMs",
          "durationMs",
          "noAudio",
          "noVideo");

  private PipelineSpec() {}

  /** Parses a spec. */
  public static Pipeline parse(String json) {
    return parse(new StringReader(json));
  }

  /** Parses a spec from {@code reader}; the reader is read to its end, not closed. */
  public static Pipeline parse(Reader reader) {
    JsonElement root;
    JsonReader r = new JsonReader(reader);
    r.setStrictness(Strictness.STRICT);
    try {
      root = JsonParser.parseReader(r);
    } catch (JsonParseException | IllegalStateException e) {
      throw new MediaValidationException("$", "is not valid JSON: " + gsonMessage(e));
    }
    try {
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new MediaValidationException("$", "unexpected content after the JSON object");
      }
    } catch (IOException e) {
      throw new MediaValidationException("$", "unexpected content after the JSON object");
    }
    return pipeline(Obj.of(root, ""));
  }

  /**
   * Parses a JSON array of step objects, as in an output's {@code steps} (for processing on a URL,
   * such as {@code [{"op": "resize", "width": 320}]}). Errors name the field as {@code
   * steps[0].width}.
   */
  public static List<Operation> parseSteps(String json) {
    JsonElement root;
    try {
      JsonReader r = new JsonReader(new StringReader(json));
      r.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(r);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new MediaValidationException("steps", "unexpected content after the JSON array");
      }
    } catch (JsonParseException | IllegalStateException | IOException e) {
      throw new MediaValidationException("steps", "is not valid JSON: " + gsonMessage(e));
    }
    if (!root.isJsonArray()) {
      throw new MediaValidationException("steps", "must be a JSON array of step objects");
    }
    JsonObject wrapper = new JsonObject();
    wrapper.add("steps", root);
    return Obj.of(wrapper, "").requiredArray("steps", PipelineSpec::operation);
  }

  /** Returns Gson's description of a syntax error without its advice about Gson's own API. */
  private static String gsonMessage(Exception e) {
    String m =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : e.getMessage();
    if (m == null) {
      return "malformed";
    }
    m =
        m.replace(
            "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON ",
            "malformed JSON ");
    int see = m.indexOf("\nSee https://");
    return see >= 0 ? m.substring(0, see) : m;
  }

  /** Writes {@code pipeline} as pretty-printed canonical JSON. */
  public static String toJson(Pipeline pipeline) {
    return PRETTY.toJson(toTree(pipeline));
  }

  /** Writes {@code pipeline} as canonical JSON on one line. */
  public static String toCompactJson(Pipeline pipeline) {
    return COMPACT.toJson(toTree(pipeline));
  }

  // ---------------------------------------------------------------- reading

  private static Pipeline pipeline(Obj o) {
    o.allow("source", "outputs", "notify", "options");
    MediaObject source = o.required("source", PipelineSpec::object);
    List<Output> outputs = o.requiredArray("outputs", PipelineSpec::output);
    if (outputs.isEmpty()) {
      throw new MediaValidationException("outputs", "needs at least one output");
    }
    Notify notify = o.optional("notify", v -> Notify.parse(v.string()));
    ProviderOptions options = o.optional("options", PipelineSpec::options);
    return Pipeline.of(source, outputs, notify, options);
  }

  private static MediaObject object(Val v) {
    Obj o = v.obj();
    o.allow("bucket", "key");
    String bucket = o.required("bucket", Val::string);
    String key = o.required("key", Val::string);
    return o.build(() -> MediaObject.of(bucket, key));
  }

  private static ProviderOptions options(Val v) {
    Obj o = v.obj();
    o.allow("queue", "force", "idleTime");
    ProviderOptions.Builder b = ProviderOptions.builder();
    o.set("queue", Val::string, b::queue);
    o.set("force", Val::bool, b::force);
    o.set("idleTime", Val::bool, b::idleTime);
    return b.build();
  }

  private static Output output(Val v) {
    Obj o = v.obj();
    o.allow("steps", "saveAs");
    List<Operation> steps = o.requiredArray("steps", PipelineSpec::operation);
    if (steps.isEmpty()) {
      throw new MediaValidationException(o.path("steps"), "needs at least one operation");
    }
    MediaObject saveAs = o.optional("saveAs", PipelineSpec::object);
    return o.build(() -> saveAs == null ? Output.unsaved(steps) : Output.of(steps, saveAs));
  }

  private static Operation operation(Val v) {
    Obj o = v.obj();
    String op = o.required("op", Val::string);
    switch (op) {
      case "transcode":
        o.allow(with("op", TRANSCODE_FIELDS));
        return o.build(() -> transcode(o).build());
      case "audio":
        return audio(o);
      case "snapshot":
        return snapshot(o);
      case "animate":
        return animate(o);
      case "convertDocument":
        return convertDocument(o);
      case "resize":
        return resize(o);
      case "watermark":
        return watermark(o);
      case "concat":
        return concat(o);
      case "decodeBlindWatermark":
        o.allow("op", "strength", "kind");
        WatermarkStrength strength = o.optional("strength", t -> t.token(WatermarkStrength.class));
        WatermarkKind kind = o.optional("kind", t -> t.token(WatermarkKind.class));
        return BlindWatermarkDecode.of(strength, kind);
      case "raw":
        o.allow("op", "provider", "value");
        String provider = o.required("provider", Val::string);
        String value = o.required("value", Val::string);
        return o.build(() -> RawOperation.of(provider, value));
      default:
        throw new MediaValidationException(
            o.path("op"),
            "unknown operation '"
                + op
                + "'; expected one of transcode, audio, snapshot, animate, convertDocument, "
                + "resize, watermark, concat, decodeBlindWatermark, raw"
                + suggest(op, OPS));
    }
  }

  private static final List<String> OPS =
      List.of(
          "transcode",
          "audio",
          "snapshot",
          "animate",
          "convertDocument",
          "resize",
          "watermark",
          "concat",
          "decodeBlindWatermark",
          "raw");

  private static Transcode.Builder transcode(Obj o) {
    Transcode.Builder b = Transcode.builder();
    o.set("container", t -> t.token(Container.class), b::container);
    o.set("videoCodec", t -> t.token(VideoCodec.class), b::videoCodec);
    o.set("audioCodec", t -> t.token(AudioCodec.class), b::audioCodec);
    o.set("width", Val::integer, b::width);
    o.set("height", Val::integer, b::height);
    o.set("videoBitrate", Val::longValue, b::videoBitrate);
    o.set("audioBitrate", Val::longValue, b::audioBitrate);
    o.set("fps", Val::number, b::fps);
    o.set("sampleRate", Val::integer, b::sampleRate);
    o.set("channels", Val::integer, b::channels);
    o.set("crf", Val::integer, b::crf);
    o.set("startMs", Val::millis, b::start);
    o.set("durationMs", Val::millis, b::duration);
    o.set("noAudio", Val::bool, b::noAudio);
    o.set("noVideo", Val::bool, b::noVideo);
    return b;
  }

  private static Operation audio(Obj o) {
    o.allow("op", "format", "audioBitrate", "sampleRate", "channels", "startMs", "durationMs");
    AudioTranscode.Builder b = AudioTranscode.builder();
    o.set("format", t -> t.token(AudioFormat.class), b::format);
    o.set("audioBitrate", Val::longValue, b::bitrate);
    o.set("sampleRate", Val::integer, b::sampleRate);
    o.set("channels", Val::integer, b::channels);
    o.set("startMs", Val::millis, b::start);
    o.set("durationMs", Val::millis, b::duration);
    return o.build(b::build);
  }

  private static Operation snapshot(Obj o) {
    o.allow("op", "atMs", "intervalMs", "count", "format", "width", "height", "fit");
    Snapshot.Builder b = Snapshot.builder();
    o.set("atMs", Val::millis, b::at);
    Duration interval = o.optional("intervalMs", Val::millis);
    Integer count = o.optional("count", Val::integer);
    if (interval != null && count != null) {
      o.build(() -> b.every(interval, count));
    } else if (interval != null || count != null) {
      String missing = interval == null ? "intervalMs" : "count";
      throw new MediaValidationException(
          o.path(missing), "is required with " + (interval == null ? "count" : "intervalMs"));
    }
    o.set("format", t -> t.token(ImageFormat.class), b::format);
    o.set("width", Val::integer, b::width);
    o.set("height", Val::integer, b::height);
    o.set("fit", t -> t.token(FitMode.class), b::fit);
    return o.build(b::build);
  }

  private static Operation animate(Obj o) {
    o.allow("op", "format", "width", "height", "startMs", "durationMs", "fps", "intervalMs");
    Animation.Builder b = Animation.builder();
    o.set("format", t -> t.token(AnimationFormat.class), b::format);
    o.set("width", Val::integer, b::width);
    o.set("height", Val::integer, b::height);
    o.set("startMs", Val::millis, b::start);
    o.set("durationMs", Val::millis, b::duration);
    o.set("fps", Val::number, b::fps);
    o.set("intervalMs", Val::millis, b::interval);
    return o.build(b::build);
  }

  private static Operation convertDocument(Obj o) {
    o.allow("op", "from", "to", "pages");
    DocumentConversion.Builder b = DocumentConversion.builder();
    o.set("from", t -> t.token(DocumentType.class), b::from);
    o.set("to", t -> t.token(DocumentTarget.class), b::to);
    o.set("pages", t -> t.as(s -> PageRange.parse(s.string())), b::pages);
    return o.build(b::build);
  }

  private static Operation resize(Obj o) {
    o.allow("op", "width", "height", "fit", "format", "quality");
    ImageResize.Builder b = ImageResize.builder();
    o.set("width", Val::integer, b::width);
    o.set("height", Val::integer, b::height);
    o.set("fit", t -> t.token(FitMode.class), b::fit);
    o.set("format", t -> t.token(ImageFormat.class), b::format);
    o.set("quality", Val::integer, b::quality);
    return o.build(b::build);
  }

  private static Operation watermark(Obj o) {
    o.allow("op", "text", "image", "font", "fontSize", "color", "gravity", "dx", "dy", "opacity");
    String text = o.optional("text", Val::string);
    MediaObject image = o.optional("image", PipelineSpec::object);
    if ((text == null) == (image == null)) {
      throw new MediaValidationException(o.path("text"), "set text or image, exactly one of them");
    }
    Watermark.Builder b =
        text != null ? o.at("text", () -> Watermark.text(text)) : Watermark.image(image);
    o.set("font", Val::string, b::font);
    o.set("fontSize", Val::integer, b::fontSize);
    o.set("color", Val::string, b::color);
    o.set("gravity", t -> t.token(Gravity.class), b::gravity);
    o.set("dx", Val::integer, b::dx);
    o.set("dy", Val::integer, b::dy);
    o.set("opacity", Val::integer, b::opacity);
    return o.build(b::build);
  }

  private static Operation concat(Obj o) {
    List<String> allowed = new ArrayList<>(with("op", TRANSCODE_FIELDS));
    allowed.add("inputs");
    allowed.add("position");
    o.allow(allowed);
    Concat.Builder b = Concat.builder();
    o.set("inputs", t -> t.array(PipelineSpec::object), b::inputs);
    o.set("position", t -> t.token(ConcatPosition.class), b::position);
    Transcode encoding = o.build(() -> transcode(o).build());
    b.encoding(encoding);
    return o.build(b::build);
  }

  private static List<String> with(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  // ---------------------------------------------------------------- writing

  private static JsonObject toTree(Pipeline p) {
    JsonObject root = new JsonObject();
    root.add("source", object(p.source()));
    JsonArray outputs = new JsonArray();
    for (Output out : p.outputs()) {
      JsonObject o = new JsonObject();
      JsonArray steps = new JsonArray();
      for (Operation op : out.steps()) {
        steps.add(operation(op));
      }
      o.add("steps", steps);
      out.saveAs().ifPresent(s -> o.add("saveAs", object(s)));
      outputs.add(o);
    }
    root.add("outputs", outputs);
    p.notification().ifPresent(n -> root.addProperty("notify", n.toString()));
    ProviderOptions opts = p.options();
    if (!opts.isEmpty()) {
      JsonObject o = new JsonObject();
      opts.queue().ifPresent(q -> o.addProperty("queue", q));
      opts.force().ifPresent(f -> o.addProperty("force", f));
      opts.idleTime().ifPresent(f -> o.addProperty("idleTime", f));
      root.add("options", o);
    }
    return root;
  }

  private static JsonObject object(MediaObject m) {
    JsonObject o = new JsonObject();
    o.addProperty("bucket", m.bucket());
    o.addProperty("key", m.key());
    return o;
  }

  private static JsonObject operation(Operation op) {
    Out o = new Out(op.type());
    if (op instanceof Transcode t) {
      transcodeFields(o, t);
    } else if (op instanceof AudioTranscode a) {
      o.token("format", a.format());
      a.bitrate().ifPresent(v -> o.num("audioBitrate", v));
      a.sampleRate().ifPresent(v -> o.num("sampleRate", v));
      a.channels().ifPresent(v -> o.num("channels", v));
      a.start().ifPresent(v -> o.num("startMs", v.toMillis()));
      a.duration().ifPresent(v -> o.num("durationMs", v.toMillis()));
    } else if (op instanceof Snapshot s) {
      s.offset().ifPresent(v -> o.num("atMs", v.toMillis()));
      s.interval()
          .ifPresent(
              v -> {
                o.num("intervalMs", v.toMillis());
                o.num("count", s.count());
              });
      s.format().ifPresent(v -> o.token("format", v));
      s.size().ifPresent(z -> o.size(z));
      s.fit().ifPresent(v -> o.token("fit", v));
    } else if (op instanceof Animation a) {
      o.token("format", a.format());
      a.size().ifPresent(z -> o.size(z));
      a.start().ifPresent(v -> o.num("startMs", v.toMillis()));
      a.duration().ifPresent(v -> o.num("durationMs", v.toMillis()));
      a.fps().ifPresent(v -> o.decimal("fps", v));
      a.interval().ifPresent(v -> o.num("intervalMs", v.toMillis()));
    } else if (op instanceof DocumentConversion d) {
      d.from().ifPresent(v -> o.token("from", v));
      o.token("to", d.to());
      d.pages().ifPresent(v -> o.json.addProperty("pages", v.toString()));
    } else if (op instanceof ImageResize r) {
      o.size(r.size());
      r.fit().ifPresent(v -> o.token("fit", v));
      r.format().ifPresent(v -> o.token("format", v));
      r.quality().ifPresent(v -> o.num("quality", v));
    } else if (op instanceof Watermark w) {
      w.text().ifPresent(v -> o.json.addProperty("text", v));
      w.image().ifPresent(v -> o.json.add("image", object(v)));
      w.font().ifPresent(v -> o.json.addProperty("font", v));
      w.fontSize().ifPresent(v -> o.num("fontSize", v));
      w.color().ifPresent(v -> o.json.addProperty("color", v));
      w.gravity().ifPresent(v -> o.token("gravity", v));
      w.dx().ifPresent(v -> o.num("dx", v));
      w.dy().ifPresent(v -> o.num("dy", v));
      w.opacity().ifPresent(v -> o.num("opacity", v));
    } else if (op instanceof Concat c) {
      JsonArray inputs = new JsonArray();
      c.inputs().forEach(i -> inputs.add(object(i)));
      o.json.add("inputs", inputs);
      c.position().ifPresent(v -> o.token("position", v));
      transcodeFields(o, c.encoding());
    } else if (op instanceof BlindWatermarkDecode b) {
      b.strength().ifPresent(v -> o.token("strength", v));
      b.kind().ifPresent(v -> o.token("kind", v));
    } else if (op instanceof RawOperation r) {
      o.json.addProperty("provider", r.provider());
      o.json.addProperty("value", r.value());
    } else {
      throw new IllegalStateException("no JSON form for " + op.getClass().getName());
    }
    return o.json;
  }

  private static void transcodeFields(Out o, Transcode t) {
    o.token("container", t.container());
    t.videoCodec().ifPresent(v -> o.token("videoCodec", v));
    t.audioCodec().ifPresent(v -> o.token("audioCodec", v));
    t.size().ifPresent(o::size);
    t.videoBitrate().ifPresent(v -> o.num("videoBitrate", v));
    t.audioBitrate().ifPresent(v -> o.num("audioBitrate", v));
    t.fps().ifPresent(v -> o.decimal("fps", v));
    t.sampleRate().ifPresent(v -> o.num("sampleRate", v));
    t.channels().ifPresent(v -> o.num("channels", v));
    t.crf().ifPresent(v -> o.num("crf", v));
    t.start().ifPresent(v -> o.num("startMs", v.toMillis()));
    t.duration().ifPresent(v -> o.num("durationMs", v.toMillis()));
    if (t.isNoAudio()) {
      o.json.addProperty("noAudio", true);
    }
    if (t.isNoVideo()) {
      o.json.addProperty("noVideo", true);
    }
  }

  /** A JSON object being written. */
  private static final class Out {
    final JsonObject json = new JsonObject();

    Out(String op) {
      json.addProperty("op", op);
    }

    void token(String name, Token t) {
      json.addProperty(name, t.token());
    }

    void num(String name, long v) {
      json.addProperty(name, v);
    }

    void decimal(String name, double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        json.addProperty(name, (long) v);
      } else {
        json.add(name, new JsonPrimitive(BigDecimal.valueOf(v)));
      }
    }

    void size(Size z) {
      z.widthIfSet().ifPresent(w -> num("width", w));
      z.heightIfSet().ifPresent(h -> num("height", h));
    }
  }

  // ---------------------------------------------------------------- reading helpers

  /** A JSON object at a path, with typed field access that reports errors by path. */
  private static final class Obj {
    private final JsonObject json;
    private final String path;

    private Obj(JsonObject json, String path) {
      this.json = json;
      this.path = path;
    }

    static Obj of(JsonElement e, String path) {
      if (e == null || !e.isJsonObject()) {
        throw new MediaValidationException(
            path.isEmpty() ? "$" : path, "must be a JSON object, was " + describe(e));
      }
      return new Obj(e.getAsJsonObject(), path);
    }

    String path(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    void allow(String... fields) {
      allow(List.of(fields));
    }

    void allow(List<String> fields) {
      Set<String> known = new LinkedHashSet<>(fields);
      for (Map.Entry<String, JsonElement> e : json.entrySet()) {
        if (!known.contains(e.getKey())) {
          throw new MediaValidationException(
              path(e.getKey()),
              "unknown field"
                  + suggest(e.getKey(), known)
                  + "; known fields here: "
                  + String.join(", ", known));
        }
      }
    }

    <T> T required(String field, Function<Val, T> read) {
      JsonElement e = json.get(field);
      if (e == null || e.isJsonNull()) {
        throw new MediaValidationException(path(field), "is required");
      }
      return read.apply(new Val(e, path(field)));
    }

    <T> T optional(String field, Function<Val, T> read) {
      JsonElement e = json.get(field);
      if (e == null) {
        return null;
      }
      if (e.isJsonNull()) {
        throw new MediaValidationException(
            path(field), "must not be null; leave the field out instead");
      }
      return read.apply(new Val(e, path(field)));
    }

    <T> List<T> requiredArray(String field, Function<Val, T> read) {
      return required(field, v -> v.array(read));
    }

    /**
     * Reads {@code field} if present and hands it to {@code setter}, prefixing any error with its
     * path.
     */
    <T> void set(String field, Function<Val, T> read, Consumer<T> setter) {
      T value = optional(field, read);
      if (value != null) {
        at(
            field,
            () -> {
              setter.accept(value);
              return null;
            });
      }
    }

    /**
     * Runs {@code action}; a validation error it throws is reported at {@code field} of this
     * object.
     */
    <T> T at(String field, java.util.function.Supplier<T> action) {
      try {
        return action.get();
      } catch (MediaValidationException e) {
        throw new MediaValidationException(path(field), e.problem());
      }
    }

    /** Runs {@code action}; a validation error it throws names a field relative to this object. */
    <T> T build(java.util.function.Supplier<T> action) {
      try {
        return action.get();
      } catch (MediaValidationException e) {
        throw e.field().startsWith(path) && !path.isEmpty() ? e : e.under(path);
      }
    }
  }

  /** A JSON value at a path. */
  private static final class Val {
    private final JsonElement e;
    private final String path;

    Val(JsonElement e, String path) {
      this.e = e;
      this.path = path;
    }

    Obj obj() {
      return Obj.of(e, path);
    }

    <T> T as(Function<Val, T> read) {
      try {
        return read.apply(this);
      } catch (MediaValidationException x) {
        throw x.field().equals(path) ? x : new MediaValidationException(path, x.problem());
      }
    }

    String string() {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw new MediaValidationException(path, "must be a string, was " + describe(e));
      }
      return e.getAsString();
    }

    boolean bool() {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
        throw new MediaValidationException(path, "must be true or false, was " + describe(e));
      }
      return e.getAsBoolean();
    }

    private BigDecimal decimal(String what) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw new MediaValidationException(path, "must be " + what + ", was " + describe(e));
      }
      try {
        return new BigDecimal(e.getAsJsonPrimitive().getAsString());
      } catch (NumberFormatException x) {
        throw new MediaValidationException(path, "must be " + what + ", was " + describe(e));
      }
    }

    long longValue() {
      BigDecimal d = decimal("an integer");
      try {
        return d.longValueExact();
      } catch (ArithmeticException x) {
        throw new MediaValidationException(path, "must be an integer, was " + d.toPlainString());
      }
    }

    int integer() {
      long v = longValue();
      if (v != (int) v) {
        throw new MediaValidationException(path, "is out of range: " + v);
      }
      return (int) v;
    }

    double number() {
      return decimal("a number").doubleValue();
    }

    Duration millis() {
      return Duration.ofMillis(longValue());
    }

    <E extends Enum<E> & Token> E token(Class<E> type) {
      return Token.parse(type, path, string());
    }

    <T> List<T> array(Function<Val, T> read) {
      if (!e.isJsonArray()) {
        throw new MediaValidationException(path, "must be an array, was " + describe(e));
      }
      JsonArray a = e.getAsJsonArray();
      List<T> out = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        JsonElement item = a.get(i);
        String at = path + "[" + i + "]";
        if (item.isJsonNull()) {
          throw new MediaValidationException(at, "must not be null");
        }
        out.add(read.apply(new Val(item, at)));
      }
      return out;
    }
  }

  private static String describe(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    String s = e.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Returns "; did you mean 'x'?" for the closest known name within edit distance 2, else "". */
  static String suggest(String name, Iterable<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d =
          Names.distance(
              name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best).map(b -> "; did you mean '" + b + "'?").orElse("");
  }
}
