/**
 * Submitted jobs: the {@link dev.mediaflow.job.Job} handle, its {@link dev.mediaflow.job.JobId}
 * (which survives processes), the one {@link dev.mediaflow.job.JobState} machine every provider
 * follows, status snapshots, and the {@link dev.mediaflow.job.JobWatcher} that tracks many jobs on
 * a few threads.
 *
 * <p><b>Tier: public API.</b>
 *
 * <p>Value types ({@code JobId}, {@code JobStatus}, {@code OutputResult}, {@code WatchPolicy}) are
 * immutable and thread-safe; {@code Job} and {@code JobWatcher} are thread-safe. Listeners are
 * called on the watcher's threads.
 */
package dev.mediaflow.job;
