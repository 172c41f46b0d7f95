package dev.mediaflow.oss;

import static dev.mediaflow.internal.Numbers.number;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders one output as an OSS processing style (pure, no I/O): {@code video/convert}, {@code
 * video/snapshots}, {@code video/animation}, {@code video/concat} with {@code /pre} and {@code
 * /sur} inputs, {@code audio/convert}, {@code doc/convert}, {@code image/deblindwatermark} for
 * {@code x-oss-async-process}; {@code image/resize}, {@code format}, {@code quality}, {@code
 * watermark} chains for {@code x-oss-process}.
 *
 * <p>Targets are {@code |sys/saveas,b_<bucket>,o_<key>} and topics {@code /notify,topic_<name>}
 * (after saveas) or {@code |sys/notify,topic_<name>} (no output object), every name URL-safe base64
 * without padding ({@code docs/vendor-notes.md}, "OSS processing styles", says why). Times are
 * milliseconds, bitrates bits per second. Every user string is base64-encoded; every other value is
 * a number or an enum token, so none can contain {@code ,}, {@code /} or {@code |}.
 */
final class OssStyleRenderer {
  static final String ID = "oss";

  /**
   * Whether a style goes to {@code x-oss-async-process} or to the synchronous {@code
   * x-oss-process}.
   */
  enum Mode {
    ASYNC("x-oss-async-process"),
    SYNC("x-oss-process");

    final String parameter;

    Mode(String parameter) {
      this.parameter = parameter;
    }
  }

  /** A rendered output: its style and where it goes. */
  record Style(String value, Mode mode) {}

  /** Renders one output, with its save target and the topic to notify (if any). */
  Style output(Output output, Optional<String> topic) {
    List<Operation> steps = output.steps();
    boolean image =
        steps.stream().allMatch(s -> s instanceof ImageResize || s instanceof Watermark);
    if (image) {
      if (topic.isPresent()) {
        throw new UnsupportedMediaOperationException(
            ID,
            steps.get(0).type(),
            "notify",
            "image processing (x-oss-process) is synchronous and sends no notification; remove notify");
      }
      List<String> parts = new ArrayList<>();
      for (Operation op : steps) {
        parts.add(image(op));
      }
      String chain = "image/" + String.join("/", parts);
      return new Style(
          output.saveAs().map(t -> chain + "|sys/saveas," + target(t)).orElse(chain), Mode.SYNC);
    }
    if (steps.size() != 1) {
      throw new UnsupportedMediaOperationException(
          ID,
          steps.get(1).type(),
          "steps",
          "OSS runs one media operation per request; split the chain into outputs");
    }
    String style = step(steps.get(0));
    if (output.saveAs().isPresent()) {
      style += "|sys/saveas," + target(output.saveAs().get());
      if (topic.isPresent()) {
        style += "/notify,topic_" + b64(topic.get());
      }
    } else if (topic.isPresent()) {
      style += "|sys/notify,topic_" + b64(topic.get());
    }
    return new Style(style, Mode.ASYNC);
  }

  /** The async style of one media operation (no target). */
  String step(Operation op) {
    if (op instanceof Transcode t) {
      return convert("video/convert", t).toString();
    } else if (op instanceof AudioTranscode a) {
      return audio(a);
    } else if (op instanceof Snapshot s) {
      return snapshots(s);
    } else if (op instanceof Animation a) {
      return animation(a);
    } else if (op instanceof Concat c) {
      return concat(c);
    } else if (op instanceof DocumentConversion d) {
      return document(d);
    } else if (op instanceof BlindWatermarkDecode b) {
      return new Action("image/deblindwatermark")
          .add("s", b.strength().map(x -> x.token()).orElse("low"))
          .add("t", b.kind().map(x -> x.token()).orElse("text"))
          .toString();
    } else if (op instanceof RawOperation r) {
      return raw(r);
    }
    throw new UnsupportedMediaOperationException(
        ID, op.type(), "", "OSS has no asynchronous style for this operation");
  }

