package dev.mediaflow.upload;

import dev.mediaflow.job.JobId;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Objects;
import java.util.Optional;

/**
 * What an upload stored, as the vendor confirmed it, with the checksum Mediaflow verified.
 *
 * @param object where it was stored
 * @param size bytes stored
 * @param etag the vendor's ETag (OSS) or hash (Qiniu), as answered
 * @param checksumAlgorithm {@code crc64ecma} (OSS), {@code qetag} (Qiniu) or {@code sha256} (local)
 * @param checksum the whole object's checksum: computed over the bytes sent and equal to the vendor's
 * @param parts the number of parts the object was sent in (1 for a single request)
 * @param partsResumed parts that an earlier, interrupted upload had stored and this one did not send again
 * @param job the processing started on the upload, if one was asked for
 * @param callbackResponse what your callback server answered, when a callback was asked for
 */
public record UploadResult(
    MediaObject object,
    long size,
    String etag,
    String checksumAlgorithm,
    String checksum,
    int parts,
    int partsResumed,
    Optional<JobId> job,
    Optional<String> callbackResponse) {
  public UploadResult {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(callbackResponse, "callbackResponse");
  }

  /** Returns this result with {@code job} as the processing started on it. */
  public UploadResult withJob(JobId job) {
    return new UploadResult(object, size, etag, checksumAlgorithm, checksum, parts, partsResumed, Optional.of(job),
        callbackResponse);
  }
}
