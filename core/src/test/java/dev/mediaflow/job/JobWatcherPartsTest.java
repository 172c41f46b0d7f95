package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.pipeline.MediaObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs made of several vendor jobs (one per output), whose vendor pushes one event per vendor job,
 * on a manual clock: no real time passes.
 */
class JobWatcherPartsTest {
  private static final Duration SAFETY = Duration.ofMinutes(5);
  private static final WatchPolicy POLICY =
      new WatchPolicy(
          Duration.ofHours(1), 2.0, Duration.ofHours(1), 0.0, Duration.ofHours(3), 1, SAFETY);

  private final ManualScheduler time = new ManualScheduler();
  private final JobWatcher watcher = new JobWatcher(POLICY, time, time, time);

  /** A job of three vendor jobs on instance "east", with attributes the events do not carry. */
  private final JobId id = JobId.of("t", "east", List.of("a", "b", "c"), Map.of("b", "media"));

  @AfterEach
  void close() {
    watcher.close();
  }

  /** A vendor whose three vendor jobs stay RUNNING until set otherwise, counting reads. */
  private static final class Vendor implements StatusSource {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicReference<List<JobState>> parts =
        new AtomicReference<>(List.of(JobState.RUNNING, JobState.RUNNING, JobState.RUNNING));

    @Override
    public JobStatus fetch(JobId id) {
      reads.incrementAndGet();
      List<OutputResult> outputs = new ArrayList<>();
      List<JobState> states = parts.get();
      for (int i = 0; i < states.size(); i++) {
        outputs.add(
            new OutputResult(
                i,
                states.get(i),
                states.get(i) == JobState.SUCCEEDED ? List.of(object(i)) : List.of(),
                "",
                ""));
      }
      return JobStatus.builder(id, JobState.combine(states)).outputs(outputs).build();
    }
  }

  private static MediaObject object(int i) {
    return MediaObject.of("media", "out/" + i + ".jpg");
  }

  /** What an intake yields for one vendor job: its own id, its state, its one output at 0. */
  private static JobEvent part(String message, String vendorId, JobState state, int output) {
    JobStatus.Builder b =
        JobStatus.builder(JobId.of("t", "east", List.of(vendorId), Map.of()), state)
            .output(
                state == JobState.SUCCEEDED
                    ? new OutputResult(0, state, List.of(object(output)), "", "")
                    : new OutputResult(0, state, List.of(), "Err" + output, "broke " + output))
            .detail("verifiedBy", "signature");
    return new JobEvent(message, b.build());
  }

  @Test
  void threeParts_endWhenTheThirdPartPushes_withoutAPoll() {
    Vendor vendor = new Vendor();
    List<JobState> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, (p, c) -> heard.add(c.state()));
    time.advance(Duration.ZERO); // the first poll: all three running
    assertThat(vendor.reads).hasValue(1);

    assertThat(watcher.accept(part("m1", "b", JobState.SUCCEEDED, 1))).isTrue();
    assertThat(watcher.accept(part("m2", "a", JobState.SUCCEEDED, 0))).isTrue();
    assertThat(f).isNotDone();
    assertThat(watcher.accept(part("m3", "c", JobState.SUCCEEDED, 2))).isTrue();

