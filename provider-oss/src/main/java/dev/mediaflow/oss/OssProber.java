package dev.mediaflow.oss;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MediaProber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OSS media info: a signed HEAD reads the object's {@code Content-Type}; an {@code image/*} object
 * is read with {@code x-oss-process=image/info}
 * (https://www.alibabacloud.com/help/en/oss/user-guide/query-the-exif-data-of-an-image-4), anything
 * else with {@code video/info}, IMM's {@code DetectMediaMeta} answer
 * (https://alibabacloud.com/help/en/imm/developer-reference/api-imm-2020-09-30-detectmediameta),
 * which needs the bucket bound to an IMM project. When {@code video/info} refuses an object whose
 * type says neither audio nor video (stored as {@code application/octet-stream}), {@code
 * image/info} is tried before the error is passed on. Every field of the answer is kept in {@link
 * MediaInfo#raw()}. Thread-safe.
 */
final class OssProber implements MediaProber {
  private final OssObjects objects;
  private final HttpCalls http;

  OssProber(OssObjects objects, HttpCalls http) {
    this.objects = objects;
    this.http = http;
  }

  @Override
  public MediaInfo probe(MediaObject object) {
    OssObjects.check(object, "object");
    HttpCalls.Reply head =
        http.read(
            "head-object", objects.request("HEAD", object.bucket(), object.key(), Map.of(), null));
    String type = String.valueOf(head.headers().get("Content-Type")).toLowerCase(Locale.ROOT);
    if (type.startsWith("image/")) {
      return image(info(object, "image/info"));
    }
    try {
      return video(info(object, "video/info"));
    } catch (MediaServiceException e) {
      boolean media = type.startsWith("video/") || type.startsWith("audio/");
      if (media || e.httpStatus() != 400) {
        throw e;
      }
      return image(info(object, "image/info"));
    }
  }

  private JsonObject info(MediaObject o, String process) {
    HttpCalls.Reply reply =
        http.read(
            "probe",
            objects.request("GET", o.bucket(), o.key(), Map.of("x-oss-process", process), null));
    try {
      JsonElement e = JsonParser.parseString(reply.text());
      if (e.isJsonObject()) {
        return e.getAsJsonObject();
      }
    } catch (RuntimeException ignored) {
      // answered below
    }
    throw new MediaServiceException(
        OssStyleRenderer.ID,
        reply.code(),
        "BadResponse",
        reply.headers().get("x-oss-request-id"),
        process + " answered " + OssObjects.abbreviate(reply.text()));
  }

  /** Reads {@code video/info} (IMM DetectMediaMeta: PascalCase fields, numbers or strings). */
  static MediaInfo video(JsonObject o) {
    List<MediaInfo.VideoStream> video = new ArrayList<>();
    double longest = 0;
    for (JsonElement e : array(o, "VideoStreams")) {
      JsonObject s = e.getAsJsonObject();
      longest = Math.max(longest, number(s, "Duration"));
      double fps = rate(text(s, "AverageFrameRate"));
      video.add(
          new MediaInfo.VideoStream(
              text(s, "CodecName"),
              (int) number(s, "Width"),
              (int) number(s, "Height"),
              fps > 0 ? fps : rate(text(s, "FrameRate")),
              rotation(number(s, "Rotate")),
              (long) number(s, "Bitrate")));
    }
    List<MediaInfo.AudioStream> audio = new ArrayList<>();
    for (JsonElement e : array(o, "AudioStreams")) {
      JsonObject s = e.getAsJsonObject();
      longest = Math.max(longest, number(s, "Duration"));
      audio.add(
          new MediaInfo.AudioStream(
              text(s, "CodecName"),
              (int) number(s, "SampleRate"),
              (int) number(s, "Channels"),
              (long) number(s, "Bitrate")));
    }
    double duration = number(o, "Duration");
    return MediaInfo.builder()
        .format(text(o, "FormatName"))
        .duration(seconds(duration > 0 ? duration : longest))
        .size((long) number(o, "Size"))
        .bitrate((long) number(o, "Bitrate"))
        .video(video)
        .audio(audio)
        .raw(flatten(o))
        .build();
  }

  /** Reads {@code image/info}: every value a string wrapped as {@code {"value": "..."}}. */
  static MediaInfo image(JsonObject o) {
    int orientation = (int) wrapped(o, "Orientation");
    String format = wrappedText(o, "Format");
    return MediaInfo.builder()
        .format(format)
        .size((long) wrapped(o, "FileSize"))
        .image(
            new MediaInfo.ImageInfo(
                (int) wrapped(o, "ImageWidth"),
                (int) wrapped(o, "ImageHeight"),
                format,
                orientation >= 1 && orientation <= 8 ? orientation : 1))
        .raw(flatten(o))
        .build();
  }

  // ---- JSON

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /**
   * {@code "30/1"}, {@code "30000/1001"} or {@code "29.97"} as frames per second; 0 when unknown.
   */
  static double rate(String r) {
    try {
      int slash = r.indexOf('/');
      if (slash < 0) {
        return r.isEmpty() ? 0 : Double.parseDouble(r);
      }
      double d = Double.parseDouble(r.substring(slash + 1));
      return d == 0 ? 0 : Double.parseDouble(r.substring(0, slash)) / d;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int rotation(double degrees) {
    int r = (int) Math.round(degrees) % 360;
    return r < 0 ? r + 360 : r;
  }

  private static JsonArray array(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
  }

  private static String text(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  private static double number(JsonObject o, String name) {
    try {
      String t = text(o, name);
      return t.isEmpty() ? 0 : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String wrappedText(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonObject() ? text(e.getAsJsonObject(), "value") : "";
  }

  private static double wrapped(JsonObject o, String name) {
    try {
      String t = wrappedText(o, name);
      return t.isEmpty() ? 0 : Double.parseDouble(t.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The whole answer as {@code a.b} and {@code a[0].b} paths, so no field is lost. */
  static Map<String, String> flatten(JsonObject o) {
    Map<String, String> m = new LinkedHashMap<>();
    flatten("", o, m);
    return m;
  }

  private static void flatten(String path, JsonElement e, Map<String, String> m) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
        flatten(path.isEmpty() ? x.getKey() : path + "." + x.getKey(), x.getValue(), m);
      }
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      for (int i = 0; i < a.size(); i++) {
        flatten(path + "[" + i + "]", a.get(i), m);
      }
    } else if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      m.put(path, p.getAsString());
    } else {
      m.put(path, "");
    }
  }

  @Override
  public String toString() {
    return "OssProber{" + objects + "}";
  }
}
