package dev.mediaflow.local;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * One submitted pipeline: an {@link OutputRun} per output, each moving through the core state
 * machine.
 */
final class LocalJob {
  final String id;
  final Pipeline pipeline;
  final Instant created;
  final List<OutputRun> outputs;

  /**
   * Guards {@link #sourceInfo}; the job's own lock orders state changes, records and status reads.
   */
  final Object sourceLock = new Object();

  /** What ffprobe says about the source. */
  FfprobeInfo sourceInfo;

  LocalJob(String id, Pipeline pipeline, Instant created) {
    this.id = id;
    this.pipeline = pipeline;
    this.created = created;
    List<OutputRun> runs = new ArrayList<>();
    for (int i = 0; i < pipeline.outputs().size(); i++) {
      runs.add(new OutputRun(i));
    }
    this.outputs = List.copyOf(runs);
  }

  /**
   * Returns the job's status now: per-output states, and the mean progress while it is not
   * finished.
   */
  JobStatus snapshot(JobId jobId) {
    List<OutputResult> results = new ArrayList<>();
    double progress = 0;
    for (OutputRun run : outputs) {
      OutputResult r = run.result();
      results.add(r);
      progress += r.state().isTerminal() ? 1 : run.progress();
    }
    JobState state = JobState.combine(results.stream().map(OutputResult::state).toList());
    JobStatus.Builder b =
        JobStatus.builder(jobId, state)
            .outputs(results)
            .detail("trackedBy", "local worker pool (pid " + ProcessHandle.current().pid() + ")");
    if (!state.isTerminal()) {
      b.progress((int) Math.floor(100 * progress / outputs.size()));
    }
    for (OutputRun run : outputs) {
      run.facts().forEach((k, v) -> b.detail("outputs[" + run.index + "]." + k, v));
    }
    List<String> failures =
        results.stream()
            .filter(r -> r.state() == JobState.FAILED)
            .map(r -> "output " + (r.index() + 1) + ": " + firstLine(r.message()))
            .toList();
    if (!failures.isEmpty()) {
      b.message(String.join("; ", failures));
    }
    return b.build();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** One output's run. Thread-safe; terminal states are final. */
  static final class OutputRun {
    final int index;
    final ToolRun.Cancellation cancellation = new ToolRun.Cancellation();
    volatile Future<?> future;
    private final java.util.concurrent.CountDownLatch ended =
        new java.util.concurrent.CountDownLatch(1);
    private JobState state = JobState.QUEUED;
    private double progress;
    private List<MediaObject> objects = List.of();
    private String code = "";
    private String message = "";
    private java.util.Map<String, String> facts = java.util.Map.of();

    OutputRun(int index) {
      this.index = index;
    }

    /** Moves to running; false when the output was cancelled while queued. */
    synchronized boolean start() {
      if (state != JobState.QUEUED) {
        return false;
      }
      state = JobState.RUNNING;
      return true;
    }

    /**
     * Records progress within step {@code step} of {@code steps}, {@code fraction} of it done
     * (0..1).
     */
    synchronized void progress(int steps, int step, double fraction) {
      double f = Math.max(0, Math.min(1, fraction));
      progress = Math.max(progress, (step + f) / steps);
    }

    synchronized double progress() {
      return progress;
    }

    /**
     * Marks the output done with what it saved and what is known about it (bytes, duration,
     * dimensions).
     */
    synchronized void succeed(List<MediaObject> saved, java.util.Map<String, String> savedFacts) {
      if (!state.isTerminal()) {
        state = JobState.SUCCEEDED;
        objects = List.copyOf(saved);
        facts = java.util.Map.copyOf(savedFacts);
        progress = 1;
        ended.countDown();
      }
    }

    synchronized void end(JobState end, String vendorCode, String text) {
      if (!state.isTerminal()) {
        state = end;
        code = vendorCode;
        message = text;
        ended.countDown();
      }
    }

    /** Cancels the output if it has not started: it never will. Returns whether it did. */
    synchronized boolean cancelIfQueued() {
      cancellation.cancel();
      if (state != JobState.QUEUED) {
        return false;
      }
      state = JobState.CANCELLED;
      message = "cancelled";
      ended.countDown();
      Future<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
      return true;
    }

    /**
     * Kills a running output's process and waits (up to {@code wait}) until its worker has ended
     * it, so the state read next is final. An output already moving its results into place finishes
     * as succeeded.
     */
    void stop(java.time.Duration wait) {
      cancellation.cancel();
      try {
        ended.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized java.util.Map<String, String> facts() {
      return facts;
    }

    synchronized OutputResult result() {
      return new OutputResult(index, state, objects, code, message);
    }
  }
}
