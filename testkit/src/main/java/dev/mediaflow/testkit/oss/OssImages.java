package dev.mediaflow.testkit.oss;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The fake OSS's image processing with Java's own ImageIO and 2D graphics: {@code image/resize}
 * ({@code m_lfit|mfit|fill|pad|fixed}, {@code w_}, {@code h_}, {@code l_}, {@code s_}, {@code p_},
 * {@code limit_}, {@code color_}), {@code format} (jpg, png, bmp, gif, tiff), {@code quality}
 * ({@code q_}/{@code Q_}, for JPEG), {@code watermark} (text or an image from the same bucket, with
 * {@code g_}, {@code x_}, {@code y_}, {@code t_}, {@code size_}, {@code color_}) and {@code info}.
 * Parameters follow https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4 and
 * https://help.aliyun.com/en/oss/user-guide/add-watermarks. What ImageIO cannot do (WebP, AVIF,
 * HEIC, other actions) throws {@link Unsupported}, which the server answers with OSS's error, never
 * with the original. Stateless.
 */
final class OssImages {
  /** What this fake cannot apply; its message names the action. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }

  /** A processed image: its bytes and {@code Content-Type}. */
  record Result(byte[] bytes, String contentType) {}

  private OssImages() {}

  /**
   * Applies an {@code image/...} chain (without the {@code image/} prefix) to {@code source}.
   *
   * @param objects reads another object of the bucket (watermark images), or null when missing
   * @throws OssStyles.Invalid for a malformed chain
   */
  static Result apply(byte[] source, String chain, Function<String, byte[]> objects)
      throws OssStyles.Invalid, Unsupported, IOException {
    Decoded d = decode(source);
    if (d == null) {
      throw new OssStyles.Invalid("The image format is not supported: the source is not an image.");
    }
    BufferedImage img = d.image;
    String format = d.format;
    Integer quality = null;
    for (String step : chain.split("/", -1)) {
      String[] parts = step.split(",", -1);
      String action = parts[0];
      Map<String, String> p = new LinkedHashMap<>();
      for (int i = 1; i < parts.length; i++) {
        int u = parts[i].indexOf('_');
        if (u <= 0 && !action.equals("format") && !action.equals("rotate")) {
          throw new OssStyles.Invalid("malformed parameter '" + parts[i] + "' in " + action);
        }
        if (u > 0) {
          p.put(parts[i].substring(0, u), parts[i].substring(u + 1));
        } else {
          p.put("", parts[i]);
        }
      }
      switch (action) {
        case "resize" -> img = resize(img, p);
        case "format" -> {
          String f = p.getOrDefault("", "").toLowerCase(Locale.ROOT);
          format =
              switch (f) {
                case "jpg", "jpeg" -> "jpg";
                case "png", "bmp", "gif", "tiff" -> f;
                case "webp", "avif", "heic" ->
                    throw new Unsupported(
                        "image/format," + f + " needs an encoder Java's ImageIO lacks");
                default -> throw new OssStyles.Invalid("image/format: unknown format " + f);
              };
        }
        case "quality" -> {
          String q = p.containsKey("q") ? p.get("q") : p.get("Q");
          quality = number(q, "quality", 1, 100);
        }
        case "watermark" -> img = watermark(img, p, objects);
        default -> throw new Unsupported("image/" + action + " is not applied by the fake OSS");
      }
    }
    return new Result(encode(img, format, quality), contentType(format));
  }

