package dev.mediaflow.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MediaProber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Media info with ffprobe: {@code -show_format -show_streams}, plus the first frame of a still
 * image for its EXIF orientation (FFmpeg reports it as the frame's {@code Orientation} tag).
 */
final class LocalProber implements MediaProber {
  private final LocalStore store;
  private final Supplier<LocalTools> tools;

  LocalProber(LocalStore store, Supplier<LocalTools> tools) {
    this.store = store;
    this.tools = tools;
  }

  @Override
  public MediaInfo probe(MediaObject object) {
    Path file = store.resolve(object, "object");
    if (!Files.isRegularFile(file)) {
      throw new MediaServiceException(
          LocalJobClient.ID,
          404,
          "NoSuchKey",
          "",
          "the object " + object.bucket() + "/" + object.key() + " does not exist");
    }
    LocalTools t = tools.get();
    try {
      JsonObject root =
          JsonParser.parseString(
                  FfprobeInfo.json(t, file, List.of("-show_format", "-show_streams")))
              .getAsJsonObject();
      JsonObject frame = null;
      if (isImage(root)) {
        JsonObject frames =
            JsonParser.parseString(
                    FfprobeInfo.json(
                        t,
                        file,
                        List.of(
                            "-select_streams", "v:0", "-show_frames", "-read_intervals", "%+#1")))
                .getAsJsonObject();
        JsonArray list = frames.has("frames") ? frames.getAsJsonArray("frames") : new JsonArray();
        if (!list.isEmpty()) {
          frame = list.get(0).getAsJsonObject();
          root.add("frames", list);
        }
      }
      return map(root, frame);
    } catch (IOException e) {
      throw new MediaServiceException(
          LocalJobClient.ID,
          415,
          "NotMedia",
          "",
          object.bucket()
              + "/"
              + object.key()
              + " is not media ffprobe can read: "
              + e.getMessage());
    }
  }

  /** Maps ffprobe's answer; {@code frame} is the first frame of a still image, or null. */
  static MediaInfo map(JsonObject root, JsonObject frame) {
    JsonObject format = root.has("format") ? root.getAsJsonObject("format") : new JsonObject();
    List<MediaInfo.VideoStream> video = new ArrayList<>();
    List<MediaInfo.AudioStream> audio = new ArrayList<>();
    JsonArray streams = root.has("streams") ? root.getAsJsonArray("streams") : new JsonArray();
    boolean image = isImage(root);
    MediaInfo.ImageInfo imageInfo = null;
    for (JsonElement e : streams) {
      JsonObject s = e.getAsJsonObject();
      String type = string(s, "codec_type");
      if (type.equals("video")) {
        if (image && imageInfo == null) {
          imageInfo =
              new MediaInfo.ImageInfo(
                  (int) number(s, "width"),
                  (int) number(s, "height"),
                  imageFormat(string(format, "format_name"), string(s, "codec_name")),
                  frame == null ? 1 : orientation(frame));
          continue;
        }
        if (isAttachedPicture(s)) {
          continue;
        }
        video.add(
            new MediaInfo.VideoStream(
                string(s, "codec_name"),
                (int) number(s, "width"),
                (int) number(s, "height"),
                rate(string(s, "avg_frame_rate"), string(s, "r_frame_rate")),
                rotation(s),
                (long) number(s, "bit_rate")));
      } else if (type.equals("audio")) {
        audio.add(
            new MediaInfo.AudioStream(
                string(s, "codec_name"),
                (int) number(s, "sample_rate"),
                (int) number(s, "channels"),
                (long) number(s, "bit_rate")));
      }
    }
    double seconds = image ? 0 : number(format, "duration");
    Map<String, String> raw = new TreeMap<>();
    flatten("", root, raw);
    return MediaInfo.builder()
        .format(string(format, "format_name"))
        .duration(Duration.ofNanos(Math.round(seconds * 1e9)))
        .size((long) number(format, "size"))
        .bitrate((long) number(format, "bit_rate"))
        .video(video)
        .audio(audio)
        .image(imageInfo)
        .raw(raw)
        .build();
  }

  /**
   * A still image: one picture stream in an image format ({@code *_pipe}, {@code image2}), or a
   * single-frame picture codec without a duration.
   */
  static boolean isImage(JsonObject root) {
    JsonObject format = root.has("format") ? root.getAsJsonObject("format") : new JsonObject();
    JsonArray streams = root.has("streams") ? root.getAsJsonArray("streams") : new JsonArray();
    if (streams.size() != 1) {
      return false;
    }
    JsonObject s = streams.get(0).getAsJsonObject();
    if (!string(s, "codec_type").equals("video")) {
      return false;
    }
    String name = string(format, "format_name");
    return name.endsWith("_pipe")
        || name.equals("image2")
        || name.equals("gif") && number(format, "duration") == 0
        || name.equals("webp")
        || List.of("mjpeg", "png", "webp", "bmp", "tiff").contains(string(s, "codec_name"))
            && number(format, "duration") < 0.05;
  }

  private static boolean isAttachedPicture(JsonObject s) {
    JsonElement d = s.get("disposition");
    return d != null
        && d.isJsonObject()
        && d.getAsJsonObject().has("attached_pic")
        && d.getAsJsonObject().get("attached_pic").getAsInt() == 1;
  }

  /** {@code jpeg_pipe} is jpeg, {@code png_pipe} png; otherwise the codec's name. */
  private static String imageFormat(String formatName, String codec) {
    if (formatName.endsWith("_pipe")) {
      return formatName.substring(0, formatName.length() - "_pipe".length());
    }
    return codec.equals("mjpeg") ? "jpeg" : codec;
  }

  /** The frame's EXIF orientation (1 to 8), 1 when it has none. */
  private static int orientation(JsonObject frame) {
    JsonElement tags = frame.get("tags");
    if (tags != null && tags.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : tags.getAsJsonObject().entrySet()) {
        if (e.getKey().equalsIgnoreCase("Orientation")) {
          try {
            int o = Integer.parseInt(e.getValue().getAsString().trim());
            return o >= 1 && o <= 8 ? o : 1;
          } catch (NumberFormatException x) {
            return 1;
          }
        }
      }
    }
    return 1;
  }

  /**
   * The clockwise rotation a player applies, as the legacy {@code rotate} tag gives it: ffprobe's
   * display-matrix {@code rotation} is counter-clockwise, so it is negated.
   */
  private static int rotation(JsonObject s) {
    JsonElement tags = s.get("tags");
    if (tags != null && tags.isJsonObject() && tags.getAsJsonObject().has("rotate")) {
      return normal(number(tags.getAsJsonObject(), "rotate"));
    }
    JsonElement sideData = s.get("side_data_list");
    if (sideData != null && sideData.isJsonArray()) {
      for (JsonElement d : sideData.getAsJsonArray()) {
        if (d.isJsonObject() && d.getAsJsonObject().has("rotation")) {
          return normal(-number(d.getAsJsonObject(), "rotation"));
        }
      }
    }
    return 0;
  }

  private static int normal(double degrees) {
    int d = (int) Math.round(degrees) % 360;
    return d < 0 ? d + 360 : d;
  }

  /** {@code 30000/1001} as a number; the average rate first, then the base rate. */
  private static double rate(String average, String base) {
    double r = fraction(average);
    return r > 0 ? r : fraction(base);
  }

  private static double fraction(String f) {
    int slash = f.indexOf('/');
    try {
      if (slash < 0) {
        return f.isEmpty() ? 0 : Double.parseDouble(f);
      }
      double d = Double.parseDouble(f.substring(slash + 1));
      return d == 0 ? 0 : Double.parseDouble(f.substring(0, slash)) / d;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Flattens JSON to paths: {@code format.duration}, {@code streams[0].codec_name}. */
  static void flatten(String path, JsonElement e, Map<String, String> out) {
    if (e == null || e.isJsonNull()) {
      return;
    }
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        flatten(path.isEmpty() ? m.getKey() : path + "." + m.getKey(), m.getValue(), out);
      }
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      for (int i = 0; i < a.size(); i++) {
        flatten(path + "[" + i + "]", a.get(i), out);
      }
    } else {
      out.put(path, e.getAsString());
    }
  }

  private static double number(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
      return 0;
    }
    try {
      return Double.parseDouble(e.getAsString().trim());
    } catch (NumberFormatException x) {
      return 0;
    }
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? "" : e.getAsString();
  }
}
