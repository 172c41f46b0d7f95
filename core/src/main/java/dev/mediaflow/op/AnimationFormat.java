package dev.mediaflow.op;

/** An animated-image format. */
public enum AnimationFormat implements Token {
  GIF("gif"),
  WEBP("webp");

  private final String token;

  AnimationFormat(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "gif"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static AnimationFormat fromToken(String token) {
    return Token.parse(AnimationFormat.class, "animationFormat", token);
  }
}
