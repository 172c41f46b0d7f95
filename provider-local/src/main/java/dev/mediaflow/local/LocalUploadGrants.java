package dev.mediaflow.local;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Grants browser uploads to the local media server: a form POST to {@code <baseUrl>/<bucket>} with
 * the fields {@code key}, {@code policy} and {@code signature}, the file last in {@code file}
 * (format in {@code docs/local-server.md}); or, for {@link UploadGrantRequest.Method#PUT}, a PUT of
 * the bare file to {@code <baseUrl>/<bucket>/<key>?policy=..&signature=..}. The server enforces
 * every limit on both, so no request is refused here except for keys the local provider refuses
 * everywhere and a key prefix with PUT (the URL names one key).
 */
final class LocalUploadGrants implements UploadGranter {
  static final String FILE_FIELD = "file";

  private final LocalDeliverySettings delivery;
  private final LocalStore store;
  private final Clock clock;
  private final Consumer<Pipeline> pipelineCheck;

  LocalUploadGrants(
      LocalDeliverySettings delivery,
      LocalStore store,
      Clock clock,
      Consumer<Pipeline> pipelineCheck) {
    this.delivery = delivery;
    this.store = store;
    this.clock = clock;
    this.pipelineCheck = pipelineCheck;
  }

  @Override
  public UploadGrant grant(UploadGrantRequest request) {
    URI base = delivery.requiredBaseUrl();
    String bucket = request.bucket();
    boolean put = request.method() == UploadGrantRequest.Method.PUT;
    if (put && request.key().isEmpty()) {
      throw new UnsupportedMediaOperationException(
          LocalJobClient.ID,
          "grantUpload",
          "keyPrefix",
          "a PUT grant is for one key; give an exact key, or use a form POST");
    }
    // The same key checks as every local operation; a prefix is checked with a name after it.
    MediaObject probe =
        request.key().orElseGet(() -> MediaObject.of(bucket, request.keyPrefix().get() + "x"));
    store.resolve(probe, "key");
    String process = null;
    if (request.process().isPresent()) {
      pipelineCheck.accept(request.process().get());
      process = PipelineSpec.toCompactJson(request.process().get());
    }
    Instant expiresAt = clock.instant().plus(request.expiry());
    LocalUploadPolicy policy =
        new LocalUploadPolicy(
            expiresAt.getEpochSecond(),
            bucket,
            request.key().map(MediaObject::key).orElse(null),
            request.keyPrefix().orElse(null),
            request.keyName(),
            request.minSize(),
            request.maxSize(),
            request.contentTypes(),
            request.overwrite(),
            request.callback().orElse(null),
            process);
    String encoded = policy.encode();
    String signature = LocalUploadPolicy.sign(delivery.signingKey(), encoded);
    if (put) {
      // Both values are Base64url, so they go into the query as they are.
      String path = new LocalUrl(bucket, policy.key(), null, null, null, null, 0, null).path();
      List<String> types = request.contentTypes();
      Map<String, String> headers =
          types.size() == 1 && !types.get(0).endsWith("/*")
              ? Map.of("Content-Type", types.get(0))
              : Map.of();
      return new UploadGrant(
          URI.create(base + path + "?policy=" + encoded + "&signature=" + signature),
          "PUT",
          Map.of(),
          headers,
          "",
          Instant.ofEpochSecond(expiresAt.getEpochSecond()),
          request.minSize(),
          request.maxSize(),
          request.contentTypes());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("key", policy.keyField());
    fields.put("policy", encoded);
    fields.put("signature", signature);
    return new UploadGrant(
        URI.create(base + "/" + LocalUrl.encode(bucket)),
        "POST",
        fields,
        Map.of(),
        FILE_FIELD,
        Instant.ofEpochSecond(expiresAt.getEpochSecond()),
        request.minSize(),
        request.maxSize(),
        request.contentTypes());
  }
}
