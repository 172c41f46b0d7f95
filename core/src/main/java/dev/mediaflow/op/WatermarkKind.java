package dev.mediaflow.op;

/** What a blind watermark carries. */
public enum WatermarkKind implements Token {
  TEXT("text"),
  IMAGE("image");

  private final String token;

  WatermarkKind(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "text"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static WatermarkKind fromToken(String token) {
    return Token.parse(WatermarkKind.class, "watermarkKind", token);
  }
}
