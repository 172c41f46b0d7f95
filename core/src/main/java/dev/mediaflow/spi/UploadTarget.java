package dev.mediaflow.spi;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.upload.UploadCallback;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an upload goes and what the vendor does with it: the object to store, its Content-Type, a
 * pipeline to start with the upload (passed only to providers that {@link
 * UploadProtocol#runsPipelineOnUpload() run pipelines on upload}) and the callback the vendor makes
 * once the object is stored. The last three may be absent: null when made, an empty {@link
 * Optional} when read. Immutable.
 */
public final class UploadTarget {
  private final MediaObject object;
  private final String contentType;
  private final Pipeline process;
  private final UploadCallback callback;

  private UploadTarget(
      MediaObject object, String contentType, Pipeline process, UploadCallback callback) {
    this.object = Objects.requireNonNull(object, "object");
    this.contentType = contentType;
    this.process = process;
    this.callback = callback;
  }

  /** {@code object}, with no Content-Type, pipeline or callback. */
  public static UploadTarget of(MediaObject object) {
    return new UploadTarget(object, null, null, null);
  }

  /**
   * @param object the object to store
   * @param contentType its Content-Type, or null to let the vendor pick
   * @param process the pipeline to start with the upload, or null
   * @param callback the callback the vendor makes once the object is stored, or null
   */
  public static UploadTarget of(
      MediaObject object, String contentType, Pipeline process, UploadCallback callback) {
    return new UploadTarget(object, contentType, process, callback);
  }

  public MediaObject object() {
    return object;
  }

  /** Returns the Content-Type to store, when set. */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /** Returns the pipeline to start with the upload, when the vendor runs it. */
  public Optional<Pipeline> process() {
    return Optional.ofNullable(process);
  }

  /** Returns the callback the vendor makes once the object is stored, when set. */
  public Optional<UploadCallback> callback() {
    return Optional.ofNullable(callback);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadTarget t
        && object.equals(t.object)
        && Objects.equals(contentType, t.contentType)
        && Objects.equals(process, t.process)
        && Objects.equals(callback, t.callback);
  }

  @Override
  public int hashCode() {
    return Objects.hash(object, contentType, process, callback);
  }

  @Override
  public String toString() {
    return "UploadTarget{"
        + object
        + (contentType == null ? "" : ", contentType=" + contentType)
        + (process == null ? "" : ", process")
        + (callback == null ? "" : ", " + callback)
        + "}";
  }
}
