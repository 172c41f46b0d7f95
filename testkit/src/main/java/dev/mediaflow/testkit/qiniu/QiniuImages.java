package dev.mediaflow.testkit.qiniu;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The image fops the fake applies with Java's ImageIO when the local provider is not there to run
 * them: {@code imageView2} modes 1 and 2, {@code imageMogr2/thumbnail} sizes, {@code format} (jpg,
 * png, gif, bmp) and quality, and {@code imageInfo}. What ImageIO cannot do raises {@link
 * QiniuFops.Invalid}, so the server answers an error, never the original. Stateless.
 */
final class QiniuImages {
  private QiniuImages() {}

  /** The MIME type of an image format token; {@code application/octet-stream} for others. */
  static String mimeType(String format) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      case "bmp" -> "image/bmp";
      case "tiff", "tif" -> "image/tiff";
      default -> "application/octet-stream";
    };
  }

  /**
   * Applies the image stages to {@code file}; returns the result's bytes in {@code format} (the
   * last format a stage asked for, else the source's).
   */
  static byte[] apply(Path file, List<String> stages, String format) throws QiniuFops.Invalid {
    BufferedImage image = read(file);
    Integer quality = null;
    for (String stage : stages) {
      String[] s = stage.split("/", -1);
      Map<String, String> p = new LinkedHashMap<>();
      switch (s[0]) {
        case "imageView2" -> {
          for (int i = 2; i + 1 < s.length; i += 2) {
            p.put(s[i], s[i + 1]);
          }
          int w = Integer.parseInt(p.getOrDefault("w", "0"));
          int h = Integer.parseInt(p.getOrDefault("h", "0"));
          switch (s[1]) {
            case "1" -> image = cover(image, w == 0 ? h : w, h == 0 ? w : h);
            case "2" -> image = inside(image, w, h, false);
            default -> throw unsupported("imageView2 mode " + s[1]);
          }
          if (p.containsKey("q")) {
            quality = Integer.parseInt(p.get("q").replace("!", ""));
          }
        }
        case "imageMogr2" -> {
          for (int i = 1; i < s.length; i++) {
            if (s[i].equals("auto-orient") || s[i].equals("strip")) {
              continue;
            }
            if (i + 1 < s.length) {
              p.put(s[i], s[++i]);
            }
          }
          String g = p.get("thumbnail");
          if (g != null) {
            image = thumbnail(image, g);
          }
          if (p.containsKey("crop") || p.containsKey("rotate") || p.containsKey("blur")) {
            throw unsupported("imageMogr2 crop, rotate and blur");
          }
          if (p.containsKey("quality")) {
            quality = Integer.parseInt(p.get("quality").replace("!", ""));
          }
        }
        default -> throw unsupported(s[0]);
      }
    }
    return write(image, format, quality);
  }

  /**
   * {@code imageInfo}: size, format, width, height, colour model and, for a JPEG with EXIF, its
   * orientation by name, as
   * https://developer.qiniu.com/dora/api/pictures-basic-information-imageinfo shows them.
   */
  static Map<String, Object> info(Path file) throws QiniuFops.Invalid, IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new QiniuFops.Invalid("imageInfo: the fake cannot read this image format");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", Files.size(file));
        m.put("format", format);
        m.put("width", reader.getWidth(0));
        m.put("height", reader.getHeight(0));
        m.put("colorModel", format.equals("jpeg") ? "ycbcr" : "nrgba");
        if (format.equals("gif")) {
          m.put("frameNumber", reader.getNumImages(true));
        }
        int orientation = format.equals("jpeg") ? exifOrientation(Files.readAllBytes(file)) : 0;
        if (orientation > 0) {
          m.put("orientation", ORIENTATIONS[orientation - 1]);
        }
        return m;
      } finally {
        reader.dispose();
      }
    }
  }

  /** EXIF orientation names, as Qiniu writes them (TIFF 6.0 tag 274 values 1 to 8). */
  private static final String[] ORIENTATIONS = {
    "Top-left", "Top-right", "Bottom-right", "Bottom-left",
    "Left-top", "Right-top", "Right-bottom", "Left-bottom"
  };

  /** The EXIF orientation (1 to 8) of a JPEG's APP1 segment, or 0 when it has none. */
  static int exifOrientation(byte[] jpeg) {
    int i = 2;
    while (i + 4 < jpeg.length && (jpeg[i] & 0xff) == 0xff) {
      int marker = jpeg[i + 1] & 0xff;
      int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
      if (marker == 0xe1
          && i + 10 < jpeg.length
          && new String(jpeg, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
              .equals("Exif")) {
        int tiff = i + 10;
        ByteBuffer b = ByteBuffer.wrap(jpeg);
        b.order(jpeg[tiff] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = tiff + b.getInt(tiff + 4);
        int entries = b.getShort(ifd) & 0xffff;
        for (int e = 0; e < entries; e++) {
          int at = ifd + 2 + e * 12;
          if (at + 12 > jpeg.length) {
            break;
          }
          if ((b.getShort(at) & 0xffff) == 274) {
            int v = b.getShort(at + 8) & 0xffff;
            return v >= 1 && v <= 8 ? v : 0;
          }
        }
        return 0;
      }
      if (marker == 0xda) {
        break;
      }
      i += 2 + length;
    }
    return 0;
  }

  private static BufferedImage read(Path file) throws QiniuFops.Invalid {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new QiniuFops.Invalid("the fake cannot decode this image without the local provider");
      }
      return image;
    } catch (IOException e) {
      throw new QiniuFops.Invalid("cannot read the image: " + e.getMessage());
    }
  }

  /** Scales to cover w x h, then crops the centre to w x h (imageView2 mode 1). */
  private static BufferedImage cover(BufferedImage src, int w, int h) {
    double scale = Math.max((double) w / src.getWidth(), (double) h / src.getHeight());
    int sw = Math.max(1, (int) Math.round(src.getWidth() * scale));
    int sh = Math.max(1, (int) Math.round(src.getHeight() * scale));
    BufferedImage scaled = scale(src, sw, sh);
    int cw = Math.min(w, sw);
    int ch = Math.min(h, sh);
    return scaled.getSubimage((sw - cw) / 2, (sh - ch) / 2, cw, ch);
  }

  /** Scales to fit inside w x h (0: unbounded), never up unless {@code enlarge}. */
  private static BufferedImage inside(BufferedImage src, int w, int h, boolean enlarge) {
    double sx = w == 0 ? Double.MAX_VALUE : (double) w / src.getWidth();
    double sy = h == 0 ? Double.MAX_VALUE : (double) h / src.getHeight();
    double scale = Math.min(sx, sy);
    if (!enlarge) {
      scale = Math.min(scale, 1);
    }
    return scale(
        src,
        Math.max(1, (int) Math.round(src.getWidth() * scale)),
        Math.max(1, (int) Math.round(src.getHeight() * scale)));
  }

  /** imageMogr2 thumbnail geometries: {@code WxH!}, {@code Wx}, {@code xH}, {@code WxH}. */
  private static BufferedImage thumbnail(BufferedImage src, String g) throws QiniuFops.Invalid {
    if (g.matches("\\d+x\\d+!")) {
      String[] wh = g.substring(0, g.length() - 1).split("x");
      return scale(src, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    }
    if (g.matches("\\d*x\\d*") && !g.equals("x")) {
      String[] wh = g.split("x", -1);
      int w = wh[0].isEmpty() ? 0 : Integer.parseInt(wh[0]);
      int h = wh[1].isEmpty() ? 0 : Integer.parseInt(wh[1]);
      return inside(src, w, h, true);
    }
    throw unsupported("imageMogr2 thumbnail " + g);
  }

  private static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage out =
        new BufferedImage(
            w,
            h,
            src.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static byte[] write(BufferedImage image, String format, Integer quality)
      throws QiniuFops.Invalid {
    String name =
        switch (format) {
          case "jpg", "jpeg" -> "jpeg";
          case "png", "gif", "bmp" -> format;
          default -> throw unsupported("format " + format);
        };
    BufferedImage out = image;
    if (!name.equals("png") && image.getColorModel().hasAlpha()) {
      out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
      g.dispose();
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageWriter writer = ImageIO.getImageWritersByFormatName(name).next();
      try (ImageOutputStream o = ImageIO.createImageOutputStream(bytes)) {
        writer.setOutput(o);
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (name.equals("jpeg")) {
          param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionQuality((quality == null ? 75 : quality) / 100f);
        }
        writer.write(null, new IIOImage(out, null, null), param);
      } finally {
        writer.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new QiniuFops.Invalid("cannot write the image: " + e.getMessage());
    }
  }

  private static QiniuFops.Invalid unsupported(String what) {
    return new QiniuFops.Invalid(
        what
            + " is not applied by the fake without the local provider; run it with a"
            + " LocalExecutor (mediaflow fake-server qiniu --execute local)");
  }
}
