package dev.mediaflow.op;

import java.time.Duration;
import java.util.StringJoiner;

/** toString support for the operation classes: lists only the parameters that are set. */
final class Values {
  private Values() {}

  static String describe(String type, Object... namesAndValues) {
    StringJoiner j = new StringJoiner(", ", type + "{", "}");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v == null || Boolean.FALSE.equals(v)) {
        continue;
      }
      if (v instanceof Duration d) {
        v = d.toMillis() + "ms";
      } else if (v instanceof Token t) {
        v = t.token();
      }
      j.add(namesAndValues[i] + "=" + v);
    }
    return j.toString();
  }
}
