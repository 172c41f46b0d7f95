package dev.mediaflow.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A time limit on the HTTP calls one thread makes for one piece of work. The job watcher reads a
 * stored job's status within the time the job's lease has left, so that the read cannot outlast the
 * lease and overlap the next owner's reads. {@link HttpCalls} cuts each call off when the budget is
 * spent and does not retry past it. Without a budget, nothing changes.
 */
public final class CallBudget {
  /** The deadline of the current thread's budget, in {@link System#nanoTime()}; none when null. */
  private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

  private CallBudget() {}

  /**
   * Runs {@code work} with the HTTP calls of this thread limited to {@code budget} in all (or less,
   * when an enclosing budget has less left).
   */
  public static <T> T within(Duration budget, Supplier<T> work) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(work, "work");
    Long outer = DEADLINE.get();
    long deadline = System.nanoTime() + Math.max(0, budget.toNanos());
    if (outer != null && outer - deadline < 0) {
      deadline = outer;
    }
    DEADLINE.set(deadline);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        DEADLINE.remove();
      } else {
        DEADLINE.set(outer);
      }
    }
  }

  /**
   * Returns the nanoseconds this thread's budget has left (zero or less when spent), or {@link
   * Long#MAX_VALUE} when it has none.
   */
  public static long remainingNanos() {
    Long deadline = DEADLINE.get();
    return deadline == null ? Long.MAX_VALUE : deadline - System.nanoTime();
  }
}
