package dev.mediaflow;

import static java.util.Objects.requireNonNull;

/**
 * An input value is invalid: a negative size, an unknown operation, a malformed pipeline spec, a
 * key with control characters. Thrown before anything is sent anywhere.
 *
 * <p>{@link #field()} is the path of the offending value, such as {@code width} for a builder call
 * or {@code outputs[1].steps[0].width} for a JSON spec; the message reads {@code "<field>:
 * <problem>"}.
 */
public final class MediaValidationException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  public MediaValidationException(String field, String problem) {
    super(requireNonNull(field, "field") + ": " + requireNonNull(problem, "problem"));
    this.field = field;
    this.problem = problem;
  }

  /** Returns the path of the invalid value, for example {@code outputs[1].steps[0].width}. */
  public String field() {
    return field;
  }

  /** Returns what is wrong with the value and, where there is one, the fix. */
  public String problem() {
    return problem;
  }

  /**
   * Returns a copy whose field path has {@code prefix} put in front, for errors found in nested
   * values.
   */
  public MediaValidationException under(String prefix) {
    if (prefix.isEmpty()) {
      return this;
    }
    String path =
        field.isEmpty() ? prefix : field.startsWith("[") ? prefix + field : prefix + "." + field;
    MediaValidationException e = new MediaValidationException(path, problem);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
