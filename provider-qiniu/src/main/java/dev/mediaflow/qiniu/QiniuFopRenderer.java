package dev.mediaflow.qiniu;

import static dev.mediaflow.internal.Numbers.number;
import static dev.mediaflow.internal.Numbers.seconds;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Renders operations as Qiniu fops (pure, no I/O): {@code avthumb}, {@code vframe}, {@code
 * vsample}, {@code imageView2}, {@code imageMogr2}, {@code avconcat}, {@code yifangyun_preview},
 * {@code watermark/1|2}, joined with {@code |} and ended by {@code saveas/<EncodedEntryURI>}.
 *
 * <p>Every user value Qiniu takes base64-encoded (watermark text, font, colour, image URL, save
 * targets, patterns) is encoded with URL-safe base64, padding kept; every other value is a number
 * or an enum token, so none can contain {@code /}, {@code |} or {@code ;}.
 */
final class QiniuFopRenderer {
  static final String ID = "qiniu";

  private final Function<MediaObject, String> urls;

  /**
   * @param urls how an object is named where Qiniu wants a URL (watermark images, concat inputs)
   */
  QiniuFopRenderer(Function<MediaObject, String> urls) {
    this.urls = urls;
  }

  /** One output: its steps piped, then its save target. */
  String output(Output output) {
    List<String> parts = new ArrayList<>();
    Operation last = output.steps().get(output.steps().size() - 1);
    for (Operation op : output.steps()) {
      parts.add(step(op, op == last ? output.saveAs() : Optional.empty()));
    }
    String chain = String.join("|", parts);
    boolean patterned = last instanceof Snapshot s && s.isMultiFrame();
    return output
        .saveAs()
        .filter(x -> !patterned)
        .map(t -> chain + "|saveas/" + entry(t))
        .orElse(chain);
  }

  String step(Operation op, Optional<MediaObject> target) {
    if (op instanceof Transcode t) {
      return transcode(t);
    } else if (op instanceof AudioTranscode a) {
      return audio(a);
    } else if (op instanceof Snapshot s) {
      return snapshot(s, target);
    } else if (op instanceof Animation a) {
      return animation(a);
    } else if (op instanceof Watermark w) {
      return watermark(w);
    } else if (op instanceof ImageResize r) {
      return resize(r);
    } else if (op instanceof Concat c) {
      return concat(c);
    } else if (op instanceof DocumentConversion d) {
      return document(d);
    } else if (op instanceof RawOperation r) {
      return raw(r);
    }
    throw new UnsupportedMediaOperationException(
        ID, op.type(), "", "Qiniu has no fop for this operation");
  }

  // ---- avthumb

