package dev.mediaflow.qiniu;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MediaProber;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;

/**
 * Qiniu media info: {@code stat} tells an image from audio and video by its MIME type, then a GET
 * of the object's download URL with {@code imageInfo}
 * (https://developer.qiniu.com/dora/api/pictures-basic-information-imageinfo) or {@code avinfo}
 * (ffprobe-style {@code streams} and {@code format},
 * https://developer.qiniu.com/dora/kb/1678/video-meta-information-response-content-properties-and-instructions),
 * signed as delivery URLs are. Everything Qiniu answers is kept, flattened, in {@link
 * MediaInfo#raw()}. Thread-safe.
 */
final class QiniuProbes implements MediaProber {
  static final String ID = QiniuFopRenderer.ID;
  private static final Duration VALID_FOR = Duration.ofMinutes(15);

  private final QiniuUrls urls;
  private final QiniuObjects objects;
  private final HttpCalls http;

  QiniuProbes(QiniuUrls urls, QiniuObjects objects, HttpCalls http) {
    this.urls = urls;
    this.objects = objects;
    this.http = http;
  }

  @Override
  public MediaInfo probe(MediaObject object) {
    JsonObject stat =
        objects
            .stat(object)
            .orElseThrow(
                () ->
                    new MediaServiceException(
                        ID, 612, "NoSuchEntry", null, "no such object: " + object));
    boolean image = isImage(object, string(stat, "mimeType"));
    String url = urls.fopUrl(object, image ? "imageInfo" : "avinfo", VALID_FOR);
    HttpCalls.Reply reply = http.read("probe", new Request.Builder().url(url).get().build());
    JsonObject json =
        reply
            .json()
            .orElseThrow(
                () ->
                    new MediaServiceException(
                        ID,
                        reply.code(),
                        "BadResponse",
                        reply.headers().get("X-Reqid"),
                        (image ? "imageInfo" : "avinfo")
                            + " answered no JSON object: "
                            + QiniuObjects.abbreviate(reply.text())));
    return image ? imageInfo(json) : avinfo(json);
  }

  private static boolean isImage(MediaObject o, String mimeType) {
    String type = mimeType.toLowerCase(Locale.ROOT);
    if (type.isEmpty() || type.equals("application/octet-stream")) {
      // by the extension alone: the JDK's guess cuts a name at '#'
      String name = o.key().substring(o.key().lastIndexOf('/') + 1);
      int dot = name.lastIndexOf('.');
      type =
          dot < 0
              ? ""
              : Optional.ofNullable(
                      URLConnection.guessContentTypeFromName("x" + name.substring(dot)))
                  .orElse("");
    }
    return type.startsWith("image/");
  }

  /**
   * {@code imageInfo}: {@code size}, {@code format}, {@code width}, {@code height}, {@code
   * colorModel}, and {@code orientation} as EXIF names it ({@code Top-left} is 1).
   */
  static MediaInfo imageInfo(JsonObject j) {
    String format = string(j, "format");
    return MediaInfo.builder()
        .format(format)
        .size(number(j, "size"))
        .image(
            new MediaInfo.ImageInfo(
                (int) number(j, "width"),
                (int) number(j, "height"),
                format,
                orientation(string(j, "orientation"))))
        .raw(flatten(j))
        .build();
  }

