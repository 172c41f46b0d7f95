package dev.mediaflow.cos;

import static dev.mediaflow.internal.Numbers.number;
import static dev.mediaflow.internal.Numbers.seconds;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Renders pipeline outputs in Cloud Infinite's dialects (pure, no I/O): a media job document for
 * {@code POST /jobs} (Transcode, audio-only Transcode, Snapshot, Animation, Concat, watermarks
 * inside a Transcode, ExtractDigitalWatermark), a document job for {@code POST /doc_jobs}
 * (DocProcess), or an image rule ({@code imageMogr2}, {@code watermark/1|2}) sent as a {@code
 * Pic-Operations} header with {@code POST /<key>?image_process}. One request per output.
 *
 * <p>Units: bitrates in Kbps, times in seconds with millisecond decimals, sizes in pixels. Every
 * user value goes into the XML as escaped text, or into an image rule as URL-safe Base64, so none
 * can change the document's structure. Element names and meanings follow {@code
 * docs/vendor-notes.md}, "Cloud Infinite jobs".
 */
final class CosJobRenderer {
  static final String ID = "cos";

  /**
   * How the renderer names buckets and objects: it does no I/O and keeps no settings of its own.
   */
  interface Names {
    /** Returns the bucket's region, such as {@code ap-guangzhou}. */
    String region(String bucket);

    /** Returns the full bucket name {@code <name>-<appid>}. */
    String bucket(String bucket);

    /** Returns the object's URL on the {@code .cos.} host ({@code http://} when {@code http}). */
    String url(MediaObject object, boolean http);
  }

  /** Which API a rendered request goes to. */
  enum Kind {
    /** {@code POST /jobs} on the CI host. */
    MEDIA,
    /** {@code POST /doc_jobs} on the CI host. */
    DOC,
    /** {@code POST /<key>?image_process} with a {@code Pic-Operations} header, on the COS host. */
    IMAGE
  }

  /**
   * One rendered output.
   *
   * @param kind which API it goes to
   * @param index the output's index in the pipeline
   * @param source the object processed
   * @param body the XML document (media and doc jobs) or the {@code Pic-Operations} JSON (images)
   * @param tag the job's Tag, or the image rule
   */
  record Rendered(Kind kind, int index, MediaObject source, String body, String tag) {}

  private final Names names;

  CosJobRenderer(Names names) {
    this.names = names;
  }

  /** Renders every output of {@code p}, failing before anything is sent. */
  List<Rendered> render(Pipeline p) {
    List<Rendered> all = new ArrayList<>();
    for (int i = 0; i < p.outputs().size(); i++) {
      all.add(output(p, i));
    }
    return all;
  }

