package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an OSS processing style the way the fake server checks it: the action and its {@code k_v}
 * parameters ({@code oss-wire.md} §3), then the {@code |sys/saveas,b_..,o_..} target and the
 * {@code /notify,topic_..} or {@code |sys/notify,topic_..} topic, names in URL-safe Base64. What OSS would
 * refuse (unknown action or parameter, a missing required parameter, a value that is not a number, bad
 * Base64, saveas on an action that saves nothing) throws {@link Invalid}.
 */
final class OssStyles {
  /** A parsed style. */
  record Style(String process, String action, Map<String, String> params, Optional<String> saveBucket,
      Optional<String> saveKey, Optional<String> topic) {}

  /** A style OSS would refuse, with OSS's kind of message. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private static final Set<String> CONVERT = Set.of("ss", "t", "f", "vn", "vcodec", "fps", "fpsopt", "pixfmt", "s", "sopt",
      "scaletype", "arotate", "g", "vb", "vbopt", "crf", "maxrate", "bufsize", "an", "acodec", "ar", "ac", "aq", "ab",
      "abopt", "sn", "adepth", "align");
  private static final Map<String, Set<String>> ASYNC = Map.of(
      "video/convert", CONVERT,
      "video/concat", CONVERT,
      "video/snapshots", Set.of("ss", "f", "m", "num", "inter", "w", "h", "pw", "ph", "scaletype", "thr"),
      "video/animation", Set.of("ss", "f", "num", "inter", "fps", "w", "h", "pw", "ph", "scaletype"),
      "video/sprite", Set.of("ss", "f", "m", "thr", "num", "inter", "sw", "sh", "psw", "psh", "scaletype", "tw", "th",
          "pad", "margin", "color"),
      "audio/convert", Set.of("ss", "t", "f", "ar", "ac", "aq", "ab", "abopt", "adepth"),
      "audio/concat", Set.of("ss", "t", "f", "ar", "ac", "aq", "ab", "abopt", "align", "adepth"),
      "doc/convert", Set.of("target", "source", "pages"),
      "image/deblindwatermark", Set.of("s", "t"));
  private static final Set<String> REQUIRES_F = Set.of("video/convert", "video/concat", "video/snapshots",
      "video/animation", "video/sprite", "audio/convert", "audio/concat");
  private static final Set<String> TEXT = Set.of("f", "vcodec", "acodec", "pixfmt", "s", "scaletype", "m", "target",
      "source", "pages", "color", "o");
  private static final Set<String> IMAGE_ACTIONS = Set.of("resize", "format", "quality", "watermark", "crop", "rotate",
      "auto-orient", "circle", "indexcrop", "rounded-corners", "blur", "bright", "contrast", "sharpen", "interlace",
      "info", "average-hue", "blindwatermark");

  private OssStyles() {}

  static Style parse(String style, boolean sync) throws Invalid {
    if (style.isEmpty()) {
      throw new Invalid("the process is empty");
    }
    for (int i = 0; i < style.length(); i++) {
      if (Character.isISOControl(style.charAt(i))) {
        throw new Invalid("the process holds a control character");
      }
    }
    String[] pipes = style.split("\\|", -1);
    String process = pipes[0];
    Optional<String> bucket = Optional.empty();
    Optional<String> key = Optional.empty();
    Optional<String> topic = Optional.empty();
    for (int i = 1; i < pipes.length; i++) {
      String seg = pipes[i];
      if (seg.startsWith("sys/saveas,") && key.isEmpty() && i == 1) {
        String[] parts = seg.substring("sys/".length()).split("/", -1);
        Map<String, String> p = params(parts[0].substring("saveas,".length()), "sys/saveas");
        if (!p.containsKey("o")) {
          throw new Invalid("sys/saveas needs o_<URL-safe Base64 of the object key>");
        }
        for (String name : p.keySet()) {
          if (!name.equals("o") && !name.equals("b")) {
            throw new Invalid("sys/saveas takes o_ and b_, not " + name + "_");
          }
        }
        key = Optional.of(b64(p.get("o"), "o"));
        if (p.containsKey("b")) {
          bucket = Optional.of(b64(p.get("b"), "b"));
        }
        for (int j = 1; j < parts.length; j++) {
          topic = Optional.of(notify(parts[j]));
        }
      } else if (seg.startsWith("sys/notify,") && topic.isEmpty()) {
        topic = Optional.of(notify(seg.substring("sys/".length())));
      } else {
        throw new Invalid("unexpected segment |" + seg + ": a style ends with |sys/saveas,... and/or notify");
      }
    }
    if (sync) {
      if (topic.isPresent()) {
        throw new Invalid("notify is only for x-oss-async-process");
      }
      if (!process.startsWith("image/")) {
        throw new Invalid("x-oss-process runs image/... styles here; use x-oss-async-process for " + process);
      }
      for (String step : process.substring("image/".length()).split("/", -1)) {
        String name = step.split(",", 2)[0];
        if (!IMAGE_ACTIONS.contains(name)) {
          throw new Invalid("unknown image action " + name);
        }
      }
      return new Style(process, "image", Map.of(), bucket, key, topic);
    }
    String[] segments = process.split("/", -1);
    if (segments.length < 2) {
      throw new Invalid("no action in " + process);
    }
    String head = segments[0] + "/" + segments[1];
    String action = head.split(",", 2)[0];
    Set<String> allowed = ASYNC.get(action);
    if (allowed == null) {
      throw new Invalid("the operation " + action + " is not supported by x-oss-async-process");
    }
    Map<String, String> p = params(head.contains(",") ? head.substring(head.indexOf(',') + 1) : "", action);
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new Invalid(action + " has no parameter " + e.getKey());
      }
      if (!TEXT.contains(e.getKey()) && !action.equals("image/deblindwatermark") && !e.getValue().matches("-?[0-9]+(\\.[0-9]+)?")) {
        throw new Invalid(action + " " + e.getKey() + "_ takes a number, was " + e.getValue());
      }
    }
    if (REQUIRES_F.contains(action) && !p.containsKey("f")) {
      throw new Invalid(action + " needs f_<format>");
    }
    if (action.equals("doc/convert")) {
      if (!p.containsKey("target")) {
        throw new Invalid("doc/convert needs target_<png|jpg|pdf|txt>");
      }
      if (p.containsKey("pages")) {
        b64(p.get("pages"), "pages");
      }
    }
    if (action.equals("image/deblindwatermark") && key.isPresent()) {
      throw new Invalid("image/deblindwatermark stores nothing: use |sys/notify,topic_..., not saveas");
    }
    for (int i = 2; i < segments.length; i++) {
      String seg = segments[i];
      if (!action.endsWith("/concat") || !(seg.startsWith("pre,") || seg.startsWith("sur,"))) {
        throw new Invalid("unexpected /" + seg + " in " + action);
      }
      Map<String, String> input = params(seg.substring(4), seg.substring(0, 3));
      if (!input.containsKey("o")) {
        throw new Invalid("/" + seg.substring(0, 3) + " needs o_<URL-safe Base64 of the input key>");
      }
      b64(input.get("o"), "o");
    }
    if (!action.equals("image/deblindwatermark") && key.isEmpty()) {
      throw new Invalid(action + " needs |sys/saveas,o_...,b_... to store its result");
    }
    return new Style(process, action, p, bucket, key, topic);
  }

  private static String notify(String seg) throws Invalid {
    if (!seg.startsWith("notify,")) {
      throw new Invalid("unexpected /" + seg + " after saveas");
    }
    Map<String, String> p = params(seg.substring("notify,".length()), "notify");
    if (!p.containsKey("topic") || p.size() != 1) {
      throw new Invalid("notify takes topic_<URL-safe Base64 of the topic name>");
    }
    return b64(p.get("topic"), "topic");
  }

  private static Map<String, String> params(String text, String where) throws Invalid {
    Map<String, String> p = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return p;
    }
    for (String pair : text.split(",", -1)) {
      int u = pair.indexOf('_');
      if (u <= 0 || u == pair.length() - 1) {
        throw new Invalid("malformed parameter '" + pair + "' in " + where + ": parameters are name_value");
      }
      if (p.put(pair.substring(0, u), pair.substring(u + 1)) != null) {
        throw new Invalid("parameter " + pair.substring(0, u) + "_ given twice in " + where);
      }
    }
    return p;
  }

  /** Decodes URL-safe Base64 (padding tolerated, as OSS does); the result must be text without control characters. */
  static String b64(String value, String name) throws Invalid {
    try {
      String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      if (text.isEmpty() || text.chars().anyMatch(Character::isISOControl)) {
        throw new Invalid(name + "_ decodes to an empty or control-character name");
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new Invalid(name + "_ is not URL-safe Base64: " + value);
    }
  }
}
