package dev.mediaflow.oss;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * OSS delivery URLs: presigned (V4 by default, V1 with {@code signatureVersion=v1}) or unsigned for
 * a public-read bucket, with on-the-fly processing ({@code x-oss-process=image/...} chains, one
 * {@code video/snapshot} frame, or {@code style/<name>}) and the response overrides {@code
 * response-content-disposition} and {@code response-content-type}, all inside the signature.
 *
 * <p>What OSS can apply on a URL is its own list ({@link #CAPABILITIES}), apart from what jobs can
 * do: resize, format and quality, watermarks, and one video frame. Anything else is refused before
 * a URL is made. Specifications:
 * https://help.aliyun.com/en/oss/developer-reference/add-signatures-to-urls (V4),
 * https://www.alibabacloud.com/help/doc-detail/31952.htm (V1),
 * https://alibabacloud.com/help/en/oss/user-guide/video-snapshots and
 * https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4; {@code
 * docs/vendor-notes.md}, "OSS delivery URLs". Pure given the clock; thread-safe.
 */
final class OssUrls implements UrlSigner {
  /** What an OSS URL can apply on the fly. */
  static final Capabilities CAPABILITIES =
      Capabilities.builder(OssStyleRenderer.ID)
          .operations(ImageResize.class, Watermark.class, Snapshot.class)
          .imageFormats(
              EnumSet.of(
                  ImageFormat.JPG,
                  ImageFormat.PNG,
                  ImageFormat.WEBP,
                  ImageFormat.GIF,
                  ImageFormat.BMP,
                  ImageFormat.TIFF,
                  ImageFormat.AVIF,
                  ImageFormat.HEIC))
          .fitModes(EnumSet.allOf(FitMode.class))
          .build();

  private final OssSettings settings;
  private final OssSigner signer;

  /** Each bucket's delivery base URL, ending in {@code /}. */
  private final Map<String, String> bases = new ConcurrentHashMap<>();

  OssUrls(OssSettings settings, OssSigner signer) {
    this.settings = settings;
    this.signer = signer;
  }

  /**
   * The query one options object renders to (response overrides, then {@code x-oss-process}), the
   * same for every object when no step takes a watermark image from the object's bucket.
   */
  private record Rendered(UrlOptions options, Map<String, String> query) {}

  /**
   * The last options rendered, by identity: an application usually reuses a few options objects (a
   * thumbnail, a download), whose rendering then is made once. Entries are immutable, so the slots
   * need no lock.
   */
  private final Rendered[] rendered = new Rendered[16];

  @Override
  public SignedUrl url(MediaObject object, UrlOptions options) {
    String base = bases.get(object.bucket());
    if (base == null) {
      OssObjects.check(object, "object");
    } else {
      OssObjects.checkKey(object, "object"); // the bucket was checked when its base was made
    }
    Map<String, String> query = query(object, options);
    if (base == null) {
      base = base(object.bucket());
    }
    boolean unsigned = options.isUnsigned() || settings.publicBuckets().contains(object.bucket());
    if (unsigned) {
      String url = objectUrl(object, base);
      String q = OssSigner.encodeQuery(query);
      return SignedUrl.unsigned(q.isEmpty() ? url : url + "?" + q);
    }
    OssSigner.Version version = settings.v1() ? OssSigner.Version.V1 : OssSigner.Version.V4;
    if (version == OssSigner.Version.V4
        && options.expiry().compareTo(OssSigner.V4_MAX_EXPIRY) > 0) {
      throw new MediaValidationException(
          "expiry",
          "an OSS V4 presigned URL is valid for at most 7 days (604800 s), was "
              + options.expiry().toSeconds()
              + " s; use a shorter expiry, or a public bucket for longer-lived links");
    }
    if (base.indexOf('?') >= 0 || base.indexOf('#') >= 0) {
      // A custom domain with a query or fragment: the HttpUrl form checks it as it always has.
      OssSigner.Presigned p =
          signer.presign(
              version,
              "GET",
              HttpUrl.get(objectUrl(object, base)),
              object.bucket(),
              object.key(),
              query,
              Map.of(),
              options.expiry());
      return SignedUrl.of(p.url(), p.expiresAt());
    }
    return signer.presignUrl(
        version,
        "GET",
        base,
        object.key(),
        object.bucket(),
        object.key(),
        query,
        Map.of(),
        options.expiry());
  }

  /**
   * The last options seen once in each slot of {@link #rendered}: options are kept there when they
   * come back, so options made for one URL each cost no entry.
   */
  private final UrlOptions[] seen = new UrlOptions[16];

  /** The query of {@code options} for {@code object}, rendered or from {@link #rendered}. */
  private Map<String, String> query(MediaObject object, UrlOptions options) {
    int slot = System.identityHashCode(options) & (rendered.length - 1);
    Rendered r = rendered[slot];
    if (r != null && r.options == options) {
      return r.query;
    }
    Map<String, String> q;
    if (options.downloadName().isEmpty() && options.contentType().isEmpty()) {
      // Only the processing, if any: no map to fill and copy.
      String process = process(object, options);
      q = process == null ? Map.of() : Map.of("x-oss-process", process);
    } else {
      Map<String, String> query = new LinkedHashMap<>();
      options
          .downloadName()
          .ifPresent(n -> query.put("response-content-disposition", attachment(n)));
      options.contentType().ifPresent(t -> query.put("response-content-type", t));
      String process = process(object, options);
      if (process != null) {
        query.put("x-oss-process", process);
      }
      q =
          query.size() == 1
              ? Map.of(query.keySet().iterator().next(), query.values().iterator().next())
              : Collections.unmodifiableMap(query);
    }
    boolean sameForAll = true;
    for (Operation op : options.steps()) {
      if (op instanceof Watermark w && w.image().isPresent()) {
        sameForAll = false; // checked against the object's bucket each time
      }
    }
    if (sameForAll) {
      if (seen[slot] == options) {
        rendered[slot] = new Rendered(options, q);
      } else {
        seen[slot] = options;
      }
    }
    return q;
  }

  /**
   * The bucket's delivery base URL, as {@link OssSettings#deliveryUrl} makes it: {@code
   * https://<bucket>.<endpoint>/}, {@code <endpoint>/<bucket>/} or the custom domain's {@code /},
   * made by {@code HttpUrl} once per bucket; a base with a query or fragment is not kept.
   */
  private String base(String bucket) {
    String base = bases.get(bucket);
    if (base == null) {
      HttpUrl url = settings.deliveryUrl(bucket, "");
      base = url.toString();
      if (url.encodedQuery() == null && url.encodedFragment() == null && bases.size() < 256) {
        bases.put(bucket, base);
      }
    }
    return base;
  }

  /**
   * The object's delivery URL, as {@link OssSettings#deliveryUrl} makes it: the bucket's base, then
   * the key percent-encoded keeping {@code /}, which {@code HttpUrl} would keep as it is (the key
   * has no {@code .} or {@code ..} segment, checked before).
   */
  private String objectUrl(MediaObject object, String base) {
    if (base.indexOf('?') >= 0 || base.indexOf('#') >= 0) {
      return settings.deliveryUrl(object.bucket(), object.key()).toString();
    }
    return base + OssSigner.encode(object.key(), true);
  }

  /**
   * The {@code x-oss-process} value of the options, or null for the original: the steps checked
   * against {@link #CAPABILITIES} and rendered, or {@code style/<name>}.
   */
  static String process(MediaObject object, UrlOptions options) {
    if (options.style().isPresent()) {
      return "style/" + options.style().get();
    }
    List<Operation> steps = options.steps();
    if (steps.isEmpty()) {
      return null;
    }
    for (Operation op : steps) {
      CAPABILITIES.check(op);
    }
    if (steps.get(0) instanceof Snapshot s) {
      if (steps.size() > 1) {
        throw new UnsupportedMediaOperationException(
            OssStyleRenderer.ID,
            steps.get(1).type(),
            "steps",
            "an OSS URL shows one video frame (video/snapshot) without further steps");
      }
      return snapshot(s);
    }
    for (int i = 0; i < steps.size(); i++) {
      Operation op = steps.get(i);
      if (op instanceof Snapshot) {
        throw new UnsupportedMediaOperationException(
            OssStyleRenderer.ID,
            op.type(),
            "steps",
            "an OSS URL shows one video frame (video/snapshot) without further steps");
      }
      if (op instanceof Watermark w
          && w.image().isPresent()
          && !w.image().get().bucket().equals(object.bucket())) {
        throw new UnsupportedMediaOperationException(
            OssStyleRenderer.ID,
            op.type(),
            "image",
            "OSS takes watermark images from the object's own bucket ("
                + object.bucket()
                + "), not "
                + w.image().get().bucket());
      }
    }
    return OssStyleRenderer.imageChain(steps);
  }

  /**
   * {@code video/snapshot,t_<ms>,f_<jpg|png>[,w_<px>][,h_<px>]}: the frame at the offset, exact
   * (without {@code m_fast}, which takes the keyframe before it); a missing side scales with the
   * other.
   */
  private static String snapshot(Snapshot s) {
    if (s.isMultiFrame()) {
      throw new UnsupportedMediaOperationException(
          OssStyleRenderer.ID,
          s.type(),
          "count",
          "an OSS URL shows one frame (video/snapshot); make a job for several");
    }
    String format = s.format().map(ImageFormat::token).orElse("jpg");
    if (!format.equals("jpg") && !format.equals("png")) {
      throw new UnsupportedMediaOperationException(
          OssStyleRenderer.ID, s.type(), "format", "video/snapshot writes jpg or png");
    }
    if (s.fit().isPresent() && s.fit().get() != FitMode.STRETCH) {
      throw new UnsupportedMediaOperationException(
          OssStyleRenderer.ID,
          s.type(),
          "fit",
          "video/snapshot scales to the width and height given (stretch); it has no "
              + s.fit().get().token());
    }
    StringBuilder b =
        new StringBuilder("video/snapshot,t_")
            .append(s.offset().orElseThrow().toMillis())
            .append(",f_")
            .append(format);
    s.size()
        .ifPresent(
            z -> {
              z.widthIfSet().ifPresent(w -> b.append(",w_").append(w));
              z.heightIfSet().ifPresent(h -> b.append(",h_").append(h));
            });
    return b.toString();
  }

  /**
   * {@code attachment} with the file name (RFC 6266): {@code filename="..."} alone for a plain
   * ASCII name; otherwise an ASCII fallback (each non-ASCII or unsafe character as {@code _}) and
   * {@code filename*=UTF-8''<percent-encoded>} (RFC 5987), which browsers prefer.
   */
  static String attachment(String name) {
    StringBuilder fallback = new StringBuilder();
    boolean plain = true;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%') {
        fallback.append('_');
        plain = false;
      } else {
        fallback.append((char) c);
      }
    }
    if (plain) {
      return "attachment; filename=\"" + name + "\"";
    }
    StringBuilder ext = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        ext.append((char) c);
      } else {
        ext.append('%').append(String.format("%02X", c));
      }
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + ext;
  }

  @Override
  public String toString() {
    return "OssUrls{" + settings + "}";
  }
}
