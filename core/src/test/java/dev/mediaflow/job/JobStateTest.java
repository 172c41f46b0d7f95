package dev.mediaflow.job;

import static dev.mediaflow.job.JobState.CANCELLED;
import static dev.mediaflow.job.JobState.FAILED;
import static dev.mediaflow.job.JobState.PARTIAL;
import static dev.mediaflow.job.JobState.QUEUED;
import static dev.mediaflow.job.JobState.RUNNING;
import static dev.mediaflow.job.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobStateTest {
  @Test
  void terminalStates_neverChange() {
    for (JobState t : List.of(SUCCEEDED, FAILED, CANCELLED, PARTIAL)) {
      assertThat(t.isTerminal()).isTrue();
      for (JobState next : JobState.values()) {
        assertThat(t.canMoveTo(next)).as(t + "->" + next).isEqualTo(next == t);
      }
    }
  }

  @Test
  void runningCannotGoBackToQueued() {
    assertThat(QUEUED.canMoveTo(RUNNING)).isTrue();
    assertThat(QUEUED.canMoveTo(SUCCEEDED)).isTrue();
    assertThat(RUNNING.canMoveTo(QUEUED)).isFalse();
    assertThat(RUNNING.canMoveTo(PARTIAL)).isTrue();
  }

  @Test
  void combine_ofParts() {
    assertThat(JobState.combine(List.of(QUEUED, QUEUED))).isEqualTo(QUEUED);
    assertThat(JobState.combine(List.of(QUEUED, SUCCEEDED))).isEqualTo(RUNNING);
    assertThat(JobState.combine(List.of(RUNNING, FAILED))).isEqualTo(RUNNING);
    assertThat(JobState.combine(List.of(SUCCEEDED, SUCCEEDED))).isEqualTo(SUCCEEDED);
    assertThat(JobState.combine(List.of(SUCCEEDED, FAILED))).isEqualTo(PARTIAL);
    assertThat(JobState.combine(List.of(FAILED, FAILED))).isEqualTo(FAILED);
    assertThat(JobState.combine(List.of(FAILED, CANCELLED))).isEqualTo(FAILED);
    assertThat(JobState.combine(List.of(CANCELLED, CANCELLED))).isEqualTo(CANCELLED);
    assertThat(JobState.combine(List.of(SUCCEEDED, CANCELLED))).isEqualTo(PARTIAL);
  }
}
