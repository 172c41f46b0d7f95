package dev.mediaflow.job;

/**
 * Hears about a watched job's changes: its first status, every change of state, output results or
 * progress, and its final status.
 *
 * <p>Called on the watcher's poll thread: return quickly and hand heavy work to your own executor.
 * An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface JobListener {
  /**
   * Called when a job's status changed.
   *
   * @param previous the status seen before, or null for the first one
   * @param current the new status
   */
  void onChange(JobStatus previous, JobStatus current);
}
