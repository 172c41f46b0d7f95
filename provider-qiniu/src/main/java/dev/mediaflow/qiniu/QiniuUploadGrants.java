package dev.mediaflow.qiniu;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Upload grants as Qiniu form uploads: an upload token whose put policy carries every limit
 * (https://developer.qiniu.com/kodo/1206/put-policy), sent as the {@code token} field of a {@code
 * POST} to the upload host (https://developer.qiniu.com/kodo/1272/form-upload), the file in {@code
 * file}. An exact key is sent as {@code key}; over a prefix chosen by the uploader, {@code key}
 * holds the prefix for the uploader to complete; named by Qiniu ({@code saveKey} with {@code
 * forceSaveKey}), no key is sent. Qiniu has no presigned PUT. Thread-safe.
 */
final class QiniuUploadGrants implements UploadGranter {
  /** The form field Qiniu reads the file from. */
  static final String FILE_FIELD = "file";

  /** What the uploader gets back when no callback answers for it: the stored object. */
  private static final String RETURN_BODY =
      "{\"bucket\":\"$(bucket)\",\"key\":\"$(key)\",\"hash\":\"$(etag)\",\"fsize\":$(fsize),"
          + "\"mimeType\":\"$(mimeType)\"";

  private final QiniuSettings settings;
  private final QiniuSigner signer;
  private final QiniuPfop pfop;
  private final Clock clock;

  QiniuUploadGrants(QiniuSettings settings, QiniuSigner signer, QiniuPfop pfop, Clock clock) {
    this.settings = settings;
    this.signer = signer;
    this.pfop = pfop;
    this.clock = clock;
  }

  @Override
  public UploadGrant grant(UploadGrantRequest request) {
    if (request.method() != UploadGrantRequest.Method.POST) {
      throw new UnsupportedMediaOperationException(
          QiniuJobClient.ID,
          "grantUpload",
          "method",
          "Qiniu takes browser uploads as form POSTs only (it has no presigned PUT); grant"
              + " Method.POST");
    }
    QiniuPutPolicy.Builder policy = QiniuPutPolicy.builder(request.bucket());
    QiniuPfop.bucket(MediaObject.of(request.bucket(), "x"), "bucket");
    Map<String, String> fields = new LinkedHashMap<>();
    Optional<MediaObject> exact = request.key();
    if (exact.isPresent()) {
      policy.key(exact.get().key());
    } else {
      String prefix = request.keyPrefix().orElseThrow();
      if (prefix.contains("$(") || prefix.contains("${")) {
        // Qiniu has no escape for its magic variables: such a prefix would be filled in.
        throw new MediaValidationException(
            "keyPrefix",
            "a Qiniu key prefix cannot hold \"$(\" or \"${\", which Qiniu reads as a magic"
                + " variable, was \""
                + prefix
                + "\"");
      }
      if (request.overwrite()) {
        // A prefixal scope never overwrites (put policy, isPrefixalScope).
        throw new UnsupportedMediaOperationException(
            QiniuJobClient.ID,
            "grantUpload",
            "overwrite",
            "Qiniu's uploads over a key prefix (isPrefixalScope) never replace an existing object;"
                + " grant an exact key to allow overwriting");
      }
      policy.keyPrefix(prefix);
      switch (request.keyName()) {
        case CHOSEN_BY_UPLOADER -> {}
        case FILE_NAME -> policy.saveKey(prefix + "$(fname)", true);
        case CONTENT_HASH -> policy.saveKey(prefix + "$(etag)", true);
      }
    }
    long deadline = clock.instant().plus(request.expiry()).getEpochSecond();
    policy.deadline(Instant.ofEpochSecond(deadline));
    if (!request.overwrite()) {
      policy.insertOnly(true);
    }
    if (request.minSize() > 0) {
      policy.field("fsizeMin", request.minSize());
    }
    if (request.maxSize() < Long.MAX_VALUE) {
      policy.field("fsizeLimit", request.maxSize());
    }
    if (!request.contentTypes().isEmpty()) {
      // Qiniu writes the same patterns (image/*, image/jpeg), joined with ';'.
      policy.field("mimeLimit", String.join(";", request.contentTypes()));
    }
    Optional<Pipeline> process = request.process();
    process.ifPresent(p -> policy.process(pfop.render(p), p));
    Optional<UploadCallback> callback = request.callback();
    if (callback.isPresent()) {
      // Qiniu hands the callback's answer to the uploader, so returnBody would go unused.
      UploadCallback c = callback.get();
      policy.callback(c.url(), c.body(), c.json() ? "application/json" : null);
      c.host().ifPresent(h -> policy.field("callbackHost", h));
    } else {
      policy.field(
          "returnBody",
          // with a pipeline, the job's id too
          RETURN_BODY + (process.isPresent() ? ",\"persistentId\":\"$(persistentId)\"}" : "}"));
    }
    fields.put("token", signer.uploadToken(policy.build()));
    if (exact.isPresent()) {
      fields.put("key", exact.get().key());
    } else if (request.keyName() == KeyName.CHOSEN_BY_UPLOADER) {
      // The uploader completes the key; Qiniu refuses one that does not start with the prefix.
      fields.put("key", request.keyPrefix().orElseThrow());
    }
    return new UploadGrant(
        settings.up().uri(),
        "POST",
        fields,
        Map.of(),
        FILE_FIELD,
        Instant.ofEpochSecond(deadline),
        request.minSize(),
        request.maxSize(),
        request.contentTypes());
  }

  @Override
  public String toString() {
    return "QiniuUploadGrants{" + settings.up() + "}";
  }
}
