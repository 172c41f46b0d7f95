package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum constant with a stable lower-case name: the value written in the JSON pipeline spec,
 * taken on the command line and named in capability errors, such as {@code "mp4"} for {@link
 * Container#MP4}. Tokens never change once published, so a spec written today still parses later;
 * an enum's {@code fromToken} reads one back. Every value enum of this package implements it.
 */
public interface Token {
  /** Returns this constant's name in the JSON spec, such as {@code "mp4"}. */
  String token();

  /**
   * Returns the constant of {@code type} whose token is {@code value}.
   *
   * @param field the spec field being read, named in the error
   * @throws MediaValidationException when no constant has that token; the message lists the tokens
   *     there are
   */
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
            + Arrays.stream(type.getEnumConstants())
                .map(Token::token)
                .collect(Collectors.joining(", ")));
  }
}