  /** Renders output {@code index} of {@code p}. */
  Rendered output(Pipeline p, int index) {
    Output out = p.outputs().get(index);
    List<Operation> steps = out.steps();
    if (steps.stream().allMatch(s -> s instanceof ImageResize || s instanceof Watermark)) {
      return image(p, index, out);
    }
    Operation main = mainStep(steps);
    if (main instanceof DocumentConversion d) {
      return new Rendered(
          Kind.DOC, index, p.source(), document(p, out, d).toString(), "DocProcess");
    }
    CosJobXml.El request = new CosJobXml.El("Request");
    String tag = tag(main);
    request.add("Tag", tag);
    if (!(main instanceof Concat)) {
      request.child("Input").add("Object", p.source().key());
    }
    CosJobXml.El operation = request.child("Operation");
    if (main instanceof Transcode t) {
      operation.append(transcode(t));
      for (Operation s : steps) {
        if (s instanceof Watermark w) {
          operation.append(videoWatermark(w, p.source()));
        }
      }
    } else if (main instanceof AudioTranscode a) {
      operation.append(audio(a));
    } else if (main instanceof Snapshot s) {
      operation.append(snapshot(s));
    } else if (main instanceof Animation a) {
      operation.append(animation(a));
    } else if (main instanceof Concat c) {
      operation.append(concat(c, p.source()));
    } else if (main instanceof BlindWatermarkDecode b) {
      operation.append(extractWatermark(b, p.source()));
    } else if (main instanceof RawOperation r) {
      throw new UnsupportedMediaOperationException(
          ID, r.type(), "value", "raw Cloud Infinite steps are not supported; use the typed steps");
    } else {
      throw new UnsupportedMediaOperationException(
          ID, main.type(), "", "Cloud Infinite has no job for this operation");
    }
    if (main instanceof Snapshot s && s.format().isPresent() && out.saveAs().isPresent()) {
      // Cloud Infinite writes the format of the key's extension.
      String ext = extension(out.saveAs().get().key());
      String want = s.format().get().token();
      if (!(ext.equals(want) || (ext.equals("jpeg") && want.equals("jpg")))) {
        throw new UnsupportedMediaOperationException(
            ID,
            s.type(),
            "format",
            "Cloud Infinite writes the format of the key's extension: end the key with ." + want);
      }
    }
    out.saveAs().ifPresent(t -> operation.append(output(t, outputKey(main, t))));
    if (out.saveAs().isEmpty() && !(main instanceof BlindWatermarkDecode)) {
      throw new UnsupportedMediaOperationException(
          ID, main.type(), "saveAs", "Cloud Infinite saves the result: give the output a saveAs");
    }
    common(p, request);
    return new Rendered(Kind.MEDIA, index, p.source(), request.toString(), tag);
  }

  /** The queue and the callback, which follow the operation in SDK-built documents. */
  private void common(Pipeline p, CosJobXml.El request) {
    p.options().queue().ifPresent(q -> request.add("QueueId", q));
    p.notification().flatMap(n -> n.url()).ifPresent(u -> request.add("CallBack", u.toString()));
  }

  /**
   * The one media operation of an output: a chain is a Transcode with watermarks drawn on it, or a
   * single operation.
   */
  private static Operation mainStep(List<Operation> steps) {
    List<Operation> media = steps.stream().filter(s -> !(s instanceof Watermark)).toList();
    if (media.size() == 1 && media.get(0) instanceof Transcode) {
      return media.get(0);
    }
    if (steps.size() != 1) {
      Operation second = steps.get(1);
      throw new UnsupportedMediaOperationException(
          ID,
          second.type(),
          "steps",
          "a Cloud Infinite job runs one operation (watermarks go on a transcode); split the chain into outputs");
    }
    return steps.get(0);
  }

  private static String tag(Operation op) {
    if (op instanceof Transcode || op instanceof AudioTranscode) {
      return "Transcode";
    } else if (op instanceof Snapshot) {
      return "Snapshot";
    } else if (op instanceof Animation) {
      return "Animation";
    } else if (op instanceof Concat) {
      return "Concat";
    } else if (op instanceof BlindWatermarkDecode) {
      return "ExtractDigitalWatermark";
    }
    return op.type();
  }

  private CosJobXml.El output(MediaObject target, String key) {
    return new CosJobXml.El("Output")
        .add("Region", names.region(target.bucket()))
        .add("Bucket", names.bucket(target.bucket()))
        .add("Object", key);
  }

  /**
   * The Output.Object: several snapshot frames need Cloud Infinite's {@code ${Number}} where the
   * neutral key has {@code {index}} (or before the extension when it has none).
   */
  private static String outputKey(Operation main, MediaObject target) {
    if (main instanceof Snapshot s && s.isMultiFrame()) {
      return numbered(target.key(), "${Number}");
    }
    return target.key();
  }

  /**
   * {@code {index}} replaced by {@code placeholder}, or {@code -<placeholder>} before the
   * extension.
   */
  static String numbered(String key, String placeholder) {
    if (key.contains("{index}")) {
      return key.replace("{index}", placeholder);
    }
    int slash = key.lastIndexOf('/');
    int dot = key.lastIndexOf('.');
    return dot > slash + 1
        ? key.substring(0, dot) + "-" + placeholder + key.substring(dot)
        : key + "-" + placeholder;
  }

