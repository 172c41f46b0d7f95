package dev.mediaflow.testkit;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.Operation;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs fake tasks for real with Mediaflow's local provider (FFmpeg, LibreOffice) over the server's
 * own folder: the vendor fake reads each step back into an operation ({@link Task#operations()}),
 * and what cannot be read or run fails the task with its reason.
 *
 * <p>Needs {@code dev.mediaflow:mediaflow-provider-local} on the class path (an optional dependency
 * of the testkit). Numbered results count from 1, the local way. Thread-safe; {@link #close()}
 * stops its clients.
 */
public final class LocalExecutor implements TaskExecutor, AutoCloseable {
  private final Duration timeout;
  private final Map<String, MediaClient> clients = new LinkedHashMap<>();

  /**
   * @param timeout how long one task may run
   */
  public LocalExecutor(Duration timeout) {
    try {
      Class.forName("dev.mediaflow.local.LocalProvider");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "LocalExecutor needs dev.mediaflow:mediaflow-provider-local on the class path");
    }
    this.timeout = timeout;
  }

  @Override
  public Result run(Task task) throws Exception {
    List<Operation> ops;
    try {
      ops = task.operations();
    } catch (Task.Untranslatable e) {
      return Result.failed(Failure.Kind.UNSUPPORTED, e.getMessage(), e.step());
    }
    Pipeline.Builder b = Pipeline.from(task.sourceBucket(), task.sourceKey());
    for (int i = 0; i < ops.size(); i++) {
      try {
        b.then(ops.get(i));
      } catch (IllegalArgumentException | MediaException e) {
        return Result.failed(Failure.Kind.UNSUPPORTED, e.getMessage(), i);
      }
    }
    String key =
        task.keyPattern()
            .orElseGet(
                () ->
                    task.targetKey()
                        .orElseThrow(
                            () -> new IllegalArgumentException("a local run needs a target key")));
    JobStatus end;
    try {
      end =
          client(task.objects())
              .submit(b.saveAs(task.targetBucket(), key).build())
              .future()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return Result.failed(Failure.Kind.FAILED, e.getCause().getMessage(), 0);
    } catch (TimeoutException e) {
      return Result.failed(Failure.Kind.FAILED, "did not finish within " + timeout, 0);
    } catch (MediaException e) {
      return Result.failed(Failure.Kind.FAILED, e.getMessage(), 0);
    }
    if (end.state() != JobState.SUCCEEDED) {
      return Result.failed(
          Failure.Kind.FAILED, end.outputs().get(0).message(), task.steps().size() - 1);
    }
    return Result.ok(end.outputs().get(0).objects().stream().map(MediaObject::key).toList());
  }

  private synchronized MediaClient client(FakeObjects objects) {
    return clients.computeIfAbsent(
        objects.root().toString(),
        root ->
            MediaClient.create(
                MediaConfig.builder()
                    .put("media.provider", "local")
                    .put("media.local.root", root)
                    .build()));
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(MediaClient::close);
    clients.clear();
  }
}
