package dev.mediaflow.spi;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.upload.UploadCallback;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an upload goes and what the vendor does with it.
 *
 * @param object the object to store
 * @param contentType its Content-Type, when set
 * @param process a pipeline to start with the upload, passed only to providers that
 *     {@link UploadProtocol#runsPipelineOnUpload() run pipelines on upload}
 * @param callback the callback the vendor makes once the object is stored
 */
public record UploadTarget(MediaObject object, Optional<String> contentType, Optional<Pipeline> process,
    Optional<UploadCallback> callback) {
  public UploadTarget {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(callback, "callback");
  }

  public static UploadTarget of(MediaObject object) {
    return new UploadTarget(object, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