  // ---- Transcode

  private CosJobXml.El transcode(Transcode t) {
    CosJobXml.El x = new CosJobXml.El("Transcode");
    x.child("Container").add("Format", container(t.container(), t.type()));
    timeInterval(x, t.start(), t.duration());
    CosJobXml.El video = video(t, t.type(), "");
    if (t.isNoVideo()) {
      video.add("Remove", "true");
    }
    x.append(video);
    CosJobXml.El audio = audio(t, t.type(), "");
    if (t.dropsAudio()) {
      audio.add("Remove", "true");
    }
    x.append(audio);
    return x;
  }

  private static CosJobXml.El video(Transcode t, String type, String prefix) {
    CosJobXml.El v = new CosJobXml.El("Video");
    t.videoCodec().ifPresent(c -> v.add("Codec", videoCodec(c, type, prefix)));
    t.size()
        .ifPresent(
            s -> {
              side(s.width(), type, prefix + "width");
              side(s.height(), type, prefix + "height");
              v.addIf("Width", s.width() > 0 ? s.width() : null);
              v.addIf("Height", s.height() > 0 ? s.height() : null);
            });
    t.fps()
        .ifPresent(
            f -> {
              if (f > 60) {
                throw new UnsupportedMediaOperationException(
                    ID, type, prefix + "fps", "Cloud Infinite encodes at most 60 fps");
              }
              v.add("Fps", number(f));
            });
    t.videoBitrate()
        .ifPresent(b -> v.add("Bitrate", kbps(b, 10, 50_000, type, prefix + "videoBitrate")));
    t.crf()
        .ifPresent(
            c -> {
              if (c < 1) {
                throw new UnsupportedMediaOperationException(
                    ID, type, prefix + "crf", "Cloud Infinite takes a crf from 1 to 51");
              }
              v.add("Crf", String.valueOf(c));
            });
    return v;
  }

  private static CosJobXml.El audio(Transcode t, String type, String prefix) {
    CosJobXml.El a = new CosJobXml.El("Audio");
    t.audioCodec()
        .filter(c -> c != AudioCodec.NONE)
        .ifPresent(c -> a.add("Codec", audioCodec(c, type, prefix)));
    t.sampleRate().ifPresent(r -> a.add("Samplerate", String.valueOf(r)));
    t.audioBitrate()
        .ifPresent(b -> a.add("Bitrate", kbps(b, 8, 1000, type, prefix + "audioBitrate")));
    t.channels().ifPresent(c -> a.add("Channels", String.valueOf(c)));
    return a;
  }

  /** Cloud Infinite takes sides of 128 to 4096 pixels ({@code docs/vendor-notes.md}). */
  private static void side(int px, String type, String field) {
    if (px != 0 && (px < 128 || px > 4096)) {
      throw new UnsupportedMediaOperationException(
          ID, type, field, "Cloud Infinite takes 128 to 4096 pixels, was " + px);
    }
  }

  /** Bits per second as whole Kbps in {@code [min, max]}. */
  private static String kbps(long bps, long min, long max, String type, String field) {
    if (bps % 1000 != 0) {
      throw new UnsupportedMediaOperationException(
          ID,
          type,
          field,
          "Cloud Infinite takes bitrates in whole Kbps (multiples of 1000), was " + bps);
    }
    long k = bps / 1000;
    if (k < min || k > max) {
      throw new UnsupportedMediaOperationException(
          ID, type, field, "Cloud Infinite takes " + min + " to " + max + " Kbps, was " + k);
    }
    return String.valueOf(k);
  }

  private static void timeInterval(
      CosJobXml.El parent, Optional<Duration> start, Optional<Duration> duration) {
    if (start.isPresent() || duration.isPresent()) {
      CosJobXml.El ti = parent.child("TimeInterval");
      start.ifPresent(s -> ti.add("Start", seconds(s)));
      duration.ifPresent(d -> ti.add("Duration", seconds(d)));
    }
  }

