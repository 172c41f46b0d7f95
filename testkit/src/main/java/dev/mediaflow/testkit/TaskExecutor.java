package dev.mediaflow.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs the tasks of a fake server's jobs, whatever the vendor: {@link SimulatedExecutor} (the
 * default) writes stand-in results after a set time on the server's clock; {@link LocalExecutor}
 * runs them for real with the local provider. The {@link JobEngine} waits {@link #duration} on the
 * server's clock, then calls {@link #run}, on a worker thread unless {@link #runsInline()}.
 */
@FunctionalInterface
public interface TaskExecutor {
  /**
   * Returns how long {@code task} takes on the server's clock before {@link #run} is called
   * (default: none, the run itself takes the time it takes).
   */
  default Duration duration(Task task) {
    return Duration.ZERO;
  }

  /**
   * Returns true when {@link #run} returns at once, so the engine may call it while answering a
   * status read.
   */
  default boolean runsInline() {
    return false;
  }

  /**
   * Runs {@code task}; an exception counts as a failure ({@link Failure.Kind#ERROR}) of its first
   * step.
   */
  Result run(Task task) throws Exception;

  /**
   * Why a task failed; each vendor fake words it its own way.
   *
   * @param kind what went wrong
   * @param code the vendor error code the test asked for ({@link Kind#DECLARED}), or null
   * @param message what went wrong, without a vendor prefix
   * @param step the 0-based index of the failing step
   */
  record Failure(Kind kind, String code, String message, int step) {
    /** What went wrong. */
    public enum Kind {
      /**
       * The executor cannot run the task (it cannot be read back into operations the executor
       * knows).
       */
      UNSUPPORTED,
      /** The task ran and failed (a bad source, an encoder error). */
      FAILED,
      /** A failure the test declared, with its vendor code and message to answer as they are. */
      DECLARED,
      /** The executor threw. */
      ERROR
    }

    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * What a task produced.
   *
   * @param keys the keys written in the task's target bucket
   * @param failure why it failed, or null when it succeeded
   */
  record Result(List<String> keys, Failure failure) {
    public Result {
      keys = List.copyOf(keys);
    }

    public static Result ok(List<String> keys) {
      return new Result(keys, null);
    }

    public static Result failed(Failure.Kind kind, String message, int step) {
      return new Result(List.of(), new Failure(kind, null, message, step));
    }

    public boolean succeeded() {
      return failure == null;
    }
  }
}
