package dev.mediaflow.upload;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.util.Objects;
import java.util.Optional;

/**
 * One upload: what to read, where to store it, and how.
 *
 * <pre>{@code
 * UploadRequest request = UploadRequest.builder(UploadSource.ofFile(Path.of("intro.mov")), MediaObject.of("media", "raw/intro.mov"))
 *     .partSize(16 << 20).parallelism(4)               // defaults: the provider's part size, 4 parts at a time
 *     .listener((sent, total) -> bar.update(sent, total))
 *     .process(pipeline)                               // optional: runs on the object once stored
 *     .build();
 * UploadResult stored = media.upload(request);         // resumes an interrupted upload of the same file
 * }</pre>
 *
 * <p>A file larger than one part is sent as a multipart upload whose progress is checkpointed, so a
 * later call for the same file and target continues where an interrupted one stopped ({@link
 * #resume()}, on by default). Immutable and thread-safe.
 */
public final class UploadRequest {
  /** The most parts sent at once. */
  public static final int MAX_PARALLELISM = 64;

  private final UploadSource source;
  private final MediaObject target;
  private final String contentType;
  private final long partSize;
  private final int parallelism;
  private final boolean resume;
  private final CheckpointStore checkpoints;
  private final UploadListener listener;
  private final Pipeline process;
  private final UploadCallback callback;

  private UploadRequest(Builder b) {
    this.source = b.source;
    this.target = b.target;
    this.contentType = b.contentType;
    this.partSize = b.partSize;
    this.parallelism = b.parallelism;
    this.resume = b.resume;
    this.checkpoints = b.checkpoints;
    this.listener = b.listener;
    this.process = b.process;
    this.callback = b.callback;
  }

  public static Builder builder(UploadSource source, MediaObject target) {
    return new Builder(source, target);
  }

  public UploadSource source() {
    return source;
  }

  public MediaObject target() {
    return target;
  }

  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /** Returns the part size asked for, or 0 for the provider's default. */
  public long partSize() {
    return partSize;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Returns true to continue from a checkpoint of an earlier upload of the same source to the same
   * target; false to abort that upload's stored parts and start over.
   */
  public boolean resume() {
    return resume;
  }

  /** Returns the checkpoint store set on the request; empty means the client's default. */
  public Optional<CheckpointStore> checkpoints() {
    return Optional.ofNullable(checkpoints);
  }

  public UploadListener listener() {
    return listener;
  }

  /** Returns the pipeline to run on the stored object. */
  public Optional<Pipeline> process() {
    return Optional.ofNullable(process);
  }

  public Optional<UploadCallback> callback() {
    return Optional.ofNullable(callback);
  }

  @Override
  public String toString() {
    return "UploadRequest{"
        + source
        + " -> "
        + target
        + ", partSize="
        + (partSize == 0 ? "default" : partSize)
        + ", parallelism="
        + parallelism
        + ", resume="
        + resume
        + (process == null ? "" : ", process")
        + "}";
  }

  /** Builds an {@link UploadRequest}. Not thread-safe. */
  public static final class Builder {
    private final UploadSource source;
    private final MediaObject target;
    private String contentType;
    private long partSize;
    private int parallelism = 4;
    private boolean resume = true;
    private CheckpointStore checkpoints;
    private UploadListener listener = UploadListener.none();
    private Pipeline process;
    private UploadCallback callback;

    private Builder(UploadSource source, MediaObject target) {
      this.source = Objects.requireNonNull(source, "source");
      this.target = Objects.requireNonNull(target, "target");
    }

    /** Sets the stored object's Content-Type; by default the vendor guesses from the key. */
    public Builder contentType(String contentType) {
      Objects.requireNonNull(contentType, "contentType");
      if (contentType.isBlank() || contentType.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
        throw new MediaValidationException(
            "contentType",
            "must be a printable ASCII media type such as video/mp4, was \"" + contentType + "\"");
      }
      this.contentType = contentType;
      return this;
    }

    /**
     * Sets the part size in bytes. Providers have bounds (OSS: 100 KiB to 5 GiB; Qiniu: 1 MiB to 1
     * GiB) and at most 10,000 parts: a file too large for this size gets larger parts, with a
     * warning.
     */
    public Builder partSize(long bytes) {
      if (bytes < 1) {
        throw new MediaValidationException("partSize", "must be > 0 bytes, was " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Sets how many parts are sent at once (1 to 64, default 4). Memory: at most this many part
     * buffers for streams.
     */
    public Builder parallelism(int parts) {
      if (parts < 1 || parts > MAX_PARALLELISM) {
        throw new MediaValidationException(
            "parallelism", "must be 1.." + MAX_PARALLELISM + ", was " + parts);
      }
      this.parallelism = parts;
      return this;
    }

    /**
     * Continue from a checkpoint (default true), or abort a checkpointed upload and start over
     * (false).
     */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** Sets where checkpoints are kept; {@link CheckpointStore#none()} turns them off. */
    public Builder checkpoints(CheckpointStore store) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder listener(UploadListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Runs {@code pipeline} on the object once it is stored: Qiniu starts it with the upload itself
     * ({@code persistentOps}); other providers submit it right after. Its source must be the
     * upload's target.
     */
    public Builder process(Pipeline pipeline) {
      Objects.requireNonNull(pipeline, "pipeline");
      if (!pipeline.source().equals(target)) {
        throw new MediaValidationException(
            "process",
            "the pipeline's source must be the upload's target "
                + target
                + ", was "
                + pipeline.source());
      }
      this.process = pipeline;
      return this;
    }

    public Builder callback(UploadCallback callback) {
      this.callback = Objects.requireNonNull(callback, "callback");
      return this;
    }

    public UploadRequest build() {
      return new UploadRequest(this);
    }
  }
}
