package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks a pfop {@code fops} value the way Qiniu reads it: {@code ;} between fops, {@code |} between
 * stages, {@code /name/value} parameters, URL-safe base64 where Qiniu wants it, and a final
 * {@code saveas/<EncodedEntryURI>}. What Qiniu would refuse raises {@link Invalid}, answered with 400.
 */
final class QiniuFops {
  /** A fop the server refuses, with the message for its {@code {"error": ...}} body. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** One parsed fop. */
  record Fop(String cmd, List<String> stages, Optional<String> saveBucket, Optional<String> saveKey, Optional<String> pattern) {}

  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern INT = Pattern.compile("\\d+");
  private static final Pattern BITRATE = Pattern.compile("\\d+(\\.\\d+)?[km]?");
  private static final Pattern SIZE = Pattern.compile("\\d*x\\d*");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]+");
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]*={0,2}");
  private static final Set<String> GRAVITY = Set.of("NorthWest", "North", "NorthEast", "West", "Center", "East",
      "SouthWest", "South", "SouthEast");

  /** avthumb parameters: name to kind (n number, i integer, b bitrate, s size, t token, 01 flag, 64 base64, g gravity). */
  private static final Map<String, String> AVTHUMB = Map.ofEntries(Map.entry("vcodec", "t"), Map.entry("acodec", "t"),
      Map.entry("vb", "b"), Map.entry("ab", "b"), Map.entry("aq", "i"), Map.entry("ar", "i"), Map.entry("r", "n"),
      Map.entry("s", "s"), Map.entry("autoscale", "01"), Map.entry("aspect", "t"), Map.entry("ss", "n"),
      Map.entry("t", "n"), Map.entry("stripmeta", "01"), Map.entry("rotate", "t"), Map.entry("an", "01"),
      Map.entry("vn", "01"), Map.entry("sn", "01"), Map.entry("gop", "i"), Map.entry("crf", "i"),
      Map.entry("segtime", "n"), Map.entry("wmImage", "64"), Map.entry("wmGravity", "g"), Map.entry("wmText", "64"),
      Map.entry("wmGravityText", "g"), Map.entry("wmFont", "64"), Map.entry("wmFontColor", "64"),
      Map.entry("wmFontSize", "i"), Map.entry("gifHighColor", "01"), Map.entry("maxrate", "b"));
  private static final Map<String, String> VFRAME = Map.of("offset", "n", "w", "i", "h", "i", "rotate", "t");
  private static final Map<String, String> VSAMPLE = Map.of("ss", "n", "t", "n", "s", "s", "rotate", "t",
      "interval", "n", "pattern", "64");
  private static final Map<String, String> IMAGEVIEW2 = Map.of("w", "i", "h", "i", "format", "t", "interlace", "01",
      "q", "t", "ignore-error", "01");
  private static final Map<String, String> IMAGEMOGR2 = Map.of("thumbnail", "t", "gravity", "g", "crop", "t",
      "rotate", "i", "format", "t", "blur", "t", "interlace", "01", "quality", "t", "size-limit", "t");
  private static final Map<String, String> WATERMARK = Map.of("image", "64", "text", "64", "font", "64",
      "fontsize", "i", "fill", "64", "dissolve", "i", "gravity", "g", "dx", "i", "dy", "i", "ws", "n");
  private static final Map<String, String> AVCONCAT = Map.of("format", "t", "s", "s", "index", "i", "addAudio", "01",
      "maxrate", "b");

  private QiniuFops() {}

  static List<Fop> parse(String fops, String sourceBucket) throws Invalid {
    if (fops == null || fops.isEmpty()) {
      throw new Invalid("fops is empty");
    }
    List<Fop> out = new ArrayList<>();
    for (String cmd : fops.split(";", -1)) {
      out.add(fop(cmd, sourceBucket));
    }
    return out;
  }

  private static Fop fop(String cmd, String sourceBucket) throws Invalid {
    if (cmd.isEmpty()) {
      throw new Invalid("invalid fops: empty command between ';'");
    }
    for (char c : cmd.toCharArray()) {
      if (c < 0x20 || c == 0x7f || c == ' ') {
        throw new Invalid("invalid fops: a command contains whitespace or a control character");
      }
    }
    String[] parts = cmd.split("\\|", -1);
    List<String> stages = new ArrayList<>();
    String saveBucket = null;
    String saveKey = null;
    String pattern = null;
    for (int i = 0; i < parts.length; i++) {
      String stage = parts[i];
      if (stage.startsWith("saveas/")) {
        if (i != parts.length - 1) {
          throw new Invalid("invalid fops: saveas must be the last stage of " + cmd);
        }
        String[] s = stage.split("/", -1);
        String entry = b64("saveas", s[1]);
        int colon = entry.indexOf(':');
        saveBucket = colon < 0 ? entry : entry.substring(0, colon);
        saveKey = colon < 0 ? null : entry.substring(colon + 1);
        if (saveBucket.isEmpty() || (saveKey != null && saveKey.isEmpty())) {
          throw new Invalid("invalid saveas: the entry must be <bucket>:<key>, was \"" + entry + "\"");
        }
        if (s.length == 4 && s[2].equals("savePattern")) {
          pattern = b64("savePattern", s[3]);
        } else if (s.length != 2) {
          throw new Invalid("invalid saveas: " + stage);
        }
        continue;
      }
      if (stage.isEmpty()) {
        throw new Invalid("invalid fops: empty stage in " + cmd);
      }
      String p = stage(stage);
      if (p != null) {
        pattern = p;
      }
      stages.add(stage);
    }
    if (stages.isEmpty()) {
      throw new Invalid("invalid fops: no command before saveas");
    }
    if (pattern != null && !pattern.contains("$(count)")) {
      throw new Invalid("invalid pattern: it must contain $(count)");
    }
    return new Fop(cmd, stages, Optional.ofNullable(saveBucket == null ? sourceBucket : saveBucket),
        Optional.ofNullable(saveKey), Optional.ofNullable(pattern));
  }

  /** Checks one stage; returns the decoded vsample pattern, if any. */
  private static String stage(String stage) throws Invalid {
    String[] s = stage.split("/", -1);
    String command = s[0];
    switch (command) {
      case "avinfo" -> {
        if (s.length != 1) {
          throw new Invalid("invalid avinfo: it takes no parameters");
        }
        return null;
      }
      case "avthumb" -> {
        need(s, 2, "avthumb/<format>");
        token("format", s[1]);
        pairs(s, 2, AVTHUMB, command);
        return null;
      }
      case "vframe" -> {
        need(s, 2, "vframe/<jpg|png>/offset/<seconds>");
        oneOf("format", s[1], Set.of("jpg", "png"));
        Map<String, String> p = pairs(s, 2, VFRAME, command);
        if (!p.containsKey("offset")) {
          throw new Invalid("invalid vframe: offset is required");
        }
        return null;
      }
      case "vsample" -> {
        need(s, 2, "vsample/<jpg|png>/.../pattern/<b64>");
        oneOf("format", s[1], Set.of("jpg", "png"));
        Map<String, String> p = pairs(s, 2, VSAMPLE, command);
        if (!p.containsKey("pattern")) {
          throw new Invalid("invalid vsample: pattern is required");
        }
        return b64("pattern", p.get("pattern"));
      }
      case "imageView2" -> {
        need(s, 2, "imageView2/<mode>");
        oneOf("mode", s[1], Set.of("0", "1", "2", "3", "4", "5"));
        pairs(s, 2, IMAGEVIEW2, command);
        return null;
      }
      case "imageMogr2" -> {
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < s.length; i++) {
          if (s[i].equals("auto-orient") || s[i].equals("strip")) {
            continue;
          }
          rest.add(s[i]);
        }
        String[] r = new String[rest.size() + 1];
        r[0] = command;
        for (int i = 0; i < rest.size(); i++) {
          r[i + 1] = rest.get(i);
        }
        pairs(r, 1, IMAGEMOGR2, command);
        return null;
      }
      case "watermark" -> {
        need(s, 2, "watermark/<1|2>");
        oneOf("mode", s[1], Set.of("1", "2"));
        Map<String, String> p = pairs(s, 2, WATERMARK, command);
        if (s[1].equals("1") && !p.containsKey("image")) {
          throw new Invalid("invalid watermark/1: image is required");
        }
        if (s[1].equals("2") && !p.containsKey("text")) {
          throw new Invalid("invalid watermark/2: text is required");
        }
        return null;
      }
      case "avconcat" -> {
        need(s, 4, "avconcat/<mode>/format/<format>/<encodedUrl>...");
        oneOf("mode", s[1], Set.of("1", "2"));
        int i = 2;
        int inputs = 0;
        while (i < s.length) {
          if (AVCONCAT.containsKey(s[i]) && i + 1 < s.length) {
            value(command, s[i], AVCONCAT.get(s[i]), s[i + 1]);
            i += 2;
          } else {
            String url = b64("avconcat input", s[i]);
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
              throw new Invalid("invalid avconcat: an input must be a URL, was \"" + url + "\"");
            }
            inputs++;
            i++;
          }
        }
        if (inputs == 0 || inputs > 20) {
          throw new Invalid("invalid avconcat: 1 to 20 further inputs, was " + inputs);
        }
        return null;
      }
      case "yifangyun_preview" -> {
        for (int i = 1; i < s.length; i++) {
          if (i == 1 && s[i].equals("v2")) {
            continue;
          }
          if (!s[i].matches("(ext|action|format|page_number)=[A-Za-z0-9_]+")) {
            throw new Invalid("invalid yifangyun_preview parameter \"" + s[i] + "\"");
          }
        }
        return null;
      }
      default -> throw new Invalid("invalid fop: unknown command \"" + command + "\"");
    }
  }

  private static void need(String[] s, int n, String form) throws Invalid {
    if (s.length < n) {
      throw new Invalid("invalid " + s[0] + ": expected " + form);
    }
  }

  private static Map<String, String> pairs(String[] s, int from, Map<String, String> allowed, String command) throws Invalid {
    if ((s.length - from) % 2 != 0) {
      throw new Invalid("invalid " + command + ": parameter \"" + s[s.length - 1] + "\" has no value");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = from; i < s.length; i += 2) {
      String kind = allowed.get(s[i]);
      if (kind == null) {
        throw new Invalid("invalid " + command + ": unknown parameter \"" + s[i] + "\"");
      }
      if (out.put(s[i], s[i + 1]) != null) {
        throw new Invalid("invalid " + command + ": parameter \"" + s[i] + "\" given twice");
      }
      value(command, s[i], kind, s[i + 1]);
    }
    return out;
  }

  private static void value(String command, String name, String kind, String v) throws Invalid {
    boolean ok = switch (kind) {
      case "n" -> NUMBER.matcher(v).matches();
      case "i" -> INT.matcher(v).matches();
      case "b" -> BITRATE.matcher(v).matches();
      case "s" -> SIZE.matcher(v).matches() && !v.equals("x");
      case "01" -> v.equals("0") || v.equals("1");
      case "g" -> GRAVITY.contains(v);
      case "64" -> {
        b64(name, v);
        yield true;
      }
      default -> TOKEN.matcher(v).matches() || v.matches("[0-9a-z!x<>@.]+");
    };
    if (!ok) {
      throw new Invalid("invalid " + command + ": bad value \"" + v + "\" for " + name);
    }
  }

  private static void token(String name, String v) throws Invalid {
    if (!TOKEN.matcher(v).matches()) {
      throw new Invalid("invalid " + name + " \"" + v + "\"");
    }
  }

  private static void oneOf(String name, String v, Set<String> allowed) throws Invalid {
    if (!allowed.contains(v)) {
      throw new Invalid("invalid " + name + " \"" + v + "\": use one of " + allowed);
    }
  }

  /** Decodes Qiniu's URL-safe base64 (padding kept, as its SDKs write it). */
  static String b64(String name, String v) throws Invalid {
    if (v.isEmpty() || !B64.matcher(v).matches() || v.length() % 4 != 0) {
      throw new Invalid("invalid " + name + ": not URL-safe base64 with padding: \"" + v + "\"");
    }
    try {
      return new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Invalid("invalid " + name + ": " + e.getMessage());
    }
  }
}