  // ---- video and audio

  private static Action convert(String action, Transcode t) {
    Action s = new Action(action).add("f", t.container().token());
    t.videoCodec()
        .ifPresent(
            v ->
                s.add(
                    "vcodec",
                    switch (v) {
                      case H264 -> "h264";
                      case H265 -> "h265";
                      case VP9 -> "vp9";
                      case COPY -> "copy";
                      case AV1 ->
                          throw new UnsupportedMediaOperationException(
                              ID, "transcode", "videoCodec", "OSS does not encode AV1");
                    }));
    t.size().ifPresent(z -> s.add("s", size(z, "transcode")));
    t.videoBitrate().ifPresent(b -> s.add("vb", String.valueOf(b)));
    t.fps().ifPresent(f -> s.add("fps", number(f)));
    t.crf().ifPresent(c -> s.add("crf", String.valueOf(c)));
    t.audioCodec().filter(a -> a != AudioCodec.NONE).ifPresent(a -> s.add("acodec", audioCodec(a)));
    t.audioBitrate().ifPresent(b -> s.add("ab", String.valueOf(b)));
    t.sampleRate().ifPresent(r -> s.add("ar", String.valueOf(r)));
    t.channels().ifPresent(c -> s.add("ac", String.valueOf(c)));
    t.start().ifPresent(d -> s.add("ss", millis(d)));
    t.duration().ifPresent(d -> s.add("t", millis(d)));
    if (t.dropsAudio()) {
      s.add("an", "1");
    }
    if (t.isNoVideo()) {
      s.add("vn", "1");
    }
    return s.add("sn", "1"); // outputs carry no subtitle streams
  }

  private static String audio(AudioTranscode a) {
    Action s = new Action("audio/convert");
    a.start().ifPresent(d -> s.add("ss", millis(d)));
    a.duration().ifPresent(d -> s.add("t", millis(d)));
    s.add(
        "f",
        switch (a.format()) {
          case MP3 -> "mp3";
          case AAC -> "aac";
          case FLAC -> "flac";
          case OGG -> "oga";
          case AC3 -> "ac3";
          case OPUS -> "opus";
          case AMR -> "amr";
          case M4A, WAV ->
              throw new UnsupportedMediaOperationException(
                  ID,
                  a.type(),
                  "format",
                  "audio/convert writes mp3, aac, flac, ogg, ac3, opus or amr");
        });
    a.bitrate().ifPresent(b -> s.add("ab", String.valueOf(b)));
    a.sampleRate().ifPresent(r -> s.add("ar", String.valueOf(r)));
    a.channels().ifPresent(c -> s.add("ac", String.valueOf(c)));
    return s.toString();
  }

  private static String snapshots(Snapshot x) {
    Action s = new Action("video/snapshots").add("f", x.format().map(f -> f.token()).orElse("jpg"));
    if (!x.format().map(f -> f.token()).orElse("jpg").matches("jpg|png")) {
      throw new UnsupportedMediaOperationException(
          ID, x.type(), "format", "video/snapshots writes jpg or png");
    }
    x.size()
        .ifPresent(
            z -> {
              z.widthIfSet().ifPresent(w -> s.add("w", String.valueOf(w)));
              z.heightIfSet().ifPresent(h -> s.add("h", String.valueOf(h)));
            });
    x.fit().ifPresent(f -> s.add("scaletype", scaleType(f)));
    x.offset().ifPresent(o -> s.add("ss", millis(o)));
    if (x.isMultiFrame()) {
      s.add("inter", millis(x.interval().orElseThrow())).add("num", String.valueOf(x.count()));
    } else {
      s.add("num", "1");
    }
    return s.toString();
  }

