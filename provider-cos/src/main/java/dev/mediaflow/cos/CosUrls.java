package dev.mediaflow.cos;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.internal.ContentDisposition;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.UrlSigner;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * COS delivery URLs: presigned with the COS signature in the query ({@code
 * q-sign-algorithm=sha1&q-ak=...&q-signature=...}, as the SDKs' {@code generatePresignedUrl} write
 * it, plus {@code x-cos-security-token} for temporary credentials), or unsigned for a public-read
 * bucket; with processing on the fly and the response overrides {@code
 * response-content-disposition} and {@code response-content-type}, every parameter inside the
 * signature.
 *
 * <p>Processing: an image chain as one Cloud Infinite rule, the whole rule a query parameter
 * without a value ({@code ?imageMogr2/thumbnail/320x|watermark/2/...},
 * https://cloud.tencent.com/document/product/460/36540); one video frame with {@code
 * ci-process=snapshot&time=<s>&format=&width=&height=&mode=exactframe}
 * (https://cloud.tencent.com/document/product/460/38934); or a style after the bucket's style
 * separator ({@code <key><separator><style>}, https://cloud.tencent.com/document/product/460/6929).
 * Pure given the clock; thread-safe.
 */
final class CosUrls implements UrlSigner {
  /** What a COS URL can apply on the fly. */
  static final Capabilities CAPABILITIES =
      Capabilities.builder(CosRequests.ID)
          .operations(ImageResize.class, Watermark.class, Snapshot.class)
          .imageFormats(
              EnumSet.of(
                  ImageFormat.JPG,
                  ImageFormat.PNG,
                  ImageFormat.WEBP,
                  ImageFormat.GIF,
                  ImageFormat.BMP,
                  ImageFormat.AVIF))
          .fitModes(EnumSet.of(FitMode.FIT, FitMode.STRETCH))
          .build();

  /** Renders image steps as one Cloud Infinite rule, steps joined with {@code |}. */
  @FunctionalInterface
  interface ImageRules {
    /**
     * Returns the rule for {@code steps} on {@code source}, such as {@code
     * imageMogr2/thumbnail/320x}.
     *
     * @throws UnsupportedMediaOperationException for a step the rule cannot express
     */
    String rule(MediaObject source, List<Operation> steps);
  }

  /** A URL and when its signature expires (null: unsigned). */
  record Built(String url, Instant expiresAt) {}

  private final CosRequests requests;
  private final ImageRules images;

  CosUrls(CosRequests requests, ImageRules images) {
    this.requests = requests;
    this.images = images;
  }

  @Override
  public SignedUrl url(MediaObject object, UrlOptions options) {
    Built built = build(object, options);
    return built.expiresAt() == null
        ? SignedUrl.unsigned(built.url())
        : SignedUrl.of(built.url(), built.expiresAt());
  }

  /** Returns the URL of {@code object} with {@code options}, and its expiry. */
  Built build(MediaObject object, UrlOptions options) {
    CosRequests.check(object, "object");
    CosSettings settings = requests.settings();
    Map<String, String> query = new LinkedHashMap<>();
    String path = object.key();
    if (options.style().isPresent()) {
      String separator =
          settings
              .styleSeparator()
              .orElseThrow(
                  () ->
                      new MediaConfigException(
                          "media.cos.styleSeparator",
                          "a style URL joins the key and the style with the bucket's style separator:"
                              + " set media.cos.styleSeparator to the one chosen in the Cloud Infinite"
                              + " console (-, _, / or !)"));
      path = path + separator + options.style().get();
    } else if (!options.steps().isEmpty()) {
      process(object, options.steps(), query);
    }
    options
        .downloadName()
        .ifPresent(
            n -> query.put("response-content-disposition", ContentDisposition.attachment(n)));
    options.contentType().ifPresent(t -> query.put("response-content-type", t));
    HttpUrl base = settings.base(Service.COS, settings.bucket(object.bucket()));
    String url = base + CosSigner.encodePath(path);
    String params = CosRequests.encodeQuery(query);
    if (options.isUnsigned() || settings.publicBuckets().contains(object.bucket())) {
      return new Built(params.isEmpty() ? url : url + "?" + params, null);
    }
    CosSigner signer = requests.signer();
    String signature =
        signer.presign(
            "GET",
            CosRequests.hostHeader(base),
            base.encodedPath() + path,
            Map.of(),
            query,
            options.expiry());
    Instant expires =
        Instant.ofEpochSecond(signer.clock().instant().getEpochSecond()).plus(options.expiry());
    return new Built(url + "?" + signature + (params.isEmpty() ? "" : "&" + params), expires);
  }

  /** Adds the processing of {@code steps} to {@code query}. */
  private void process(MediaObject object, List<Operation> steps, Map<String, String> query) {
    for (Operation op : steps) {
      CAPABILITIES.check(op);
    }
    if (steps.get(0) instanceof Snapshot s) {
      if (steps.size() > 1) {
        throw oneFrame(steps.get(1));
      }
      snapshot(s, query);
      return;
    }
    for (Operation op : steps) {
      if (op instanceof Snapshot) {
        throw oneFrame(op);
      }
    }
    query.put(images.rule(object, steps), "");
  }

  private static UnsupportedMediaOperationException oneFrame(Operation op) {
    return new UnsupportedMediaOperationException(
        CosRequests.ID,
        op.type(),
        "steps",
        "a COS URL shows one video frame (ci-process=snapshot) without further steps");
  }

  /**
   * {@code ci-process=snapshot&time=<seconds>&format=<jpg|png>[&width=][&height=]&mode=exactframe}:
   * the frame at the offset, exact rather than the keyframe before it; a missing side scales with
   * the other.
   */
  private static void snapshot(Snapshot s, Map<String, String> query) {
    if (s.isMultiFrame()) {
      throw new UnsupportedMediaOperationException(
          CosRequests.ID,
          s.type(),
          "count",
          "a COS URL shows one frame (ci-process=snapshot); make a job for several");
    }
    String format = s.format().map(ImageFormat::token).orElse("jpg");
    if (!format.equals("jpg") && !format.equals("png")) {
      throw new UnsupportedMediaOperationException(
          CosRequests.ID, s.type(), "format", "ci-process=snapshot writes jpg or png");
    }
    if (s.fit().isPresent() && s.fit().get() != FitMode.STRETCH) {
      throw new UnsupportedMediaOperationException(
          CosRequests.ID,
          s.type(),
          "fit",
          "ci-process=snapshot scales to the width and height given (stretch); it has no "
              + s.fit().get().token());
    }
    query.put("ci-process", "snapshot");
    query.put(
        "time",
        BigDecimal.valueOf(s.offset().orElseThrow().toMillis(), 3)
            .stripTrailingZeros()
            .toPlainString());
    query.put("format", format);
    s.size()
        .ifPresent(
            z -> {
              z.widthIfSet().ifPresent(w -> query.put("width", String.valueOf(w)));
              z.heightIfSet().ifPresent(h -> query.put("height", String.valueOf(h)));
            });
    query.put("mode", "exactframe");
  }

  /** Refuses image steps: for a client without an image rule renderer. */
  static final ImageRules NO_IMAGE_RULES =
      (source, steps) -> {
        throw new UnsupportedMediaOperationException(
            CosRequests.ID,
            steps.get(0).type(),
            "",
            "this client renders no Cloud Infinite image rule for URLs");
      };

  @Override
  public String toString() {
    return "CosUrls{" + requests.settings() + "}";
  }
}
