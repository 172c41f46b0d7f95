package dev.mediaflow.job;

import java.util.Collection;

/**
 * The one state machine every provider's jobs follow.
 *
 * <pre>
 * QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED | PARTIAL
 *    \__________________________/^
 * </pre>
 *
 * <p>A job may skip {@code RUNNING}; a terminal state never changes. {@code PARTIAL} means the job
 * ended with some outputs succeeded and some failed.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  PARTIAL;

  /** Returns true for the states a job never leaves. */
  public boolean isTerminal() {
    return this != QUEUED && this != RUNNING;
  }

  /**
   * Returns true when a job in this state may next be seen in {@code next} (staying put included).
   */
  public boolean canMoveTo(JobState next) {
    if (next == this) {
      return true;
    }
    return switch (this) {
      case QUEUED -> true;
      case RUNNING -> next != QUEUED;
      case SUCCEEDED, FAILED, CANCELLED, PARTIAL -> false;
    };
  }

  /**
   * Returns the state of a job made of parts (outputs, or one vendor task per output) in {@code
   * parts}: running while any part is unfinished (queued while all unfinished parts are queued and
   * none has ended), else succeeded when all succeeded, failed when none succeeded (cancelled when
   * every part was cancelled), and partial otherwise.
   */
  public static JobState combine(Collection<JobState> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no parts to combine");
    }
    int queued = 0;
    int running = 0;
    int succeeded = 0;
    int cancelled = 0;
    for (JobState s : parts) {
      switch (s) {
        case QUEUED -> queued++;
        case RUNNING -> running++;
        case SUCCEEDED -> succeeded++;
        case CANCELLED -> cancelled++;
        case FAILED, PARTIAL -> {}
      }
    }
    if (queued + running > 0) {
      return running == 0 && queued == parts.size() ? QUEUED : RUNNING;
    }
    if (succeeded == parts.size()) {
      return SUCCEEDED;
    }
    if (cancelled == parts.size()) {
      return CANCELLED;
    }
    boolean anyPartial = parts.contains(PARTIAL);
    return succeeded == 0 && !anyPartial ? FAILED : PARTIAL;
  }
}
