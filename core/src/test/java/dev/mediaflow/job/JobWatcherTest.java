package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.JobTimeoutException;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobWatcherTest {
  private static final WatchPolicy FAST =
      new WatchPolicy(
          Duration.ofMillis(5), 2.0, Duration.ofMillis(40), 0.2, Duration.ofSeconds(20), 1);

  /** The watcher's clock, scheduler and poller: time moves only when a test advances it. */
  private final ManualScheduler time = new ManualScheduler();

  private final JobWatcher watcher = new JobWatcher(FAST, time, time, time);

  @AfterEach
  void close() {
    watcher.close();
  }

  /** Lets {@code d} pass on the watcher's clock, running the polls that fall due. */
  private void elapse(Duration d) {
    time.advance(d);
  }

  /** Lets up to {@code d} pass and returns the future's result; it must be done by then. */
  private static <T> T doneWithin(ManualScheduler time, Duration d, CompletableFuture<T> f)
      throws Exception {
    time.advance(d);
    assertThat(f).isDone();
    return f.get(0, TimeUnit.SECONDS);
  }

  private static JobStatus status(JobId id, JobState state) {
    return JobStatus.builder(id, state).build();
  }

  /** A job that reports {@code states} in turn, then the last one forever. */
  private static StatusSource sequence(JobState... states) {
    AtomicInteger calls = new AtomicInteger();
    return id -> status(id, states[Math.min(calls.getAndIncrement(), states.length - 1)]);
  }

  @Test
  void watch_completesWithTheTerminalStatus_andReportsEachChangeOnce() throws Exception {
    JobId id = JobId.of("t", "1");
    List<String> changes = new CopyOnWriteArrayList<>();
    CompletableFuture<JobStatus> f =
        watcher.watch(
            id,
            sequence(
                JobState.QUEUED,
                JobState.QUEUED,
                JobState.RUNNING,
                JobState.RUNNING,
                JobState.FAILED),
            (prev, cur) ->
                changes.add((prev == null ? "-" : prev.state().name()) + ">" + cur.state()));

    JobStatus done = doneWithin(time, Duration.ofSeconds(5), f);

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(changes).containsExactly("->QUEUED", "QUEUED>RUNNING", "RUNNING>FAILED");
    assertThat(watcher.watching()).isZero();
  }

  @Test
  void watch_ignoresAStateThatCannotFollow() throws Exception {
    JobId id = JobId.of("t", "1");
    List<JobState> seen = new CopyOnWriteArrayList<>();
    doneWithin(
        time,
        Duration.ofSeconds(5),
        watcher.watch(
            id,
            sequence(JobState.RUNNING, JobState.QUEUED, JobState.SUCCEEDED),
            (p, c) -> seen.add(c.state())));
    assertThat(seen).containsExactly(JobState.RUNNING, JobState.SUCCEEDED);
  }

  @Test
  void passingReadErrors_areRetried() throws Exception {
    JobId id = JobId.of("t", "1");
    AtomicInteger calls = new AtomicInteger();
    StatusSource flaky =
        x ->
            switch (calls.getAndIncrement()) {
              case 0 -> throw new MediaClientException("reset", new IOException("reset"));
              case 1 -> throw new MediaServiceException("t", 503, "SlowDown", "r1", "busy");
              case 2 -> throw new MediaServiceException("t", 429, "", "", "");
              default -> status(x, JobState.SUCCEEDED);
            };
    assertThat(doneWithin(time, Duration.ofSeconds(5), watcher.watch(id, flaky)).state())
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void finalReadErrors_failTheFuture() {
    MediaServiceException unknownJob =
        new MediaServiceException("qiniu", 612, "", "req", "no such persistentId");
    CompletableFuture<JobStatus> f =
        watcher.watch(
            JobId.of("t", "1"),
            x -> {
              throw unknownJob;
            });
    elapse(Duration.ofSeconds(5));
    assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(unknownJob);
  }

  @Test
  void unexpectedSourceBug_failsTheFuture_insteadOfStrandingIt() {
    CompletableFuture<JobStatus> f = watcher.watch(JobId.of("t", "1"), x -> null);
    elapse(Duration.ofSeconds(5));
    assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null");
  }

  @Test
  void deadline_failsWithTimeout_carryingTheLastStatus() {
    CompletableFuture<JobStatus> f =
        watcher.watch(JobId.of("t", "1"), sequence(JobState.RUNNING), null, Duration.ofMillis(100));
    elapse(Duration.ofMillis(99));
    assertThat(f).isNotDone();
    elapse(Duration.ofSeconds(5));
    assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(JobTimeoutException.class)
        .satisfies(
            e ->
                assertThat(((JobTimeoutException) e).lastStatus().state())
                    .isEqualTo(JobState.RUNNING));
  }

  @Test
  void cancellingTheFuture_stopsPolling() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<JobStatus> f =
        watcher.watch(
            JobId.of("t", "1"),
            x -> {
              calls.incrementAndGet();
              return status(x, JobState.RUNNING);
            });
    elapse(Duration.ofMillis(100));
    assertThat(calls.get()).isGreaterThan(1);
    f.cancel(false);
    int after = calls.get();
    elapse(Duration.ofMillis(200));
    assertThat(calls.get()).isEqualTo(after);
    assertThat(watcher.watching()).isZero();
    assertThat(time.pending()).isZero();
  }

  @Test
  void throwingListener_doesNotStopTheWatch() throws Exception {
    watcher.addListener(
        (p, c) -> {
          throw new IllegalStateException("listener bug");
        });
    assertThat(
            doneWithin(
                    time,
                    Duration.ofSeconds(5),
                    watcher.watch(
                        JobId.of("t", "1"), sequence(JobState.RUNNING, JobState.SUCCEEDED)))
                .state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void thousandsOfJobs_runOnTwoThreads() throws Exception {
    // On real threads: this counts the threads of a watcher made by create().
    try (JobWatcher watcher = JobWatcher.create(FAST)) {
      Set<String> pollThreads = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<JobStatus>> all = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        AtomicInteger calls = new AtomicInteger();
        int length = i % 7;
        all.add(
            watcher.watch(
                JobId.of("t", "j" + i),
                x -> {
                  pollThreads.add(Thread.currentThread().getName());
                  return status(
                      x, calls.incrementAndGet() > length ? JobState.SUCCEEDED : JobState.RUNNING);
                }));
      }
      long threads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith(watcher.threadPrefix()))
              .count();
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      assertThat(pollThreads).hasSize(1);
      assertThat(threads).isEqualTo(2);
    }
  }

  @Test
  void close_cancelsUnfinishedWatches() {
    CompletableFuture<JobStatus> f = watcher.watch(JobId.of("t", "1"), sequence(JobState.RUNNING));
    watcher.close();
    assertThat(f).isCancelled();
    assertThatThrownBy(() -> watcher.watch(JobId.of("t", "2"), sequence(JobState.RUNNING)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void delays_growExponentially_upToTheCap_withJitterOnlyShortening() {
    WatchPolicy p =
        new WatchPolicy(
            Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.2, Duration.ofHours(1), 1);
    assertThat(p.delayNanos(0, 0)).isEqualTo(1_000_000_000L);
    assertThat(p.delayNanos(3, 0)).isEqualTo(8_000_000_000L);
    assertThat(p.delayNanos(10, 0)).isEqualTo(30_000_000_000L);
    assertThat(p.delayNanos(3, 0.999)).isBetween(6_400_000_000L, 8_000_000_000L);
    assertThat(p.delayNanos(Integer.MAX_VALUE, 0.5)).isEqualTo(27_000_000_000L);
  }

  @Test
  void pollsPerJob_stayNearTheLogarithmOfItsLength() throws Exception {
    // A job of 40 first-delays: doubling needs about log2(40) + 2 polls, not 40.
    AtomicInteger calls = new AtomicInteger();
    long end = time.getAsLong() + TimeUnit.MILLISECONDS.toNanos(200);
    WatchPolicy p =
        new WatchPolicy(
            Duration.ofMillis(5), 2.0, Duration.ofSeconds(10), 0.0, Duration.ofSeconds(10), 1);
    try (JobWatcher w = new JobWatcher(p, time, time, time)) {
      doneWithin(
          time,
          Duration.ofSeconds(5),
          w.watch(
              JobId.of("t", "1"),
              x -> {
                calls.incrementAndGet();
                return status(x, time.getAsLong() >= end ? JobState.SUCCEEDED : JobState.RUNNING);
              }));
    }
    assertThat(calls.get()).isBetween(3, 9);
  }

  @Test
  void policy_rejectsNonsense() {
    assertThatThrownBy(() -> WatchPolicy.defaults().withMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WatchPolicy.defaults().withJitter(2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WatchPolicy.defaults().withPollThreads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WatchPolicy.defaults().withMaxDelay(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
