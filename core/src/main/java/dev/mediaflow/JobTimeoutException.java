package dev.mediaflow;

import dev.mediaflow.job.JobStatus;

/**
 * A watched job did not finish before its deadline. The job itself may still finish: its id stays
 * valid.
 */
public final class JobTimeoutException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final transient JobStatus lastStatus;

  public JobTimeoutException(String message, JobStatus lastStatus) {
    super(message);
    this.lastStatus = lastStatus;
  }

  /** Returns the last status seen before the deadline, or null when none was read. */
  public JobStatus lastStatus() {
    return lastStatus;
  }
}
