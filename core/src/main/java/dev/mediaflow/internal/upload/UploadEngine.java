package dev.mediaflow.internal.upload;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs uploads over a provider's {@link UploadProtocol}: one request for what fits in a part (or
 * for everything, when the protocol is not {@link MultipartUploadProtocol multipart}), else a
 * multipart upload with parallel parts, per-part and whole-object integrity checks, retries of
 * failed parts, checkpoints after every part, and byte-accurate progress. {@code
 * MediaClient.upload} uses it; providers only implement the protocol. Thread-safe: uploads run
 * independently.
 *
 * <p>Memory: a file is read from disk while each part is sent (16 KiB per part in flight); a stream
 * is read into at most {@code parallelism + 1} part buffers.
 */
public final class UploadEngine {
  private final UploadProtocol protocol;
  private final MultipartUploadProtocol multipart;
  private final Checkpoints checkpoints;
  private final CheckpointStore defaultStore;
  private final Clock clock;

  /**
   * @param instance the provider instance (such as {@code oss} or {@code media.archive});
   *     checkpoints are per instance
   * @param protocol the provider's wire calls
   * @param defaultStore the checkpoint store of requests that set none
   * @param clock stamps checkpoints with their creation time
   */
  public UploadEngine(
      String instance, UploadProtocol protocol, CheckpointStore defaultStore, Clock clock) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.multipart = protocol instanceof MultipartUploadProtocol m ? m : null;
    this.checkpoints = new Checkpoints(Objects.requireNonNull(instance, "instance"));
    this.defaultStore = Objects.requireNonNull(defaultStore, "defaultStore");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Uploads as {@code request} asks and returns what the vendor stored, verified. */
  public UploadResult upload(UploadRequest request) {
    Objects.requireNonNull(request, "request");
    UploadTarget target =
        UploadTarget.of(
            request.target(),
            request.contentType().orElse(null),
            protocol.runsPipelineOnUpload() ? request.process().orElse(null) : null,
            request.callback().orElse(null));
    Upload upload = new Upload(request, target, protocol);
    if (request.source().file().isPresent()) {
      CheckpointStore store = request.checkpoints().orElse(defaultStore);
      return new FileUpload(upload, multipart, checkpoints, store, clock).run();
    }
    return new StreamUpload(upload, multipart).run();
  }

  /**
   * Aborts the checkpointed upload to {@code target}, if there is one: the vendor deletes its
   * stored parts and the checkpoint is removed. Returns true when there was one.
   */
  public boolean abort(MediaObject target, CheckpointStore store) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(store, "store");
    if (multipart == null) {
      return false; // nothing is ever checkpointed for single-request uploads
    }
    UploadTarget t = UploadTarget.of(target);
    String id = checkpoints.id(t);
    Optional<Checkpoint> cp = checkpoints.load(store, id);
    cp.ifPresent(c -> multipart.abort(t, c.uploadId));
    checkpoints.delete(store, id);
    return cp.isPresent();
  }
}