  private static String animation(Animation a) {
    Action s = new Action("video/animation").add("f", a.format().token());
    a.size()
        .ifPresent(
            z -> {
              z.widthIfSet().ifPresent(w -> s.add("w", String.valueOf(w)));
              z.heightIfSet().ifPresent(h -> s.add("h", String.valueOf(h)));
            });
    a.start().ifPresent(d -> s.add("ss", millis(d)));
    a.interval().ifPresent(i -> s.add("inter", millis(i)));
    a.fps().ifPresent(f -> s.add("fps", number(f)));
    a.duration()
        .ifPresent(
            d -> {
              double perSecond =
                  a.fps().isPresent()
                      ? a.fps().getAsDouble()
                      : a.interval().map(i -> 1000.0 / i.toMillis()).orElse(Double.NaN);
              if (Double.isNaN(perSecond)) {
                throw new UnsupportedMediaOperationException(
                    ID,
                    a.type(),
                    "duration",
                    "OSS takes a frame count, not a duration: give fps or interval with it");
              }
              s.add(
                  "num",
                  String.valueOf(Math.max(1, Math.round(d.toMillis() / 1000.0 * perSecond))));
            });
    return s.toString();
  }

  private static String concat(Concat c) {
    if (c.inputs().size() > 10) {
      throw new UnsupportedMediaOperationException(
          ID, c.type(), "inputs", "video/concat joins at most 11 videos: 10 further inputs");
    }
    Action s =
        c.encoding().isNoVideo()
            ? audioConcat(c.encoding())
            : convert("video/concat", c.encoding());
    String segment = c.effectivePosition() == ConcatPosition.BEFORE ? "pre" : "sur";
    StringBuilder b = new StringBuilder(s.toString());
    for (MediaObject input : c.inputs()) {
      b.append('/').append(segment).append(",o_").append(b64(input.key()));
    }
    return b.toString();
  }

  /**
   * {@code audio/concat}: the format follows the audio codec, as OSS names its audio containers.
   */
  private static Action audioConcat(Transcode t) {
    String f =
        t.audioCodec()
            .map(
                a ->
                    switch (a) {
                      case AAC -> "aac";
                      case MP3 -> "mp3";
                      case FLAC -> "flac";
                      case VORBIS -> "oga";
                      case OPUS -> "opus";
                      case AC3 -> "ac3";
                      case COPY, NONE -> null;
                    })
            .orElse(null);
    if (f == null) {
      throw new UnsupportedMediaOperationException(
          ID,
          "concat",
          "encoding.audioCodec",
          "audio/concat (noVideo) needs an audio codec: aac, mp3, flac, vorbis, opus or ac3");
    }
    Action s = new Action("audio/concat").add("f", f);
    t.channels().ifPresent(c -> s.add("ac", String.valueOf(c)));
    t.sampleRate().ifPresent(r -> s.add("ar", String.valueOf(r)));
    t.audioBitrate().ifPresent(b -> s.add("ab", String.valueOf(b)));
    t.start().ifPresent(d -> s.add("ss", millis(d)));
    t.duration().ifPresent(d -> s.add("t", millis(d)));
    return s;
  }

  private static String document(DocumentConversion d) {
    Action s = new Action("doc/convert").add("target", d.to().token());
    d.from().ifPresent(f -> s.add("source", f.token()));
    d.pages().ifPresent(p -> s.add("pages", b64(p.toString())));
    return s.toString();
  }

  private static String raw(RawOperation r) {
    String v = r.value();
    if (v.contains("sys/saveas") || v.contains("notify,topic_")) {
      throw new UnsupportedMediaOperationException(
          ID,
          r.type(),
          "value",
          "leave saveas and notify out of a raw step; the pipeline's saveAs and notify add them");
    }
    return v;
  }

  // ---- images (x-oss-process)

  /**
   * The {@code image/...} chain of image steps ({@link ImageResize}, {@link Watermark}), as {@code
   * x-oss-process} takes it on a request or a URL.
   */
  static String imageChain(List<Operation> steps) {
    StringBuilder b = new StringBuilder(64).append("image");
    for (Operation op : steps) {
      image(b.append('/'), op);
    }
    return b.toString();
  }

