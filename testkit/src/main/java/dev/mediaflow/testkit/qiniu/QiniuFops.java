package dev.mediaflow.testkit.qiniu;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks a pfop {@code fops} value the way Qiniu reads it: {@code ;} between fops,
 * {@code |} between stages, {@code /name/value} parameters, URL-safe base64 where Qiniu wants it,
 * and a final {@code saveas/<EncodedEntryURI>}. What Qiniu would refuse raises {@link Invalid},
 * answered with 400. {@link #operation} reads a stage back into a Mediaflow operation. Stateless.
 */
public final class QiniuFops {
  /** A fop the server refuses, with the message for its {@code {"error": ...}} body. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /**
   * One parsed fop.
   *
   * @param cmd the whole command as submitted, saveas included
   * @param stages the {@code |}-separated stages, without the saveas stage
   * @param saveBucket where the result goes (the source bucket when the command names none)
   * @param saveKey the result's key, when the command has a saveas with a key
   * @param pattern the key pattern with {@code $(count)} of a multi-frame command (vsample), when
   *     present
   */
  public record Fop(
      String cmd,
      List<String> stages,
      Optional<String> saveBucket,
      Optional<String> saveKey,
      Optional<String> pattern) {}

  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern INT = Pattern.compile("\\d+");
  private static final Pattern BITRATE = Pattern.compile("\\d+(\\.\\d+)?[km]?");
  private static final Pattern SIZE = Pattern.compile("\\d*x\\d*");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]+");
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]*={0,2}");
  private static final Set<String> GRAVITY =
      Set.of(
          "NorthWest",
          "North",
          "NorthEast",
          "West",
          "Center",
          "East",
          "SouthWest",
          "South",
          "SouthEast");

  /**
   * avthumb parameters: name to kind (n number, i integer, b bitrate, s size, t token, 01 flag, 64
   * base64, g gravity).
   */
  private static final Map<String, String> AVTHUMB =
      Map.ofEntries(
          Map.entry("vcodec", "t"),
          Map.entry("acodec", "t"),
          Map.entry("vb", "b"),
          Map.entry("ab", "b"),
          Map.entry("aq", "i"),
          Map.entry("ar", "i"),
          Map.entry("r", "n"),
          Map.entry("s", "s"),
          Map.entry("autoscale", "01"),
          Map.entry("aspect", "t"),
          Map.entry("ss", "n"),
          Map.entry("t", "n"),
          Map.entry("stripmeta", "01"),
          Map.entry("rotate", "t"),
          Map.entry("an", "01"),
          Map.entry("vn", "01"),
          Map.entry("sn", "01"),
          Map.entry("gop", "i"),
          Map.entry("crf", "i"),
          Map.entry("segtime", "n"),
          Map.entry("wmImage", "64"),
          Map.entry("wmGravity", "g"),
          Map.entry("wmText", "64"),
          Map.entry("wmGravityText", "g"),
          Map.entry("wmFont", "64"),
          Map.entry("wmFontColor", "64"),
          Map.entry("wmFontSize", "i"),
          Map.entry("gifHighColor", "01"),
          Map.entry("maxrate", "b"));

  private static final Map<String, String> VFRAME =
      Map.of("offset", "n", "w", "i", "h", "i", "rotate", "t");
  private static final Map<String, String> VSAMPLE =
      Map.of("ss", "n", "t", "n", "s", "s", "rotate", "t", "interval", "n", "pattern", "64");
  private static final Map<String, String> IMAGEVIEW2 =
      Map.of("w", "i", "h", "i", "format", "t", "interlace", "01", "q", "t", "ignore-error", "01");
  private static final Map<String, String> IMAGEMOGR2 =
      Map.of(
          "thumbnail",
          "t",
          "gravity",
          "g",
          "crop",
          "t",
          "rotate",
          "i",
          "format",
          "t",
          "blur",
          "t",
          "interlace",
          "01",
          "quality",
          "t",
          "size-limit",
          "t");
  private static final Map<String, String> WATERMARK =
      Map.of(
          "image",
          "64",
          "text",
          "64",
          "font",
          "64",
          "fontsize",
          "i",
          "fill",
          "64",
          "dissolve",
          "i",
          "gravity",
          "g",
          "dx",
          "i",
          "dy",
          "i",
          "ws",
          "n");
  private static final Map<String, String> AVCONCAT =
      Map.of("format", "t", "s", "s", "index", "i", "addAudio", "01", "maxrate", "b");

  private QiniuFops() {}

  /**
   * Parses a pfop {@code fops} value ({@code ;}-separated fops) on an object of {@code
   * sourceBucket}.
   *
   * @throws Invalid for what Qiniu would refuse
   */
  public static List<Fop> parse(String fops, String sourceBucket) throws Invalid {
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
          throw new Invalid(
              "invalid saveas: the entry must be <bucket>:<key>, was \"" + entry + "\"");
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
    return new Fop(
        cmd,
        stages,
        Optional.ofNullable(saveBucket == null ? sourceBucket : saveBucket),
        Optional.ofNullable(saveKey),
        Optional.ofNullable(pattern));
  }

  /** Checks one stage; returns the decoded vsample pattern, if any. */
  private static String stage(String stage) throws Invalid {
    String[] s = stage.split("/", -1);
    String command = s[0];
    switch (command) {
      case "avinfo", "imageInfo" -> {
        if (s.length != 1) {
          throw new Invalid("invalid " + command + ": it takes no parameters");
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

  private static Map<String, String> pairs(
      String[] s, int from, Map<String, String> allowed, String command) throws Invalid {
    if ((s.length - from) % 2 != 0) {
      throw new Invalid(
          "invalid " + command + ": parameter \"" + s[s.length - 1] + "\" has no value");
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
    boolean ok =
        switch (kind) {
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

  /**
   * Reads one fop stage back into the operation it renders ({@code avthumb}, {@code vframe}, {@code
   * vsample}, {@code imageView2}, {@code imageMogr2} stretch, {@code watermark/1|2}, {@code
   * avconcat}, {@code yifangyun_preview}). Image URLs and concat inputs must be a fake server's
   * {@code /dl/<bucket>/<key>} URLs.
   *
   * @throws IllegalArgumentException for what has no operation here
   */
  public static Operation operation(String stage) {
    String[] s = stage.split("/", -1);
    Map<String, String> p = new LinkedHashMap<>();
    int from =
        switch (s[0]) {
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
          t.videoCodec(
              switch (p.get("vcodec")) {
                case "libx264" -> VideoCodec.H264;
                case "libx265" -> VideoCodec.H265;
                case "libvpx-vp9" -> VideoCodec.VP9;
                case "copy" -> VideoCodec.COPY;
                default ->
                    throw new IllegalArgumentException(
                        "vcodec " + p.get("vcodec") + " is not run locally");
              });
        }
        if (p.containsKey("acodec")) {
          t.audioCodec(
              switch (p.get("acodec")) {
                case "libfdk_aac", "aac" -> AudioCodec.AAC;
                case "libmp3lame" -> AudioCodec.MP3;
                case "libopus" -> AudioCodec.OPUS;
                case "libvorbis" -> AudioCodec.VORBIS;
                case "copy" -> AudioCodec.COPY;
                default ->
                    throw new IllegalArgumentException(
                        "acodec " + p.get("acodec") + " is not run locally");
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
        Duration length =
            seconds(p.get("t"))
                .orElseThrow(
                    () -> new IllegalArgumentException("vsample runs locally with t only"));
        f.at(start).every(interval, (int) Math.max(1, length.toMillis() / interval.toMillis()));
        size(p.get("s"), f::width, f::height);
        return f.build();
      }
      case "imageView2" -> {
        ImageResize.Builder r =
            ImageResize.builder().fit(s[1].equals("1") ? FitMode.CROP : FitMode.FIT);
        size(
            (p.containsKey("w") ? p.get("w") : "") + "x" + (p.containsKey("h") ? p.get("h") : ""),
            r::width,
            r::height);
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
          throw new IllegalArgumentException(
              "imageMogr2 runs locally with thumbnail/<W>x<H>! only");
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
        Watermark.Builder w =
            s[1].equals("1")
                ? Watermark.image(object(b64(p.get("image"))))
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
        w.offset(
            Integer.parseInt(p.getOrDefault("dx", "10")),
            Integer.parseInt(p.getOrDefault("dy", "10")));
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
        return Concat.builder()
            .inputs(inputs)
            .position(index == 1 ? ConcatPosition.AFTER : ConcatPosition.BEFORE)
            .encoding(t.build())
            .build();
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
      throw new IllegalArgumentException(
          "only this server's /dl/<bucket>/<key> URLs run locally, was " + url);
    }
    String rest =
        java.net.URLDecoder.decode(
            url.substring(at + 4).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    int slash = rest.indexOf('/');
    return MediaObject.of(rest.substring(0, slash), rest.substring(slash + 1));
  }

  private static String b64(String v) {
    try {
      return b64("value", v);
    } catch (Invalid e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static Optional<Duration> seconds(String v) {
    return v == null
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
  }

  private static long bitrate(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    double factor = s.endsWith("k") ? 1_000 : s.endsWith("m") ? 1_000_000 : 1;
    return Math.round(
        Double.parseDouble(factor == 1 ? s : s.substring(0, s.length() - 1)) * factor);
  }

  private static void size(
      String s, java.util.function.IntFunction<?> width, java.util.function.IntFunction<?> height) {
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
}
