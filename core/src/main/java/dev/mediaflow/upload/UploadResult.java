package dev.mediaflow.upload;

import dev.mediaflow.job.JobId;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Objects;
import java.util.Optional;

/**
 * What an upload stored, as the vendor confirmed it, with the checksum Mediaflow verified. The job
 * and the callback's answer may be absent: null when made, an empty {@link Optional} when read.
 * Immutable.
 */
public final class UploadResult {
  private final MediaObject object;
  private final long size;
  private final String etag;
  private final String checksumAlgorithm;
  private final String checksum;
  private final int parts;
  private final int partsResumed;
  private final JobId job;
  private final String callbackResponse;

  /**
   * @param object where it was stored
   * @param size bytes stored
   * @param etag the vendor's ETag (OSS) or hash (Qiniu), as answered
   * @param checksumAlgorithm {@code crc64ecma} (OSS), {@code qetag} (Qiniu) or {@code sha256}
   *     (local)
   * @param checksum the whole object's checksum: computed over the bytes sent and equal to the
   *     vendor's
   * @param parts the number of parts the object was sent in (1 for a single request)
   * @param partsResumed parts that an earlier, interrupted upload had stored and this one did not
   *     send again
   * @param job the processing started on the upload, or null when none was asked for
   * @param callbackResponse what your callback server answered, or null when no callback was asked
   *     for
   */
  public UploadResult(
      MediaObject object,
      long size,
      String etag,
      String checksumAlgorithm,
      String checksum,
      int parts,
      int partsResumed,
      JobId job,
      String callbackResponse) {
    this.object = Objects.requireNonNull(object, "object");
    this.size = size;
    this.etag = Objects.requireNonNull(etag, "etag");
    this.checksumAlgorithm = Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
    this.checksum = Objects.requireNonNull(checksum, "checksum");
    this.parts = parts;
    this.partsResumed = partsResumed;
    this.job = job;
    this.callbackResponse = callbackResponse;
  }

  /** Returns where the object was stored. */
  public MediaObject object() {
    return object;
  }

  /** Returns the bytes stored. */
  public long size() {
    return size;
  }

  /** Returns the vendor's ETag (OSS) or hash (Qiniu), as answered. */
  public String etag() {
    return etag;
  }

  /** Returns {@code crc64ecma} (OSS), {@code qetag} (Qiniu) or {@code sha256} (local). */
  public String checksumAlgorithm() {
    return checksumAlgorithm;
  }

  /**
   * Returns the whole object's checksum: computed over the bytes sent and equal to the vendor's.
   */
  public String checksum() {
    return checksum;
  }

  /** Returns the number of parts the object was sent in (1 for a single request). */
  public int parts() {
    return parts;
  }

  /**
   * Returns the parts that an earlier, interrupted upload had stored and this one did not send
   * again.
   */
  public int partsResumed() {
    return partsResumed;
  }

  /** Returns the processing started on the upload, if one was asked for. */
  public Optional<JobId> job() {
    return Optional.ofNullable(job);
  }

  /** Returns what your callback server answered, when a callback was asked for. */
  public Optional<String> callbackResponse() {
    return Optional.ofNullable(callbackResponse);
  }

  /** Returns this result with {@code job} as the processing started on it. */
  public UploadResult withJob(JobId job) {
    return new UploadResult(
        object,
        size,
        etag,
        checksumAlgorithm,
        checksum,
        parts,
        partsResumed,
        Objects.requireNonNull(job, "job"),
        callbackResponse);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadResult r
        && object.equals(r.object)
        && size == r.size
        && etag.equals(r.etag)
        && checksumAlgorithm.equals(r.checksumAlgorithm)
        && checksum.equals(r.checksum)
        && parts == r.parts
        && partsResumed == r.partsResumed
        && Objects.equals(job, r.job)
        && Objects.equals(callbackResponse, r.callbackResponse);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        object,
        size,
        etag,
        checksumAlgorithm,
        checksum,
        parts,
        partsResumed,
        job,
        callbackResponse);
  }

  @Override
  public String toString() {
    return "UploadResult{object="
        + object
        + ", size="
        + size
        + ", etag="
        + etag
        + ", "
        + checksumAlgorithm
        + "="
        + checksum
        + ", parts="
        + parts
        + ", partsResumed="
        + partsResumed
        + (job == null ? "" : ", job=" + job)
        + (callbackResponse == null ? "" : ", callbackResponse=" + callbackResponse)
        + "}";
  }
}
