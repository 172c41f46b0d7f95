package dev.mediaflow.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Checks the {@code conditions} of a browser-upload policy as the S3-like vendors (OSS, COS) read
 * them: {@code {"field": "value"}}, {@code ["eq", "$field", v]}, {@code ["starts-with", "$field",
 * prefix]}, {@code ["in"|"not-in", "$field", [...]]} and {@code ["content-length-range", min,
 * max]}; each vendor words the failure its own way. Stateless.
 */
public final class PolicyConditions {
  private PolicyConditions() {}

  /** Why a policy does not allow an upload. */
  public record Failure(Kind kind, String condition) {
    /** What failed. */
    public enum Kind {
      /** A condition that is not well-formed. */
      INVALID,
      /** A well-formed condition the upload does not meet. */
      FAILED,
      /** The file is larger than content-length-range allows. */
      TOO_LARGE,
      /** The file is smaller than content-length-range allows. */
      TOO_SMALL
    }
  }

  /**
   * Returns the first condition of {@code conditions} the upload does not meet, or empty.
   *
   * @param value the upload's value of a field (name without {@code $}, as written), never null
   * @param size the file's size
   */
  public static Optional<Failure> check(
      JsonArray conditions, UnaryOperator<String> value, long size) {
    for (JsonElement c : conditions) {
      Optional<Failure> f = one(c, value, size);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  private static Optional<Failure> one(JsonElement c, UnaryOperator<String> value, long size) {
    String text = c.toString();
    if (c.isJsonObject()) {
      JsonObject o = c.getAsJsonObject();
      if (o.size() != 1 || !o.entrySet().iterator().next().getValue().isJsonPrimitive()) {
        return fail(Failure.Kind.INVALID, text);
      }
      var e = o.entrySet().iterator().next();
      return e.getValue().getAsString().equals(value.apply(e.getKey()))
          ? Optional.empty()
          : fail(Failure.Kind.FAILED, text);
    }
    if (!c.isJsonArray() || c.getAsJsonArray().size() != 3) {
      return fail(Failure.Kind.INVALID, text);
    }
    JsonArray a = c.getAsJsonArray();
    String op = a.get(0).getAsString().toLowerCase(Locale.ROOT);
    if (op.equals("content-length-range")) {
      long min;
      long max;
      try {
        min = a.get(1).getAsLong();
        max = a.get(2).getAsLong();
      } catch (RuntimeException e) {
        return fail(Failure.Kind.INVALID, text);
      }
      if (min < 0 || max < 0 || min > max) {
        return fail(Failure.Kind.INVALID, text);
      }
      if (size > max) {
        return fail(Failure.Kind.TOO_LARGE, text);
      }
      return size < min ? fail(Failure.Kind.TOO_SMALL, text) : Optional.empty();
    }
    String field = a.get(1).getAsString();
    if (!field.startsWith("$")) {
      return fail(Failure.Kind.INVALID, text);
    }
    String actual = value.apply(field.substring(1));
    switch (op) {
      case "eq":
        return a.get(2).getAsString().equals(actual)
            ? Optional.empty()
            : fail(Failure.Kind.FAILED, text);
      case "starts-with":
        return actual.startsWith(a.get(2).getAsString())
            ? Optional.empty()
            : fail(Failure.Kind.FAILED, text);
      case "in":
      case "not-in":
        if (!a.get(2).isJsonArray()) {
          return fail(Failure.Kind.INVALID, text);
        }
        boolean found = false;
        for (JsonElement v : a.get(2).getAsJsonArray()) {
          found |= v.getAsString().equals(actual);
        }
        return found == op.equals("in") ? Optional.empty() : fail(Failure.Kind.FAILED, text);
      default:
        return fail(Failure.Kind.INVALID, text);
    }
  }

  private static Optional<Failure> fail(Failure.Kind kind, String condition) {
    return Optional.of(new Failure(kind, condition));
  }
}
