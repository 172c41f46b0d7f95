package dev.mediaflow.pipeline;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One output of a pipeline: a chain of operations applied to the source, each piped into the next,
 * and the object the result is saved as.
 *
 * <p>Only an output that ends in {@link BlindWatermarkDecode} or {@link RawOperation} may have no
 * save target (its result is delivered by notification). Immutable and thread-safe.
 */
public final class Output {
  private final List<Operation> steps;
  private final MediaObject saveAs;

  private Output(List<Operation> steps, MediaObject saveAs) {
    Check.notNull("steps", steps);
    if (steps.isEmpty()) {
      throw new MediaValidationException("steps", "needs at least one operation");
    }
    for (int i = 0; i < steps.size(); i++) {
      Check.notNull("steps[" + i + "]", steps.get(i));
    }
    this.steps = List.copyOf(steps);
    Operation last = this.steps.get(this.steps.size() - 1);
    if (saveAs == null
        && !(last instanceof BlindWatermarkDecode)
        && !(last instanceof RawOperation)) {
      throw new MediaValidationException(
          "saveAs", "is required: say where the result is saved (bucket and key)");
    }
    this.saveAs = saveAs;
  }

  /**
   * Returns an output that applies {@code steps} in order and saves the result as {@code saveAs}.
   */
  public static Output of(List<Operation> steps, MediaObject saveAs) {
    return new Output(steps, Check.notNull("saveAs", saveAs));
  }

  /** Returns an output whose result is not saved as an object (blind-watermark decode, raw). */
  public static Output unsaved(List<Operation> steps) {
    return new Output(steps, null);
  }

  public List<Operation> steps() {
    return steps;
  }

  /** Returns where the result is saved; empty only for outputs delivered by notification. */
  public Optional<MediaObject> saveAs() {
    return Optional.ofNullable(saveAs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Output out && out.steps.equals(steps) && Objects.equals(out.saveAs, saveAs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(steps, saveAs);
  }

  @Override
  public String toString() {
    return "Output{steps=" + steps + (saveAs == null ? "" : ", saveAs=" + saveAs) + "}";
  }
}
