package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The fake Qiniu server's default executor: it checks the source exists, waits {@code duration}, then writes a
 * small text object describing the command to each output key (three frames for a vsample pattern), or fails
 * the commands matched by {@code failWhen}.
 *
 * <pre>{@code
 * FakeQiniuServer.builder().executor(SimulatedFopExecutor.builder()
 *     .duration(Duration.ofMillis(300))
 *     .failWhen(cmd -> cmd.startsWith("avthumb/flv"), "execute fop cmd failed: not a valid video")
 *     .build())
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatedFopExecutor implements FopExecutor {
  private final Duration duration;
  private final Predicate<String> failWhen;
  private final String failure;
  private final int frames;

  private SimulatedFopExecutor(Builder b) {
    this.duration = b.duration;
    this.failWhen = b.failWhen;
    this.failure = b.failure;
    this.frames = b.frames;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Result run(Task task) throws InterruptedException {
    if (!task.objects().exists(task.sourceBucket(), task.sourceKey())) {
      return Result.failed("execute fop cmd failed: the source " + task.sourceKey() + " does not exist", 0);
    }
    Thread.sleep(duration.toMillis());
    if (failWhen.test(task.cmd())) {
      return Result.failed(failure, Math.max(0, task.stages().size() - 1));
    }
    List<String> keys = new ArrayList<>();
    if (task.pattern().isPresent()) {
      for (int i = 1; i <= frames; i++) {
        keys.add(task.pattern().get().replace("$(count)", String.format("%06d", i)));
      }
    } else {
      keys.add(task.saveKey().orElseGet(() -> "fake-" + Integer.toHexString(task.cmd().hashCode())));
    }
    byte[] content = ("simulated result of " + task.cmd() + " on " + task.sourceBucket() + "/" + task.sourceKey() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    for (String key : keys) {
      task.objects().put(task.saveBucket(), key, content);
    }
    return Result.ok(keys);
  }

  /** Builds a {@link SimulatedFopExecutor}. */
  public static final class Builder {
    private Duration duration = Duration.ofMillis(200);
    private Predicate<String> failWhen = cmd -> false;
    private String failure = "execute fop cmd failed: simulated failure";
    private int frames = 3;

    private Builder() {}

    /** Sets how long each fop takes (default 200 ms). */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /** Fails the fops whose command matches, with Qiniu's kind of message. */
    public Builder failWhen(Predicate<String> cmd, String error) {
      this.failWhen = Objects.requireNonNull(cmd, "cmd");
      this.failure = Objects.requireNonNull(error, "error");
      return this;
    }

    /** Sets how many frames a vsample pattern writes (default 3). */
    public Builder frames(int frames) {
      this.frames = frames;
      return this;
    }

    public SimulatedFopExecutor build() {
      return new SimulatedFopExecutor(this);
    }
  }
}
