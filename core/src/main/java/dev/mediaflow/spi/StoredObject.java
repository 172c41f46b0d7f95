package dev.mediaflow.spi;

import dev.mediaflow.job.JobId;
import java.util.Objects;
import java.util.Optional;

/**
 * The vendor's answer to a completed upload: the object's ETag or hash, and, when the vendor
 * answered them, the whole object's checksum, the job it started with the upload and the callback
 * server's answer. Those three may be absent: null when made, an empty {@link Optional} when read.
 * Immutable.
 */
public final class StoredObject {
  private final String etag;
  private final String checksum;
  private final JobId job;
  private final String callbackResponse;

  private StoredObject(String etag, String checksum, JobId job, String callbackResponse) {
    this.etag = Objects.requireNonNull(etag, "etag");
    this.checksum = checksum;
    this.job = job;
    this.callbackResponse = callbackResponse;
  }

  /**
   * @param etag the vendor's ETag or hash
   * @param checksum the whole object's checksum as the vendor answered it, or null when it answered
   *     none
   */
  public static StoredObject of(String etag, String checksum) {
    return new StoredObject(etag, checksum, null, null);
  }

  /**
   * @param etag the vendor's ETag or hash
   * @param checksum the whole object's checksum as the vendor answered it, or null when it answered
   *     none
   * @param job the job the vendor started with the upload, or null
   * @param callbackResponse the callback server's answer, passed through by the vendor, or null
   */
  public static StoredObject of(String etag, String checksum, JobId job, String callbackResponse) {
    return new StoredObject(etag, checksum, job, callbackResponse);
  }

  /** Returns the vendor's ETag or hash. */
  public String etag() {
    return etag;
  }

  /** Returns the whole object's checksum as the vendor answered it, in the protocol's algorithm. */
  public Optional<String> checksum() {
    return Optional.ofNullable(checksum);
  }

  /** Returns the job the vendor started with the upload. */
  public Optional<JobId> job() {
    return Optional.ofNullable(job);
  }

  /** Returns the callback server's answer, passed through by the vendor. */
  public Optional<String> callbackResponse() {
    return Optional.ofNullable(callbackResponse);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredObject s
        && etag.equals(s.etag)
        && Objects.equals(checksum, s.checksum)
        && Objects.equals(job, s.job)
        && Objects.equals(callbackResponse, s.callbackResponse);
  }

  @Override
  public int hashCode() {
    return Objects.hash(etag, checksum, job, callbackResponse);
  }

  @Override
  public String toString() {
    return "StoredObject{etag="
        + etag
        + (checksum == null ? "" : ", checksum=" + checksum)
        + (job == null ? "" : ", job=" + job)
        + (callbackResponse == null ? "" : ", callbackResponse")
        + "}";
  }
}
