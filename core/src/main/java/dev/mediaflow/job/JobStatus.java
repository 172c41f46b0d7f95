package dev.mediaflow.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A snapshot of a job: its state, one result per output, progress when the provider reports it, the
 * vendor's overall message, warnings (for example "processing done, but the notification failed"),
 * and provider details such as how the job is tracked.
 *
 * <p>Immutable and thread-safe.
 */
public final class JobStatus {
  private final JobId id;
  private final JobState state;
  private final List<OutputResult> outputs;
  private final Integer progress;
  private final String message;
  private final List<String> warnings;
  private final Map<String, String> details;
  private final Instant observedAt;

  private JobStatus(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.state = Objects.requireNonNull(b.state, "state");
    this.outputs = List.copyOf(b.outputs);
    this.progress = b.progress;
    this.message = b.message == null ? "" : b.message;
    this.warnings = List.copyOf(b.warnings);
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
    this.observedAt = b.observedAt == null ? Instant.now() : b.observedAt;
  }

  public static Builder builder(JobId id, JobState state) {
    return new Builder(id, state);
  }

  public Builder toBuilder() {
    Builder b = new Builder(id, state);
    b.outputs.addAll(outputs);
    b.progress = progress;
    b.message = message;
    b.warnings.addAll(warnings);
    b.details.putAll(details);
    b.observedAt = observedAt;
    return b;
  }

  public JobId id() {
    return id;
  }

  /**
   * Returns this status for {@code other}: the same state, outputs and details under another id
   * (for example the full id of a watched job, when a notification named only its vendor ids).
   */
  public JobStatus withId(JobId other) {
    Builder b = new Builder(Objects.requireNonNull(other, "other"), state);
    b.outputs.addAll(outputs);
    b.progress = progress;
    b.message = message;
    b.warnings.addAll(warnings);
    b.details.putAll(details);
    b.observedAt = observedAt;
    return b.build();
  }

  public JobState state() {
    return state;
  }

  /** Returns true when the job has ended. */
  public boolean isTerminal() {
    return state.isTerminal();
  }

  /**
   * Returns one result per output, in pipeline order; may be empty while the vendor has not said.
   */
  public List<OutputResult> outputs() {
    return outputs;
  }

  /** Returns the progress in percent (0 to 100), when the provider reports it. */
  public OptionalInt progress() {
    return progress == null ? OptionalInt.empty() : OptionalInt.of(progress);
  }

  /** Returns the vendor's overall message, or "". */
  public String message() {
    return message;
  }

  public List<String> warnings() {
    return warnings;
  }

  /** Returns provider details, such as {@code trackedBy}: how a provider learns the job's state. */
  public Map<String, String> details() {
    return details;
  }

  /** Returns when this status was read. */
  public Instant observedAt() {
    return observedAt;
  }

  /**
   * Returns a one-line summary: the state, the failed outputs with their vendor messages, warnings.
   */
  public String summary() {
    StringBuilder s = new StringBuilder("Job ").append(id).append(' ').append(state);
    progress().ifPresent(p -> s.append(" (").append(p).append("%)"));
    if (!message.isEmpty()) {
      s.append(": ").append(message);
    }
    List<String> failures =
        outputs.stream()
            .filter(o -> o.state() == JobState.FAILED || o.state() == JobState.CANCELLED)
            .map(
                o ->
                    "output "
                        + o.index()
                        + " "
                        + o.state()
                        + (o.vendorCode().isEmpty() ? "" : " [" + o.vendorCode() + "]")
                        + (o.message().isEmpty() ? "" : ": " + o.message()))
            .collect(Collectors.toList());
    if (!failures.isEmpty()) {
      s.append("; ").append(String.join("; ", failures));
    }
    if (!warnings.isEmpty()) {
      s.append("; warnings: ").append(String.join("; ", warnings));
    }
    return s.toString();
  }

  /**
   * Returns true when {@code other} says the same (state, outputs, progress, message, warnings).
   */
  public boolean sameAs(JobStatus other) {
    return other != null
        && other.state == state
        && other.outputs.equals(outputs)
        && Objects.equals(other.progress, progress)
        && other.message.equals(message)
        && other.warnings.equals(warnings);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobStatus s && s.id.equals(id) && sameAs(s) && s.details.equals(details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, state, outputs, progress, message, warnings, details);
  }

  @Override
  public String toString() {
    return summary();
  }

  /** Builds a {@link JobStatus}. */
  public static final class Builder {
    private final JobId id;
    private final JobState state;
    private final List<OutputResult> outputs = new ArrayList<>();
    private Integer progress;
    private String message;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private Instant observedAt;

    private Builder(JobId id, JobState state) {
      this.id = id;
      this.state = state;
    }

    public Builder output(OutputResult result) {
      outputs.add(Objects.requireNonNull(result, "result"));
      return this;
    }

    public Builder outputs(List<OutputResult> results) {
      outputs.clear();
      outputs.addAll(results);
      return this;
    }

    /** Sets the progress in percent; values outside 0..100 are clamped. */
    public Builder progress(int percent) {
      this.progress = Math.max(0, Math.min(100, percent));
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder warning(String warning) {
      warnings.add(Objects.requireNonNull(warning, "warning"));
      return this;
    }

    public Builder detail(String name, String value) {
      details.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder observedAt(Instant when) {
      this.observedAt = when;
      return this;
    }

    public JobStatus build() {
      return new JobStatus(this);
    }
  }
}
