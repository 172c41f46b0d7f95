package dev.mediaflow.cos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.cos.CosSettings.Service;
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
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * COS media info on the object host: a HEAD reads the object's {@code Content-Type}; an {@code
 * image/*} object is read with {@code ?imageInfo}
 * (https://cloud.tencent.com/document/product/460/36547), anything else with {@code
 * ?ci-process=videoinfo} (https://cloud.tencent.com/document/product/460/38935). When {@code
 * videoinfo} refuses an object whose type says neither audio nor video, {@code imageInfo} is tried
 * before the error is passed on.
 *
 * <p>{@code videoinfo} answers bitrates in kbit/s with decimals (the Go SDK's {@code
 * TestCIService_GetMediaInfo} sample: {@code Format/Bitrate 1014.95} for 1,284,547 bytes over
 * 10.125 s), which {@link MediaInfo} holds in bit/s; durations in seconds. Every field is kept in
 * {@link MediaInfo#raw()}. Thread-safe.
 */
final class CosProber implements MediaProber {
  private final CosRequests requests;
  private final HttpCalls http;

  CosProber(CosRequests requests, HttpCalls http) {
    this.requests = requests;
    this.http = http;
  }

  @Override
  public MediaInfo probe(MediaObject object) {
    CosRequests.check(object, "object");
    HttpCalls.Reply head =
        http.read(
            "head-object",
            requests.request(Service.COS, "HEAD", object.bucket(), object.key(), Map.of()));
    String type = String.valueOf(head.headers().get("Content-Type")).toLowerCase(Locale.ROOT);
    if (type.startsWith("image/")) {
      return image(imageInfo(object));
    }
    try {
      return video(videoInfo(object));
    } catch (MediaServiceException e) {
      boolean media = type.startsWith("video/") || type.startsWith("audio/");
      if (media || e.httpStatus() != 400) {
        throw e;
      }
      return image(imageInfo(object));
    }
  }

  private Element videoInfo(MediaObject o) {
    HttpCalls.Reply reply =
        http.read(
            "probe",
            requests.request(
                Service.COS, "GET", o.bucket(), o.key(), Map.of("ci-process", "videoinfo")));
    return CosXml.parse(reply.text())
        .flatMap(r -> CosXml.child(r, "MediaInfo"))
        .orElseThrow(() -> badResponse(reply, "ci-process=videoinfo"));
  }

  private JsonObject imageInfo(MediaObject o) {
    HttpCalls.Reply reply =
        http.read(
            "probe",
            requests.request(Service.COS, "GET", o.bucket(), o.key(), Map.of("imageInfo", "")));
    try {
      JsonElement e = JsonParser.parseString(reply.text());
      if (e.isJsonObject()) {
        return e.getAsJsonObject();
      }
    } catch (RuntimeException ignored) {
      // answered below
    }
    throw badResponse(reply, "imageInfo");
  }

  private static MediaServiceException badResponse(HttpCalls.Reply reply, String what) {
    return new MediaServiceException(
        CosRequests.ID,
        reply.code(),
        "BadResponse",
        reply.headers().get("x-cos-request-id"),
        what + " answered " + CosRequests.abbreviate(reply.text()));
  }

