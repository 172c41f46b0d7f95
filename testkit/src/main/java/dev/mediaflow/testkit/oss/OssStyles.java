package dev.mediaflow.testkit.oss;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * Reads an OSS processing style the way the fake server checks it: the action and its {@code k_v}
 * parameters, then the {@code |sys/saveas,b_..,o_..} target and the {@code /notify,topic_..} or
 * {@code |sys/notify,topic_..} topic, names in URL-safe Base64 (see
 * https://www.alibabacloud.com/help/en/oss/user-guide/asynchronous-processing and
 * https://www.alibabacloud.com/help/en/oss/user-guide/sys-or-saveas). What OSS would refuse
 * (unknown action or parameter, a missing required parameter, a value that is not a number, bad
 * Base64, saveas on an action that saves nothing) throws {@link Invalid}. {@link #operation} reads
 * a style's processing part back into a Mediaflow operation. Stateless.
 */
public final class OssStyles {
  /**
   * A parsed style.
   *
   * @param process the processing part, without the {@code |sys/...} segments
   * @param action the action ({@code video/convert}; {@code image} for a synchronous image chain)
   * @param params the action's {@code k_v} parameters, in order
   * @param saveBucket the saveas bucket, when named
   * @param saveKey the saveas key, when there is a saveas
   * @param topic the notification topic, when named
   */
  public record Style(
      String process,
      String action,
      Map<String, String> params,
      Optional<String> saveBucket,
      Optional<String> saveKey,
      Optional<String> topic) {}

  /** A style OSS would refuse, with OSS's kind of message. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private static final Set<String> CONVERT =
      Set.of(
          "ss",
          "t",
          "f",
          "vn",
          "vcodec",
          "fps",
          "fpsopt",
          "pixfmt",
          "s",
          "sopt",
          "scaletype",
          "arotate",
          "g",
          "vb",
          "vbopt",
          "crf",
          "maxrate",
          "bufsize",
          "an",
          "acodec",
          "ar",
          "ac",
          "aq",
          "ab",
          "abopt",
          "sn",
          "adepth",
          "align");
  private static final Map<String, Set<String>> ASYNC =
      Map.of(
          "video/convert", CONVERT,
          "video/concat", CONVERT,
          "video/snapshots",
              Set.of("ss", "f", "m", "num", "inter", "w", "h", "pw", "ph", "scaletype", "thr"),
          "video/animation",
              Set.of("ss", "f", "num", "inter", "fps", "w", "h", "pw", "ph", "scaletype"),
          "video/sprite",
              Set.of(
                  "ss",
                  "f",
                  "m",
                  "thr",
                  "num",
                  "inter",
                  "sw",
                  "sh",
                  "psw",
                  "psh",
                  "scaletype",
                  "tw",
                  "th",
                  "pad",
                  "margin",
                  "color"),
          "audio/convert", Set.of("ss", "t", "f", "ar", "ac", "aq", "ab", "abopt", "adepth"),
          "audio/concat",
              Set.of("ss", "t", "f", "ar", "ac", "aq", "ab", "abopt", "align", "adepth"),
          "doc/convert", Set.of("target", "source", "pages"),
          "image/deblindwatermark", Set.of("s", "t"));
  private static final Set<String> REQUIRES_F =
      Set.of(
          "video/convert",
          "video/concat",
          "video/snapshots",
          "video/animation",
          "video/sprite",
          "audio/convert",
          "audio/concat");
  private static final Set<String> TEXT =
      Set.of(
          "f",
          "vcodec",
          "acodec",
          "pixfmt",
          "s",
          "scaletype",
          "m",
          "target",
          "source",
          "pages",
          "color",
          "o");
  private static final Set<String> IMAGE_ACTIONS =
      Set.of(
          "resize",
          "format",
          "quality",
          "watermark",
          "crop",
          "rotate",
          "auto-orient",
          "circle",
          "indexcrop",
          "rounded-corners",
          "blur",
          "bright",
          "contrast",
          "sharpen",
          "interlace",
          "info",
          "average-hue",
          "blindwatermark");

  private OssStyles() {}

  /**
   * Parses {@code style} as the body of {@code x-oss-async-process} or, with {@code sync}, of
   * {@code x-oss-process}.
   *
   * @throws Invalid for what OSS would refuse
   */
  public static Style parse(String style, boolean sync) throws Invalid {
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
        throw new Invalid(
            "unexpected segment |" + seg + ": a style ends with |sys/saveas,... and/or notify");
      }
    }
    if (sync) {
      if (topic.isPresent()) {
        throw new Invalid("notify is only for x-oss-async-process");
      }
      if (!process.startsWith("image/")) {
        throw new Invalid(
            "x-oss-process runs image/... styles here; use x-oss-async-process for " + process);
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
    Map<String, String> p =
        params(head.contains(",") ? head.substring(head.indexOf(',') + 1) : "", action);
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new Invalid(action + " has no parameter " + e.getKey());
      }
      if (!TEXT.contains(e.getKey())
          && !action.equals("image/deblindwatermark")
          && !e.getValue().matches("-?[0-9]+(\\.[0-9]+)?")) {
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
      throw new Invalid(
          "image/deblindwatermark stores nothing: use |sys/notify,topic_..., not saveas");
    }
    for (int i = 2; i < segments.length; i++) {
      String seg = segments[i];
      if (!action.endsWith("/concat") || !(seg.startsWith("pre,") || seg.startsWith("sur,"))) {
        throw new Invalid("unexpected /" + seg + " in " + action);
      }
      Map<String, String> input = params(seg.substring(4), seg.substring(0, 3));
      if (!input.containsKey("o")) {
        throw new Invalid(
            "/" + seg.substring(0, 3) + " needs o_<URL-safe Base64 of the input key>");
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
        throw new Invalid(
            "malformed parameter '" + pair + "' in " + where + ": parameters are name_value");
      }
      if (p.put(pair.substring(0, u), pair.substring(u + 1)) != null) {
        throw new Invalid("parameter " + pair.substring(0, u) + "_ given twice in " + where);
      }
    }
    return p;
  }

  /**
   * Decodes URL-safe Base64 (padding tolerated, as OSS does); the result must be text without
   * control characters. A value with {@code +} and neither {@code -} nor {@code _} is standard
   * Base64, which the Java SDK's samples and its integration test {@code ImageProcessTest} write
   * ({@code docs/vendor-notes.md}, "OSS processing styles"): accepted, since nothing shows OSS
   * refusing it. A standard {@code /} cannot reach here: it ends the parameter.
   */
  static String b64(String value, String name) throws Invalid {
    try {
      boolean standard =
          value.indexOf('+') >= 0 && value.indexOf('-') < 0 && value.indexOf('_') < 0;
      Base64.Decoder decoder = standard ? Base64.getDecoder() : Base64.getUrlDecoder();
      String text = new String(decoder.decode(value), StandardCharsets.UTF_8);
      if (text.isEmpty() || text.chars().anyMatch(Character::isISOControl)) {
        throw new Invalid(name + "_ decodes to an empty or control-character name");
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new Invalid(name + "_ is not URL-safe Base64: " + value);
    }
  }

  /**
   * Reads a style's processing part back into the operation it renders ({@code video/convert},
   * {@code audio/convert}, {@code video/snapshots}, {@code video/animation}, {@code doc/convert},
   * and {@code image/resize} with {@code format} and {@code quality}).
   *
   * @throws IllegalArgumentException for what has no operation here
   */
  public static Operation operation(String process) {
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
          t.videoCodec(
              switch (p.get("vcodec")) {
                case "h264" -> VideoCodec.H264;
                case "h265" -> VideoCodec.H265;
                case "vp9" -> VideoCodec.VP9;
                case "copy" -> VideoCodec.COPY;
                default -> throw new IllegalArgumentException("vcodec " + p.get("vcodec"));
              });
        }
        if (p.containsKey("acodec")) {
          t.audioCodec(
              switch (p.get("acodec")) {
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
        AudioTranscode.Builder a =
            AudioTranscode.builder()
                .format(AudioFormat.fromToken(p.get("f").equals("oga") ? "ogg" : p.get("f")));
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
          a.duration(
              Duration.ofMillis(
                  Math.round(
                      Long.parseLong(p.get("num")) * 1000 / Double.parseDouble(p.get("fps")))));
        }
        return a.build();
      }
      case "doc/convert" -> {
        DocumentConversion.Builder d =
            DocumentConversion.builder().to(DocumentTarget.fromToken(p.get("target")));
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
              case "m" ->
                  r.fit(
                      switch (kv[1]) {
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

  private static void number(Map<String, String> p, String name, DoubleConsumer set) {
    if (p.containsKey(name)) {
      set.accept(Double.parseDouble(p.get(name)));
    }
  }
}
