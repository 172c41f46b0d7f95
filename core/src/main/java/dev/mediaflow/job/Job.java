package dev.mediaflow.job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a submitted job. Obtain one from {@code MediaClient.submit(pipeline)}, or for a job
 * submitted elsewhere, from {@code MediaClient.job(JobId.parse(text))}.
 *
 * <pre>{@code
 * Job job = media.submit(pipeline);
 * String id = job.id().toString();                    // store it; any process can track the job
 * JobStatus done = job.await(Duration.ofMinutes(10)); // throws JobFailedException unless all outputs succeeded
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Job {
  JobId id();

  /** Reads the job's current status from the provider now. */
  JobStatus status();

  /**
   * Returns a future that completes with the job's terminal status (whatever the state), using the
   * client's shared watcher; it completes exceptionally with {@code JobTimeoutException} after the
   * watch deadline, or with the error when the status cannot be read (not for passing faults, which
   * are retried).
   */
  CompletableFuture<JobStatus> future();

  /** Like {@link #future()}, and also reports every change to {@code listener}. */
  CompletableFuture<JobStatus> future(JobListener listener);

  /**
   * Waits for the job to end and returns its status when every output succeeded.
   *
   * @throws dev.mediaflow.JobFailedException when it failed, was cancelled or some outputs failed
   * @throws dev.mediaflow.JobTimeoutException when {@code timeout} passes first (the job goes on)
   */
  JobStatus await(Duration timeout);

  /**
   * Asks the provider to cancel the job; providers that cannot cancel throw an unsupported error.
   */
  void cancel();
}
