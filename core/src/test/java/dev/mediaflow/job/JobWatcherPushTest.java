package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.notify.JobEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushed events in the watcher, on a manual clock: no real time passes. */
class JobWatcherPushTest {
  private static final Duration SAFETY = Duration.ofMinutes(5);
  private static final WatchPolicy POLICY =
      new WatchPolicy(
          Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.0, Duration.ofHours(1), 1, SAFETY);

  private final ManualScheduler time = new ManualScheduler();
  private final JobWatcher watcher = new JobWatcher(POLICY, time, time, time);

  @AfterEach
  void close() {
    watcher.close();
  }

  /** A job that stays RUNNING until {@code ended} is set, counting reads. */
  private static final class Vendor implements StatusSource {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicReference<JobState> state = new AtomicReference<>(JobState.RUNNING);

    @Override
    public JobStatus fetch(JobId id) {
      reads.incrementAndGet();
      return JobStatus.builder(id, state.get()).build();
    }
  }

  private static JobEvent event(String message, JobId id, JobState state) {
    return new JobEvent(message, JobStatus.builder(id, state).build());
  }

  @Test
  void pushedEnd_completesTheFutureAtOnce_withoutAPoll() throws Exception {
    JobId id = JobId.of("t", "east", List.of("v1"), java.util.Map.of("b", "media"));
    Vendor vendor = new Vendor();
    List<JobState> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, (p, c) -> heard.add(c.state()));
    time.advance(Duration.ZERO); // the first poll: RUNNING
    assertThat(vendor.reads).hasValue(1);

    // The notification names the vendor id only (no attributes): it still finds the job.
    boolean taken =
        watcher.accept(
            event(
                "m1",
                JobId.of("t", "east", List.of("v1"), java.util.Map.of()),
                JobState.SUCCEEDED));

    assertThat(taken).isTrue();
    assertThat(f).isCompleted();
    assertThat(f.get().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(f.get().id()).isEqualTo(id);
    assertThat(heard).containsExactly(JobState.RUNNING, JobState.SUCCEEDED);
    assertThat(vendor.reads).hasValue(1);
    assertThat(time.pending()).isZero();
  }

  @Test
  void endPushedBeforeTheJobIsWatched_endsTheWatchAtOnce_insteadOfWaitingForASafetyPoll() {
    // The vendor can push a job's end while the submission's answer is still being read: the
    // watch that starts a moment later takes that push.
    JobId id = JobId.of("t", "early");
    Vendor vendor = new Vendor(); // the vendor still says RUNNING until its push is answered
    assertThat(watcher.accept(event("m1", id, JobState.SUCCEEDED))).isTrue();

    CompletableFuture<JobStatus> f =
        watcher.watch(id, vendor, null, Duration.ofHours(1), /* notified= */ true);

    assertThat(f).isCompleted();
    assertThat(f.join().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(vendor.reads).hasValue(0);
    time.advance(SAFETY.multipliedBy(2));
    assertThat(vendor.reads).hasValue(0);
    // taken once: a second watch of the same job is not ended by the same push again
    assertThat(watcher.accept(event("m1", id, JobState.SUCCEEDED))).isFalse();
  }

  @Test
  void duplicates_andOlderEvents_changeNothing() {
    JobId id = JobId.of("t", "1");
    Vendor vendor = new Vendor();
    vendor.state.set(JobState.QUEUED);
    List<JobState> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, (p, c) -> heard.add(c.state()));
    time.advance(Duration.ZERO);

    assertThat(watcher.accept(event("m1", id, JobState.RUNNING))).isTrue();
    assertThat(watcher.accept(event("m1", id, JobState.RUNNING))).as("same message id").isFalse();
    assertThat(watcher.accept(event("m2", id, JobState.RUNNING)))
        .as("same job and state")
        .isFalse();
    assertThat(watcher.accept(event("m3", id, JobState.QUEUED))).as("older").isFalse();
    assertThat(watcher.accept(event("m4", id, JobState.FAILED))).isTrue();
    assertThat(watcher.accept(event("m5", id, JobState.RUNNING))).as("after the end").isFalse();
    assertThat(watcher.accept(event("m6", id, JobState.SUCCEEDED))).as("another end").isFalse();

    assertThat(heard).containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.FAILED);
    assertThat(f.join().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void aNotifiedJob_isPolledOnlyAtTheSafetyInterval_andALostNotificationStillEndsIt() {
    JobId id = JobId.of("t", "1");
    Vendor vendor = new Vendor();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, null, Duration.ofHours(1), true);
    time.advance(Duration.ZERO);
    vendor.state.set(JobState.SUCCEEDED); // ends now; its notification is lost

    time.advance(SAFETY.minusSeconds(1));
    assertThat(f).isNotDone();
    assertThat(vendor.reads).hasValue(1);

    time.advance(Duration.ofSeconds(1));
    assertThat(f).isCompleted();
    assertThat(vendor.reads).hasValue(2);
  }