  static String container(Container c, String type) {
    return switch (c) {
      case MP4 -> "mp4";
      case FLV -> "flv";
      case TS -> "ts";
      case WEBM -> "WebM";
      case M3U8 -> "hls";
      case MOV, MKV, AVI ->
          throw new UnsupportedMediaOperationException(
              ID, type, "container", "Cloud Infinite writes mp4, flv, ts, webm or hls (m3u8)");
    };
  }

  static String videoCodec(VideoCodec c, String type, String prefix) {
    return switch (c) {
      case H264 -> "H.264";
      case H265 -> "H.265";
      case VP9 -> "VP9";
      case AV1 -> "AV1";
      case COPY ->
          throw new UnsupportedMediaOperationException(
              ID, type, prefix + "videoCodec", "Cloud Infinite re-encodes video; choose a codec");
    };
  }

  static String audioCodec(AudioCodec c, String type, String prefix) {
    return switch (c) {
      case AAC -> "aac";
      case MP3 -> "mp3";
      case OPUS -> "opus";
      case VORBIS -> "Vorbis";
      case FLAC -> "flac";
      case AC3, COPY, NONE ->
          throw new UnsupportedMediaOperationException(
              ID,
              type,
              prefix + "audioCodec",
              "Cloud Infinite encodes aac, mp3, opus, vorbis or flac audio");
    };
  }

  // ---- audio only

  /** An audio container and codec, the video stream removed. */
  private static CosJobXml.El audio(AudioTranscode a) {
    // Container.Format and Audio.Codec; wav is pcm_s16le.
    String[] fc =
        switch (a.format()) {
          case MP3 -> new String[] {"mp3", "mp3"};
          case AAC -> new String[] {"aac", "aac"};
          case FLAC -> new String[] {"flac", "flac"};
          case WAV -> new String[] {"wav", "pcm_s16le"};
          case AMR -> new String[] {"amr", "amr"};
          case M4A, OGG, OPUS, AC3 ->
              throw new UnsupportedMediaOperationException(
                  ID, a.type(), "format", "Cloud Infinite writes mp3, aac, flac, wav or amr audio");
        };
    String format = fc[0];
    String codec = fc[1];
    CosJobXml.El x = new CosJobXml.El("Transcode");
    x.child("Container").add("Format", format);
    timeInterval(x, a.start(), a.duration());
    x.child("Video").add("Remove", "true");
    CosJobXml.El audio = x.child("Audio").add("Codec", codec);
    a.sampleRate().ifPresent(r -> audio.add("Samplerate", String.valueOf(r)));
    a.bitrate().ifPresent(b -> audio.add("Bitrate", kbps(b, 8, 1000, a.type(), "bitrate")));
    a.channels().ifPresent(c -> audio.add("Channels", String.valueOf(c)));
    return x;
  }

  // ---- Snapshot

