package dev.mediaflow.op;

/** A video container (file format). Audio-only formats are {@link AudioFormat}. */
public enum Container implements Token {
  MP4("mp4"),
  MOV("mov"),
  MKV("mkv"),
  WEBM("webm"),
  FLV("flv"),
  TS("ts"),
  AVI("avi"),
  M3U8("m3u8");

  private final String token;

  Container(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "mp4"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static Container fromToken(String token) {
    return Token.parse(Container.class, "container", token);
  }
}