  /** The {@code image/info} answer: every value a string wrapped as {@code {"value": "..."}}. */
  static Map<String, Object> info(byte[] source) throws OssStyles.Invalid, IOException {
    Decoded d = decode(source);
    if (d == null) {
      throw new OssStyles.Invalid("The image format is not supported: the source is not an image.");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("FileSize", Map.of("value", String.valueOf(source.length)));
    m.put("Format", Map.of("value", d.format));
    m.put("FrameCount", Map.of("value", "1"));
    m.put("ImageHeight", Map.of("value", String.valueOf(d.image.getHeight())));
    m.put("ImageWidth", Map.of("value", String.valueOf(d.image.getWidth())));
    int orientation = d.format.equals("jpg") ? Exif.orientation(source) : 0;
    if (orientation > 0) {
      m.put("Orientation", Map.of("value", String.valueOf(orientation)));
    }
    return m;
  }

  static String contentType(String format) {
    return switch (format) {
      case "jpg" -> "image/jpeg";
      case "png" -> "image/png";
      case "bmp" -> "image/bmp";
      case "gif" -> "image/gif";
      case "tiff" -> "image/tiff";
      default -> "application/octet-stream";
    };
  }

  private record Decoded(BufferedImage image, String format) {}

  private static Decoded decode(byte[] source) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        String name = reader.getFormatName().toLowerCase(Locale.ROOT);
        String format =
            switch (name) {
              case "jpeg", "jpg" -> "jpg";
              case "tif" -> "tiff";
              default -> name;
            };
        return new Decoded(reader.read(0), format);
      } finally {
        reader.dispose();
      }
    }
  }

  private static byte[] encode(BufferedImage img, String format, Integer quality)
      throws IOException {
    BufferedImage out = img;
    if ((format.equals("jpg") || format.equals("bmp")) && img.getColorModel().hasAlpha()) {
      out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.drawImage(img, 0, 0, null);
      g.dispose();
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(o);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpg") && quality != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(out, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  // ---- resize

  private static BufferedImage resize(BufferedImage img, Map<String, String> p)
      throws OssStyles.Invalid {
    int sw = img.getWidth();
    int sh = img.getHeight();
    String m = p.getOrDefault("m", "lfit");
    boolean limit = !"0".equals(p.getOrDefault("limit", "1"));
    int w = p.containsKey("w") ? number(p.get("w"), "resize w", 1, 16384) : 0;
    int h = p.containsKey("h") ? number(p.get("h"), "resize h", 1, 16384) : 0;
    if (p.containsKey("l") || p.containsKey("s")) {
      int l = p.containsKey("l") ? number(p.get("l"), "resize l", 1, 16384) : 0;
      int s = p.containsKey("s") ? number(p.get("s"), "resize s", 1, 16384) : 0;
      if (sw >= sh) {
        w = l > 0 ? l : w;
        h = s > 0 ? s : h;
      } else {
        h = l > 0 ? l : h;
        w = s > 0 ? s : w;
      }
    }
    if (p.containsKey("p")) {
      int pct = number(p.get("p"), "resize p", 1, 1000);
      w = Math.max(1, Math.round(sw * pct / 100f));
      h = Math.max(1, Math.round(sh * pct / 100f));
      m = "fixed";
      limit = false;
    }
    if (w == 0 && h == 0) {
      throw new OssStyles.Invalid("image/resize needs w_, h_, l_, s_ or p_");
    }
    if (!m.matches("lfit|mfit|fill|pad|fixed")) {
      throw new OssStyles.Invalid("The value of parameter m is invalid: " + m);
    }
    double rw = w == 0 ? Double.NaN : (double) w / sw;
    double rh = h == 0 ? Double.NaN : (double) h / sh;
    double scale =
        Double.isNaN(rw)
            ? rh
            : Double.isNaN(rh)
                ? rw
                : m.equals("lfit") || m.equals("pad") ? Math.min(rw, rh) : Math.max(rw, rh);
    if (limit && scale > 1 && !m.equals("fixed")) {
      return img; // OSS does not enlarge unless limit_0
    }
    int fw = Math.max(1, (int) Math.round(sw * scale));
    int fh = Math.max(1, (int) Math.round(sh * scale));
    switch (m) {
      case "fixed" -> {
        return scaled(img, w == 0 ? fw : w, h == 0 ? fh : h);
      }
      case "fill" -> {
        if (w == 0 || h == 0) {
          return scaled(img, fw, fh);
        }
        BufferedImage s = scaled(img, fw, fh);
        return s.getSubimage((fw - w) / 2, (fh - h) / 2, w, h);
      }
      case "pad" -> {
        if (w == 0 || h == 0) {
          return scaled(img, fw, fh);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(color(p.getOrDefault("color", "FFFFFF")));
        g.fillRect(0, 0, w, h);
        g.drawImage(scaled(img, fw, fh), (w - fw) / 2, (h - fh) / 2, null);
        g.dispose();
        return out;
      }
      default -> {
        return scaled(img, fw, fh);
      }
    }
  }

  private static BufferedImage scaled(BufferedImage img, int w, int h) {
    int type =
        img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage out = new BufferedImage(w, h, type);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  // ---- watermark

  private static BufferedImage watermark(
      BufferedImage img, Map<String, String> p, Function<String, byte[]> objects)
      throws OssStyles.Invalid, IOException {
    int x = p.containsKey("x") ? number(p.get("x"), "watermark x", 0, 4096) : 10;
    int y = p.containsKey("y") ? number(p.get("y"), "watermark y", 0, 4096) : 10;
    int t = p.containsKey("t") ? number(p.get("t"), "watermark t", 0, 100) : 100;
    String g = p.getOrDefault("g", "se");
    if (!g.matches("nw|north|ne|west|center|east|sw|south|se")) {
      throw new OssStyles.Invalid("The value of parameter g is invalid: " + g);
    }
    BufferedImage out =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_ARGB);
    Graphics2D gr = out.createGraphics();
    gr.drawImage(img, 0, 0, null);
    gr.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, t / 100f));
    if (p.containsKey("image")) {
      String key = OssStyles.b64(p.get("image"), "image");
      byte[] mark = objects.apply(key);
      Decoded d = mark == null ? null : decode(mark);
      if (d == null) {
        throw new OssStyles.Invalid(
            "The watermark image " + key + " does not exist or is no image.");
      }
      int[] at = place(g, x, y, img, d.image.getWidth(), d.image.getHeight());
      gr.drawImage(d.image, at[0], at[1], null);
    } else if (p.containsKey("text")) {
      String text = OssStyles.b64(p.get("text"), "text");
      int size = p.containsKey("size") ? number(p.get("size"), "watermark size", 1, 1000) : 40;
      gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
      gr.setColor(color(p.getOrDefault("color", "000000")));
      gr.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      FontMetrics fm = gr.getFontMetrics();
      int[] at = place(g, x, y, img, fm.stringWidth(text), fm.getHeight());
      gr.drawString(text, at[0], at[1] + fm.getAscent());
    } else {
      gr.dispose();
      throw new OssStyles.Invalid("image/watermark needs text_ or image_");
    }
    gr.dispose();
    return out;
  }

  /** The top-left corner of a {@code w}×{@code h} mark at gravity {@code g} with margins. */
  private static int[] place(String g, int x, int y, BufferedImage img, int w, int h) {
    int left =
        switch (g) {
          case "nw", "west", "sw" -> x;
          case "ne", "east", "se" -> img.getWidth() - w - x;
          default -> (img.getWidth() - w) / 2;
        };
    int top =
        switch (g) {
          case "nw", "north", "ne" -> y;
          case "sw", "south", "se" -> img.getHeight() - h - y;
          default -> (img.getHeight() - h) / 2;
        };
    return new int[] {left, top};
  }

  private static Color color(String hex) throws OssStyles.Invalid {
    if (!hex.matches("[0-9A-Fa-f]{6}")) {
      throw new OssStyles.Invalid("The value of parameter color is invalid: " + hex);
    }
    return new Color(Integer.parseInt(hex, 16));
  }

  private static int number(String v, String name, int min, int max) throws OssStyles.Invalid {
    try {
      int n = Integer.parseInt(v == null ? "" : v);
      if (n < min || n > max) {
        throw new OssStyles.Invalid(
            "The value of parameter " + name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new OssStyles.Invalid("The value of parameter " + name + " is not a number: " + v);
    }
  }

  /** The EXIF orientation of a JPEG (APP1 {@code Exif} IFD0 tag 0x0112), or 0 when absent. */
  static final class Exif {
    private Exif() {}

    static int orientation(byte[] jpeg) {
      int i = 2;
      while (i + 4 < jpeg.length && (jpeg[i] & 0xff) == 0xff) {
        int marker = jpeg[i + 1] & 0xff;
        int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
        if (marker == 0xe1
            && i + 10 < jpeg.length
            && new String(jpeg, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
                .equals("Exif")) {
          return ifd0(jpeg, i + 10, Math.min(jpeg.length, i + 2 + len));
        }
        if (marker == 0xda) {
          break;
        }
        i += 2 + len;
      }
      return 0;
    }

    private static int ifd0(byte[] b, int tiff, int end) {
      if (tiff + 8 > end) {
        return 0;
      }
      boolean little = b[tiff] == 'I';
      int ifd = tiff + read(b, tiff + 4, 4, little);
      if (ifd + 2 > end) {
        return 0;
      }
      int n = read(b, ifd, 2, little);
      for (int e = 0; e < n && ifd + 2 + e * 12 + 12 <= end; e++) {
        int at = ifd + 2 + e * 12;
        if (read(b, at, 2, little) == 0x0112) {
          return read(b, at + 8, 2, little);
        }
      }
      return 0;
    }

    private static int read(byte[] b, int at, int n, boolean little) {
      int v = 0;
      for (int k = 0; k < n; k++) {
        int byteAt = little ? at + n - 1 - k : at + k;
        v = (v << 8) | (b[byteAt] & 0xff);
      }
      return v;
    }
  }
}
