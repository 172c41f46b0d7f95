package dev.mediaflow.qiniu;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * Qiniu delivery URLs: {@code <domain>/<key>}, then a style ({@code <key><separator><name>}) or a
 * fop chain on the query ({@code ?imageView2/...|watermark/...}, {@code ?vframe/...}), then {@code
 * attname} for a download name, signed with a download token over the whole URL ({@code e} and
 * {@code token}, https://developer.qiniu.com/kodo/manual/1202) unless the bucket is public.
 *
 * <p>Every value the user supplies is percent-encoded as {@link QiniuSigner#encodePath} does (only
 * {@code A-Z a-z 0-9 - _ . ~ /} kept; the style and the download name keep no {@code /}), so a key
 * cannot end early, start a query or a fop, and a fop cannot add a parameter. Pure; thread-safe.
 */
final class QiniuUrls implements UrlSigner {
  static final String ID = QiniuFopRenderer.ID;

  /**
   * What Qiniu applies on a download URL: imageView2
   * (https://developer.qiniu.com/dora/api/basic-processing-images-imageview2), imageMogr2
   * (https://developer.qiniu.com/dora/api/1270/the-advanced-treatment-of-images-imagemogr2),
   * watermark (https://developer.qiniu.com/dora/1316/video-frame-operation) and vframe
   * (https://developer.qiniu.com/dora/api/video-frame-thumbnails-vframe); anything else is refused
   * before a URL is made.
   */
  static final Capabilities URL_CAPABILITIES =
      Capabilities.builder(ID)
          .operations(ImageResize.class, Watermark.class, Snapshot.class, RawOperation.class)
          .imageFormats(
              EnumSet.of(ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.GIF))
          .fitModes(EnumSet.of(FitMode.FIT, FitMode.CROP, FitMode.STRETCH))
          .build();

  private final QiniuSettings settings;
  private final QiniuSigner signer;
  private final QiniuFopRenderer renderer;

  QiniuUrls(QiniuSettings settings, QiniuSigner signer) {
    this.settings = settings;
    this.signer = signer;
    this.renderer = new QiniuFopRenderer(o -> settings.url(o, "watermark images"));
  }

  /**
   * What one options object adds after the key, the same for every object: the style, the fop chain
   * and {@code attname}, encoded.
   */
  private record Rendered(UrlOptions options, String suffix, boolean plain, boolean query) {}

  /** A bucket and its download base. */
  private record Base(String bucket, String base) {}

  /**
   * The last bucket's download base: URLs usually come from one bucket. Immutable, so the field
   * needs no lock.
   */
  private Base lastBase;

  /**
   * The last options rendered, by identity: an application usually reuses a few options objects (a
   * thumbnail, a download), whose rendering then is made once. Entries are immutable, so the slots
   * need no lock.
   */
  private final Rendered[] rendered = new Rendered[16];

  /**
   * The last options seen once: options are kept in {@link #rendered} when they come back, so
   * options made for one URL each cost no entry.
   */
  private final UrlOptions[] seen = new UrlOptions[16];

  /** The slot of {@link #rendered} or {@link #seen} the next entry takes, in turn. */
  private int next;

  @Override
  public SignedUrl url(MediaObject object, UrlOptions options) {
    // Found by scanning the few entries, not by identityHashCode: options made for one URL have no
    // identity hash yet, and making one costs a call into the VM.
    Rendered r = null;
    for (Rendered x : rendered) {
      if (x != null && x.options == options) {
        r = x;
        break;
      }
    }
    boolean reused = r != null;
    QiniuSigner.Scratch scratch = signer.scratch();
    StringBuilder fop = null;
    if (!reused) {
      if (options.contentType().isPresent()) {
        throw new UnsupportedMediaOperationException(
            ID,
            "url",
            "contentType",
            "Qiniu download URLs have no Content-Type override; the response carries the object's"
                + " stored MIME type (set it when uploading)");
      }
      fop = fops(options.steps(), scratch.fop());
    }
    String key = key(object);
    String base = base(object.bucket());
    StringBuilder url = scratch.url();
    url.append(base).append('/');
    appendPath(url, key);
    boolean plain;
    boolean query;
    if (reused) {
      url.append(r.suffix);
      plain = r.plain;
      query = r.query;
    } else {
      // What the options add after the key, written straight into the URL.
      int start = url.length();
      if (options.style().isPresent()) {
        url.append(style(options.style().get()));
      }
      // Everything written here is percent-encoded, so the URL stays plain
      // (QiniuSigner.plainSuffix)
      // unless the fop, the query's first parameter, needed encoding (a '%' in its name) or is
      // named e or token.
      plain = true;
      query = false;
      if (fop != null) {
        plain =
            QiniuSigner.appendPath(url.append('?'), fop)
                && !"e".contentEquals(fop)
                && !"token".contentEquals(fop);
        query = true;
      }
      if (options.downloadName().isPresent()) {
        url.append(query ? '&' : '?')
            .append("attname=")
            .append(component(options.downloadName().get()));
        query = true;
      }
      assert plain == QiniuSigner.plainSuffix(url, start) : url;
      boolean again = false;
      for (UrlOptions x : seen) {
        if (x == options) {
          again = true;
          break;
        }
      }
      int slot = next++ & (rendered.length - 1); // oldest first; a lost update only moves a slot
      if (again) {
        rendered[slot] = new Rendered(options, url.substring(start), plain, query);
      } else {
        seen[slot] = options;
      }
    }
    if (options.isUnsigned() || settings.publicBuckets().contains(object.bucket())) {
      return SignedUrl.unsigned(url.toString());
    }
    long deadline = signer.deadline(options.expiry());
    // A base HttpUrl accepted, an encoded key and a checked suffix: nothing left to check.
    String signed =
        plain && signer.knownBase(base)
            ? signer.appendToken(url, query, deadline, scratch)
            : signer.privateDownloadUrl(url, deadline);
    return SignedUrl.of(signed, Instant.ofEpochSecond(deadline));
  }

  /** The download base of {@code bucket}, as {@link QiniuSettings#downloadBase} makes it. */
  private String base(String bucket) {
    Base b = lastBase;
    if (b == null || !b.bucket.equals(bucket)) {
      b = new Base(bucket, settings.downloadBase(bucket, "delivery URLs"));
      lastBase = b;
    }
    return b.base;
  }

  /** {@code key} percent-encoded as {@link QiniuSigner#encodePath} does, appended to {@code s}. */
  private static void appendPath(StringBuilder s, String key) {
    if (QiniuSigner.unreserved(key, true)) {
      s.append(key);
    } else {
      s.append(QiniuSigner.encodePath(key));
    }
  }

  /**
   * The URL that applies one fop Mediaflow writes itself ({@code avinfo}, {@code imageInfo}) to
   * {@code object}, signed for {@code validFor} unless the bucket is public.
   */
  String fopUrl(MediaObject object, String fop, Duration validFor) {
    String url =
        settings.downloadBase(object.bucket(), "media info")
            + '/'
            + QiniuSigner.encodePath(key(object))
            + '?'
            + QiniuSigner.encodePath(fop);
    return sign(object, url, false, validFor);
  }

  private String sign(MediaObject object, String url, boolean unsigned, Duration validFor) {
    if (unsigned || settings.publicBuckets().contains(object.bucket())) {
      return url;
    }
    return signer.privateDownloadUrl(url, validFor);
  }

  /**
   * Appends the fop chain of {@code steps} to {@code out}, {@code |} between stages, checked
   * against {@link #URL_CAPABILITIES} before anything is rendered; returns {@code out}, or null for
   * no steps.
   */
  StringBuilder fops(List<Operation> steps, StringBuilder out) {
    for (int i = 0; i < steps.size(); i++) {
      Operation op = steps.get(i);
      URL_CAPABILITIES.check(op);
      if (op instanceof Snapshot s) {
        if (s.isMultiFrame()) {
          throw new UnsupportedMediaOperationException(
              ID, s.type(), "count", "a URL shows one frame; leave intervalMs and count out");
        }
        if (i != 0) {
          throw new UnsupportedMediaOperationException(
              ID, s.type(), "", "vframe reads a video: it must be the first step of a URL");
        }
      }
    }
    if (steps.isEmpty()) {
      return null;
    }
    int start = out.length();
    for (int i = 0; i < steps.size(); i++) {
      if (i > 0 && out.length() > start) {
        out.append('|');
      }
      renderer.urlStep(out, steps.get(i));
    }
    return out;
  }

  /** {@code <separator><name>}, encoded as the key is. */
  private String style(String name) {
    String separator = settings.styleSeparator();
    if (name.contains(separator)) {
      throw new MediaValidationException(
          "style",
          "the style name \""
              + name
              + "\" contains the style separator '"
              + separator
              + "' (media.qiniu.styleSeparator), so Qiniu could not tell where the key ends");
    }
    return QiniuSigner.encodePath(separator + name);
  }

  /**
   * The key, refused when a URL cannot name it: a {@code .} or {@code ..} segment is resolved away
   * by HTTP clients and browsers, even percent-encoded, so the URL would name another object.
   */
  private static String key(MediaObject o) {
    if (dotSegment(o.key())) {
      throw new MediaValidationException(
          "key",
          "a URL cannot name a key with a '.' or '..' segment: clients resolve it to another"
              + " path, was \""
              + o.key()
              + "\"");
    }
    return o.key();
  }

  /** True when a {@code /}-separated segment of {@code key} is {@code .} or {@code ..}. */
  static boolean dotSegment(String key) {
    int n = key.length();
    for (int start = 0; start <= n; ) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      int length = end - start;
      if ((length == 1 || length == 2)
          && key.charAt(start) == '.'
          && (length == 1 || key.charAt(start + 1) == '.')) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  /** Percent-encodes UTF-8 with only {@code A-Z a-z 0-9 - _ . ~} kept. */
  static String component(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "QiniuUrls{" + settings + "}";
  }
}