  @Test
  void aFirstPush_movesPollingToTheSafetyInterval() {
    JobId id = JobId.of("t", "1");
    Vendor vendor = new Vendor();
    vendor.state.set(JobState.QUEUED);
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor);
    time.advance(Duration.ZERO);
    watcher.accept(event("m1", id, JobState.RUNNING));

    time.advance(SAFETY.minusSeconds(1));
    assertThat(vendor.reads).as("no backoff polls after a push").hasValue(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(vendor.reads).hasValue(2);
    assertThat(f).isNotDone();
  }

  @Test
  void unwatchedJobs_reachTheUnwatchedListeners_once() {
    List<JobEvent> unwatched = new CopyOnWriteArrayList<>();
    watcher.addUnwatchedListener(unwatched::add);
    JobId other = JobId.of("t", "elsewhere");

    assertThat(watcher.accept(event("m1", other, JobState.SUCCEEDED))).isTrue();
    assertThat(watcher.accept(event("m2", other, JobState.SUCCEEDED))).isFalse();

    assertThat(unwatched).extracting(JobEvent::messageId).containsExactly("m1");
  }

  @Test
  void withAStore_theEndIsRecordedAndDeliveredBeforeTheFutureCompletes(@TempDir Path dir) {
    JobStore store = JobStore.inDirectory(dir);
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    try (JobWatcher w =
        new JobWatcher(POLICY, time, time, time, store, clock, Duration.ofMinutes(2))) {
      JobId id = JobId.of("t", "1");
      Vendor vendor = new Vendor();
      CompletableFuture<JobStatus> f = w.watch(id, vendor);
      time.advance(Duration.ZERO);
      assertThat(store.get(id).orElseThrow().owner()).isEqualTo(w.owner());
      assertThat(store.get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
      AtomicReference<JobRecord> whenCompleted = new AtomicReference<>();
      f.thenRun(() -> whenCompleted.set(store.get(id).orElseThrow()));

      w.accept(event("m1", id, JobState.SUCCEEDED));

      assertThat(whenCompleted.get().state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(whenCompleted.get().delivered()).isTrue();
      assertThat(store.open()).isEmpty();
    }
  }

  @Test
  void unwatchedEvents_endTheStoredJob(@TempDir Path dir) {
    JobStore store = JobStore.inDirectory(dir);
    Clock clock = Clock.systemUTC();
    JobId id = JobId.of("t", "1");
    store.put(JobRecord.submitted(id, clock.instant().plusSeconds(60), "order-7", clock.instant()));
    try (JobWatcher w =
        new JobWatcher(POLICY, time, time, time, store, clock, Duration.ofMinutes(2))) {
      w.accept(event("m1", id, JobState.SUCCEEDED));
      w.accept(event("m2", id, JobState.RUNNING));
    }
    JobRecord r = store.get(id).orElseThrow();
    assertThat(r.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(r.notified()).isTrue();
    assertThat(r.tag()).isEqualTo("order-7");
    assertThat(r.isOpen()).as("its end still has to reach a listener").isTrue();
  }

  @Test
  void resume_watchesTheOpenJobsAgain_andListenersHearAnUndeliveredEnd(@TempDir Path dir) {
    JobStore store = JobStore.inDirectory(dir);
    Clock clock = Clock.systemUTC();
    Instant now = clock.instant();
    JobId ended = JobId.of("t", "ended");
    JobId running = JobId.of("t", "running");
    JobId other = JobId.of("u", "other");
    store.put(JobRecord.submitted(ended, now.plusSeconds(600), "", now));
    store.advance(ended, JobState.SUCCEEDED, now); // ended, then the process died
    store.put(JobRecord.submitted(running, now.plusSeconds(600), "", now));
    store.put(JobRecord.submitted(other, now.plusSeconds(600), "", now));
    // Held by a live process of another machine: left to it.
    JobId held = JobId.of("t", "held");
    store.put(
        JobRecord.submitted(held, now.plusSeconds(600), "", now)
            .withLease("1@elsewhere/x", now, Duration.ofMinutes(2)));

    List<String> heard = new CopyOnWriteArrayList<>();
    try (JobWatcher w =
        new JobWatcher(POLICY, time, time, time, store, clock, Duration.ofMinutes(2))) {
      Vendor vendor = new Vendor();
      vendor.state.set(JobState.SUCCEEDED);
      var futures = w.resume("t", vendor, (p, c) -> heard.add(c.id().vendorId() + " " + c.state()));
      assertThat(futures.keySet()).containsExactlyInAnyOrder(ended, running);
      time.advance(Duration.ZERO);
      assertThat(futures.values()).allMatch(CompletableFuture::isDone);
    }
    assertThat(heard).containsExactlyInAnyOrder("ended SUCCEEDED", "running SUCCEEDED");
    assertThat(store.open()).extracting(JobRecord::id).containsExactlyInAnyOrder(other, held);
  }
}
