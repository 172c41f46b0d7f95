package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The fake OSS server's default executor: it waits {@code duration}, then writes a small text object
 * describing the task to its target key (three numbered results for a key with {@code {index}}), or fails the
 * tasks matched by {@code failWhen}.
 *
 * <pre>{@code
 * FakeOssServer.builder().executor(SimulatedOssExecutor.builder()
 *     .duration(Duration.ofMillis(300))
 *     .failWhen(process -> process.contains("f_flv"), "InvalidParameter.ResourceContent", "not a valid video")
 *     .build())
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatedOssExecutor implements OssTaskExecutor {
  private final Duration duration;
  private final Predicate<String> failWhen;
  private final String code;
  private final String message;
  private final int frames;

  private SimulatedOssExecutor(Builder b) {
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
  public Result run(Task task) throws InterruptedException {
    Thread.sleep(duration.toMillis());
    if (failWhen.test(task.process())) {
      return Result.failed(code, message);
    }
    List<String> keys = new ArrayList<>();
    task.targetKey().ifPresent(k -> {
      if (k.contains("{index}")) {
        for (int i = 1; i <= frames; i++) {
          keys.add(k.replace("{index}", String.valueOf(i)));
        }
      } else {
        keys.add(k);
      }
    });
    byte[] content = ("simulated result of " + task.process() + " on " + task.sourceBucket() + "/" + task.sourceKey() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    for (String key : keys) {
      task.objects().put(task.targetBucket(), key, content);
    }
    return Result.ok(keys);
  }

  /** Builds a {@link SimulatedOssExecutor}. */
  public static final class Builder {
    private Duration duration = Duration.ofMillis(200);
    private Predicate<String> failWhen = p -> false;
    private String code = "InvalidParameter.ResourceContent";
    private String message = "simulated failure";
    private int frames = 3;

    private Builder() {}

    /** Sets how long each task takes (default 200 ms). */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /** Fails the tasks whose processing part matches, with IMM's code and message. */
    public Builder failWhen(Predicate<String> process, String code, String message) {
      this.failWhen = Objects.requireNonNull(process, "process");
      this.code = Objects.requireNonNull(code, "code");
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /** Sets how many results a target key with {@code {index}} gets (default 3). */
    public Builder frames(int frames) {
      this.frames = frames;
      return this;
    }

    public SimulatedOssExecutor build() {
      return new SimulatedOssExecutor(this);
    }
  }
}