  private static String image(Operation op) {
    return image(new StringBuilder(48), op).toString();
  }

  /** {@link #image(Operation)}, appended to {@code b}. */
  private static StringBuilder image(StringBuilder b, Operation op) {
    if (op instanceof ImageResize r) {
      b.append("resize,m_")
          .append(
              switch (r.fit().orElse(FitMode.FIT)) {
                case FIT -> "lfit";
                case CROP -> "fill";
                case PAD -> "pad";
                case STRETCH -> "fixed";
              });
      if (r.size().width() != 0) {
        b.append(",w_").append(r.size().width());
      }
      if (r.size().height() != 0) {
        b.append(",h_").append(r.size().height());
      }
      if (r.format().isPresent()) {
        b.append("/format,").append(r.format().get().token());
      }
      if (r.quality().isPresent()) {
        b.append("/quality,q_").append(r.quality().getAsInt());
      }
      return b;
    }
    return b.append(watermark((Watermark) op));
  }

  private static String watermark(Watermark w) {
    Action s = new Action("watermark");
    if (w.image().isPresent()) {
      s.add("image", b64(w.image().get().key()));
    } else {
      s.add("text", b64(w.text().orElseThrow()));
      w.font().ifPresent(f -> s.add("type", b64(f)));
      w.fontSize().ifPresent(z -> s.add("size", String.valueOf(z)));
      w.color().ifPresent(c -> s.add("color", c.substring(1).toUpperCase(Locale.ROOT)));
    }
    w.opacity().ifPresent(o -> s.add("t", String.valueOf(o)));
    w.gravity().ifPresent(g -> s.add("g", gravity(g)));
    w.dx().ifPresent(x -> s.add("x", String.valueOf(x)));
    w.dy().ifPresent(y -> s.add("y", String.valueOf(y)));
    return s.toString();
  }

  // ---- values

  /** {@code b_<bucket>,o_<key>}, both URL-safe base64 without padding. */
  static String target(MediaObject o) {
    return "b_" + b64(o.bucket()) + ",o_" + b64(o.key());
  }

  /** URL-safe base64 of the UTF-8 bytes, without {@code =} padding. */
  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String millis(Duration d) {
    return String.valueOf(d.toMillis());
  }

  private static String size(Size z, String type) {
    if (z.width() == 0 || z.height() == 0) {
      throw new UnsupportedMediaOperationException(
          ID, type, "size", "OSS takes both width and height (s_WxH)");
    }
    return z.width() + "x" + z.height();
  }

  private static String scaleType(FitMode f) {
    return switch (f) {
      case FIT -> "fit";
      case CROP -> "crop";
      case PAD -> "fill";
      case STRETCH -> "stretch";
    };
  }

  private static String gravity(Gravity g) {
    return switch (g) {
      case NORTH_WEST -> "nw";
      case NORTH -> "north";
      case NORTH_EAST -> "ne";
      case WEST -> "west";
      case CENTER -> "center";
      case EAST -> "east";
      case SOUTH_WEST -> "sw";
      case SOUTH -> "south";
      case SOUTH_EAST -> "se";
    };
  }

  private static String audioCodec(AudioCodec a) {
    return switch (a) {
      case AAC -> "aac";
      case MP3 -> "mp3";
      case OPUS -> "opus";
      case VORBIS -> "vorbis";
      case FLAC -> "flac";
      case AC3 -> "ac3";
      case COPY -> "copy";
      case NONE -> throw new IllegalArgumentException("none is rendered as an_1");
    };
  }

  /** An action under construction: {@code action,k_v,k_v}. */
  private static final class Action {
    private final StringBuilder b;

    Action(String action) {
      b = new StringBuilder(action);
    }

    Action add(String name, String value) {
      b.append(',').append(name).append('_').append(value);
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
