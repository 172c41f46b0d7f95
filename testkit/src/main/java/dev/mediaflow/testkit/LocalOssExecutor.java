package dev.mediaflow.testkit;

import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the fake OSS server's tasks for real, with Mediaflow's local provider (FFmpeg, LibreOffice) over the
 * server's own folder: the style is read back into an operation ({@code video/convert}, {@code audio/convert},
 * {@code video/snapshots}, {@code video/animation}, {@code doc/convert}, and {@code image/resize} with
 * {@code format} and {@code quality}); what the local provider cannot run fails the task with its reason
 * (code {@code InvalidParameter.NotSupported}).
 *
 * <p>Needs {@code dev.mediaflow:mediaflow-provider-local} on the class path. Numbered results ({@code {index}})
 * count from 1. Thread-safe; {@link #close()} stops its client.
 */
public final class LocalOssExecutor implements OssTaskExecutor, AutoCloseable {
  private final LocalRuns runs;

  /** @param timeout how long one task may run */
  public LocalOssExecutor(Duration timeout) {
    this.runs = new LocalRuns("LocalOssExecutor", timeout);
  }

  @Override
  public Result run(Task task) throws Exception {
    Operation op;
    try {
      op = operation(task.process());
    } catch (RuntimeException e) {
      return Result.failed("InvalidParameter.NotSupported", "not run locally: " + e.getMessage());
    }
    String key = task.targetKey().orElseThrow(() -> new IllegalArgumentException("a local run needs a saveas target"));
    JobStatus end;
    try {
      end = runs.run(task.objects(), Pipeline.from(task.sourceBucket(), task.sourceKey()).then(op)
          .saveAs(task.targetBucket(), key).build());
    } catch (IllegalStateException e) {
      return Result.failed("InvalidParameter.ResourceContent", e.getMessage());
    }
    if (end.state() != JobState.SUCCEEDED) {
      return Result.failed("InvalidParameter.ResourceContent", end.outputs().get(0).message());
    }
    return Result.ok(end.outputs().get(0).objects().stream().map(MediaObject::key).toList());
  }

  /** Reads a style's processing part back into an operation. */
  static Operation operation(String process) {
    if (process.startsWith("image/")) {
      return image(process.substring("image/".length()));
    }
    int comma = process.indexOf(',');
    String action = comma < 0 ? process : process.substring(0, comma);
    Map<String, String> p = new LinkedHashMap<>();
    if (comma >= 0) {
      for (String pair : process.substring(comma + 1).split(",")) {
        int u = pair.indexOf('_');
        p.put(pair.substring(0, u), pair.substring(u + 1));
      }
    }
    switch (action) {
      case "video/convert" -> {
        Transcode.Builder t = Transcode.builder().container(Container.fromToken(p.get("f")));
        if (p.containsKey("vcodec")) {
          t.videoCodec(switch (p.get("vcodec")) {
            case "h264" -> VideoCodec.H264;
            case "h265" -> VideoCodec.H265;
            case "vp9" -> VideoCodec.VP9;
            case "copy" -> VideoCodec.COPY;
            default -> throw new IllegalArgumentException("vcodec " + p.get("vcodec"));
          });
        }
        if (p.containsKey("acodec")) {
          t.audioCodec(switch (p.get("acodec")) {
            case "aac" -> AudioCodec.AAC;
            case "mp3" -> AudioCodec.MP3;
            case "opus" -> AudioCodec.OPUS;
            case "vorbis" -> AudioCodec.VORBIS;
            case "flac" -> AudioCodec.FLAC;
            case "ac3" -> AudioCodec.AC3;
            case "copy" -> AudioCodec.COPY;
            default -> throw new IllegalArgumentException("acodec " + p.get("acodec"));
          });
        }
        if (p.containsKey("s")) {
          String[] wh = p.get("s").split("x");
          t.size(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
        }
        number(p, "vb", v -> t.videoBitrate((long) v));
        number(p, "ab", v -> t.audioBitrate((long) v));
        number(p, "ar", v -> t.sampleRate((int) v));
        number(p, "ac", v -> t.channels((int) v));
        number(p, "fps", t::fps);
        number(p, "crf", v -> t.crf((int) v));
        number(p, "ss", v -> t.start(Duration.ofMillis((long) v)));
        number(p, "t", v -> t.duration(Duration.ofMillis((long) v)));
        t.noAudio("1".equals(p.get("an")));
        t.noVideo("1".equals(p.get("vn")));
        return t.build();
      }
      case "audio/convert" -> {
        AudioTranscode.Builder a = AudioTranscode.builder().format(AudioFormat.fromToken(p.get("f").equals("oga") ? "ogg" : p.get("f")));
        number(p, "ab", v -> a.bitrate((long) v));
        number(p, "ar", v -> a.sampleRate((int) v));
        number(p, "ac", v -> a.channels((int) v));
        number(p, "ss", v -> a.start(Duration.ofMillis((long) v)));
        number(p, "t", v -> a.duration(Duration.ofMillis((long) v)));
        return a.build();
      }
      case "video/snapshots" -> {
        Snapshot.Builder s = Snapshot.builder().format(ImageFormat.fromToken(p.get("f")));
        Duration start = Duration.ofMillis(Long.parseLong(p.getOrDefault("ss", "0")));
        int num = Integer.parseInt(p.getOrDefault("num", "1"));
        if (num > 1 && p.containsKey("inter")) {
          s.at(start).every(Duration.ofMillis(Long.parseLong(p.get("inter"))), num);
        } else {
          s.at(start);
        }
        number(p, "w", v -> s.width((int) v));
        number(p, "h", v -> s.height((int) v));
        return s.build();
      }
      case "video/animation" -> {
        Animation.Builder a = Animation.builder().format(AnimationFormat.fromToken(p.get("f")));
        number(p, "w", v -> a.width((int) v));
        number(p, "h", v -> a.height((int) v));
        number(p, "ss", v -> a.start(Duration.ofMillis((long) v)));
        number(p, "fps", a::fps);
        if (p.containsKey("num") && p.containsKey("fps")) {
          a.duration(Duration.ofMillis(Math.round(Long.parseLong(p.get("num")) * 1000 / Double.parseDouble(p.get("fps")))));
        }
        return a.build();
      }
      case "doc/convert" -> {
        DocumentConversion.Builder d = DocumentConversion.builder().to(DocumentTarget.fromToken(p.get("target")));
        if (p.containsKey("source")) {
          d.from(DocumentType.fromToken(p.get("source")));
        }
        return d.build();
      }
      default -> throw new IllegalArgumentException(action);
    }
  }

  private static Operation image(String chain) {
    ImageResize.Builder r = ImageResize.builder();
    for (String step : chain.split("/")) {
      String[] parts = step.split(",");
      switch (parts[0]) {
        case "resize" -> {
          for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("_", 2);
            switch (kv[0]) {
              case "w" -> r.width(Integer.parseInt(kv[1]));
              case "h" -> r.height(Integer.parseInt(kv[1]));
              case "m" -> r.fit(switch (kv[1]) {
                case "lfit", "mfit" -> FitMode.FIT;
                case "fill" -> FitMode.CROP;
                case "pad" -> FitMode.PAD;
                case "fixed" -> FitMode.STRETCH;
                default -> throw new IllegalArgumentException("resize m_" + kv[1]);
              });
              default -> throw new IllegalArgumentException("resize " + kv[0] + "_");
            }
          }
        }
        case "format" -> r.format(ImageFormat.fromToken(parts[1]));
        case "quality" -> r.quality(Integer.parseInt(parts[1].substring(2)));
        default -> throw new IllegalArgumentException("image/" + parts[0]);
      }
    }
    return r.build();
  }

  private static void number(Map<String, String> p, String name, java.util.function.DoubleConsumer set) {
    if (p.containsKey(name)) {
      set.accept(Double.parseDouble(p.get(name)));
    }
  }

  @Override
  public void close() {
    runs.close();
  }
}
