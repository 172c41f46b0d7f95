package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watcher's reports: each status poll, and each watched job's end once, with its duration. */
class JobWatcherObserverTest {
  private static final WatchPolicy FAST =
      new WatchPolicy(
          Duration.ofMillis(5), 2.0, Duration.ofMillis(40), 0.2, Duration.ofSeconds(20), 1);

  private final ManualScheduler time = new ManualScheduler();
  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final List<Long> durations = new CopyOnWriteArrayList<>();
  private final MediaObserver observer =
      new MediaObserver() {
        @Override
        public void jobEnded(Origin origin, JobState state, long watchedNanos) {
          durations.add(watchedNanos);
          reports.add("ended " + origin.provider() + "/" + origin.instance() + " " + state);
        }

        @Override
        public void statusPolled(Origin origin, Throwable error) {
          reports.add(
              "polled "
                  + origin.provider()
                  + "/"
                  + origin.instance()
                  + " "
                  + (error == null ? "none" : error.getClass().getSimpleName()));
        }
      };
  private final JobWatcher watcher = new JobWatcher(FAST, time, time, time, observer);

  @AfterEach
  void close() {
    watcher.close();
  }

  private static StatusSource sequence(JobState... states) {
    AtomicInteger calls = new AtomicInteger();
    return id ->
        JobStatus.builder(id, states[Math.min(calls.getAndIncrement(), states.length - 1)]).build();
  }

  @Test
  void eachPoll_andTheEnd_areReported_withTheInstanceOfTheJob() throws Exception {
    JobId id = JobId.of("qiniu", "z0.abc").withInstance("archive");
    CompletableFuture<JobStatus> f =
        watcher.watch(id, sequence(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED));

    time.advance(Duration.ofSeconds(5));

    assertThat(f).isCompleted();
    assertThat(reports)
        .containsExactly(
            "polled qiniu/archive none",
            "polled qiniu/archive none",
            "polled qiniu/archive none",
            "ended qiniu/archive SUCCEEDED");
    assertThat(durations).hasSize(1);
    assertThat(durations.get(0)).isPositive();
    assertThat(String.join("\n", reports)).doesNotContain("z0.abc");
  }

  @Test
  void aFailedRead_isReportedWithItsError_andTheWatchGoesOn() {
    JobId id = JobId.of("oss", "t-1");
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<JobStatus> f =
        watcher.watch(
            id,
            j -> {
              if (calls.getAndIncrement() == 0) {
                throw new MediaClientException("connection reset", null);
              }
              return JobStatus.builder(j, JobState.FAILED).build();
            });

    time.advance(Duration.ofSeconds(5));

    assertThat(f).isCompleted();
    assertThat(reports)
        .containsExactly(
            "polled oss/oss MediaClientException", "polled oss/oss none", "ended oss/oss FAILED");
  }

  @Test
  void aJobWatchedTwice_endsOnce() {
    JobId id = JobId.of("oss", "t-2");
    CompletableFuture<JobStatus> a = watcher.watch(id, sequence(JobState.CANCELLED));
    CompletableFuture<JobStatus> b = watcher.watch(id, sequence(JobState.CANCELLED));

    time.advance(Duration.ofSeconds(5));

    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
    assertThat(reports.stream().filter(r -> r.startsWith("ended")))
        .containsExactly("ended oss/oss CANCELLED");
  }

  @Test
  void aPushedEnd_isReportedOnce() {
    JobId id = JobId.of("oss", "t-3");
    CompletableFuture<JobStatus> f = watcher.watch(id, sequence(JobState.RUNNING));
    time.advance(Duration.ofMillis(1));

    watcher.accept(
        new dev.mediaflow.notify.JobEvent("m-1", JobStatus.builder(id, JobState.PARTIAL).build()));
    watcher.accept(
        new dev.mediaflow.notify.JobEvent("m-2", JobStatus.builder(id, JobState.PARTIAL).build()));

    assertThat(f).isCompleted();
    assertThat(reports.stream().filter(r -> r.startsWith("ended")))
        .containsExactly("ended oss/oss PARTIAL");
  }

  @Test
  void theDefaultWatcher_reportsToNoop() {
    try (JobWatcher w = JobWatcher.create()) {
      assertThat(w.observer()).isSameAs(MediaObserver.noop());
    }
  }
}
