package dev.mediaflow.op;

/** The strength a blind watermark was embedded with. */
public enum WatermarkStrength implements Token {
  LOW("low"),
  MEDIUM("medium"),
  HIGH("high");

  private final String token;

  WatermarkStrength(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "low"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static WatermarkStrength fromToken(String token) {
    return Token.parse(WatermarkStrength.class, "watermarkStrength", token);
  }
}
