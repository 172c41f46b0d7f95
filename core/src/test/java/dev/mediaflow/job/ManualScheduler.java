package dev.mediaflow.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A scheduler and clock for tests, on one thread and no real time: {@link #execute} runs a task at
 * once, a scheduled task runs when {@link #advance} moves the clock past its time. Tasks due at the
 * same time run in the order they were scheduled. Not thread-safe: use it from the test's thread
 * only.
 */
final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService, LongSupplier {
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long now = 1_000_000_000L;
  private long sequence;
  private boolean shutdown;

  /** The clock, in nanoseconds. */
  @Override
  public long getAsLong() {
    return now;
  }

  /**
   * Moves the clock forward by {@code d}, running each task that falls due on the way at its time.
   */
  void advance(Duration d) {
    long until = now + d.toNanos();
    while (!queue.isEmpty() && queue.peek().at <= until) {
      Task<?> t = queue.poll();
      now = Math.max(now, t.at);
      if (!t.isCancelled()) {
        t.run();
      }
    }
    now = until;
  }

  /**
   * Moves the clock forward by {@code d} without running anything, as when the process is paused or
   * starved: the tasks that fell due meanwhile run late, at the next {@link #advance}, in the order
   * of their times.
   */
  void stall(Duration d) {
    now += d.toNanos();
  }

  /** Returns how many scheduled tasks wait to run. */
  int pending() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    command.run();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, now + Math.max(0, unit.toNanos(delay))));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, now + Math.max(0, unit.toNanos(delay))));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("the watcher schedules one poll at a time");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the watcher schedules one poll at a time");
  }

  private <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    queue.add(task);
    return task;
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long at;
    final long order = sequence++;

    Task(Runnable command, V result, long at) {
      super(command, result);
      this.at = at;
    }

    Task(Callable<V> callable, long at) {
      super(callable);
      this.at = at;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      return at != t.at ? Long.compare(at, t.at) : Long.compare(order, t.order);
    }
  }
}