  /** Reads {@code <MediaInfo><Format/><Stream><Video/>*<Audio/>*</Stream></MediaInfo>}. */
  static MediaInfo video(Element info) {
    Element format = CosXml.child(info, "Format").orElse(null);
    Element stream = CosXml.child(info, "Stream").orElse(null);
    List<MediaInfo.VideoStream> video = new ArrayList<>();
    List<MediaInfo.AudioStream> audio = new ArrayList<>();
    double longest = 0;
    if (stream != null) {
      for (Element v : CosXml.children(stream, "Video")) {
        if (CosXml.text(v, "CodecName").isEmpty()) {
          continue;
        }
        longest = Math.max(longest, number(v, "Duration"));
        double fps = rate(CosXml.text(v, "AvgFps"));
        video.add(
            new MediaInfo.VideoStream(
                CosXml.text(v, "CodecName"),
                (int) number(v, "Width"),
                (int) number(v, "Height"),
                fps > 0 ? fps : number(v, "Fps"),
                rotation(number(v, "Rotation")),
                kbps(number(v, "Bitrate"))));
      }
      for (Element a : CosXml.children(stream, "Audio")) {
        if (CosXml.text(a, "CodecName").isEmpty()) {
          continue;
        }
        longest = Math.max(longest, number(a, "Duration"));
        audio.add(
            new MediaInfo.AudioStream(
                CosXml.text(a, "CodecName"),
                (int) number(a, "SampleRate"),
                (int) number(a, "Channel"),
                kbps(number(a, "Bitrate"))));
      }
    }
    double duration = format == null ? 0 : number(format, "Duration");
    Map<String, String> raw = new LinkedHashMap<>();
    flatten(info, "", raw);
    return MediaInfo.builder()
        .format(format == null ? "" : CosXml.text(format, "FormatName"))
        .duration(seconds(duration > 0 ? duration : longest))
        .size(format == null ? 0 : (long) number(format, "Size"))
        .bitrate(format == null ? 0 : kbps(number(format, "Bitrate")))
        .video(video)
        .audio(audio)
        .raw(raw)
        .build();
  }

  /**
   * Reads {@code imageInfo}: {@code {"format":"jpeg","width":"960","height":"540","size":"158421",
   * ...}}, numbers written as strings. It carries no EXIF orientation, so that is 1.
   */
  static MediaInfo image(JsonObject o) {
    String format = string(o, "format");
    Map<String, String> raw = new LinkedHashMap<>();
    o.entrySet()
        .forEach(
            e ->
                raw.put(
                    e.getKey(),
                    e.getValue().isJsonPrimitive()
                        ? e.getValue().getAsString()
                        : e.getValue().toString()));
    return MediaInfo.builder()
        .format(format)
        .size((long) parse(string(o, "size")))
        .image(
            new MediaInfo.ImageInfo(
                (int) parse(string(o, "width")), (int) parse(string(o, "height")), format, 1))
        .raw(raw)
        .build();
  }

  /** kbit/s with decimals to bit/s. */
  private static long kbps(double kbps) {
    return Math.round(kbps * 1000);
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /** {@code 24/1}, {@code 30000/1001} or a plain number; 0 when unreadable. */
  static double rate(String r) {
    int slash = r.indexOf('/');
    if (slash < 0) {
      return parse(r);
    }
    double d = parse(r.substring(slash + 1));
    return d == 0 ? 0 : parse(r.substring(0, slash)) / d;
  }

  /** The rotation as a quarter turn 0, 90, 180 or 270. */
  private static int rotation(double degrees) {
    int quarter = (int) Math.round(degrees / 90.0);
    return Math.floorMod(quarter * 90, 360);
  }

  private static double number(Element e, String name) {
    return parse(CosXml.text(e, name));
  }

  private static double parse(String s) {
    try {
      return s.isEmpty() ? 0 : Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || !e.isJsonPrimitive() ? "" : e.getAsString();
  }

  /**
   * Flattens elements to paths such as {@code Format.Duration} or {@code Stream.Video[0].Width}.
   */
  private static void flatten(Element e, String prefix, Map<String, String> out) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    Map<String, Integer> total = new LinkedHashMap<>();
    NodeList nodes = e.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element c) {
        total.merge(c.getTagName(), 1, Integer::sum);
      }
    }
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (!(n instanceof Element c)) {
        continue;
      }
      String name = c.getTagName();
      boolean repeated = total.get(name) > 1 || name.equals("Video") || name.equals("Audio");
      String path =
          repeated
              ? prefix + name + "[" + (seen.merge(name, 1, Integer::sum) - 1) + "]"
              : prefix + name;
      boolean leaf = true;
      NodeList kids = c.getChildNodes();
      for (int k = 0; k < kids.getLength(); k++) {
        if (kids.item(k) instanceof Element) {
          leaf = false;
          break;
        }
      }
      if (leaf) {
        out.put(path, c.getTextContent().strip());
      } else {
        flatten(c, path + ".", out);
      }
    }
  }

  @Override
  public String toString() {
    return "CosProber{" + requests.settings() + "}";
  }
}
