package dev.mediaflow.testkit.oss;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.MediaProbe;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fake OSS's video work on a GET, done for real with the local provider (FFmpeg, ffprobe) when
 * it is on the class path: {@code video/snapshot} (one frame) and {@code video/info} (IMM's {@code
 * DetectMediaMeta} shape,
 * https://alibabacloud.com/help/en/imm/developer-reference/api-imm-2020-09-30-detectmediameta,
 * built from ffprobe's numbers). Without the local provider, {@link #available()} is false and the
 * server answers OSS's error. Thread-safe.
 */
final class OssMedia {
  private final FakeObjects objects;
  private final TaskExecutor executor;
  private volatile LocalExecutor own;
  private final MediaProbe probe;

  /**
   * @param executor the server's executor: a {@link LocalExecutor} is used for snapshots, else one
   *     is made when the local provider is on the class path
   */
  OssMedia(FakeObjects objects, TaskExecutor executor) {
    this.objects = objects;
    this.executor = executor;
    this.probe = new MediaProbe(objects);
  }

  /** Returns whether the local provider is on the class path. */
  static boolean available() {
    return MediaProbe.available();
  }

  /**
   * Takes one frame ({@code video/snapshot,t_<ms>,f_<jpg|png>[,w_][,h_][,m_fast][,ar_auto]}, see
   * https://alibabacloud.com/help/en/oss/user-guide/video-snapshots); returns its bytes.
   *
   * @throws OssStyles.Invalid for a malformed parameter (EC 0053-00000109)
   * @throws IOException when FFmpeg fails
   */
  OssImages.Result snapshot(String bucket, String key, Map<String, String> p)
      throws OssStyles.Invalid, IOException {
    for (String name : p.keySet()) {
      if (!name.matches("t|f|w|h|m|ar")) {
        throw new OssStyles.Invalid("video/snapshot has no parameter " + name);
      }
    }
    long t = parse(p.get("t"), "t", Long.MAX_VALUE);
    String f = p.getOrDefault("f", "");
    if (!f.equals("jpg") && !f.equals("png")) {
      throw new OssStyles.Invalid("video/snapshot f_ must be jpg or png, was " + f);
    }
    int w = p.containsKey("w") ? (int) parse(p.get("w"), "w", 16384) : 0;
    int h = p.containsKey("h") ? (int) parse(p.get("h"), "h", 16384) : 0;
    Snapshot.Builder s =
        Snapshot.builder()
            .at(Duration.ofMillis(t))
            .format(f.equals("png") ? ImageFormat.PNG : ImageFormat.JPG);
    if (w > 0) {
      s.width(w);
    }
    if (h > 0) {
      s.height(h);
    }
    Snapshot op = s.build();
    String out = "fake-oss-process/" + UUID.randomUUID() + "." + f;
    Task task =
        Task.builder()
            .id("snapshot-" + UUID.randomUUID())
            .command("video/snapshot", "video/snapshot")
            .source(bucket, key)
            .target(bucket, out)
            .translator(step -> op)
            .objects(objects)
            .build();
    try {
      TaskExecutor.Result r = local().run(task);
      if (!r.succeeded()) {
        throw new IOException(r.failure().message());
      }
      byte[] bytes = objects.get(bucket, r.keys().get(0)).orElseThrow();
      for (String k : r.keys()) {
        Files.deleteIfExists(objects.file(bucket, k));
      }
      return new OssImages.Result(bytes, f.equals("png") ? "image/png" : "image/jpeg");
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static long parse(String v, String name, long max) throws OssStyles.Invalid {
    try {
      long n = Long.parseLong(v == null ? "" : v);
      if (n < 0 || n > max) {
        throw new OssStyles.Invalid("video/snapshot " + name + "_ is out of range: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new OssStyles.Invalid("video/snapshot " + name + "_ must be a number, was " + v);
    }
  }

  private LocalExecutor local() {
    if (executor instanceof LocalExecutor l) {
      return l;
    }
    LocalExecutor l = own;
    if (l == null) {
      synchronized (this) {
        if (own == null) {
          own = new LocalExecutor(Duration.ofMinutes(2));
        }
        l = own;
      }
    }
    return l;
  }

  /** The {@code video/info} answer for a stored file, from ffprobe. */
  Map<String, Object> videoInfo(Path file) throws IOException, OssStyles.Invalid {
    try {
      return imm(probe.probe(file));
    } catch (MediaProbe.Unreadable e) {
      throw new OssStyles.Invalid(e.getMessage());
    }
  }

  /** ffprobe's JSON in IMM's PascalCase {@code DetectMediaMeta} shape. */
  static Map<String, Object> imm(JsonObject root) {
    JsonObject format = root.has("format") ? root.getAsJsonObject("format") : new JsonObject();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("RequestId", UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT));
    m.put("FormatName", text(format, "format_name"));
    m.put("FormatLongName", text(format, "format_long_name"));
    m.put("Size", (long) number(format, "size"));
    m.put("Duration", number(format, "duration"));
    m.put("StartTime", number(format, "start_time"));
    m.put("Bitrate", (long) number(format, "bit_rate"));
    m.put("StreamCount", (long) number(format, "nb_streams"));
    m.put("ProgramCount", (long) number(format, "nb_programs"));
    List<Map<String, Object>> video = new ArrayList<>();
    List<Map<String, Object>> audio = new ArrayList<>();
    JsonArray streams = root.has("streams") ? root.getAsJsonArray("streams") : new JsonArray();
    for (JsonElement e : streams) {
      JsonObject s = e.getAsJsonObject();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("Index", (long) number(s, "index"));
      x.put("CodecName", text(s, "codec_name"));
      x.put("CodecLongName", text(s, "codec_long_name"));
      x.put("CodecTagString", text(s, "codec_tag_string"));
      x.put("CodecTag", text(s, "codec_tag"));
      x.put("TimeBase", text(s, "time_base"));
      x.put("StartTime", number(s, "start_time"));
      x.put("Duration", number(s, "duration"));
      x.put("Bitrate", (long) number(s, "bit_rate"));
      x.put("FrameCount", (long) number(s, "nb_frames"));
      String type = text(s, "codec_type");
      if (type.equals("video")) {
        x.put("Profile", text(s, "profile"));
        x.put("Width", (long) number(s, "width"));
        x.put("Height", (long) number(s, "height"));
        x.put("HasBFrames", (long) number(s, "has_b_frames"));
        x.put("SampleAspectRatio", text(s, "sample_aspect_ratio"));
        x.put("DisplayAspectRatio", text(s, "display_aspect_ratio"));
        x.put("PixelFormat", text(s, "pix_fmt"));
        x.put("Level", (long) number(s, "level"));
        x.put("FrameRate", text(s, "r_frame_rate"));
        x.put("AverageFrameRate", text(s, "avg_frame_rate"));
        x.put("Rotate", rotation(s));
        x.put("ColorSpace", text(s, "color_space"));
        x.put("ColorRange", text(s, "color_range"));
        x.put("ColorTransfer", text(s, "color_transfer"));
        video.add(x);
      } else if (type.equals("audio")) {
        x.put("SampleFormat", text(s, "sample_fmt"));
        x.put("SampleRate", (long) number(s, "sample_rate"));
        x.put("Channels", (long) number(s, "channels"));
        x.put("ChannelLayout", text(s, "channel_layout"));
        audio.add(x);
      }
    }
    m.put("VideoStreams", video);
    m.put("AudioStreams", audio);
    m.put("Subtitles", List.of());
    return m;
  }

  /** The rotation as IMM writes it (a string of degrees), from the display matrix or the tag. */
  private static String rotation(JsonObject s) {
    if (s.has("tags") && s.getAsJsonObject("tags").has("rotate")) {
      return s.getAsJsonObject("tags").get("rotate").getAsString();
    }
    if (s.has("side_data_list")) {
      for (JsonElement e : s.getAsJsonArray("side_data_list")) {
        JsonObject d = e.getAsJsonObject();
        if (d.has("rotation")) {
          int r = -d.get("rotation").getAsInt() % 360;
          return String.valueOf(r < 0 ? r + 360 : r);
        }
      }
    }
    return "0";
  }

  private static String text(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  private static double number(JsonObject o, String name) {
    try {
      String t = text(o, name);
      return t.isEmpty() || t.equals("N/A") ? 0 : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Stops the executor this class made, if any. */
  void close() {
    LocalExecutor l = own;
    if (l != null) {
      l.close();
    }
  }
}
