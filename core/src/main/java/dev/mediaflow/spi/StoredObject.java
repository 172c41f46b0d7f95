package dev.mediaflow.spi;

import dev.mediaflow.job.JobId;
import java.util.Objects;
import java.util.Optional;

/**
 * The vendor's answer to a completed upload.
 *
 * @param etag the vendor's ETag or hash
 * @param checksum the whole object's checksum as the vendor answered it, in the protocol's algorithm
 * @param job the job the vendor started with the upload
 * @param callbackResponse the callback server's answer, passed through by the vendor
 */
public record StoredObject(String etag, Optional<String> checksum, Optional<JobId> job, Optional<String> callbackResponse) {
  public StoredObject {
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(callbackResponse, "callbackResponse");
  }
}