  /** {@code avinfo}: ffprobe's {@code format} and {@code streams}, numbers often as strings. */
  static MediaInfo avinfo(JsonObject j) {
    JsonObject format =
        j.has("format") && j.get("format").isJsonObject()
            ? j.getAsJsonObject("format")
            : new JsonObject();
    List<MediaInfo.VideoStream> video = new ArrayList<>();
    List<MediaInfo.AudioStream> audio = new ArrayList<>();
    JsonArray streams =
        j.has("streams") && j.get("streams").isJsonArray()
            ? j.getAsJsonArray("streams")
            : new JsonArray();
    for (JsonElement e : streams) {
      if (!e.isJsonObject()) {
        continue;
      }
      JsonObject s = e.getAsJsonObject();
      switch (string(s, "codec_type")) {
        case "video" ->
            video.add(
                new MediaInfo.VideoStream(
                    string(s, "codec_name"),
                    (int) number(s, "width"),
                    (int) number(s, "height"),
                    rate(string(s, "avg_frame_rate"), string(s, "r_frame_rate")),
                    rotation(s),
                    number(s, "bit_rate")));
        case "audio" ->
            audio.add(
                new MediaInfo.AudioStream(
                    string(s, "codec_name"),
                    (int) number(s, "sample_rate"),
                    (int) number(s, "channels"),
                    number(s, "bit_rate")));
        default -> {}
      }
    }
    return MediaInfo.builder()
        .format(string(format, "format_name"))
        .duration(seconds(string(format, "duration")))
        .size(number(format, "size"))
        .bitrate(number(format, "bit_rate"))
        .video(video)
        .audio(audio)
        .raw(flatten(j))
        .build();
  }

  /** Frames per second from {@code 30/1} or {@code 30000/1001}; 0 when unknown. */
  private static double rate(String... candidates) {
    for (String r : candidates) {
      int slash = r.indexOf('/');
      try {
        double v =
            slash < 0
                ? Double.parseDouble(r)
                : Double.parseDouble(r.substring(0, slash))
                    / Double.parseDouble(r.substring(slash + 1));
        if (v > 0 && Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // not a rate: try the next
      }
    }
    return 0;
  }

  /** The display rotation: {@code tags.rotate}, else a display matrix's {@code rotation}. */
  private static int rotation(JsonObject s) {
    double r = 0;
    if (s.has("tags") && s.get("tags").isJsonObject()) {
      r = number(s.getAsJsonObject("tags"), "rotate");
    }
    if (r == 0 && s.has("side_data_list") && s.get("side_data_list").isJsonArray()) {
      for (JsonElement e : s.getAsJsonArray("side_data_list")) {
        if (e.isJsonObject() && e.getAsJsonObject().has("rotation")) {
          // a display matrix turns counter-clockwise; the tag names the clockwise turn
          r = -number(e.getAsJsonObject(), "rotation");
        }
      }
    }
    return (int) (((Math.round(r) % 360) + 360) % 360);
  }

  /** EXIF orientation names (TIFF 6.0 tag 274) to their numbers; 1 when absent. */
  private static int orientation(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "top-right" -> 2;
      case "bottom-right" -> 3;
      case "bottom-left" -> 4;
      case "left-top" -> 5;
      case "right-top" -> 6;
      case "right-bottom" -> 7;
      case "left-bottom" -> 8;
      default -> 1;
    };
  }

  private static Duration seconds(String s) {
    try {
      double v = Double.parseDouble(s);
      return v > 0 && Double.isFinite(v) ? Duration.ofNanos(Math.round(v * 1e9)) : Duration.ZERO;
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  private static String string(JsonObject j, String field) {
    JsonElement e = j.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  /** A number Qiniu gives as a number or a string; 0 when absent or not a number. */
  private static long number(JsonObject j, String field) {
    String s = string(j, field);
    try {
      return s.isEmpty() ? 0 : Math.round(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Flattens a JSON value to {@code a.b} and {@code a[0].b} paths, in document order. */
  static Map<String, String> flatten(JsonElement json) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", json, out);
    return out;
  }

  private static void flatten(String path, JsonElement e, Map<String, String> out) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        flatten(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out);
      }
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      for (int i = 0; i < a.size(); i++) {
        flatten(path + "[" + i + "]", a.get(i), out);
      }
    } else if (!e.isJsonNull()) {
      out.put(path, e.getAsString());
    }
  }

  @Override
  public String toString() {
    return "QiniuProbes{" + urls + "}";
  }
}
