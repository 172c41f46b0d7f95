package dev.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs progress by the engine's clock alone: a test that moves the clock moves the jobs, with no
 * waiting.
 */
class JobEngineTest {
  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2024-05-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

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
      return now;
    }
  }

  @TempDir Path dir;

  final MovableClock clock = new MovableClock();

  Task task(FakeObjects objects, String command, String target) {
    return Task.builder()
        .id("job-1")
        .command("convert", command)
        .source("media", "in.mp4")
        .target(null, target)
        .objects(objects)
        .build();
  }

  @Test
  void tasks_progressByTheClock_notByRealTime() {
    FakeObjects objects = new FakeObjects(dir);
    objects.put("media", "in.mp4", "source".getBytes(StandardCharsets.UTF_8));
    JobEngine engine =
        new JobEngine(
            "test",
            clock,
            SimulatedExecutor.builder().duration(Duration.ofMinutes(10)).build(),
            Duration.ofSeconds(30));
    JobEngine.Job job =
        engine.submit(
            "job-1",
            List.of(task(objects, "a", "out/a.mp4"), task(objects, "b", "out/b.mp4")),
            new JobEngine.Hooks() {});

    assertThat(engine.job("job-1").phase()).isEqualTo(JobEngine.Phase.QUEUED);
    clock.advance(Duration.ofSeconds(30));
    assertThat(engine.job("job-1").phase()).isEqualTo(JobEngine.Phase.RUNNING);
    assertThat(job.steps().get(0).state()).isEqualTo(JobEngine.StepState.RUNNING);
    assertThat(objects.exists("media", "out/a.mp4")).isFalse();

    clock.advance(Duration.ofMinutes(10));
    engine.advance();
    assertThat(job.steps().get(0).state()).isEqualTo(JobEngine.StepState.DONE);
    assertThat(job.steps().get(0).result().keys()).containsExactly("out/a.mp4");
    assertThat(job.steps().get(0).ended()).isEqualTo(Instant.parse("2024-05-01T00:10:30Z"));
    assertThat(job.steps().get(1).state()).isEqualTo(JobEngine.StepState.RUNNING);
    assertThat(objects.exists("media", "out/a.mp4")).isTrue();
    assertThat(objects.exists("media", "out/b.mp4")).isFalse();

    clock.advance(Duration.ofHours(1)); // one jump past both: the second ends when its time was up
    engine.advance();
    assertThat(job.steps().get(1).ended()).isEqualTo(Instant.parse("2024-05-01T00:20:30Z"));
    assertThat(job.tasksDone()).isTrue();
  }

  @Test
  void finishHook_runsOnce_afterEveryTask() throws Exception {
    FakeObjects objects = new FakeObjects(dir);
    objects.put("media", "in.mp4", "source".getBytes(StandardCharsets.UTF_8));
    JobEngine engine =
        new JobEngine(
            "test",
            clock,
            SimulatedExecutor.builder()
                .duration(Duration.ZERO)
                .failWhen(c -> c.equals("b"), "Bad", "refused")
                .build(),
            Duration.ZERO);
    AtomicInteger finished = new AtomicInteger();
    JobEngine.Job job =
        engine.submit(
            "job-1",
            List.of(task(objects, "a", "x"), task(objects, "b", "y")),
            new JobEngine.Hooks() {
              @Override
              public void finish(JobEngine.Job j) {
                finished.incrementAndGet();
              }
            });
    // not started: the hook runs on the caller's thread
    assertThat(job.phase()).isEqualTo(JobEngine.Phase.ENDED);
    assertThat(finished).hasValue(1);
    TaskExecutor.Failure failure = job.steps().get(1).result().failure();
    assertThat(failure.kind()).isEqualTo(TaskExecutor.Failure.Kind.DECLARED);
    assertThat(failure.code()).isEqualTo("Bad");
    assertThat(failure.message()).isEqualTo("refused");
    assertThat(Files.exists(objects.file("media", "x"))).isTrue();
  }
}
