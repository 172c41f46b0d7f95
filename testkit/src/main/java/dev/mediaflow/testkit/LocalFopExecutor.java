package dev.mediaflow.testkit;

import dev.mediaflow.MediaException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
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
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a fake Qiniu job's fops for real, with Mediaflow's local provider (FFmpeg, LibreOffice) over the fake
 * server's own folder: each fop is read back into operations ({@code avthumb}, {@code vframe}, {@code vsample},
 * {@code imageView2}, {@code imageMogr2} stretch, {@code watermark/1|2}, {@code avconcat},
 * {@code yifangyun_preview}), and what the local provider cannot run fails the item with its reason.
 *
 * <p>Needs {@code dev.mediaflow:mediaflow-provider-local} on the class path. Frame patterns are numbered the
 * local way (1, 2, ...), not Qiniu's six digits. Image URLs and concat inputs must be this server's
 * {@code /dl/<bucket>/<key>} URLs. Thread-safe; {@link #close()} stops its client.
 */
public final class LocalFopExecutor implements FopExecutor, AutoCloseable {
  private final LocalRuns runs;

  /** @param timeout how long one fop may run */
  public LocalFopExecutor(Duration timeout) {
    this.runs = new LocalRuns("LocalFopExecutor", timeout);
  }

  @Override
  public Result run(Task task) throws Exception {
    Pipeline.Builder b = Pipeline.from(task.sourceBucket(), task.sourceKey());
    for (int i = 0; i < task.stages().size(); i++) {
      try {
        b.then(operation(task.stages().get(i), task.pattern().isPresent()));
      } catch (IllegalArgumentException | MediaException e) {
        return Result.failed("execute fop cmd failed: " + e.getMessage(), i);
      }
    }
    String key = task.pattern().map(p -> p.replace("$(count)", "{index}"))
        .orElseGet(() -> task.saveKey().orElse("fop-" + Integer.toHexString(task.cmd().hashCode())));
    Pipeline pipeline = b.saveAs(task.saveBucket(), key).build();
    JobStatus end;
    try {
      end = runs.run(task.objects(), pipeline);
    } catch (IllegalStateException e) {
      return Result.failed("execute fop cmd failed: " + e.getMessage(), 0);
    }
    if (end.state() != JobState.SUCCEEDED) {
      return Result.failed("execute fop cmd failed: " + end.outputs().get(0).message(), task.stages().size() - 1);
    }
    return Result.ok(end.outputs().get(0).objects().stream().map(MediaObject::key).toList());
  }

  /** Reads one fop stage back into an operation. */
  static Operation operation(String stage, boolean patterned) {
    String[] s = stage.split("/", -1);
    Map<String, String> p = new LinkedHashMap<>();
    int from = switch (s[0]) {
      case "imageMogr2" -> 1;
      default -> 2;
    };
    for (int i = from; i + 1 < s.length; i += 2) {
      p.put(s[i], s[i + 1]);
    }
    switch (s[0]) {
      case "avthumb" -> {
        String format = s[1];
        if (format.equals("gif") || format.equals("webp")) {
          Animation.Builder a = Animation.builder().format(AnimationFormat.fromToken(format));
          size(p.get("s"), a::width, a::height);
          seconds(p.get("ss")).ifPresent(a::start);
          seconds(p.get("t")).ifPresent(a::duration);
          if (p.containsKey("r")) {
            a.fps(Double.parseDouble(p.get("r")));
          }
          return a.build();
        }
        if (isAudio(format) && !p.containsKey("vcodec")) {
          AudioTranscode.Builder a = AudioTranscode.builder().format(AudioFormat.fromToken(format));
          if (p.containsKey("ab")) {
            a.bitrate(bitrate(p.get("ab")));
          }
          if (p.containsKey("ar")) {
            a.sampleRate(Integer.parseInt(p.get("ar")));
          }
          seconds(p.get("ss")).ifPresent(a::start);
          seconds(p.get("t")).ifPresent(a::duration);
          return a.build();
        }
        Transcode.Builder t = Transcode.builder().container(Container.fromToken(format));
        if (p.containsKey("vcodec")) {
          t.videoCodec(switch (p.get("vcodec")) {
            case "libx264" -> VideoCodec.H264;
            case "libx265" -> VideoCodec.H265;
            case "libvpx-vp9" -> VideoCodec.VP9;
            case "copy" -> VideoCodec.COPY;
            default -> throw new IllegalArgumentException("vcodec " + p.get("vcodec") + " is not run locally");
          });
        }
        if (p.containsKey("acodec")) {
          t.audioCodec(switch (p.get("acodec")) {
            case "libfdk_aac", "aac" -> AudioCodec.AAC;
            case "libmp3lame" -> AudioCodec.MP3;
            case "libopus" -> AudioCodec.OPUS;
            case "libvorbis" -> AudioCodec.VORBIS;
            case "copy" -> AudioCodec.COPY;
            default -> throw new IllegalArgumentException("acodec " + p.get("acodec") + " is not run locally");
          });
        }
        size(p.get("s"), t::width, t::height);
        if (p.containsKey("vb")) {
          t.videoBitrate(bitrate(p.get("vb")));
        }
        if (p.containsKey("ab")) {
          t.audioBitrate(bitrate(p.get("ab")));
        }
        if (p.containsKey("ar")) {
          t.sampleRate(Integer.parseInt(p.get("ar")));
        }
        if (p.containsKey("r")) {
          t.fps(Double.parseDouble(p.get("r")));
        }
        if (p.containsKey("crf")) {
          t.crf(Integer.parseInt(p.get("crf")));
        }
        seconds(p.get("ss")).ifPresent(t::start);
        seconds(p.get("t")).ifPresent(t::duration);
        t.noAudio("1".equals(p.get("an")));
        t.noVideo("1".equals(p.get("vn")));
        return t.build();
      }
      case "vframe" -> {
        Snapshot.Builder f = Snapshot.builder().format(ImageFormat.fromToken(s[1]));
        seconds(p.get("offset")).ifPresent(f::at);
        if (p.containsKey("w")) {
          f.width(Integer.parseInt(p.get("w")));
        }
        if (p.containsKey("h")) {
          f.height(Integer.parseInt(p.get("h")));
        }
        return f.build();
      }
      case "vsample" -> {
        Snapshot.Builder f = Snapshot.builder().format(ImageFormat.fromToken(s[1]));
        Duration start = seconds(p.get("ss")).orElse(Duration.ZERO);
        Duration interval = seconds(p.get("interval")).orElse(Duration.ofSeconds(5));
        Duration length = seconds(p.get("t")).orElseThrow(() -> new IllegalArgumentException("vsample runs locally with t only"));
        f.at(start).every(interval, (int) Math.max(1, length.toMillis() / interval.toMillis()));
        size(p.get("s"), f::width, f::height);
        return f.build();
      }
      case "imageView2" -> {
        ImageResize.Builder r = ImageResize.builder().fit(s[1].equals("1") ? FitMode.CROP : FitMode.FIT);
        size((p.containsKey("w") ? p.get("w") : "") + "x" + (p.containsKey("h") ? p.get("h") : ""), r::width, r::height);
        if (p.containsKey("format")) {
          r.format(ImageFormat.fromToken(p.get("format")));
        }
        if (p.containsKey("q")) {
          r.quality(Integer.parseInt(p.get("q").replace("!", "")));
        }
        return r.build();
      }
      case "imageMogr2" -> {
        String geometry = p.getOrDefault("thumbnail", "");
        if (!geometry.matches("\\d+x\\d+!")) {
          throw new IllegalArgumentException("imageMogr2 runs locally with thumbnail/<W>x<H>! only");
        }
        ImageResize.Builder r = ImageResize.builder().fit(FitMode.STRETCH);
        size(geometry.substring(0, geometry.length() - 1), r::width, r::height);
        if (p.containsKey("format")) {
          r.format(ImageFormat.fromToken(p.get("format")));
        }
        if (p.containsKey("quality")) {
          r.quality(Integer.parseInt(p.get("quality")));
        }
        return r.build();
      }
      case "watermark" -> {
        Watermark.Builder w = s[1].equals("1") ? Watermark.image(object(b64(p.get("image"))))
            : Watermark.text(b64(p.get("text")));
        if (p.containsKey("font")) {
          w.font(b64(p.get("font")));
        }
        if (p.containsKey("fontsize")) {
          w.fontSize(Math.max(1, Integer.parseInt(p.get("fontsize")) / 20));
        }
        if (p.containsKey("fill")) {
          w.color(b64(p.get("fill")));
        }
        if (p.containsKey("dissolve")) {
          w.opacity(Integer.parseInt(p.get("dissolve")));
        }
        if (p.containsKey("gravity")) {
          String g = p.get("gravity");
          w.gravity(Gravity.fromToken(Character.toLowerCase(g.charAt(0)) + g.substring(1)));
        }
        w.offset(Integer.parseInt(p.getOrDefault("dx", "10")), Integer.parseInt(p.getOrDefault("dy", "10")));
        return w.build();
      }
      case "avconcat" -> {
        List<MediaObject> inputs = new ArrayList<>();
        Transcode.Builder t = Transcode.builder();
        int index = 1;
        for (int i = 2; i < s.length; i++) {
          switch (s[i]) {
            case "format" -> t.container(Container.fromToken(s[++i]));
            case "s" -> size(s[++i], t::width, t::height);
            case "index" -> index = Integer.parseInt(s[++i]);
            case "addAudio", "maxrate" -> i++;
            default -> inputs.add(object(b64(s[i])));
          }
        }
        if (index != 1 && index != inputs.size() + 1) {
          throw new IllegalArgumentException("avconcat runs locally with the source first or last");
        }
        return Concat.builder().inputs(inputs).position(index == 1 ? ConcatPosition.AFTER : ConcatPosition.BEFORE)
            .encoding(t.build()).build();
      }
      case "yifangyun_preview" -> {
        DocumentConversion.Builder d = DocumentConversion.builder().to(DocumentTarget.PDF);
        for (int i = 1; i < s.length; i++) {
          String[] kv = s[i].split("=", 2);
          if (kv.length == 2 && kv[0].equals("ext")) {
            d.from(DocumentType.fromToken(kv[1]));
          } else if (kv.length == 2 && kv[0].equals("format")) {
            d.to(DocumentTarget.fromToken(kv[1]));
          } else if (kv.length == 2 && kv[0].equals("page_number")) {
            d.pages(PageRange.parse(kv[1]));
          }
        }
        return d.build();
      }
      default -> throw new IllegalArgumentException(s[0] + " is not run locally");
    }
  }

  private static boolean isAudio(String format) {
    for (AudioFormat f : AudioFormat.values()) {
      if (f.token().equals(format)) {
        return true;
      }
    }
    return false;
  }

  /** A URL of this server's {@code /dl/<bucket>/<key>} as the object it names. */
  private static MediaObject object(String url) {
    int at = url.indexOf("/dl/");
    if (at < 0) {
      throw new IllegalArgumentException("only this server's /dl/<bucket>/<key> URLs run locally, was " + url);
    }
    String rest = java.net.URLDecoder.decode(url.substring(at + 4).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    int slash = rest.indexOf('/');
    return MediaObject.of(rest.substring(0, slash), rest.substring(slash + 1));
  }

  private static String b64(String v) {
    try {
      return QiniuFops.b64("value", v);
    } catch (QiniuFops.Invalid e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static java.util.Optional<Duration> seconds(String v) {
    return v == null ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
  }

  private static long bitrate(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    double factor = s.endsWith("k") ? 1_000 : s.endsWith("m") ? 1_000_000 : 1;
    return Math.round(Double.parseDouble(factor == 1 ? s : s.substring(0, s.length() - 1)) * factor);
  }

  private static void size(String s, java.util.function.IntFunction<?> width, java.util.function.IntFunction<?> height) {
    if (s == null || s.isEmpty() || s.equals("x")) {
      return;
    }
    String[] wh = s.split("x", -1);
    if (!wh[0].isEmpty()) {
      width.apply(Integer.parseInt(wh[0]));
    }
    if (wh.length > 1 && !wh[1].isEmpty()) {
      height.apply(Integer.parseInt(wh[1]));
    }
  }

  @Override
  public void close() {
    runs.close();
  }
}
