package dev.mediaflow.jobs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link JobStore} promises, run against each implementation: {@link #newStore()} returns a
 * store over an empty storage, and {@link #sameStorage()} another store object over the same
 * storage (as a second process would open it).
 */
abstract class JobStoreContractTest {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(2);

  /** Returns a store over storage emptied for this test. */
  abstract JobStore newStore();

  /** Returns another store object over the storage of the last {@link #newStore()}. */
  abstract JobStore sameStorage();

  static JobRecord job(String vendorId) {
    return JobRecord.submitted(JobId.of("qiniu", vendorId), T0.plusSeconds(3600), "", T0);
  }

  static JobId id(String vendorId) {
    return JobId.of("qiniu", vendorId);
  }

  @Test
  void put_get_andStatesOnlyMoveForward() {
    JobStore store = newStore();
    JobId id = JobId.of("oss", "east", List.of("T1", "T2"), Map.of("b", "media"));
    store.put(JobRecord.submitted(id, T0.plusSeconds(60), "order-1", T0));

    assertThat(store.advance(id, JobState.SUCCEEDED, T0).orElseThrow().state())
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(store.advance(id, JobState.RUNNING, T0).orElseThrow().state())
        .as("running after succeeded changes nothing")
        .isEqualTo(JobState.SUCCEEDED);
    // Found by its vendor ids alone, as a notification names it.
    JobRecord r = store.get(JobId.of("oss", "east", List.of("T1", "T2"), Map.of())).orElseThrow();
    assertThat(r.id()).isEqualTo(id);
    assertThat(r.tag()).isEqualTo("order-1");
    assertThat(r.instance()).isEqualTo("east");
    assertThat(r.deadline()).isEqualTo(T0.plusSeconds(60));
    assertThat(store.open()).hasSize(1);

    store.delivered(id, T0);
    assertThat(store.open()).isEmpty();
    assertThat(store.purge(T0)).as("changed at T0, not before").isZero();
    assertThat(store.purge(T0.plusSeconds(1))).isEqualTo(1);
    assertThat(store.get(id)).isEmpty();
    assertThat(store.advance(id, JobState.FAILED, T0)).as("unknown job").isEmpty();
  }

  @Test
  void aRecord_roundTripsExactly_includingSubMicrosecondInstants() {
    JobStore store = newStore();
    Instant now = Instant.parse("2024-05-01T10:00:00.123456789Z");
    JobRecord r =
        JobRecord.submitted(id("exact"), Instant.parse("9999-12-31T23:59:59Z"), "tag é ü", now)
            .withNotified(now)
            .withLease("owner-1", now, LEASE);
    store.put(r);
    assertThat(sameStorage().get(id("exact"))).contains(r);
  }

  @Test
  void put_ofAKnownJob_mergesWithWhatIsStored() {
    JobStore store = newStore();
    store.put(job("m"));
    store.advance(id("m"), JobState.RUNNING, T0.plusSeconds(1));
    JobRecord again =
        JobRecord.submitted(id("m"), T0.plusSeconds(7200), "late-tag", T0.plusSeconds(2));
    JobRecord stored = store.put(again);
    assertThat(stored.state())
        .as("a resubmission does not move the state back")
        .isEqualTo(JobState.RUNNING);
    assertThat(stored.tag()).isEqualTo("late-tag");
    assertThat(stored.deadline()).isEqualTo(T0.plusSeconds(7200));
    assertThat(store.get(id("m"))).contains(stored);
  }

  @Test
  void anEnd_staysDelivered_andADeliveredRecordIsNeverClaimed() {
    JobStore store = newStore();
    store.put(job("d"));
    store.advance(id("d"), JobState.SUCCEEDED, T0);
    store.delivered(id("d"), T0);
    store.put(job("d")); // a late resubmission of the same job
    assertThat(store.get(id("d")).orElseThrow().delivered()).isTrue();
    assertThat(store.claim("qiniu", "a", T0.plusSeconds(10), LEASE, 10)).isEmpty();
    assertThat(store.renew("a", List.of(id("d")), T0, LEASE)).isEmpty();
  }

  @Test
  void leases_oneOwnerAtATime_untilExpiryOrRelease() {
    JobStore store = newStore();
    for (int i = 0; i < 5; i++) {
      store.put(job("l" + i));
    }
    List<JobRecord> a = store.claim("qiniu", "owner-a", T0, LEASE, 3);
    assertThat(a).hasSize(3).allMatch(r -> r.owner().equals("owner-a"));
    assertThat(a).allMatch(r -> r.leaseExpiry().equals(T0.plus(LEASE)));
    List<JobRecord> b = store.claim("qiniu", "owner-b", T0, LEASE, 10);
    assertThat(b).hasSize(2);
    assertThat(store.claim("qiniu", "owner-a", T0, LEASE, 10))
        .as("nothing free, and own leases are not returned again")
        .isEmpty();
    assertThat(store.claim("oss", "owner-c", T0, LEASE, 10)).as("another instance").isEmpty();

    List<JobId> aIds = a.stream().map(JobRecord::id).toList();
    List<JobId> bIds = b.stream().map(JobRecord::id).toList();
    assertThat(store.renew("owner-b", aIds, T0.plusSeconds(1), LEASE))
        .as("b cannot renew a's live leases")
        .isEmpty();
    assertThat(store.renew("owner-a", aIds, T0.plusSeconds(60), LEASE))
        .containsExactlyInAnyOrderElementsOf(aIds);

    // b's leases expire at T0 + 2 min; a renewed until T0 + 3 min.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    List<JobRecord> c = store.claim("qiniu", "owner-c", later, LEASE, 10);
    assertThat(c).extracting(JobRecord::id).containsExactlyInAnyOrderElementsOf(bIds);
    assertThat(store.renew("owner-b", bIds, later, LEASE)).as("taken over").isEmpty();

    store.release("owner-a", aIds, later);
    store.release("owner-b", aIds, later); // not b's: changes nothing
    assertThat(store.claim("qiniu", "owner-b", later, LEASE, 10))
        .extracting(JobRecord::id)
        .containsExactlyInAnyOrderElementsOf(aIds);
    assertThat(sameStorage().get(aIds.get(0)).orElseThrow().owner()).isEqualTo("owner-b");
  }

  @Test
  void anEndRecordedThroughOneStoreObject_isSeenThroughAnother() {
    JobStore one = newStore();
    JobStore other = sameStorage();
    one.put(job("e"));
    one.claim("qiniu", "owner-a", T0, LEASE, 1);
    other.advance(id("e"), JobState.SUCCEEDED, T0.plusSeconds(1));
    other.delivered(id("e"), T0.plusSeconds(1));
    assertThat(one.get(id("e")).orElseThrow().delivered()).isTrue();
    assertThat(one.open()).isEmpty();
    assertThat(one.renew("owner-a", List.of(id("e")), T0.plusSeconds(2), LEASE))
        .as("an ended job is no longer held")
        .isEmpty();
  }

  @Test
  void concurrentUpdatesOfOneRecord_loseNone() throws Exception {
    JobStore store = newStore();
    store.put(job("c"));
    int writers = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        JobStore own = sameStorage();
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    // Each change appends one character to the tag: a lost update loses one.
                    own.update(
                        id("c"),
                        r ->
                            new JobRecord(
                                r.id(),
                                r.instance(),
                                r.state(),
                                r.delivered(),
                                r.notified(),
                                r.deadline(),
                                r.owner(),
                                r.leaseExpiry(),
                                r.tag() + "x",
                                r.updated()));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.get(id("c")).orElseThrow().tag()).hasSize(writers * each);
  }

  @Test
  void concurrentFirstPutsOfOneJob_keepOneRecord() throws Exception {
    JobStore store = newStore();
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<JobRecord>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        JobStore own = sameStorage();
        String tag = "t" + w;
        done.add(
            pool.submit(() -> own.put(JobRecord.submitted(id("p"), T0.plusSeconds(60), tag, T0))));
      }
      for (Future<JobRecord> f : done) {
        assertThat(f.get(60, TimeUnit.SECONDS).id()).isEqualTo(id("p"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.open()).hasSize(1);
  }

  @Test
  void concurrentClaimers_neverGetOneRecordTwice() throws Exception {
    JobStore store = newStore();
    int jobs = 300;
    for (int i = 0; i < jobs; i++) {
      store.put(job("k" + i));
    }
    int claimers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    List<Future<List<JobRecord>>> done = new ArrayList<>();
    try {
      for (int w = 0; w < claimers; w++) {
        JobStore own = sameStorage();
        String owner = "owner-" + w;
        done.add(
            pool.submit(
                () -> {
                  List<JobRecord> mine = new ArrayList<>();
                  while (true) {
                    List<JobRecord> got = own.claim("qiniu", owner, T0, LEASE, 7);
                    if (got.isEmpty()) {
                      return mine;
                    }
                    mine.addAll(got);
                  }
                }));
      }
      Set<String> seen = new HashSet<>();
      int total = 0;
      for (Future<List<JobRecord>> f : done) {
        for (JobRecord r : f.get(120, TimeUnit.SECONDS)) {
          assertThat(seen.add(r.key())).as("claimed twice: %s", r.key()).isTrue();
          total++;
        }
      }
      assertThat(total).isEqualTo(jobs);
    } finally {
      pool.shutdownNow();
    }
  }
}
