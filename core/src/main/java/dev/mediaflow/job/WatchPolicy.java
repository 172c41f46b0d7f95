package dev.mediaflow.job;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link JobWatcher} polls: the first retry after {@code initialDelay}, each later one
 * {@code multiplier} times longer up to {@code maxDelay}, shortened at random by up to {@code
 * jitter} (a fraction, so polls of jobs submitted together spread out), and given up after {@code
 * deadline}.
 *
 * <p>A job whose vendor pushes its changes (a verified notification arrived, or the watch was
 * started as notified) is polled only every {@code safetyInterval}: the pushes end it at once, and
 * the polls end it anyway when a notification is lost.
 *
 * <p>Polls run on {@code pollThreads} threads (plus one scheduler thread). Immutable and
 * thread-safe.
 *
 * @param initialDelay the delay before the second poll (the first is immediate)
 * @param multiplier how much each delay grows, at least 1
 * @param maxDelay the longest delay between two polls
 * @param jitter the fraction of each delay that may be cut at random, 0 to 1
 * @param deadline how long a job is watched before its future fails with a timeout
 * @param pollThreads the threads that run status reads
 * @param safetyInterval the delay between two polls of a job whose changes are pushed
 */
public record WatchPolicy(
    Duration initialDelay,
    double multiplier,
    Duration maxDelay,
    double jitter,
    Duration deadline,
    int pollThreads,
    Duration safetyInterval) {
  /** The default {@link #safetyInterval()}. */
  public static final Duration DEFAULT_SAFETY_INTERVAL = Duration.ofMinutes(5);

  public WatchPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(deadline, "deadline");
    if (initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be > 0: " + initialDelay);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be >= initialDelay: " + maxDelay);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be > 0: " + deadline);
    }
    if (pollThreads < 1) {
      throw new IllegalArgumentException("pollThreads must be >= 1: " + pollThreads);
    }
    Objects.requireNonNull(safetyInterval, "safetyInterval");
    if (safetyInterval.isNegative() || safetyInterval.isZero()) {
      throw new IllegalArgumentException("safetyInterval must be > 0: " + safetyInterval);
    }
  }

  /** A policy with the default {@link #DEFAULT_SAFETY_INTERVAL safety interval}. */
  public WatchPolicy(
      Duration initialDelay,
      double multiplier,
      Duration maxDelay,
      double jitter,
      Duration deadline,
      int pollThreads) {
    this(
        initialDelay, multiplier, maxDelay, jitter, deadline, pollThreads, DEFAULT_SAFETY_INTERVAL);
  }

  /**
   * Returns the defaults: 1 s doubling to 30 s, 20% jitter, a 24 h deadline, one poll thread, and
   * every 5 min for jobs whose changes are pushed.
   */
  public static WatchPolicy defaults() {
    return new WatchPolicy(
        Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.2, Duration.ofHours(24), 1);
  }

  public WatchPolicy withInitialDelay(Duration d) {
    return new WatchPolicy(d, multiplier, maxDelay, jitter, deadline, pollThreads, safetyInterval);
  }

  public WatchPolicy withMultiplier(double m) {
    return new WatchPolicy(
        initialDelay, m, maxDelay, jitter, deadline, pollThreads, safetyInterval);
  }

  public WatchPolicy withMaxDelay(Duration d) {
    return new WatchPolicy(
        initialDelay, multiplier, d, jitter, deadline, pollThreads, safetyInterval);
  }

  public WatchPolicy withJitter(double j) {
    return new WatchPolicy(
        initialDelay, multiplier, maxDelay, j, deadline, pollThreads, safetyInterval);
  }

  public WatchPolicy withDeadline(Duration d) {
    return new WatchPolicy(
        initialDelay, multiplier, maxDelay, jitter, d, pollThreads, safetyInterval);
  }

  public WatchPolicy withPollThreads(int n) {
    return new WatchPolicy(initialDelay, multiplier, maxDelay, jitter, deadline, n, safetyInterval);
  }

  public WatchPolicy withSafetyInterval(Duration d) {
    return new WatchPolicy(initialDelay, multiplier, maxDelay, jitter, deadline, pollThreads, d);
  }

  /**
   * Returns the delay in nanoseconds before the next poll of a job whose changes are pushed: the
   * safety interval, shortened at random by up to the jitter. {@code random} is in [0, 1).
   */
  public long safetyDelayNanos(double random) {
    return Math.max(1, (long) (safetyInterval.toNanos() * (1.0 - jitter * random)));
  }

  /**
   * Returns the delay in nanoseconds before poll number {@code attempt + 1}, where attempt 0
   * follows the first poll. {@code random} is in [0, 1) and picks the jitter.
   */
  public long delayNanos(int attempt, double random) {
    double base = initialDelay.toNanos() * Math.pow(multiplier, Math.min(attempt, 1000));
    double capped = Math.min(base, maxDelay.toNanos());
    return Math.max(1, (long) (capped * (1.0 - jitter * random)));
  }
}
