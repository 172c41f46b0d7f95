package dev.mediaflow.testkit.cos;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.MediaProbe;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Cloud Infinite's processing on the {@code .cos.} host: {@code GET ?ci-process=videoinfo} (media
 * information from ffprobe, shaped as https://cloud.tencent.com/document/api/436/55672), {@code GET
 * ?imageMogr2/...} (thumbnail, format, quality) and {@code Pic-Operations} on PUT or {@code POST
 * ?image_process} (https://www.tencentcloud.com/zh/document/product/1045/33695). Media info and
 * processing on GET need the local provider ({@link LocalExecutor}); without it they are refused,
 * never answered with a guess. Pic-Operations rules run on the server's executor, so a simulated
 * server writes stand-in results. Thread-safe.
 */
final class CosProcessing {
  private static final Pattern THUMBNAIL = Pattern.compile("(?:(!)(\\d+)p|(\\d*)x(\\d*)([!<>]?))");

  private final FakeObjects objects;
  private final ObjectStore store;
  private final CosReplies replies;
  private final TaskExecutor executor;
  private final MediaProbe probe;

  CosProcessing(FakeObjects objects, ObjectStore store, CosReplies replies, TaskExecutor executor) {
    this.objects = objects;
    this.store = store;
    this.replies = replies;
    this.executor = executor;
    this.probe = new MediaProbe(objects);
  }

  /** A processing parameter COS refuses: answered 400 InvalidArgument with its reason. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private boolean local() {
    return executor instanceof LocalExecutor;
  }

  // ---- videoinfo

  Reply videoInfo(Request r, String bucket, String key) throws IOException {
    String resource = CosObjects.resource(r);
    if (!objects.exists(bucket, key)) {
      return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource);
    }
    if (!MediaProbe.available()) {
      return replies.error(
          400,
          "InvalidArgument",
          "media bucket unbinded, bucket's host is unavailable (this fake reads media information"
              + " only with the local provider on the class path)",
          resource);
    }
    JsonObject root;
    try {
      root = probe.probe(objects.file(bucket, key));
    } catch (MediaProbe.Unreadable e) {
      return replies.error(400, "InvalidArgument", e.getMessage(), resource);
    }
    return replies.xml(200, "<Response><MediaInfo>" + mediaInfo(root) + "</MediaInfo></Response>");
  }

  /** ffprobe's numbers in COS's MediaInfo shape: durations in seconds, bitrates in Kbps. */
  static String mediaInfo(JsonObject root) {
    JsonObject format = root.has("format") ? root.getAsJsonObject("format") : new JsonObject();
    StringBuilder video = new StringBuilder();
    StringBuilder audio = new StringBuilder();
    StringBuilder subtitle = new StringBuilder();
    JsonArray streams = root.has("streams") ? root.getAsJsonArray("streams") : new JsonArray();
    for (JsonElement e : streams) {
      JsonObject s = e.getAsJsonObject();
      String type = text(s, "codec_type");
      String language =
          s.has("tags") && s.getAsJsonObject("tags").has("language")
              ? s.getAsJsonObject("tags").get("language").getAsString()
              : "und";
      if (type.equals("video") && video.length() == 0) {
        video
            .append("<Video>")
            .append(CosXml.el("Index", text(s, "index")))
            .append(CosXml.el("CodecName", text(s, "codec_name")))
            .append(CosXml.el("CodecLongName", text(s, "codec_long_name")))
            .append(CosXml.el("CodecTimeBase", text(s, "codec_time_base")))
            .append(CosXml.el("CodecTagString", text(s, "codec_tag_string")))
            .append(CosXml.el("CodecTag", text(s, "codec_tag")))
            .append(CosXml.el("ColorPrimaries", text(s, "color_primaries")))
            .append(CosXml.el("ColorRange", text(s, "color_range")))
            .append(CosXml.el("ColorTransfer", text(s, "color_transfer")))
            .append(CosXml.el("Profile", text(s, "profile")))
            .append(CosXml.el("Width", text(s, "width")))
            .append(CosXml.el("Height", text(s, "height")))
            .append(CosXml.el("HasBFrame", text(s, "has_b_frames")))
            .append(CosXml.el("RefFrames", text(s, "refs")))
            .append(CosXml.el("Sar", text(s, "sample_aspect_ratio")))
            .append(CosXml.el("Dar", text(s, "display_aspect_ratio")))
            .append(CosXml.el("PixFormat", text(s, "pix_fmt")))
            .append(CosXml.el("FieldOrder", text(s, "field_order")))
            .append(CosXml.el("Level", text(s, "level")))
            .append(CosXml.el("Fps", decimal(rate(text(s, "r_frame_rate")))))
            .append(CosXml.el("AvgFps", text(s, "avg_frame_rate")))
            .append(CosXml.el("Timebase", text(s, "time_base")))
            .append(CosXml.el("StartTime", decimal(number(s, "start_time"))))
            .append(CosXml.el("Duration", decimal(number(s, "duration"))))
            .append(CosXml.el("Bitrate", decimal(number(s, "bit_rate") / 1000)))
            .append(CosXml.el("NumFrames", text(s, "nb_frames")))
            .append(CosXml.el("Language", language))
            .append("</Video>");
      } else if (type.equals("audio") && audio.length() == 0) {
        audio
            .append("<Audio>")
            .append(CosXml.el("Index", text(s, "index")))
            .append(CosXml.el("CodecName", text(s, "codec_name")))
            .append(CosXml.el("CodecLongName", text(s, "codec_long_name")))
            .append(CosXml.el("CodecTimeBase", text(s, "codec_time_base")))
            .append(CosXml.el("CodecTagString", text(s, "codec_tag_string")))
            .append(CosXml.el("CodecTag", text(s, "codec_tag")))
            .append(CosXml.el("SampleFmt", text(s, "sample_fmt")))
            .append(CosXml.el("SampleRate", text(s, "sample_rate")))
            .append(CosXml.el("Channel", text(s, "channels")))
            .append(CosXml.el("ChannelLayout", text(s, "channel_layout")))
            .append(CosXml.el("Timebase", text(s, "time_base")))
            .append(CosXml.el("StartTime", decimal(number(s, "start_time"))))
            .append(CosXml.el("Duration", decimal(number(s, "duration"))))
            .append(CosXml.el("Bitrate", decimal(number(s, "bit_rate") / 1000)))
            .append(CosXml.el("Language", language))
            .append("</Audio>");
      } else if (type.equals("subtitle") && subtitle.length() == 0) {
        subtitle
            .append("<Subtitle>")
            .append(CosXml.el("Index", text(s, "index")))
            .append(CosXml.el("Language", language))
            .append("</Subtitle>");
      }
    }
    return "<Stream>"
        + video
        + audio
        + subtitle
        + "</Stream><Format>"
        + CosXml.el("NumStream", text(format, "nb_streams"))
        + CosXml.el("NumProgram", text(format, "nb_programs"))
        + CosXml.el("FormatName", text(format, "format_name"))
        + CosXml.el("FormatLongName", text(format, "format_long_name"))
        + CosXml.el("StartTime", decimal(number(format, "start_time")))
        + CosXml.el("Duration", decimal(number(format, "duration")))
        + CosXml.el("Bitrate", decimal(number(format, "bit_rate") / 1000))
        + CosXml.el("Size", text(format, "size"))
        + "</Format>";
  }

  private static String decimal(double d) {
    return String.format(Locale.ROOT, "%.6f", d);
  }

  private static double rate(String fraction) {
    String[] p = fraction.split("/");
    try {
      double n = Double.parseDouble(p[0]);
      double d = p.length > 1 ? Double.parseDouble(p[1]) : 1;
      return d == 0 ? 0 : n / d;
    } catch (NumberFormatException e) {
      return 0;
    }
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

  // ---- images on GET

  /** {@code GET /<key>?imageMogr2/...}: the processed image, not stored. */
  Reply image(Request r, String bucket, String key, String rule) throws IOException {
    String resource = CosObjects.resource(r);
    if (!objects.exists(bucket, key)) {
      return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource);
    }
    if (!local()) {
      return replies.error(
          400,
          "InvalidArgument",
          "this fake processes images on GET only when it runs jobs locally (--execute local)",
          resource);
    }
    ImageResize op;
    try {
      op = resize(rule, objects.file(bucket, key));
    } catch (Invalid e) {
      return replies.error(400, "InvalidArgument", e.getMessage(), resource);
    }
    String ext = op.format().map(ImageFormat::token).orElse(extension(key));
    String out = ".fake-cos-process/" + UUID.randomUUID() + "." + ext;
    TaskExecutor.Result result = run(bucket, key, bucket, out, rule, op);
    if (!result.succeeded()) {
      return replies.error(400, "InvalidArgument", result.failure().message(), resource);
    }
    byte[] bytes = objects.get(bucket, result.keys().get(0)).orElseThrow();
    for (String k : result.keys()) {
      Files.deleteIfExists(objects.file(bucket, k));
    }
    return replies.common(Reply.body(200, ObjectStore.guessType("x." + ext), bytes));
  }

  // ---- ci-process=snapshot

  /**
   * Answers {@code GET
   * <key>?ci-process=snapshot&time=<seconds>[&width=][&height=][&format=jpg|png]} with one frame of
   * the video, scaled to the width and height given (either alone keeps the aspect ratio), run by
   * the local provider (as the COS Java SDK's {@code CosSnapshotRequest.java} sends it).
   */
  Reply snapshot(Request r, String bucket, String key, Map<String, String> query)
      throws IOException {
    String resource = CosObjects.resource(r);
    if (!objects.exists(bucket, key)) {
      return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource);
    }
    if (!local()) {
      return replies.error(
          400,
          "InvalidArgument",
          "this fake takes video frames only when it runs jobs locally (--execute local)",
          resource);
    }
    Snapshot op;
    String format = query.getOrDefault("format", "jpg").toLowerCase(Locale.ROOT);
    try {
      if (!format.equals("jpg") && !format.equals("png")) {
        throw new Invalid("format must be jpg or png, was " + format);
      }
      String time = query.get("time");
      if (time == null || !time.matches("\\d+(\\.\\d+)?")) {
        throw new Invalid("time must be a number of seconds, was " + time);
      }
      Snapshot.Builder b =
          Snapshot.builder()
              .at(java.time.Duration.ofNanos(Math.round(Double.parseDouble(time) * 1e9)))
              .format(format.equals("png") ? ImageFormat.PNG : ImageFormat.JPG);
      int width = side(query.get("width"), "width");
      int height = side(query.get("height"), "height");
      if (width > 0 && height > 0) {
        b.size(width, height).fit(FitMode.STRETCH);
      } else if (width > 0) {
        b.width(width);
      } else if (height > 0) {
        b.height(height);
      }
      op = b.build();
    } catch (Invalid | RuntimeException e) {
      return replies.error(400, "InvalidArgument", e.getMessage(), resource);
    }
    String out = ".fake-cos-process/" + UUID.randomUUID() + "." + format;
    TaskExecutor.Result result = run(bucket, key, bucket, out, "ci-process=snapshot", op);
    if (!result.succeeded()) {
      return replies.error(400, "InvalidArgument", result.failure().message(), resource);
    }
    byte[] bytes = objects.get(bucket, result.keys().get(0)).orElseThrow();
    for (String k : result.keys()) {
      Files.deleteIfExists(objects.file(bucket, k));
    }
    return replies.common(Reply.body(200, ObjectStore.guessType("x." + format), bytes));
  }

  /** A width or height of {@code ci-process=snapshot}: 0 (absent or 0: the source's) or pixels. */
  private static int side(String v, String name) throws Invalid {
    if (v == null || v.isEmpty()) {
      return 0;
    }
    if (!v.matches("\\d{1,5}")) {
      throw new Invalid(name + " must be a number of pixels, was " + v);
    }
    return Integer.parseInt(v);
  }

  // ---- imageInfo

  /**
   * Answers {@code GET <key>?imageInfo} as Cloud Infinite does, a JSON object of strings: {@code
   * {"format":"png","width":"80","height":"60","size":"1234"}} every value a string; an object that
   * is no image is refused.
   */
  Reply imageInfo(Request r, String bucket, String key) throws IOException {
    String resource = CosObjects.resource(r);
    if (!objects.exists(bucket, key)) {
      return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource);
    }
    Path file = objects.file(bucket, key);
    String format = null;
    BufferedImage image = null;
    try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      java.util.Iterator<javax.imageio.ImageReader> readers =
          in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
      if (readers.hasNext()) {
        javax.imageio.ImageReader reader = readers.next();
        try {
          format = reader.getFormatName().toLowerCase(Locale.ROOT);
          reader.setInput(in);
          image = reader.read(0);
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      image = null;
    }
    if (image == null) {
      return replies.error(400, "InvalidImageFormat", "The image format is invalid.", resource);
    }
    JsonObject o = new JsonObject();
    o.addProperty("format", format.equals("jpg") ? "jpeg" : format);
    o.addProperty("width", String.valueOf(image.getWidth()));
    o.addProperty("height", String.valueOf(image.getHeight()));
    o.addProperty("size", String.valueOf(Files.size(file)));
    return replies.common(Reply.json(200, "application/json", o));
  }

  // ---- Pic-Operations

  /**
   * Applies the {@code Pic-Operations} rules to the stored object {@code key} and answers COS's
   * {@code UploadResult}; {@code etag} is the original's.
   */
  Reply picOperations(Request r, String bucket, String key, String header, String etag) {
    String resource = CosObjects.resource(r);
    JsonObject ops;
    try {
      ops = JsonParser.parseString(header).getAsJsonObject();
    } catch (RuntimeException e) {
      return replies.error(400, "InvalidArgument", "Pic-Operations is not valid JSON.", resource);
    }
    if (!ops.has("rules") || !ops.get("rules").isJsonArray()) {
      return replies.error(400, "InvalidArgument", "Pic-Operations needs rules.", resource);
    }
    JsonArray rules = ops.getAsJsonArray("rules");
    if (rules.isEmpty() || rules.size() > 5) {
      return replies.error(400, "InvalidArgument", "Pic-Operations takes 1 to 5 rules.", resource);
    }
    String host = r.header("Host");
    String folder = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
    StringBuilder results = new StringBuilder();
    for (JsonElement e : rules) {
      JsonObject rule = e.getAsJsonObject();
      String fileid = rule.has("fileid") ? rule.get("fileid").getAsString() : "";
      String text = rule.has("rule") ? rule.get("rule").getAsString() : "";
      String target = rule.has("bucket") ? rule.get("bucket").getAsString() : bucket;
      if (fileid.isEmpty() || fileid.endsWith("/") || text.isEmpty()) {
        return replies.error(
            400,
            "InvalidArgument",
            "each rule needs a fileid (not ending with /) and a rule",
            resource);
      }
      String out = fileid.startsWith("/") ? fileid.substring(1) : folder + fileid;
      ImageResize op;
      try {
        objects.file(target, out);
        op = resize(text, objects.file(bucket, key));
      } catch (Invalid | IllegalArgumentException ex) {
        return replies.error(400, "InvalidArgument", ex.getMessage(), resource);
      }
      TaskExecutor.Result result = run(bucket, key, target, out, text, op);
      if (!result.succeeded()) {
        return replies.error(400, "InvalidArgument", result.failure().message(), resource);
      }
      ObjectStore.Meta meta = store.meta(target, out).orElse(null);
      BufferedImage img = read(objects.file(target, out));
      results.append("<Object>").append(CosXml.el("Key", out));
      results.append(CosXml.el("Location", host + "/" + out));
      results.append(
          CosXml.el("Format", op.format().map(ImageFormat::token).orElse(extension(out))));
      if (img != null) {
        results
            .append(CosXml.el("Width", img.getWidth()))
            .append(CosXml.el("Height", img.getHeight()));
      }
      if (meta != null) {
        results.append(CosXml.el("Size", meta.size())).append(CosXml.el("ETag", meta.etag()));
      }
      results.append("</Object>");
    }
    StringBuilder x = new StringBuilder("<UploadResult><OriginalInfo>");
    x.append(CosXml.el("Key", key)).append(CosXml.el("Location", host + "/" + key));
    x.append(CosXml.el("ETag", etag));
    if (ops.has("is_pic_info") && ops.get("is_pic_info").getAsString().equals("1")) {
      BufferedImage img = read(objects.file(bucket, key));
      x.append("<ImageInfo>").append(CosXml.el("Format", extension(key)));
      if (img != null) {
        x.append(CosXml.el("Width", img.getWidth())).append(CosXml.el("Height", img.getHeight()));
      }
      x.append("</ImageInfo>");
    }
    x.append("</OriginalInfo><ProcessResults>")
        .append(results)
        .append("</ProcessResults></UploadResult>");
    return replies.xml(200, x.toString());
  }

  private TaskExecutor.Result run(
      String bucket, String key, String targetBucket, String out, String rule, Operation op) {
    Task task =
        Task.builder()
            .id("pic-" + UUID.randomUUID())
            .command(op instanceof Snapshot ? "snapshot" : "imageMogr2", rule)
            .source(bucket, key)
            .target(targetBucket, out)
            .translator(step -> op)
            .objects(objects)
            .build();
    try {
      return executor.run(task);
    } catch (Exception e) {
      return TaskExecutor.Result.failed(
          TaskExecutor.Failure.Kind.ERROR, String.valueOf(e.getMessage()), 0);
    }
  }

  /**
   * Reads an {@code imageMogr2/thumbnail/<spec>/format/<f>/quality/<q>} rule (one stage) into a
   * resize; sizes given in per cent are taken from the source image.
   */
  static ImageResize resize(String rule, Path source) throws Invalid {
    if (rule.contains("|")) {
      throw new Invalid("this fake runs one processing stage, not a | pipeline: " + rule);
    }
    String[] parts = rule.split("/");
    if (!parts[0].equals("imageMogr2")) {
      throw new Invalid("this fake processes imageMogr2 rules only, not " + parts[0]);
    }
    ImageResize.Builder b = ImageResize.builder();
    boolean sized = false;
    for (int i = 1; i < parts.length; i += 2) {
      if (i + 1 >= parts.length) {
        throw new Invalid("imageMogr2/" + parts[i] + " needs a value");
      }
      String v = parts[i + 1];
      try {
        switch (parts[i]) {
          case "thumbnail" -> {
            Matcher m = THUMBNAIL.matcher(v);
            if (!m.matches()) {
              throw new Invalid("unsupported thumbnail spec: " + v);
            }
            if (m.group(1) != null) {
              BufferedImage img = read(source);
              if (img == null) {
                throw new Invalid("the source is not an image this fake can read");
              }
              int p = Integer.parseInt(m.group(2));
              b.size(Math.max(1, img.getWidth() * p / 100), Math.max(1, img.getHeight() * p / 100));
              b.fit(FitMode.STRETCH);
            } else {
              String w = m.group(3);
              String h = m.group(4);
              if (w.isEmpty() && h.isEmpty()) {
                throw new Invalid("thumbnail needs a width or a height: " + v);
              }
              if (!w.isEmpty()) {
                b.width(Integer.parseInt(w));
              }
              if (!h.isEmpty()) {
                b.height(Integer.parseInt(h));
              }
              if (m.group(5).equals("!")) {
                b.fit(FitMode.STRETCH);
              } else if (!m.group(5).isEmpty()) {
                throw new Invalid(
                    "this fake does not run the only-shrink or only-enlarge thumbnail: " + v);
              } else if (!w.isEmpty() && !h.isEmpty()) {
                b.fit(FitMode.FIT);
              }
            }
            sized = true;
          }
          case "format" -> b.format(format(v));
          case "quality" -> b.quality(Integer.parseInt(v));
          default -> throw new Invalid("this fake does not run imageMogr2/" + parts[i]);
        }
      } catch (NumberFormatException | dev.mediaflow.MediaException e) {
        throw new Invalid("invalid imageMogr2/" + parts[i] + "/" + v + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new Invalid("invalid imageMogr2/" + parts[i] + "/" + v + ": " + e.getMessage());
      }
    }
    if (!sized) {
      BufferedImage img = read(source);
      if (img == null) {
        throw new Invalid("the source is not an image this fake can read");
      }
      b.size(img.getWidth(), img.getHeight());
    }
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new Invalid(e.getMessage());
    }
  }

  private static ImageFormat format(String v) throws Invalid {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "jpg", "jpeg" -> ImageFormat.JPG;
      case "png" -> ImageFormat.PNG;
      case "webp" -> ImageFormat.WEBP;
      case "gif" -> ImageFormat.GIF;
      case "bmp" -> ImageFormat.BMP;
      default -> throw new Invalid("this fake does not convert images to " + v);
    };
  }

  private static BufferedImage read(Path file) {
    try {
      return Files.isRegularFile(file) ? ImageIO.read(file.toFile()) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String extension(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? "jpg" : key.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Returns the imageMogr2 rule of a GET's query, or null. */
  static String rule(Map<String, String> query) {
    List<String> rules = new ArrayList<>();
    for (String k : query.keySet()) {
      if (k.startsWith("imageMogr2/")) {
        rules.add(k);
      }
    }
    return rules.isEmpty() ? null : rules.get(0);
  }
}
