package dev.mediaflow.op;

/**
 * How an image is fitted to a target size. {@code fit}: scale to fit inside, keeping the aspect
 * ratio (the result may be smaller on one side); {@code crop}: scale to cover, then cut the
 * overflow from the centre; {@code pad}: fit inside and pad to the exact size; {@code stretch}:
 * scale to the exact size, distorting.
 */
public enum FitMode implements Token {
  FIT("fit"),
  CROP("crop"),
  PAD("pad"),
  STRETCH("stretch");

  private final String token;

  FitMode(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "fit"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static FitMode fromToken(String token) {
    return Token.parse(FitMode.class, "fitMode", token);
  }
}
