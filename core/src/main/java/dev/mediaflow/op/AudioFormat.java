package dev.mediaflow.op;

/** An audio-only output format. */
public enum AudioFormat implements Token {
  MP3("mp3"),
  AAC("aac"),
  M4A("m4a"),
  FLAC("flac"),
  OGG("ogg"),
  OPUS("opus"),
  WAV("wav"),
  AMR("amr"),
  AC3("ac3");

  private final String token;

  AudioFormat(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "mp3"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static AudioFormat fromToken(String token) {
    return Token.parse(AudioFormat.class, "audioFormat", token);
  }
}