  private String transcode(Transcode t) {
    Fop f = new Fop("avthumb/" + t.container().token());
    if (t.container().token().equals("m3u8")) {
      f.add("segtime", "10");
    }
    t.videoCodec().ifPresent(v -> f.add("vcodec", videoCodec(v)));
    t.audioCodec().filter(a -> a != AudioCodec.NONE).ifPresent(a -> f.add("acodec", audioCodec(a)));
    t.size().ifPresent(s -> f.add("s", size(s)));
    t.videoBitrate().ifPresent(b -> f.add("vb", bitrate(b)));
    t.audioBitrate().ifPresent(b -> f.add("ab", bitrate(b)));
    t.sampleRate().ifPresent(r -> f.add("ar", String.valueOf(r)));
    t.fps().ifPresent(r -> f.add("r", number(r)));
    t.start().ifPresent(s -> f.add("ss", seconds(s)));
    t.duration().ifPresent(d -> f.add("t", seconds(d)));
    t.crf().ifPresent(c -> f.add("crf", String.valueOf(c)));
    if (t.dropsAudio()) {
      f.add("an", "1");
    }
    if (t.isNoVideo()) {
      f.add("vn", "1");
    }
    if (t.channels().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID, t.type(), "channels", "avthumb has no channel-count parameter");
    }
    return f.toString();
  }

  private String audio(AudioTranscode a) {
    Fop f = new Fop("avthumb/" + a.format().token());
    a.bitrate().ifPresent(b -> f.add("ab", bitrate(b)));
    a.sampleRate().ifPresent(r -> f.add("ar", String.valueOf(r)));
    a.start().ifPresent(s -> f.add("ss", seconds(s)));
    a.duration().ifPresent(d -> f.add("t", seconds(d)));
    if (a.channels().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID, a.type(), "channels", "avthumb has no channel-count parameter");
    }
    return f.add("vn", "1").toString();
  }

  private String animation(Animation a) {
    Fop f = new Fop("avthumb/" + a.format().token());
    a.size().ifPresent(s -> f.add("s", size(s)));
    a.start().ifPresent(s -> f.add("ss", seconds(s)));
    a.duration().ifPresent(d -> f.add("t", seconds(d)));
    a.fps().ifPresent(r -> f.add("r", number(r)));
    a.interval().ifPresent(i -> f.add("r", number(1000.0 / i.toMillis())));
    return f.toString();
  }

  // ---- frames

  private String snapshot(Snapshot s, Optional<MediaObject> target) {
    String format = s.format().map(x -> x.token()).orElse("jpg");
    if (!format.equals("jpg") && !format.equals("png")) {
      throw new UnsupportedMediaOperationException(
          ID,
          s.type(),
          "format",
          "vframe and vsample write jpg or png; convert the frame in a later step");
    }
    if (s.fit().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          s.type(),
          "fit",
          "vframe and vsample scale frames to the size given; leave fit out, or resize the frame in a later step");
    }
    if (!s.isMultiFrame()) {
      Fop f = new Fop("vframe/" + format).add("offset", seconds(s.offset().orElse(Duration.ZERO)));
      s.size()
          .ifPresent(
              z -> {
                if (z.width() > 0) {
                  f.add("w", String.valueOf(z.width()));
                }
                if (z.height() > 0) {
                  f.add("h", String.valueOf(z.height()));
                }
              });
      return f.toString();
    }
    Fop f = new Fop("vsample/" + format);
    s.offset().ifPresent(o -> f.add("ss", seconds(o)));
    Duration interval = s.interval().orElseThrow();
    f.add("t", seconds(interval.multipliedBy(s.count())));
    s.size().ifPresent(z -> f.add("s", size(z)));
    if (!interval.equals(Duration.ofSeconds(5))) { // Qiniu's default interval
      f.add("interval", seconds(interval));
    }
    MediaObject t =
        target.orElseThrow(
            () ->
                new UnsupportedMediaOperationException(
                    ID,
                    s.type(),
                    "count",
                    "interval frames must end their output, with a save target whose key names the frames"));
    // The neutral {index} becomes Qiniu's $(count) (six digits, from 000001).
    String pattern =
        t.key().contains("{index}")
            ? t.key().replace("{index}", "$(count)")
            : t.key() + "-$(count)";
    return f.add("pattern", b64(pattern)).toString();
  }

  // ---- watermark (images)

  private String watermark(Watermark w) {
    Fop f;
    if (w.image().isPresent()) {
      f = new Fop("watermark/1").add("image", b64(urls.apply(w.image().get())));
    } else {
      f = new Fop("watermark/2").add("text", b64(w.text().orElseThrow()));
      w.font().ifPresent(x -> f.add("font", b64(x)));
      // points to twips (1/20 pt)
      w.fontSize().ifPresent(x -> f.add("fontsize", String.valueOf(x * 20)));
      w.color().ifPresent(x -> f.add("fill", b64(x)));
    }
    w.opacity().ifPresent(x -> f.add("dissolve", String.valueOf(Math.max(1, x))));
    w.gravity().ifPresent(g -> f.add("gravity", gravity(g)));
    w.dx().ifPresent(x -> f.add("dx", String.valueOf(x)));
    w.dy().ifPresent(x -> f.add("dy", String.valueOf(x)));
    return f.toString();
  }

  // ---- resize

  /**
   * {@code fit} is imageView2 mode 2 (inside w×h) and {@code crop} mode 1 (cover, centre-cropped to
   * w×h); {@code stretch} is imageMogr2's {@code WxH!}. Qiniu has no padding resize.
   */
  private String resize(ImageResize r) {
    return resize(new StringBuilder(48), r).toString();
  }

  /**
   * Appends the fop of one step of a delivery URL (no save target) to {@code out}; a resize is
   * written straight into it, as a URL is made per request.
   */
  StringBuilder urlStep(StringBuilder out, Operation op) {
    if (op instanceof ImageResize r) {
      return resize(out, r);
    }
    return out.append(step(op, Optional.empty()));
  }

  /** {@link #resize(ImageResize)}, appended to {@code out}. */
  private static StringBuilder resize(StringBuilder out, ImageResize r) {
    FitMode fit = r.fit().orElse(FitMode.FIT);
    Size size = r.size();
    switch (fit) {
      case FIT, CROP -> {
        out.append(fit == FitMode.FIT ? "imageView2/2" : "imageView2/1");
        if (size.width() != 0) {
          out.append("/w/").append(size.width());
        }
        if (size.height() != 0) {
          out.append("/h/").append(size.height());
        }
        if (r.format().isPresent()) {
          out.append("/format/").append(r.format().get().token());
        }
        if (r.quality().isPresent()) {
          out.append("/q/").append(r.quality().getAsInt());
        }
      }
      case STRETCH -> {
        out.append("imageMogr2/thumbnail/").append(size(size)).append('!');
        if (r.format().isPresent()) {
          out.append("/format/").append(r.format().get().token());
        }
        if (r.quality().isPresent()) {
          out.append("/quality/").append(r.quality().getAsInt());
        }
      }
      default ->
          throw new UnsupportedMediaOperationException(
              ID, r.type(), "fit", "Qiniu cannot pad an image to size; use fit, crop or stretch");
    }
    return out;
  }

  // ---- concat

  /**
   * {@code avconcat/2} (re-encoding, so inputs of different sizes join). Further inputs are
   * URL-safe base64 URLs; {@code index} places the source among them.
   */
  private String concat(Concat c) {
    Transcode e = c.encoding();
    String unsupported =
        e.videoCodec().isPresent()
            ? "encoding.videoCodec"
            : e.audioCodec().isPresent()
                ? "encoding.audioCodec"
                : e.videoBitrate().isPresent()
                    ? "encoding.videoBitrate"
                    : e.audioBitrate().isPresent()
                        ? "encoding.audioBitrate"
                        : e.fps().isPresent()
                            ? "encoding.fps"
                            : e.crf().isPresent()
                                ? "encoding.crf"
                                : e.sampleRate().isPresent()
                                    ? "encoding.sampleRate"
                                    : e.start().isPresent() || e.duration().isPresent()
                                        ? "encoding.start"
                                        : e.channels().isPresent() ? "encoding.channels" : null;
    if (unsupported != null) {
      throw new UnsupportedMediaOperationException(
          ID,
          c.type(),
          unsupported,
          "avconcat takes a container and a size only; transcode the joined result in a second step");
    }
    if (e.container() == dev.mediaflow.op.Container.M3U8) {
      throw new UnsupportedMediaOperationException(
          ID,
          c.type(),
          "encoding.container",
          "avconcat cannot write m3u8; concat to mp4, then transcode to m3u8");
    }
    Fop f = new Fop("avconcat/2").add("format", e.container().token());
    e.size().ifPresent(s -> f.add("s", size(s)));
    if (c.effectivePosition() == ConcatPosition.BEFORE) {
      f.add("index", String.valueOf(c.inputs().size() + 1));
    }
    for (MediaObject input : c.inputs()) {
      f.segment(b64(urls.apply(input)));
    }
    return f.toString();
  }

  // ---- documents

  /**
   * {@code yifangyun_preview/v2} (the 亿方云 service, enabled in Qiniu's market): an office document
   * to PDF, or one of its pages to JPG. Its parameters are {@code name=value} segments.
   */
  private String document(DocumentConversion d) {
    if (d.from()
        .filter(t -> t == DocumentType.PDF || t == DocumentType.TXT || t == DocumentType.HTML)
        .isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          d.type(),
          "from",
          "yifangyun_preview converts office documents (doc, docx, odt, rtf, wps, ppt, pptx, odp, dps, xls, xlsx,"
              + " ods, csv, et), not "
              + d.from().get().token());
    }
    Fop f = new Fop("yifangyun_preview/v2");
    d.from().ifPresent(t -> f.segment("ext=" + t.token()));
    switch (d.to()) {
      case PDF -> {
        if (d.pages().isPresent()) {
          throw new UnsupportedMediaOperationException(
              ID, d.type(), "pages", "Qiniu converts the whole document to PDF; remove pages");
        }
        f.segment("format=pdf");
      }
      case JPG -> {
        var spans = d.pages().map(p -> p.spans()).orElse(List.of());
        if (spans.size() != 1 || spans.get(0).first() != spans.get(0).last()) {
          throw new UnsupportedMediaOperationException(
              ID,
              d.type(),
              "pages",
              "Qiniu renders one page to JPG per fop: give a single page, and one output per page");
        }
        f.segment("format=jpg").segment("page_number=" + spans.get(0).first());
      }
      default ->
          throw new UnsupportedMediaOperationException(
              ID, d.type(), "to", "yifangyun_preview writes pdf or jpg, not " + d.to().token());
    }
    return f.toString();
  }

  // ---- raw

  /**
   * Verbatim, except that a raw step cannot hold {@code ;} (it would start another output) or
   * saveas.
   */
  private static String raw(RawOperation r) {
    if (r.value().indexOf(';') >= 0) {
      throw new UnsupportedMediaOperationException(
          ID,
          r.type(),
          "value",
          "a raw Qiniu step cannot contain ';', which would start another output; give each output its own step");
    }
    if (r.value().contains("saveas/")) {
      throw new UnsupportedMediaOperationException(
          ID, r.type(), "value", "leave saveas out of a raw step; the pipeline's saveAs adds it");
    }
    return r.value();
  }

  // ---- values

  /** {@code urlsafe_base64("<bucket>:<key>")} with its padding, as Qiniu's EncodedEntryURI. */
  static String entry(MediaObject o) {
    return b64(o.bucket() + ":" + o.key());
  }

  /** URL-safe base64 of the UTF-8 bytes, padding kept (Qiniu's UrlSafeBase64). */
  static String b64(String s) {
    return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Bits per second with Qiniu's suffixes: 500000 is {@code 500k}, 1250000 {@code 1.25m}. */
  static String bitrate(long bps) {
    if (bps % 10_000 == 0 && bps >= 1_000_000) {
      return number(bps / 1_000_000.0) + "m";
    }
    if (bps % 1000 == 0) {
      return (bps / 1000) + "k";
    }
    return String.valueOf(bps);
  }

  private static String size(Size s) {
    return (s.width() > 0 ? String.valueOf(s.width()) : "")
        + "x"
        + (s.height() > 0 ? String.valueOf(s.height()) : "");
  }

  private static String gravity(Gravity g) {
    String t = g.token();
    return Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  private static String videoCodec(VideoCodec v) {
    return switch (v) {
      case H264 -> "libx264";
      case H265 -> "libx265";
      case VP9 -> "libvpx-vp9";
      case AV1 -> "libaom-av1";
      case COPY -> "copy";
    };
  }

  private static String audioCodec(AudioCodec a) {
    return switch (a) {
      case AAC -> "libfdk_aac";
      case MP3 -> "libmp3lame";
      case OPUS -> "libopus";
      case VORBIS -> "libvorbis";
      case FLAC -> "flac";
      case AC3 -> "ac3";
      case COPY -> "copy";
      case NONE -> throw new IllegalArgumentException("none is rendered as an/1");
    };
  }

  /** A fop under construction: a command and {@code /name/value} segments in order. */
  private static final class Fop {
    private final StringBuilder b;

    Fop(String head) {
      b = new StringBuilder(head);
    }

    Fop add(String name, String value) {
      b.append('/').append(name).append('/').append(value);
      return this;
    }

    Fop segment(String value) {
      b.append('/').append(value);
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
