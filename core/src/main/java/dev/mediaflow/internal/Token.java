package dev.mediaflow.internal;

import dev.mediaflow.MediaValidationException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant with a stable lower-case name used in the JSON spec and on the command line. */
public interface Token {
  String token();

  /** Returns the constant of {@code type} whose token is {@code value}, or throws naming the field. */
  static <E extends Enum<E> & Token> E parse(Class<E> type, String field, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.token().equals(value)) {
        return e;
      }
    }
    throw new MediaValidationException(
        field,
        "unknown value '"
            + value
            + "'; expected one of "
            + Arrays.stream(type.getEnumConstants()).map(Token::token).collect(Collectors.joining(", ")));
  }
}