    assertThat(f).isCompleted();
    JobStatus end = f.join();
    assertThat(end.id()).isEqualTo(id);
    assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(end.outputs()).extracting(OutputResult::index).containsExactly(0, 1, 2);
    assertThat(end.outputs()).extracting(OutputResult::state).containsOnly(JobState.SUCCEEDED);
    for (int i = 0; i < 3; i++) {
      assertThat(end.outputs().get(i).objects()).containsExactly(object(i));
    }
    assertThat(end.details())
        .containsEntry("outputs[2].verifiedBy", "signature")
        .containsEntry("verifiedBy", "signature");
    // the poll, then each part push: two updates of a running job, then its end
    assertThat(heard)
        .containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.RUNNING, JobState.SUCCEEDED);
    assertThat(vendor.reads).hasValue(1);
    assertThat(time.pending()).isZero();
  }

  @Test
  void eachPartPush_updatesItsOutput_andTheJobKeepsRunning() {
    Vendor vendor = new Vendor();
    List<JobStatus> heard = new CopyOnWriteArrayList<>();
    watcher.watch(id, vendor, (p, c) -> heard.add(c));
    time.advance(Duration.ZERO);

    watcher.accept(part("m1", "c", JobState.SUCCEEDED, 2));

    JobStatus now = heard.get(heard.size() - 1);
    assertThat(now.state()).isEqualTo(JobState.RUNNING);
    assertThat(now.outputs())
        .extracting(OutputResult::state)
        .containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.SUCCEEDED);
    assertThat(now.outputs().get(2).objects()).containsExactly(object(2));
    assertThat(now.outputs().get(0).objects()).isEmpty();
  }

  @Test
  void aFailedPart_endsTheJobPartial_andAllFailedEndsItFailed() {
    Vendor vendor = new Vendor();
    CompletableFuture<JobStatus> partial = watcher.watch(id, vendor);
    time.advance(Duration.ZERO);
    watcher.accept(part("m1", "a", JobState.SUCCEEDED, 0));
    watcher.accept(part("m2", "b", JobState.FAILED, 1));
    assertThat(partial).isNotDone();
    watcher.accept(part("m3", "c", JobState.SUCCEEDED, 2));

    JobStatus end = partial.join();
    assertThat(end.state()).isEqualTo(JobState.PARTIAL);
    assertThat(end.outputs())
        .extracting(OutputResult::state)
        .containsExactly(JobState.SUCCEEDED, JobState.FAILED, JobState.SUCCEEDED);
    assertThat(end.outputs().get(1).vendorCode()).isEqualTo("Err1");
    assertThat(end.outputs().get(1).message()).isEqualTo("broke 1");
    assertThat(end.outputs().get(1).objects()).isEmpty();
    assertThat(end.message()).contains("output 1").contains("broke 1");

    JobId other = JobId.of("t", "east", List.of("x", "y", "z"), Map.of());
    CompletableFuture<JobStatus> failed = watcher.watch(other, new Vendor());
    time.advance(Duration.ZERO);
    watcher.accept(part("n1", "x", JobState.FAILED, 0));
    watcher.accept(part("n2", "y", JobState.FAILED, 1));
    watcher.accept(part("n3", "z", JobState.FAILED, 2));
    assertThat(failed.join().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void duplicate_andOutOfOrderPartEvents_changeNothing() {
    Vendor vendor = new Vendor();
    List<JobStatus> heard = new CopyOnWriteArrayList<>();
    List<JobEvent> unwatched = new CopyOnWriteArrayList<>();
    watcher.addUnwatchedListener(unwatched::add);
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, (p, c) -> heard.add(c));
    time.advance(Duration.ZERO);

    assertThat(watcher.accept(part("m1", "a", JobState.FAILED, 0))).isTrue();
    int changes = heard.size();
    assertThat(watcher.accept(part("m1", "a", JobState.FAILED, 0))).as("same message").isFalse();
    assertThat(watcher.accept(part("m2", "a", JobState.FAILED, 0)))
        .as("same part and state")
        .isFalse();
    assertThat(watcher.accept(part("m3", "a", JobState.RUNNING, 0))).as("older").isFalse();
    assertThat(watcher.accept(part("m4", "a", JobState.SUCCEEDED, 0)))
        .as("another end of an ended part")
        .isFalse();
    assertThat(heard).hasSize(changes);
    assertThat(heard.get(changes - 1).outputs().get(0).state()).isEqualTo(JobState.FAILED);

    watcher.accept(part("m5", "b", JobState.SUCCEEDED, 1));
    watcher.accept(part("m6", "c", JobState.SUCCEEDED, 2));
    assertThat(f.join().state()).isEqualTo(JobState.PARTIAL);

    // after the end, a part's event is older than what is known, not an unwatched job's
    assertThat(watcher.accept(part("m7", "c", JobState.SUCCEEDED, 2))).isFalse();
    assertThat(watcher.accept(part("m8", "b", JobState.RUNNING, 1))).isFalse();
    assertThat(unwatched).isEmpty();
    assertThat(vendor.reads).hasValue(1);
  }

  @Test
  void aPartThatNeverPushes_isLeftToTheSafetyPoll() {
    Vendor vendor = new Vendor();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor);
    time.advance(Duration.ZERO);
    watcher.accept(part("m1", "a", JobState.SUCCEEDED, 0));
    watcher.accept(part("m2", "b", JobState.SUCCEEDED, 1));
    vendor.parts.set(List.of(JobState.SUCCEEDED, JobState.SUCCEEDED, JobState.SUCCEEDED));

    time.advance(SAFETY.minusSeconds(1));
    assertThat(f).isNotDone();
    assertThat(vendor.reads).as("no backoff polls after a push").hasValue(1);
    time.advance(Duration.ofSeconds(1));

    assertThat(vendor.reads).hasValue(2);
    assertThat(f.join().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void partsPushedBeforeTheJobIsWatched_areTakenWhenTheWatchStarts() {
    assertThat(watcher.accept(part("m1", "a", JobState.SUCCEEDED, 0))).isTrue();
    assertThat(watcher.accept(part("m2", "b", JobState.SUCCEEDED, 1))).isTrue();
    assertThat(watcher.accept(part("m3", "c", JobState.SUCCEEDED, 2))).isTrue();
    Vendor vendor = new Vendor();

    CompletableFuture<JobStatus> f = watcher.watch(id, vendor, null, Duration.ofHours(1), true);

    assertThat(f).isCompleted();
    assertThat(f.join().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(f.join().outputs().get(1).objects()).containsExactly(object(1));
    assertThat(vendor.reads).hasValue(0);
  }

  @Test
  void anEventNamingTheWholeJob_stillEndsIt() {
    Vendor vendor = new Vendor();
    CompletableFuture<JobStatus> f = watcher.watch(id, vendor);
    time.advance(Duration.ZERO);

    watcher.accept(
        new JobEvent(
            "m1",
            JobStatus.builder(
                    JobId.of("t", "east", List.of("a", "b", "c"), Map.of()), JobState.FAILED)
                .build()));

    assertThat(f.join().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void anEventOfAnotherInstance_isNotAPartOfThisJob() {
    Vendor vendor = new Vendor();
    List<JobEvent> unwatched = new CopyOnWriteArrayList<>();
    watcher.addUnwatchedListener(unwatched::add);
    watcher.watch(id, vendor);
    time.advance(Duration.ZERO);

    JobEvent west =
        new JobEvent(
            "m1",
            JobStatus.builder(JobId.of("t", "west", List.of("a"), Map.of()), JobState.SUCCEEDED)
                .build());
    assertThat(watcher.accept(west)).isTrue();

    assertThat(unwatched).containsExactly(west);
  }
}
