package dev.mediaflow.testkit;

import dev.mediaflow.op.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work of a fake job, in neutral terms: what kind of operation, on which source, into
 * which target, with which parameters. A vendor fake builds it from its parsed request (an OSS
 * style, a Qiniu fop) and gives it to a {@link TaskExecutor}; {@link #operations()} reads its steps
 * back into Mediaflow operations for executors that run it for real. Immutable and thread-safe.
 */
public final class Task {
  /**
   * Reads one vendor step back into an operation; throws {@link IllegalArgumentException} when it
   * cannot.
   */
  @FunctionalInterface
  public interface Translator {
    Operation operation(String step);
  }

  /** A step that cannot be read back into an operation: its 0-based index and the reason. */
  public static final class Untranslatable extends Exception {
    private static final long serialVersionUID = 1L;
    private final int step;

    Untranslatable(int step, String message, Throwable cause) {
      super(message, cause);
      this.step = step;
    }

    /** Returns the 0-based index of the step that could not be read. */
    public int step() {
      return step;
    }
  }

  /** The placeholder of the result number in {@link #keyPattern()}. */
  public static final String INDEX = "{index}";

  private final String id;
  private final String kind;
  private final String command;
  private final List<String> steps;
  private final String sourceBucket;
  private final String sourceKey;
  private final String targetBucket;
  private final String targetKey;
  private final String keyPattern;
  private final int indexDigits;
  private final Translator translator;
  private final FakeObjects objects;

  private Task(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.kind = Objects.requireNonNull(b.kind, "kind");
    this.command = Objects.requireNonNull(b.command, "command");
    this.steps = List.copyOf(b.steps.isEmpty() ? List.of(b.command) : b.steps);
    this.sourceBucket = Objects.requireNonNull(b.sourceBucket, "sourceBucket");
    this.sourceKey = Objects.requireNonNull(b.sourceKey, "sourceKey");
    this.targetBucket = b.targetBucket == null ? b.sourceBucket : b.targetBucket;
    this.targetKey = b.targetKey;
    this.keyPattern = b.keyPattern;
    this.indexDigits = b.indexDigits;
    this.translator = b.translator;
    this.objects = Objects.requireNonNull(b.objects, "objects");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the job's or request's id, for messages. */
  public String id() {
    return id;
  }

  /**
   * Returns the operation's kind as the vendor names it: {@code video/convert}, {@code avthumb},
   * {@code image}.
   */
  public String kind() {
    return kind;
  }

  /** Returns the whole vendor command as submitted; simulated failures match against it. */
  public String command() {
    return command;
  }

  /**
   * Returns the command's steps (Qiniu's {@code |} stages; one for an OSS style), without the save
   * target.
   */
  public List<String> steps() {
    return steps;
  }

  public String sourceBucket() {
    return sourceBucket;
  }

  public String sourceKey() {
    return sourceKey;
  }

  /** Returns the bucket results go to (the source bucket when the command names none). */
  public String targetBucket() {
    return targetBucket;
  }

  /** Returns the key of a single result, when the command names one. */
  public Optional<String> targetKey() {
    return Optional.ofNullable(targetKey);
  }

  /**
   * Returns the key pattern of numbered results, holding {@link #INDEX}, when the command makes
   * several.
   */
  public Optional<String> keyPattern() {
    return Optional.ofNullable(keyPattern);
  }

  /**
   * Returns result {@code index} (from 1) of {@link #keyPattern()}, numbered as the vendor numbers
   * them.
   */
  public String numberedKey(int index) {
    String n =
        indexDigits > 0 ? String.format("%0" + indexDigits + "d", index) : String.valueOf(index);
    return Objects.requireNonNull(keyPattern, "keyPattern").replace(INDEX, n);
  }

  /** Returns the server's objects, to read the source and write the results. */
  public FakeObjects objects() {
    return objects;
  }

  /** Reads every step back into an operation, in order. */
  public List<Operation> operations() throws Untranslatable {
    if (translator == null) {
      throw new Untranslatable(0, kind + " is not run locally", null);
    }
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      try {
        ops.add(translator.operation(steps.get(i)));
      } catch (RuntimeException e) {
        throw new Untranslatable(i, String.valueOf(e.getMessage()), e);
      }
    }
    return ops;
  }

  @Override
  public String toString() {
    return "Task{" + id + ", " + command + " on " + sourceBucket + "/" + sourceKey + "}";
  }

  /** Builds a {@link Task}. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String kind;
    private String command;
    private List<String> steps = List.of();
    private String sourceBucket;
    private String sourceKey;
    private String targetBucket;
    private String targetKey;
    private String keyPattern;
    private int indexDigits;
    private Translator translator;
    private FakeObjects objects;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets the kind and the whole command. */
    public Builder command(String kind, String command) {
      this.kind = kind;
      this.command = command;
      return this;
    }

    /** Sets the steps (default: the command as one step). */
    public Builder steps(List<String> steps) {
      this.steps = List.copyOf(steps);
      return this;
    }

    public Builder source(String bucket, String key) {
      this.sourceBucket = bucket;
      this.sourceKey = key;
      return this;
    }

    /**
     * Sets the target: its bucket (null: the source's) and the key of a single result (null: none
     * named).
     */
    public Builder target(String bucket, String key) {
      this.targetBucket = bucket;
      this.targetKey = key;
      return this;
    }

    /**
     * Makes the results numbered: {@code pattern} holds {@link #INDEX}, padded to {@code digits}
     * (0: not padded).
     */
    public Builder keyPattern(String pattern, int digits) {
      this.keyPattern = pattern;
      this.indexDigits = digits;
      return this;
    }

    public Builder translator(Translator translator) {
      this.translator = translator;
      return this;
    }

    public Builder objects(FakeObjects objects) {
      this.objects = objects;
      return this;
    }

    public Task build() {
      return new Task(this);
    }
  }
}
