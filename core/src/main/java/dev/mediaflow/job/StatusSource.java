package dev.mediaflow.job;

/**
 * Reads the current status of a job, typically one status request to the vendor. Implementations
 * must be safe to call again (the watcher retries failed reads) and thread-safe.
 */
@FunctionalInterface
public interface StatusSource {
  JobStatus fetch(JobId id);
}
