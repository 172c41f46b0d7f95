package dev.mediaflow.local;

import static dev.mediaflow.internal.Numbers.number;
import static dev.mediaflow.internal.Numbers.seconds;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one operation into FFmpeg arguments (pure: no I/O). The caller adds the executable and the
 * common flags ({@link #common}). Every command names its output format ({@code -f}), so the output
 * path needs no extension; {@link Command#extension()} says what the result is. {@link
 * Command#multiFile()} results are written next to the output path, as {@code <output>-1.jpg},
 * {@code <output>-2.jpg}, ... (frames) or {@code <output>.m3u8} with {@code <output>-1.ts}, ...
 * (HLS), so the output path's own name should be the base name wanted for the files.
 *
 * <p>User text never enters a filter graph: watermark text is passed in a file ({@code textfile}),
 * and paths are escaped for both filter-graph levels ({@link #filterValue}).
 */
final class LocalRenderer {
  /**
   * FFmpeg's own default would pick these; naming them keeps output stable across FFmpeg builds.
   */
  static final int DEFAULT_GIF_FPS = 10;

  static final int DEFAULT_FONT_SIZE = 24;
  static final int DEFAULT_MARGIN = 10;
  static final int HLS_SEGMENT_SECONDS = 6;

  private LocalRenderer() {}

  /**
   * One FFmpeg run.
   *
   * @param args the arguments after the common flags, inputs and output included
   * @param extension the result's file extension, without the dot
   * @param multiFile whether the result is a numbered set of files (interval frames, HLS segments)
   * @param seconds how much media time the run produces, for progress; 0 when unknown
   */
  record Command(List<String> args, String extension, boolean multiFile, double seconds) {}

  /** What the step's input is: its path, what ffprobe says, and its extension. */
  record Input(Path path, FfprobeInfo info, String extension) {}

  /** Files a step needs besides its input: concat inputs, watermark images, text and fonts. */
  record Extras(
      List<Input> concatInputs,
      Optional<Path> watermarkImage,
      Optional<Path> textFile,
      Optional<Path> fontFile) {
    static Extras none() {
      return new Extras(List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  static List<String> common(int threads) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "-hide_banner",
                "-nostdin",
                "-y",
                "-loglevel",
                "error",
                "-progress",
                "pipe:1",
                "-nostats"));
    if (threads > 0) {
      a.addAll(List.of("-threads", String.valueOf(threads)));
    }
    return a;
  }

  static Command render(Operation op, Input in, Extras extras, Path output) {
    if (op instanceof Transcode t) {
      return transcode(t, in, output);
    } else if (op instanceof AudioTranscode a) {
      return audio(a, in, output);
    } else if (op instanceof Snapshot s) {
      return snapshot(s, in, output);
    } else if (op instanceof Animation a) {
      return animation(a, in, output);
    } else if (op instanceof ImageResize r) {
      return resize(r, in, output);
    } else if (op instanceof Watermark w) {
      return watermark(w, in, extras, output);
    } else if (op instanceof Concat c) {
      return concat(c, in, extras.concatInputs(), output);
    }
    throw new UnsupportedMediaOperationException(
        "local", op.type(), "", "FFmpeg does not run this operation");
  }

  // ---- video

  private static Command transcode(Transcode t, Input in, Path output) {
    List<String> a = new ArrayList<>();
    t.start().ifPresent(s -> a.addAll(List.of("-ss", seconds(s))));
    a.addAll(LocalTools.input(in.path()));
    t.duration().ifPresent(d -> a.addAll(List.of("-t", seconds(d))));
    Container c = t.container();
    if (t.isNoVideo()) {
      a.add("-vn");
    } else {
      VideoCodec vc = t.videoCodec().orElse(c == Container.WEBM ? VideoCodec.VP9 : VideoCodec.H264);
      a.addAll(videoCodecArgs(vc, c));
      if (vc != VideoCodec.COPY) {
        t.size().ifPresent(s -> a.addAll(List.of("-vf", scale(s, null, true))));
        t.videoBitrate().ifPresent(b -> a.addAll(List.of("-b:v", String.valueOf(b))));
        t.crf().ifPresent(q -> a.addAll(List.of("-crf", String.valueOf(q))));
        t.fps().ifPresent(f -> a.addAll(List.of("-r", number(f))));
      }
    }
    if (t.dropsAudio()) {
      a.add("-an");
    } else {
      AudioCodec ac = t.audioCodec().orElse(c == Container.WEBM ? AudioCodec.OPUS : AudioCodec.AAC);
      a.addAll(audioCodecArgs(ac));
      if (ac != AudioCodec.COPY) {
        t.audioBitrate().ifPresent(b -> a.addAll(List.of("-b:a", String.valueOf(b))));
        t.sampleRate().ifPresent(r -> a.addAll(List.of("-ar", String.valueOf(r))));
        t.channels().ifPresent(n -> a.addAll(List.of("-ac", String.valueOf(n))));
      }
    }
    boolean hls = c == Container.M3U8;
    a.addAll(muxer(c, output));
    a.add(hls ? output + ".m3u8" : output.toString());
    return new Command(a, c.token(), hls, outSeconds(in.info(), t.start(), t.duration()));
  }

  private static List<String> videoCodecArgs(VideoCodec vc, Container c) {
    return switch (vc) {
      case H264 -> List.of("-c:v", "libx264", "-pix_fmt", "yuv420p");
      case H265 ->
          c == Container.MP4 || c == Container.MOV
              ? List.of("-c:v", "libx265", "-pix_fmt", "yuv420p", "-tag:v", "hvc1")
              : List.of("-c:v", "libx265", "-pix_fmt", "yuv420p");
      case VP9 -> List.of("-c:v", "libvpx-vp9", "-row-mt", "1", "-pix_fmt", "yuv420p");
      case AV1 -> List.of("-c:v", "libsvtav1", "-pix_fmt", "yuv420p");
      case COPY -> List.of("-c:v", "copy");
    };
  }

  private static List<String> audioCodecArgs(AudioCodec ac) {
    return switch (ac) {
      case AAC -> List.of("-c:a", "aac");
      case MP3 -> List.of("-c:a", "libmp3lame");
      case OPUS -> List.of("-c:a", "libopus");
      case VORBIS -> List.of("-c:a", "vorbis", "-strict", "-2", "-ac", "2");
      case FLAC -> List.of("-c:a", "flac");
      case AC3 -> List.of("-c:a", "ac3");
      case COPY -> List.of("-c:a", "copy");
      case NONE -> List.of("-an");
    };
  }

  private static List<String> muxer(Container c, Path output) {
    return switch (c) {
      case MP4 -> List.of("-movflags", "+faststart", "-f", "mp4");
      case MOV -> List.of("-movflags", "+faststart", "-f", "mov");
      case MKV -> List.of("-f", "matroska");
      case WEBM -> List.of("-f", "webm");
      case FLV -> List.of("-f", "flv");
      case TS -> List.of("-f", "mpegts");
      case AVI -> List.of("-f", "avi");
      case M3U8 ->
          List.of(
              "-f",
              "hls",
              "-hls_time",
              String.valueOf(HLS_SEGMENT_SECONDS),
              "-hls_playlist_type",
              "vod",
              "-hls_segment_filename",
              pattern(output, "-%d.ts"),
              "-start_number",
              "1");
    };
  }

  // ---- audio

  private static Command audio(AudioTranscode t, Input in, Path output) {
    List<String> a = new ArrayList<>();
    t.start().ifPresent(s -> a.addAll(List.of("-ss", seconds(s))));
    a.addAll(LocalTools.input(in.path()));
    t.duration().ifPresent(d -> a.addAll(List.of("-t", seconds(d))));
    a.addAll(List.of("-vn", "-sn", "-dn"));
    List<String> fixed =
        switch (t.format()) {
          case MP3 -> List.of("-c:a", "libmp3lame", "-f", "mp3");
          case AAC -> List.of("-c:a", "aac", "-f", "adts");
          case M4A -> List.of("-c:a", "aac", "-movflags", "+faststart", "-f", "ipod");
          case FLAC -> List.of("-c:a", "flac", "-f", "flac");
          case OGG -> List.of("-c:a", "vorbis", "-strict", "-2", "-f", "ogg");
          case OPUS -> List.of("-c:a", "libopus", "-f", "opus");
          case WAV -> List.of("-c:a", "pcm_s16le", "-f", "wav");
          case AMR -> List.of("-c:a", "libopencore_amrnb", "-f", "amr");
          case AC3 -> List.of("-c:a", "ac3", "-f", "ac3");
        };
    t.bitrate().ifPresent(b -> a.addAll(List.of("-b:a", String.valueOf(b))));
    // AMR-NB is 8 kHz mono and Vorbis here is stereo only, whatever was asked: say so by setting
    // them.
    switch (t.format()) {
      case AMR -> a.addAll(List.of("-ar", "8000", "-ac", "1"));
      case OGG -> a.addAll(List.of("-ac", "2"));
      default -> {
        t.sampleRate().ifPresent(r -> a.addAll(List.of("-ar", String.valueOf(r))));
        t.channels().ifPresent(n -> a.addAll(List.of("-ac", String.valueOf(n))));
      }
    }
    a.addAll(fixed);
    a.add(output.toString());
    return new Command(
        a, t.format().token(), false, outSeconds(in.info(), t.start(), t.duration()));
  }

  // ---- images from video

  private static Command snapshot(Snapshot s, Input in, Path output) {
    ImageFormat format = s.format().orElse(ImageFormat.JPG);
    List<String> a = new ArrayList<>();
    s.offset().ifPresent(o -> a.addAll(List.of("-ss", seconds(o))));
    a.addAll(LocalTools.input(in.path()));
    a.addAll(List.of("-an", "-sn"));
    List<String> filters = new ArrayList<>();
    if (s.isMultiFrame()) {
      // The first frame, then every frame at least one interval after the last one taken.
      String interval = seconds(s.interval().orElseThrow());
      filters.add("select='isnan(prev_selected_t)+gte(t-prev_selected_t\\," + interval + ")'");
    }
    s.size().ifPresent(size -> filters.add(fit(size, s.fit().orElse(FitMode.STRETCH), false)));
    if (!filters.isEmpty()) {
      a.addAll(List.of("-vf", String.join(",", filters)));
    }
    if (s.isMultiFrame()) {
      a.addAll(List.of("-fps_mode", "vfr", "-frames:v", String.valueOf(s.count())));
    } else {
      a.addAll(List.of("-frames:v", "1"));
    }
    a.addAll(imageEncoder(format, null));
    if (s.isMultiFrame()) {
      a.addAll(
          List.of("-f", "image2", "-start_number", "1", pattern(output, "-%d." + format.token())));
    } else {
      a.addAll(List.of("-f", "image2", "-update", "1", output.toString()));
    }
    double seconds =
        s.isMultiFrame()
            ? Math.min(
                s.count() * s.interval().get().toMillis() / 1000.0,
                remaining(in.info(), s.offset()))
            : 0;
    return new Command(a, format.token(), s.isMultiFrame(), seconds);
  }

  private static Command animation(Animation an, Input in, Path output) {
    List<String> a = new ArrayList<>();
    an.start().ifPresent(s -> a.addAll(List.of("-ss", seconds(s))));
    a.addAll(LocalTools.input(in.path()));
    an.duration().ifPresent(d -> a.addAll(List.of("-t", seconds(d))));
    double fps =
        an.fps()
            .orElse(an.interval().map(i -> 1000.0 / i.toMillis()).orElse((double) DEFAULT_GIF_FPS));
    String scale = an.size().map(s -> "," + scale(s, "lanczos", false)).orElse("");
    a.addAll(List.of("-an", "-sn"));
    if (an.format() == AnimationFormat.GIF) {
      // A palette made from the clip itself: far better colours than FFmpeg's fixed default
      // palette.
      a.addAll(
          List.of(
              "-filter_complex",
              "[0:v]fps="
                  + number(fps)
                  + scale
                  + ",split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
              "-loop",
              "0",
              "-f",
              "gif"));
    } else {
      a.addAll(
          List.of(
              "-vf",
              "fps=" + number(fps) + scale,
              "-c:v",
              "libwebp_anim",
              "-lossless",
              "0",
              "-quality",
              "75",
              "-loop",
              "0",
              "-f",
              "webp"));
    }
    a.add(output.toString());
    return new Command(
        a, an.format().token(), false, outSeconds(in.info(), an.start(), an.duration()));
  }

  // ---- images

  private static Command resize(ImageResize r, Input in, Path output) {
    ImageFormat format = r.format().orElse(ImageFormat.fromToken(imageExtension(in.extension())));
    String ext = format.token();
    List<String> a = new ArrayList<>(LocalTools.input(in.path()));
    a.addAll(List.of("-vf", fit(r.size(), r.fit().orElse(FitMode.FIT), false), "-frames:v", "1"));
    a.addAll(imageEncoder(format, r.quality().isPresent() ? r.quality().getAsInt() : null));
    a.addAll(List.of("-f", "image2", "-update", "1", output.toString()));
    return new Command(a, ext, false, 0);
  }

  private static Command watermark(Watermark w, Input in, Extras extras, Path output) {
    boolean image =
        isImageExtension(in.extension())
            || in.extension().equals("gif")
            || containerOf(in.extension()).isEmpty() && in.info().isImage();
    Gravity g = w.gravity().orElse(Gravity.SOUTH_EAST);
    int dx = w.dx().orElse(DEFAULT_MARGIN);
    int dy = w.dy().orElse(DEFAULT_MARGIN);
    double alpha = w.opacity().orElse(100) / 100.0;
    List<String> a = new ArrayList<>(LocalTools.input(in.path()));
    if (w.image().isPresent()) {
      Path logo = extras.watermarkImage().orElseThrow();
      a.addAll(LocalTools.input(logo));
      a.addAll(
          List.of(
              "-filter_complex",
              "[1:v]format=rgba,colorchannelmixer=aa="
                  + number(alpha)
                  + "[wm];[0:v][wm]overlay="
                  + position(g, dx, dy, "main_w", "main_h", "overlay_w", "overlay_h")
                  + "[v]",
              "-map",
              "[v]"));
      if (!image) {
        a.addAll(List.of("-map", "0:a?"));
      }
    } else {
      String color = w.color().orElse("#FFFFFF").substring(1);
      String font = extras.fontFile().orElseThrow().toString();
      String text = extras.textFile().orElseThrow().toString();
      a.addAll(
          List.of(
              "-vf",
              "drawtext=fontfile="
                  + filterValue(font)
                  + ":textfile="
                  + filterValue(text)
                  + ":fontsize="
                  + w.fontSize().orElse(DEFAULT_FONT_SIZE)
                  + ":fontcolor=0x"
                  + color
                  + "@"
                  + number(alpha)
                  + ":"
                  + position(g, dx, dy, "w", "h", "text_w", "text_h")));
    }
    String ext = in.extension();
    if (image) {
      String imageExt = imageExtension(ext);
      a.addAll(List.of("-frames:v", "1"));
      a.addAll(imageEncoder(ImageFormat.fromToken(imageExt), null));
      a.addAll(List.of("-f", "image2", "-update", "1", output.toString()));
      return new Command(a, imageExt, false, 0);
    }
    Container c = containerOf(ext).orElse(Container.MP4);
    a.addAll(videoCodecArgs(c == Container.WEBM ? VideoCodec.VP9 : VideoCodec.H264, c));
    a.addAll(List.of("-c:a", "copy"));
    a.addAll(muxer(c, output));
    a.add(output.toString());
    return new Command(a, c.token(), false, in.info().durationSeconds());
  }

  /** x and y expressions for a gravity, with offsets measured inwards from the anchored edges. */
  static String position(
      Gravity g, int dx, int dy, String mainW, String mainH, String w, String h) {
    String x =
        switch (g) {
          case NORTH_WEST, WEST, SOUTH_WEST -> String.valueOf(dx);
          case NORTH, CENTER, SOUTH -> "(" + mainW + "-" + w + ")/2+" + dx;
          case NORTH_EAST, EAST, SOUTH_EAST -> mainW + "-" + w + "-" + dx;
        };
    String y =
        switch (g) {
          case NORTH_WEST, NORTH, NORTH_EAST -> String.valueOf(dy);
          case WEST, CENTER, EAST -> "(" + mainH + "-" + h + ")/2+" + dy;
          case SOUTH_WEST, SOUTH, SOUTH_EAST -> mainH + "-" + h + "-" + dy;
        };
    return "x=" + x + ":y=" + y;
  }

  // ---- concat

  private static Command concat(Concat c, Input source, List<Input> inputs, Path output) {
    List<Input> all = new ArrayList<>();
    if (c.effectivePosition() == ConcatPosition.BEFORE) {
      all.addAll(inputs);
      all.add(source);
    } else {
      all.add(source);
      all.addAll(inputs);
    }
    Transcode enc = c.encoding();
    boolean video =
        !enc.isNoVideo()
            && all.stream().allMatch(i -> i.info().hasVideo() || i.info() == FfprobeInfo.UNKNOWN);
    boolean audio =
        !enc.dropsAudio()
            && all.stream().anyMatch(i -> i.info().hasAudio() || i.info() == FfprobeInfo.UNKNOWN);
    int width =
        enc.size()
            .map(Size::width)
            .filter(x -> x > 0)
            .orElse(even(all.get(0).info().width(), 1280));
    int height =
        enc.size()
            .map(Size::height)
            .filter(x -> x > 0)
            .orElse(even(all.get(0).info().height(), 720));
    List<String> a = new ArrayList<>();
    StringBuilder graph = new StringBuilder();
    StringBuilder pads = new StringBuilder();
    double total = 0;
    for (int i = 0; i < all.size(); i++) {
      Input in = all.get(i);
      a.addAll(LocalTools.input(in.path()));
      total += in.info().durationSeconds();
      if (video) {
        graph
            .append("[")
            .append(i)
            .append(":v:0]scale=")
            .append(width)
            .append(':')
            .append(height)
            .append(":force_original_aspect_ratio=decrease,pad=")
            .append(width)
            .append(':')
            .append(height)
            .append(":(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p")
            .append(enc.fps().isPresent() ? ",fps=" + number(enc.fps().getAsDouble()) : "")
            .append("[v")
            .append(i)
            .append("];");
        pads.append("[v").append(i).append(']');
      }
      if (audio) {
        if (in.info().hasAudio() || in.info() == FfprobeInfo.UNKNOWN) {
          graph.append('[').append(i).append(":a:0]");
        } else {
          graph
              .append("anullsrc=r=48000:cl=stereo,atrim=duration=")
              .append(number(in.info().durationSeconds()))
              .append(',');
        }
        graph.append("aresample=48000,aformat=channel_layouts=stereo[a").append(i).append("];");
        pads.append("[a").append(i).append(']');
      }
    }
    graph
        .append(pads)
        .append("concat=n=")
        .append(all.size())
        .append(":v=")
        .append(video ? 1 : 0)
        .append(":a=")
        .append(audio ? 1 : 0)
        .append(video ? "[v]" : "")
        .append(audio ? "[a]" : "");
    a.addAll(List.of("-filter_complex", graph.toString()));
    Container container = enc.container();
    if (video) {
      a.addAll(List.of("-map", "[v]"));
      VideoCodec vc =
          enc.videoCodec()
              .filter(v -> v != VideoCodec.COPY)
              .orElse(container == Container.WEBM ? VideoCodec.VP9 : VideoCodec.H264);
      a.addAll(videoCodecArgs(vc, container));
      enc.videoBitrate().ifPresent(b -> a.addAll(List.of("-b:v", String.valueOf(b))));
      enc.crf().ifPresent(q -> a.addAll(List.of("-crf", String.valueOf(q))));
    }
    if (audio) {
      a.addAll(List.of("-map", "[a]"));
      AudioCodec ac =
          enc.audioCodec()
              .filter(x -> x != AudioCodec.COPY)
              .orElse(container == Container.WEBM ? AudioCodec.OPUS : AudioCodec.AAC);
      a.addAll(audioCodecArgs(ac));
      enc.audioBitrate().ifPresent(b -> a.addAll(List.of("-b:a", String.valueOf(b))));
    }
    boolean hls = container == Container.M3U8;
    a.addAll(muxer(container, output));
    a.add(hls ? output + ".m3u8" : output.toString());
    return new Command(a, container.token(), hls, total);
  }

  // ---- helpers

  private static List<String> imageEncoder(ImageFormat format, Integer quality) {
    List<String> a = new ArrayList<>();
    switch (format) {
      case JPG -> {
        a.addAll(List.of("-c:v", "mjpeg", "-pix_fmt", "yuvj420p"));
        // FFmpeg's JPEG scale: 2 (best) .. 31; quality 100 -> 2, 1 -> 31.
        a.addAll(
            List.of(
                "-q:v",
                String.valueOf(
                    quality == null ? 2 : Math.round(2 + (100 - quality) * 29 / 99.0f))));
      }
      case PNG -> a.addAll(List.of("-c:v", "png"));
      case WEBP ->
          a.addAll(
              List.of(
                  "-c:v", "libwebp", "-quality", String.valueOf(quality == null ? 80 : quality)));
      case GIF -> a.addAll(List.of("-c:v", "gif"));
      case BMP -> a.addAll(List.of("-c:v", "bmp"));
      case TIFF -> a.addAll(List.of("-c:v", "tiff"));
      case AVIF ->
          a.addAll(
              List.of(
                  "-c:v",
                  "libaom-av1",
                  "-still-picture",
                  "1",
                  "-crf",
                  String.valueOf(quality == null ? 30 : Math.round(63 - quality * 0.63f))));
      case HEIC ->
          throw new UnsupportedMediaOperationException(
              "local", "resize", "format", "FFmpeg cannot write HEIC; use avif, webp or jpg");
    }
    return a;
  }

  /**
   * A scale filter for {@code size}; a side of 0 follows the aspect ratio (even for video
   * encoders).
   */
  static String scale(Size s, String flags, boolean evenSides) {
    String free = evenSides ? "-2" : "-1";
    return "scale="
        + (s.width() == 0 ? free : s.width())
        + ":"
        + (s.height() == 0 ? free : s.height())
        + (flags == null ? "" : ":flags=" + flags);
  }

  static String fit(Size s, FitMode mode, boolean evenSides) {
    if (s.width() == 0 || s.height() == 0) {
      return scale(s, null, evenSides);
    }
    String wh = s.width() + ":" + s.height();
    return switch (mode) {
      case STRETCH -> "scale=" + wh;
      case FIT -> "scale=" + wh + ":force_original_aspect_ratio=decrease";
      // crop rounds a subsampled frame (yuvj420p for JPEG) down to even sides unless told to be
      // exact; an image keeps the odd side it was asked for, a video keeps the even sides x264
      // needs
      case CROP ->
          "scale="
              + wh
              + ":force_original_aspect_ratio=increase,crop="
              + wh
              + (evenSides ? "" : ":exact=1");
      case PAD ->
          "scale="
              + wh
              + ":force_original_aspect_ratio=decrease,pad="
              + wh
              + ":(ow-iw)/2:(oh-ih)/2";
    };
  }

  /**
   * Escapes a value for an FFmpeg filter option inside a filter graph: first the option level
   * ({@code \ ' :}), then the graph level ({@code \ ' [ ] , ;}).
   */
  static String filterValue(String value) {
    return escape(escape(value, "\\':"), "\\'[],;");
  }

  private static String escape(String value, String special) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (char ch : value.toCharArray()) {
      if (special.indexOf(ch) >= 0) {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.toString();
  }

  private static int even(int side, int fallback) {
    return side <= 0 ? fallback : side - side % 2;
  }

  private static double remaining(FfprobeInfo info, Optional<Duration> start) {
    double d = info.durationSeconds() - start.map(s -> s.toMillis() / 1000.0).orElse(0.0);
    return d > 0 ? d : 0;
  }

  private static double outSeconds(
      FfprobeInfo info, Optional<Duration> start, Optional<Duration> duration) {
    double left = remaining(info, start);
    double asked = duration.map(d -> d.toMillis() / 1000.0).orElse(Double.MAX_VALUE);
    double s = Math.min(left, asked);
    return s == Double.MAX_VALUE ? 0 : s;
  }

  /**
   * An FFmpeg file pattern: {@code base} with its own '%' escaped, then {@code suffix} (which holds
   * {@code %d}).
   */
  static String pattern(Path base, String suffix) {
    return base.toString().replace("%", "%%") + suffix;
  }

  static boolean isImageExtension(String ext) {
    return List.of("jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "avif").contains(ext);
  }

  private static String imageExtension(String ext) {
    return switch (ext) {
      case "jpeg", "jpg" -> "jpg";
      case "tif", "tiff" -> "tiff";
      case "png", "webp", "bmp", "gif", "avif" -> ext;
      default -> "jpg";
    };
  }

  private static Optional<Container> containerOf(String ext) {
    for (Container c : Container.values()) {
      if (c.token().equals(ext) && c != Container.M3U8) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
