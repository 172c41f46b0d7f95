package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The fake servers' default executor: a task takes {@code duration} on the server's clock, then it
 * checks the source exists and writes a small text object describing the command to each result key
 * (three numbered results for a key pattern), or fails the commands matched by {@code failWhen}
 * with the failure given.
 *
 * <pre>{@code
 * FakeQiniuServer.builder().executor(SimulatedExecutor.builder()
 *     .duration(Duration.ofMillis(300))
 *     .failWhen(cmd -> cmd.startsWith("avthumb/flv"), "execute fop cmd failed: not a valid video")
 *     .build())
 * FakeOssServer.builder().executor(SimulatedExecutor.builder()
 *     .failWhen(style -> style.contains("f_flv"), "InvalidParameter.ResourceContent", "not a valid video")
 *     .build())
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatedExecutor implements TaskExecutor {
  private final Duration duration;
  private final Predicate<String> failWhen;
  private final String code;
  private final String message;
  private final int frames;

  private SimulatedExecutor(Builder b) {
    this.duration = b.duration;
    this.failWhen = b.failWhen;
    this.code = b.code;
    this.message = b.message;
    this.frames = b.frames;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Duration duration(Task task) {
    return duration;
  }

  @Override
  public boolean runsInline() {
    return true;
  }

  @Override
  public Result run(Task task) {
    if (!task.objects().exists(task.sourceBucket(), task.sourceKey())) {
      return Result.failed(
          Failure.Kind.FAILED, "the source " + task.sourceKey() + " does not exist", 0);
    }
    if (failWhen.test(task.command())) {
      return new Result(
          List.of(),
          new Failure(Failure.Kind.DECLARED, code, message, Math.max(0, task.steps().size() - 1)));
    }
    List<String> keys = new ArrayList<>();
    if (task.keyPattern().isPresent()) {
      for (int i = 1; i <= frames; i++) {
        keys.add(task.numberedKey(i));
      }
    } else {
      task.targetKey().ifPresent(keys::add);
    }
    byte[] content =
        ("simulated result of "
                + task.command()
                + " on "
                + task.sourceBucket()
                + "/"
                + task.sourceKey()
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    for (String key : keys) {
      task.objects().put(task.targetBucket(), key, content);
    }
    return Result.ok(keys);
  }

  /** Builds a {@link SimulatedExecutor}. Not thread-safe. */
  public static final class Builder {
    private Duration duration = Duration.ofMillis(200);
    private Predicate<String> failWhen = command -> false;
    private String code;
    private String message = "simulated failure";
    private int frames = 3;

    private Builder() {}

    /** Sets how long each task takes on the server's clock (default 200 ms). */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /**
     * Fails the tasks whose command matches with {@code message}, answered as the vendor words it.
     */
    public Builder failWhen(Predicate<String> command, String message) {
      return failWhen(command, null, message);
    }

    /**
     * Fails the tasks whose command matches with a vendor error {@code code} (OSS's IMM codes) and
     * {@code message}.
     */
    public Builder failWhen(Predicate<String> command, String code, String message) {
      this.failWhen = Objects.requireNonNull(command, "command");
      this.code = code;
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /** Fails the tasks in whose command {@code regex} is found, with {@code message}. */
    public Builder failMatching(String regex, String message) {
      Pattern p = Pattern.compile(regex);
      return failWhen(command -> p.matcher(command).find(), message);
    }

    /** Sets how many results a key pattern gets (default 3). */
    public Builder frames(int frames) {
      this.frames = frames;
      return this;
    }

    public SimulatedExecutor build() {
      return new SimulatedExecutor(this);
    }
  }
}
