package dev.mediaflow.job;

import dev.mediaflow.JobTimeoutException;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches many jobs at once on a fixed, small number of threads: one scheduler thread and {@link
 * WatchPolicy#pollThreads()} poll threads (one by default), however many jobs are watched.
 *
 * <p>Each job is polled at once, then with exponential backoff plus jitter up to a cap, until it
 * reaches a terminal state (its future completes with that status, whatever it is) or its deadline
 * (the future fails with {@link JobTimeoutException}). A failed read that may pass (an I/O error,
 * HTTP 429 or 5xx) is retried on the same schedule; any other error fails that job's future.
 * Listeners hear of every change.
 *
 * <pre>{@code
 * try (JobWatcher watcher = JobWatcher.create()) {
 *   CompletableFuture<JobStatus> done = watcher.watch(jobId, client::status);
 *   done.thenAccept(s -> System.out.println(s.summary()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Cancelling a returned future stops watching that job. {@link #close()} stops all.
 */
public final class JobWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWatcher.class);
  private static final AtomicInteger WATCHERS = new AtomicInteger();

  private final WatchPolicy policy;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService poller;
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<Watch> active = ConcurrentHashMap.newKeySet();
  private final String threadPrefix;
  private volatile boolean closed;

  private JobWatcher(WatchPolicy policy, String threadPrefix) {
    this(
        policy,
        System::nanoTime,
        scheduler(threadPrefix),
        new ThreadPoolExecutor(
            policy.pollThreads(),
            policy.pollThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            daemon(threadPrefix + "poll")),
        threadPrefix);
  }

  /**
   * A watcher that reads the time from {@code nanoTime} (nanoseconds that only move forward, as
   * {@link System#nanoTime()}), schedules each poll on {@code scheduler} and runs it on {@code
   * poller}: the seam that lets tests run on a manual clock instead of real time. {@link #close()}
   * shuts both executors down.
   */
  JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller) {
    this(policy, nanoTime, scheduler, poller, "");
  }

  private JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller,
      String threadPrefix) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.poller = Objects.requireNonNull(poller, "poller");
    this.threadPrefix = threadPrefix;
  }

  private static ScheduledExecutorService scheduler(String threadPrefix) {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, daemon(threadPrefix + "scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return scheduler;
  }

  /** Returns a watcher with {@link WatchPolicy#defaults()}. Close it when done. */
  public static JobWatcher create() {
    return create(WatchPolicy.defaults());
  }

  public static JobWatcher create(WatchPolicy policy) {
    return new JobWatcher(
        Objects.requireNonNull(policy, "policy"),
        "mediaflow-watcher-" + WATCHERS.incrementAndGet() + "-");
  }

  public WatchPolicy policy() {
    return policy;
  }

  /** Watches a job with the policy's deadline. */
  public CompletableFuture<JobStatus> watch(JobId id, StatusSource source) {
    return watch(id, source, null, policy.deadline());
  }

  /** Watches a job, reporting its changes to {@code listener} (besides the watcher's listeners). */
  public CompletableFuture<JobStatus> watch(JobId id, StatusSource source, JobListener listener) {
    return watch(id, source, listener, policy.deadline());
  }

  /**
   * Watches a job until it ends or {@code deadline} passes.
   *
   * @param listener hears this job's changes; may be null
   */
  public CompletableFuture<JobStatus> watch(
      JobId id, StatusSource source, JobListener listener, Duration deadline) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(deadline, "deadline");
    if (closed) {
      throw new IllegalStateException("this JobWatcher is closed");
    }
    Watch w =
        new Watch(id, source, listener, nanoTime.getAsLong() + Math.max(0, deadline.toNanos()));
    active.add(w);
    w.future.whenComplete(
        (s, e) -> {
          active.remove(w);
          ScheduledFuture<?> next = w.next;
          if (next != null) {
            next.cancel(false);
          }
        });
    schedule(w, 0);
    return w.future;
  }

  /** Adds a listener that hears of every watched job's changes. */
  public void addListener(JobListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  /** Returns the prefix of this watcher's thread names. */
  String threadPrefix() {
    return threadPrefix;
  }

  /** Returns how many jobs are being watched. */
  public int watching() {
    return active.size();
  }

  /** Stops watching: every unfinished future is cancelled, and the threads end. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    poller.shutdownNow();
    for (Watch w : active) {
      w.future.cancel(false);
    }
  }

  private void schedule(Watch w, long delayNanos) {
    if (w.future.isDone()) {
      return;
    }
    try {
      w.next = scheduler.schedule(() -> dispatch(w), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      w.future.cancel(false);
    }
  }

  private void dispatch(Watch w) {
    try {
      poller.execute(w);
    } catch (RejectedExecutionException e) {
      w.future.cancel(false);
    }
  }

  private void poll(Watch w) {
    if (w.future.isDone()) {
      return;
    }
    long now = nanoTime.getAsLong();
    JobStatus status;
    try {
      status = w.source.fetch(w.id);
      if (status == null) {
        throw new IllegalStateException("status source returned null for " + w.id);
      }
      w.errors = 0;
    } catch (RuntimeException e) {
      if (!isPassing(e)) {
        w.future.completeExceptionally(e);
        return;
      }
      w.errors++;
      log.debug("Reading the status of {} failed ({} in a row); retrying", w.id, w.errors, e);
      next(w, now);
      return;
    }
    JobStatus previous = w.last;
    if (previous != null && !previous.state().canMoveTo(status.state())) {
      log.debug("Ignoring {} for {}: it cannot follow {}", status.state(), w.id, previous.state());
    } else if (!status.sameAs(previous)) {
      w.last = status;
      notifyListeners(w, previous, status);
    }
    if (status.isTerminal() && w.last == status) {
      w.future.complete(status);
      return;
    }
    next(w, now);
  }

  private void next(Watch w, long now) {
    long delay = policy.delayNanos(w.attempt++, ThreadLocalRandom.current().nextDouble());
    long left = w.deadlineNanos - now;
    if (left <= 0) {
      w.future.completeExceptionally(
          new JobTimeoutException(
              "Job "
                  + w.id
                  + " did not finish within its watch deadline"
                  + (w.last == null ? "" : "; last state " + w.last.state())
                  + ". The job may still finish: watch it again with its id.",
              w.last));
      return;
    }
    schedule(w, Math.min(delay, left));
  }

  private void notifyListeners(Watch w, JobStatus previous, JobStatus current) {
    if (w.listener != null) {
      call(w.listener, previous, current);
    }
    for (JobListener l : listeners) {
      call(l, previous, current);
    }
  }

  private static void call(JobListener l, JobStatus previous, JobStatus current) {
    try {
      l.onChange(previous, current);
    } catch (RuntimeException e) {
      log.warn("A JobListener threw; ignoring it", e);
    }
  }

  /** True for failures that may pass on their own: I/O errors, throttling and server errors. */
  static boolean isPassing(RuntimeException e) {
    return e instanceof MediaClientException
        || (e instanceof MediaServiceException s && s.isRetryable());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** One watched job. Run by one poll thread at a time, so its fields need no locking. */
  private final class Watch implements Runnable {
    final JobId id;
    final StatusSource source;
    final JobListener listener;
    final long deadlineNanos;
    final CompletableFuture<JobStatus> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> next;
    JobStatus last;
    int attempt;
    int errors;

    Watch(JobId id, StatusSource source, JobListener listener, long deadlineNanos) {
      this.id = id;
      this.source = source;
      this.listener = listener;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
      try {
        poll(this);
      } catch (Throwable t) { // never leave a future that can no longer complete
        future.completeExceptionally(t);
        if (t instanceof Error e) {
          throw e;
        }
      }
    }
  }
}