  /**
   * Interval mode: one frame is {@code Count=1} at {@code Start}; several are {@code Count} frames
   * {@code TimeInterval} apart. The image format follows the output key's extension.
   */
  private static CosJobXml.El snapshot(Snapshot s) {
    if (s.fit().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          s.type(),
          "fit",
          "Cloud Infinite scales frames to the size given; leave fit out, or resize the frame in another output");
    }
    s.format()
        .ifPresent(
            f -> {
              if (f != ImageFormat.JPG && f != ImageFormat.PNG) {
                throw new UnsupportedMediaOperationException(
                    ID, s.type(), "format", "Cloud Infinite snapshots are jpg or png");
              }
            });
    CosJobXml.El x = new CosJobXml.El("Snapshot").add("Mode", "Interval");
    s.offset().ifPresent(o -> x.add("Start", seconds(o)));
    s.interval()
        .ifPresent(
            i -> {
              if (i.compareTo(Duration.ofHours(1)) > 0) {
                throw new UnsupportedMediaOperationException(
                    ID,
                    s.type(),
                    "intervalMs",
                    "Cloud Infinite takes an interval of at most 3600 s");
              }
              x.add("TimeInterval", seconds(i));
            });
    x.add("Count", String.valueOf(s.count()));
    s.size()
        .ifPresent(
            z -> {
              side(z.width(), s.type(), "width");
              side(z.height(), s.type(), "height");
              x.addIf("Width", z.width() > 0 ? z.width() : null);
              x.addIf("Height", z.height() > 0 ? z.height() : null);
            });
    return x;
  }

  // ---- Animation

  /**
   * A frame rate (or the interval between frames) is both the sampling rate ({@code
   * AnimateFramesPerSecond}) and the playback rate ({@code Fps}), so the animation plays in real
   * time.
   */
  private static CosJobXml.El animation(Animation a) {
    String format = a.format().token(); // gif or webp, as Container.Format and Video.Codec
    CosJobXml.El x = new CosJobXml.El("Animation");
    x.child("Container").add("Format", format);
    CosJobXml.El v = x.child("Video").add("Codec", format);
    a.size()
        .ifPresent(
            z -> {
              side(z.width(), a.type(), "width");
              side(z.height(), a.type(), "height");
              v.addIf("Width", z.width() > 0 ? z.width() : null);
              v.addIf("Height", z.height() > 0 ? z.height() : null);
            });
    Optional<String> fps =
        a.fps().isPresent()
            ? Optional.of(number(a.fps().getAsDouble()))
            : a.interval().map(i -> number(1000.0 / i.toMillis()));
    fps.ifPresent(
        f -> {
          if (Double.parseDouble(f) <= 0 || Double.parseDouble(f) > 60) {
            throw new UnsupportedMediaOperationException(
                ID,
                a.type(),
                "intervalMs",
                "Cloud Infinite animates at more than 0 and at most 60 fps");
          }
          v.add("Fps", f).add("AnimateFramesPerSecond", f);
        });
    timeInterval(x, a.start(), a.duration());
    return x;
  }

  // ---- Concat

  /**
   * A ConcatTemplate of URL fragments (the source first or last), re-encoded as the encoding says.
   * The job has no Input: the fragments name every input.
   */
  private CosJobXml.El concat(Concat c, MediaObject source) {
    Transcode e = c.encoding();
    String type = c.type();
    if (e.start().isPresent() || e.duration().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          type,
          "encoding.start",
          "Cloud Infinite cuts concat fragments, not the result; remove start and duration");
    }
    if (e.isNoVideo() || e.dropsAudio()) {
      throw new UnsupportedMediaOperationException(
          ID,
          type,
          e.isNoVideo() ? "encoding.noVideo" : "encoding.noAudio",
          "Cloud Infinite concatenates both streams; transcode the result in another output");
    }
    String format =
        switch (e.container()) {
          case MP4, FLV, TS, M3U8 -> container(e.container(), type);
          case MOV, MKV, AVI, WEBM ->
              throw new UnsupportedMediaOperationException(
                  ID,
                  type,
                  "encoding.container",
                  "Cloud Infinite concatenates to mp4, flv, ts or hls (m3u8)");
        };
    e.audioCodec()
        .filter(a -> a != AudioCodec.AAC && a != AudioCodec.MP3)
        .ifPresent(
            a -> {
              throw new UnsupportedMediaOperationException(
                  ID,
                  type,
                  "encoding.audioCodec",
                  "Cloud Infinite concatenates with aac or mp3 audio");
            });
    List<MediaObject> order = new ArrayList<>();
    if (c.effectivePosition() == ConcatPosition.AFTER) {
      order.add(source);
    }
    order.addAll(c.inputs());
    if (c.effectivePosition() == ConcatPosition.BEFORE) {
      order.add(source);
    }
    CosJobXml.El x = new CosJobXml.El("ConcatTemplate");
    for (MediaObject o : order) {
      x.child("ConcatFragment").add("Url", names.url(o, false));
    }
    x.child("Container").add("Format", format);
    x.append(video(e, type, "encoding."));
    x.append(audio(e, type, "encoding."));
    return x;
  }

  // ---- watermarks on video

  private CosJobXml.El videoWatermark(Watermark w, MediaObject source) {
    CosJobXml.El x = new CosJobXml.El("Watermark");
    x.add("Type", w.text().isPresent() ? "Text" : "Image");
    x.add("Pos", pos(w.gravity().orElse(Gravity.NORTH_WEST)));
    x.add("LocMode", "Absolute");
    x.add("Dx", String.valueOf(w.dx().orElse(0)));
    x.add("Dy", String.valueOf(w.dy().orElse(0)));
    String type = w.type();
    if (w.text().isPresent()) {
      if (w.text().get().codePointCount(0, w.text().get().length()) > 64) {
        throw new UnsupportedMediaOperationException(
            ID, type, "text", "Cloud Infinite draws at most 64 characters on a video");
      }
      CosJobXml.El t = x.child("Text");
      w.fontSize()
          .ifPresent(
              s -> {
                if (s < 5 || s > 100) {
                  throw new UnsupportedMediaOperationException(
                      ID,
                      type,
                      "fontSize",
                      "Cloud Infinite takes 5 to 100 px on a video, was " + s);
                }
                t.add("FontSize", String.valueOf(s));
              });
      w.font().ifPresent(f -> t.add("FontType", f));
      w.color().ifPresent(c -> t.add("FontColor", "0x" + c.substring(1).toUpperCase(Locale.ROOT)));
      t.add("Transparency", String.valueOf(transparency(w)));
      t.add("Text", w.text().get());
    } else {
      MediaObject image = w.image().orElseThrow();
      if (!image.bucket().equals(source.bucket())) {
        throw new UnsupportedMediaOperationException(
            ID,
            type,
            "image",
            "Cloud Infinite draws watermark images from the source's bucket; copy it there");
      }
      x.child("Image")
          .add("Url", names.url(image, false))
          .add("Mode", "Original")
          .add("Transparency", String.valueOf(transparency(w)))
          .add("Background", "false");
    }
    return x;
  }

  /** Opacity as Cloud Infinite's Transparency, 1 to 100 (100: opaque). */
  private static int transparency(Watermark w) {
    return Math.max(1, w.opacity().orElse(100));
  }

  static String pos(Gravity g) {
    return switch (g) {
      case NORTH_WEST -> "TopLeft";
      case NORTH -> "Top";
      case NORTH_EAST -> "TopRight";
      case WEST -> "Left";
      case CENTER -> "Center";
      case EAST -> "Right";
      case SOUTH_WEST -> "BottomLeft";
      case SOUTH -> "Bottom";
      case SOUTH_EAST -> "BottomRight";
    };
  }

  // ---- blind watermark (video)

  /**
   * ExtractDigitalWatermark reads a text watermark that Cloud Infinite's DigitalWatermark embedded
   * in a video; the text comes back in the job's result.
   */
  private static CosJobXml.El extractWatermark(BlindWatermarkDecode b, MediaObject source) {
    if (IMAGE_EXTENSIONS.contains(extension(source.key()))) {
      throw new UnsupportedMediaOperationException(
          ID,
          b.type(),
          "",
          "Cloud Infinite reads blind watermarks out of videos (ExtractDigitalWatermark); its image blind watermark "
              + "only compares against a known watermark");
    }
    if (b.strength().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          b.type(),
          "strength",
          "Cloud Infinite reads the watermark without a strength; remove it");
    }
    if (b.kind().filter(k -> k != dev.mediaflow.op.WatermarkKind.TEXT).isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID, b.type(), "kind", "Cloud Infinite's video watermarks are text");
    }
    return new CosJobXml.El("ExtractDigitalWatermark").add("Type", "Text").add("Version", "V1");
  }

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "heic", "heif", "avif");

  static String extension(String key) {
    int slash = key.lastIndexOf('/');
    int dot = key.lastIndexOf('.');
    return dot > slash ? key.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  // ---- documents

  /**
   * DocProcess: one page range is {@code StartPage}/{@code EndPage}, several are {@code
   * PageRanges}; image targets need {@code ${Number}} in the key (one file per page, numbered from
   * 1).
   */
  private CosJobXml.El document(Pipeline p, Output out, DocumentConversion d) {
    String type = d.type();
    String target =
        switch (d.to()) {
          case PDF -> "pdf";
          case PNG -> "png";
          case JPG -> "jpg";
          case TXT ->
              throw new UnsupportedMediaOperationException(
                  ID, type, "to", "Cloud Infinite converts documents to pdf, png or jpg");
        };
    MediaObject saveAs =
        out.saveAs()
            .orElseThrow(
                () ->
                    new UnsupportedMediaOperationException(
                        ID,
                        type,
                        "saveAs",
                        "Cloud Infinite saves the result: give the output a saveAs"));
    CosJobXml.El request = new CosJobXml.El("Request").add("Tag", "DocProcess");
    request.child("Input").add("Object", p.source().key());
    CosJobXml.El operation = request.child("Operation");
    String key =
        d.to() == dev.mediaflow.op.DocumentTarget.PDF
            ? saveAs.key()
            : numbered(saveAs.key(), "${Number}");
    operation.append(output(saveAs, key));
    CosJobXml.El doc = operation.child("DocProcess");
    // The order of https://cloud.tencent.com/document/product/460/46942's request body.
    d.from().ifPresent(f -> doc.add("SrcType", f.token()));
    d.pages().ifPresent(r -> pages(doc, r));
    doc.add("TgtType", target);
    common(p, request);
    return request;
  }

  private static void pages(CosJobXml.El doc, PageRange r) {
    if (r.spans().size() == 1) {
      doc.add("StartPage", String.valueOf(r.spans().get(0).first()));
      doc.add("EndPage", String.valueOf(r.spans().get(0).last()));
    } else {
      doc.add("PageRanges", r.toString());
    }
  }

  // ---- images

  /** An image chain as one Pic-Operations rule, its steps joined with {@code |}. */
  private Rendered image(Pipeline p, int index, Output out) {
    Operation first = out.steps().get(0);
    MediaObject saveAs =
        out.saveAs()
            .orElseThrow(
                () ->
                    new UnsupportedMediaOperationException(
                        ID,
                        first.type(),
                        "saveAs",
                        "Cloud Infinite saves the processed image: give the output a saveAs"));
    if (p.notification().isPresent()) {
      throw new UnsupportedMediaOperationException(
          ID,
          first.type(),
          "notify",
          "image processing (Pic-Operations) is synchronous and sends no notification; remove notify");
    }
    String rule = imageRule(p.source(), out.steps());
    String json =
        "{\"is_pic_info\":1,\"rules\":[{\"bucket\":"
            + jsonString(names.bucket(saveAs.bucket()))
            + ",\"fileid\":"
            + jsonString("/" + saveAs.key())
            + ",\"rule\":"
            + jsonString(rule)
            + "}]}";
    return new Rendered(Kind.IMAGE, index, p.source(), json, rule);
  }

  /**
   * Returns the image rule of {@code steps} on {@code source}: resize and watermark steps, joined
   * with {@code |}; the same rule serves Pic-Operations and processing URLs.
   */
  String imageRule(MediaObject source, List<Operation> steps) {
    List<String> parts = new ArrayList<>();
    for (Operation op : steps) {
      if (op instanceof ImageResize r) {
        parts.add(resize(r));
      } else if (op instanceof Watermark w) {
        parts.add(imageWatermark(w, source));
      } else {
        throw new UnsupportedMediaOperationException(
            ID, op.type(), "", "a Cloud Infinite image rule resizes and watermarks images");
      }
    }
    return String.join("|", parts);
  }

  /**
   * {@code imageMogr2/thumbnail}: {@code fit} is {@code WxH} (inside the box; {@code Wx} or {@code
   * xH} for one side), {@code stretch} is {@code WxH!}; then {@code format} and {@code quality}.
   */
  static String resize(ImageResize r) {
    FitMode fit = r.fit().orElse(FitMode.FIT);
    Size s = r.size();
    String w = s.width() > 0 ? String.valueOf(s.width()) : "";
    String h = s.height() > 0 ? String.valueOf(s.height()) : "";
    StringBuilder rule = new StringBuilder("imageMogr2/thumbnail/");
    switch (fit) {
      case FIT -> rule.append(w).append('x').append(h);
      case STRETCH -> rule.append(w).append('x').append(h).append('!');
      case CROP, PAD ->
          throw new UnsupportedMediaOperationException(
              ID,
              r.type(),
              "fit",
              "Cloud Infinite's thumbnail fits or stretches; use fit or stretch");
    }
    r.format().ifPresent(f -> rule.append("/format/").append(imageFormat(f, r.type())));
    r.quality().ifPresent(q -> rule.append("/quality/").append(q));
    return rule.toString();
  }

  static String imageFormat(ImageFormat f, String type) {
    return switch (f) {
      case JPG -> "jpg";
      case PNG -> "png";
      case WEBP -> "webp";
      case GIF -> "gif";
      case BMP -> "bmp";
      case AVIF -> "avif";
      case TIFF, HEIC ->
          throw new UnsupportedMediaOperationException(
              ID, type, "format", "Cloud Infinite writes jpg, png, webp, gif, bmp or avif images");
    };
  }

  /**
   * {@code watermark/1} (an image from the source's bucket, by its {@code http://} URL on the COS
   * host) or {@code watermark/2} (text), each value URL-safe Base64 without padding.
   */
  private String imageWatermark(Watermark w, MediaObject source) {
    StringBuilder rule = new StringBuilder();
    if (w.image().isPresent()) {
      MediaObject image = w.image().get();
      if (!image.bucket().equals(source.bucket())) {
        throw new UnsupportedMediaOperationException(
            ID,
            w.type(),
            "image",
            "Cloud Infinite draws watermark images from the source's bucket; copy it there");
      }
      if (w.opacity().isPresent()) {
        throw new UnsupportedMediaOperationException(
            ID,
            w.type(),
            "opacity",
            "Cloud Infinite draws image watermarks opaque; remove opacity");
      }
      rule.append("watermark/1/image/").append(b64(names.url(image, true)));
    } else {
      rule.append("watermark/2/text/").append(b64(w.text().orElseThrow()));
      w.font().ifPresent(f -> rule.append("/font/").append(b64(f)));
      w.color().ifPresent(c -> rule.append("/fill/").append(b64(c.toUpperCase(Locale.ROOT))));
      w.fontSize().ifPresent(s -> rule.append("/fontsize/").append(s));
      w.opacity().ifPresent(o -> rule.append("/dissolve/").append(Math.max(1, o)));
    }
    w.gravity().ifPresent(g -> rule.append("/gravity/").append(gravity(g)));
    w.dx().ifPresent(x -> rule.append("/dx/").append(x));
    w.dy().ifPresent(y -> rule.append("/dy/").append(y));
    return rule.toString();
  }

  static String gravity(Gravity g) {
    return switch (g) {
      case NORTH_WEST -> "northwest";
      case NORTH -> "north";
      case NORTH_EAST -> "northeast";
      case WEST -> "west";
      case CENTER -> "center";
      case EAST -> "east";
      case SOUTH_WEST -> "southwest";
      case SOUTH -> "south";
      case SOUTH_EAST -> "southeast";
    };
  }

  /** URL-safe Base64 of the UTF-8 bytes, without padding. */
  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON string with every character outside printable ASCII escaped, so it fits a header. */
  static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
