package dev.mediaflow.op;

/** Where the further inputs of a concat go relative to the pipeline's source. */
public enum ConcatPosition implements Token {
  BEFORE("before"),
  AFTER("after");

  private final String token;

  ConcatPosition(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "before"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static ConcatPosition fromToken(String token) {
    return Token.parse(ConcatPosition.class, "concatPosition", token);
  }
}
