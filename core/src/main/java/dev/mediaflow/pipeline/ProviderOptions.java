package dev.mediaflow.pipeline;

import dev.mediaflow.internal.Check;
import java.util.Objects;
import java.util.Optional;

/**
 * Options that steer how a provider runs a job, each optional: the vendor queue (Qiniu pipeline),
 * whether to overwrite existing outputs ({@code force}), and whether the job may wait for idle-time
 * capacity.
 *
 * <pre>{@code
 * ProviderOptions opts = ProviderOptions.builder().queue("video-pipeline").force(true).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ProviderOptions {
  private static final ProviderOptions NONE = new ProviderOptions(new Builder());

  private final String queue;
  private final Boolean force;
  private final Boolean idleTime;

  private ProviderOptions(Builder b) {
    this.queue = b.queue;
    this.force = b.force;
    this.idleTime = b.idleTime;
  }

  /** Returns options with nothing set. */
  public static ProviderOptions none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the vendor queue or pipeline name. */
  public Optional<String> queue() {
    return Optional.ofNullable(queue);
  }

  /** Returns whether to overwrite outputs that already exist. */
  public Optional<Boolean> force() {
    return Optional.ofNullable(force);
  }

  /** Returns whether the job may run on idle-time capacity (cheaper, slower to start). */
  public Optional<Boolean> idleTime() {
    return Optional.ofNullable(idleTime);
  }

  /** Returns true when no option is set. */
  public boolean isEmpty() {
    return queue == null && force == null && idleTime == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProviderOptions p
        && Objects.equals(p.queue, queue)
        && Objects.equals(p.force, force)
        && Objects.equals(p.idleTime, idleTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(queue, force, idleTime);
  }

  @Override
  public String toString() {
    return "ProviderOptions{queue=" + queue + ", force=" + force + ", idleTime=" + idleTime + "}";
  }

  /** Builds {@link ProviderOptions}. */
  public static final class Builder {
    private String queue;
    private Boolean force;
    private Boolean idleTime;

    private Builder() {}

    private Builder(ProviderOptions p) {
      queue = p.queue;
      force = p.force;
      idleTime = p.idleTime;
    }

    public Builder queue(String queue) {
      this.queue = Check.text("queue", queue, 128);
      return this;
    }

    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public Builder idleTime(boolean idleTime) {
      this.idleTime = idleTime;
      return this;
    }

    public ProviderOptions build() {
      return isEmpty() ? NONE : new ProviderOptions(this);
    }

    private boolean isEmpty() {
      return queue == null && force == null && idleTime == null;
    }
  }
}
