package dev.mediaflow;

import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobListener;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link Job} bound to the client that tracks it. */
final class ClientJob implements Job {
  private final JobId id;
  private final MediaClient client;
  private CompletableFuture<JobStatus> future;

  ClientJob(JobId id, MediaClient client) {
    this.id = id;
    this.client = client;
  }

  /** A job already watched, such as one resumed from the store. */
  ClientJob(JobId id, MediaClient client, CompletableFuture<JobStatus> future) {
    this.id = id;
    this.client = client;
    this.future = future;
  }

  @Override
  public JobId id() {
    return id;
  }

  @Override
  public JobStatus status() {
    return client.status(id);
  }

  @Override
  public synchronized CompletableFuture<JobStatus> future() {
    if (future == null || future.isCancelled()) {
      future = client.watch(id, null);
    }
    return future;
  }

  @Override
  public CompletableFuture<JobStatus> future(JobListener listener) {
    return client.watch(id, listener);
  }

  @Override
  public JobStatus await(Duration timeout) {
    CompletableFuture<JobStatus> f = future();
    JobStatus status;
    try {
      status = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new JobTimeoutException(
          "Job "
              + id
              + " did not finish within "
              + timeout
              + ". It goes on: await it again, or track it from its id.",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaClientException("Interrupted while waiting for job " + id, e);
    } catch (CancellationException e) {
      throw new MediaClientException(
          "Watching job " + id + " was cancelled (the client was closed?)", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MediaException m) {
        throw m;
      }
      throw new MediaClientException("Watching job " + id + " failed: " + cause, cause);
    }
    if (status.state() != JobState.SUCCEEDED) {
      throw new JobFailedException(status);
    }
    return status;
  }

  @Override
  public void cancel() {
    client.cancel(id);
  }

  @Override
  public String toString() {
    return "Job{" + id + "}";
  }
}
