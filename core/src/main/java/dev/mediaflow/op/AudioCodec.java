package dev.mediaflow.op;

/** An audio codec; {@link #COPY} keeps the source stream, {@link #NONE} drops audio. */
public enum AudioCodec implements Token {
  AAC("aac"),
  MP3("mp3"),
  OPUS("opus"),
  VORBIS("vorbis"),
  FLAC("flac"),
  AC3("ac3"),
  COPY("copy"),
  NONE("none");

  private final String token;

  AudioCodec(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "aac"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static AudioCodec fromToken(String token) {
    return Token.parse(AudioCodec.class, "audioCodec", token);
  }
}
