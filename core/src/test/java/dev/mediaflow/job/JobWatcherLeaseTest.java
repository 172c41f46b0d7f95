package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored job is polled only while the watcher knows it holds the job's lease with a margin: a
 * process that was paused past its renewal renews first, and stops when another process took the
 * job meanwhile.
 */
class JobWatcherLeaseTest {
  private static final Duration LEASE = Duration.ofMinutes(2);

  /** A poll every second, no jitter: the number of polls in a time is known. */
  private static final WatchPolicy EVERY_SECOND =
      new WatchPolicy(
          Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0, Duration.ofHours(1), 1);

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  private final ManualScheduler time = new ManualScheduler();
  private final long origin = time.getAsLong();

  /** The wall clock the watcher writes leases with: moves with the manual scheduler. */
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return T0.plusNanos(time.getAsLong() - origin);
        }
      };

  @TempDir Path dir;
  private RecordingStore store;
  private JobWatcher watcher;
  private final JobId id = JobId.of("t", "1");

  /** Every status read and store renewal, in order. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private final AtomicInteger polls = new AtomicInteger();

  private final StatusSource running =
      id -> {
        polls.incrementAndGet();
        calls.add("poll");
        return JobStatus.builder(id, JobState.RUNNING).build();
      };

  @BeforeEach
  void start() {
    store = new RecordingStore(JobStore.inDirectory(dir), calls);
    watcher = new JobWatcher(EVERY_SECOND, time, time, time, store, clock, LEASE);
  }

  @AfterEach
  void close() {
    watcher.close();
  }

  @Test
  void timelyRenewals_keepThePollsUnchanged() {
    CompletableFuture<JobStatus> f = watcher.watch(id, running);

    time.advance(Duration.ofMinutes(10));

    // The first poll at once, then one a second; the leases renewed every 40 s, in the background
    // only: no poll waited for a renewal.
    assertThat(polls).hasValue(601);
    assertThat(calls).filteredOn(c -> c.startsWith("renew")).hasSize(15);
    assertThat(f).isNotDone();
    assertThat(store.get(id).orElseThrow().owner()).isEqualTo(watcher.owner());
  }

  @Test
  void aLateRenewal_isMadeBeforeTheNextPoll() {
    watcher.watch(id, running);
    time.advance(Duration.ofSeconds(10));
    calls.clear();

    // Paused for 100 s: the lease (confirmed at 0 s, held until 120 s) has less than the margin
    // left when the overdue poll runs, before the overdue background renewal.
    time.stall(Duration.ofSeconds(100));
    time.advance(Duration.ZERO);

    assertThat(calls).first().isEqualTo("renew " + id);
    assertThat(calls).contains("poll");
    assertThat(store.get(id).orElseThrow().leaseExpiry())
        .isEqualTo(T0.plusSeconds(110).plus(LEASE));
  }

  @Test
  void aWatchWhoseRenewalIsLate_doesNotPoll_whileTheStoreCannotRenewIt() {
    CompletableFuture<JobStatus> f = watcher.watch(id, running);
    time.advance(Duration.ofSeconds(10));
    int before = polls.get();

    store.failRenewals = true;
    time.stall(Duration.ofSeconds(100));
    time.advance(Duration.ofSeconds(30));

    assertThat(polls).as("no poll without a confirmed lease").hasValue(before);
    assertThat(f).isNotDone();

    store.failRenewals = false;
    time.advance(Duration.ofSeconds(5));

    assertThat(polls.get()).as("polls again once the lease is renewed").isGreaterThan(before);
    assertThat(f).isNotDone();
  }

  @Test
  void aWatchWhoseJobWasTakenOver_stopsWithoutPolling() {
    CompletableFuture<JobStatus> f = watcher.watch(id, running);
    time.advance(Duration.ofSeconds(10));
    int before = polls.get();

    // Paused past the lease; meanwhile another process claimed the job.
    time.stall(Duration.ofSeconds(130));
    assertThat(store.claim("t", "1@elsewhere/x", clock.instant(), LEASE, 10))
        .extracting(JobRecord::id)
        .containsExactly(id);
    time.advance(Duration.ZERO);

    assertThat(polls).hasValue(before);
    assertThat(f).isCancelled();
    assertThat(watcher.watching()).isZero();
    assertThat(store.get(id).orElseThrow().owner()).isEqualTo("1@elsewhere/x");
    time.advance(Duration.ofMinutes(5));
    assertThat(polls).hasValue(before);
  }

  @Test
  void slowStatusReads_widenTheMargin_soAReadEndsWithinTheLease() {
    store.failRenewals = true; // the lease stays as the watch wrote it: until 120 s
    List<Long> ends = new CopyOnWriteArrayList<>();
    StatusSource slow =
        id -> {
          polls.incrementAndGet();
          time.stall(Duration.ofSeconds(20)); // each read takes 20 s
          ends.add(Duration.ofNanos(time.getAsLong() - origin).toSeconds());
          return JobStatus.builder(id, JobState.RUNNING).build();
        };

    CompletableFuture<JobStatus> f = watcher.watch(id, slow);
    time.advance(Duration.ofMinutes(5));

    // Reads start at 0, 21, 42 and 63 s. With 20 s reads the margin is 30 + 20 s, so none starts
    // at 84 s (one would have with the bare 30 s margin, and ended at 104 s).
    assertThat(polls).hasValue(4);
    assertThat(ends).containsExactly(20L, 41L, 62L, 83L);
    assertThat(f).isNotDone();
  }

  @Test
  void aJobNotStored_isPolledWhateverTheStall() {
    try (JobWatcher plain = new JobWatcher(EVERY_SECOND, time, time, time)) {
      plain.watch(id, running);
      time.advance(Duration.ofSeconds(10));
      int before = polls.get();

      time.stall(Duration.ofMinutes(5));
      time.advance(Duration.ZERO);

      assertThat(polls).hasValue(before + 1);
    }
  }

  /** A store that records each renewal, and can be told to fail them. */
  private static final class RecordingStore implements JobStore {
    private final JobStore delegate;
    private final List<String> calls;
    volatile boolean failRenewals;

    RecordingStore(JobStore delegate, List<String> calls) {
      this.delegate = delegate;
      this.calls = calls;
    }

    @Override
    public JobRecord put(JobRecord record) {
      return delegate.put(record);
    }

    @Override
    public Optional<JobRecord> get(JobId id) {
      return delegate.get(id);
    }

    @Override
    public Optional<JobRecord> update(JobId id, UnaryOperator<JobRecord> change) {
      return delegate.update(id, change);
    }

    @Override
    public List<JobRecord> open() {
      return delegate.open();
    }

    @Override
    public List<JobRecord> claim(
        String instance, String owner, Instant now, Duration lease, int limit) {
      return delegate.claim(instance, owner, now, lease, limit);
    }

    @Override
    public List<JobId> renew(String owner, Collection<JobId> ids, Instant now, Duration lease) {
      calls.add("renew " + String.join(",", ids.stream().map(JobId::toString).toList()));
      if (failRenewals) {
        throw new MediaClientException("the store is unreachable", null);
      }
      return delegate.renew(owner, ids, now, lease);
    }

    @Override
    public void release(String owner, Collection<JobId> ids, Instant now) {
      delegate.release(owner, ids, now);
    }

    @Override
    public int purge(Instant before) {
      return delegate.purge(before);
    }
  }
}
