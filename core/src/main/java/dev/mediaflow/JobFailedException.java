package dev.mediaflow;

import dev.mediaflow.job.JobStatus;

/**
 * A job ended other than in success (failed, cancelled, or with some outputs failed) while it was
 * awaited. {@link #status()} holds the final status with the vendor's code and message per output.
 */
public final class JobFailedException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final transient JobStatus status;

  public JobFailedException(JobStatus status) {
    super(status.summary());
    this.status = status;
  }

  /** Returns the job's final status. */
  public JobStatus status() {
    return status;
  }
}
