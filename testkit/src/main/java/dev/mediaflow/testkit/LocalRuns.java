package dev.mediaflow.testkit;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs pipelines with the local provider over a fake server's own folder, for the executors that run fake
 * tasks for real. One local client per folder. Thread-safe.
 */
final class LocalRuns implements AutoCloseable {
  private final Duration timeout;
  private final Map<String, MediaClient> clients = new LinkedHashMap<>();

  LocalRuns(String who, Duration timeout) {
    try {
      Class.forName("dev.mediaflow.local.LocalProvider");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(who + " needs dev.mediaflow:mediaflow-provider-local on the class path");
    }
    this.timeout = timeout;
  }

  private synchronized MediaClient client(FakeObjects objects) {
    return clients.computeIfAbsent(objects.root().toString(), root -> MediaClient.create(MediaConfig.builder()
        .put("media.provider", "local").put("media.local.root", root).build()));
  }

  /** Runs {@code pipeline} to its end; returns its final status, or throws with the reason it could not run. */
  JobStatus run(FakeObjects objects, Pipeline pipeline) throws Exception {
    try {
      return client(objects).submit(pipeline).future().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("did not finish within " + timeout, e);
    } catch (MediaException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(MediaClient::close);
    clients.clear();
  }
}
