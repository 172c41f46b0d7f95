package dev.mediaflow.op;

/** A video codec; {@link #COPY} keeps the source stream without re-encoding. */
public enum VideoCodec implements Token {
  H264("h264"),
  H265("h265"),
  VP9("vp9"),
  AV1("av1"),
  COPY("copy");

  private final String token;

  VideoCodec(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "h264"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static VideoCodec fromToken(String token) {
    return Token.parse(VideoCodec.class, "videoCodec", token);
  }
}
