package dev.mediaflow.op;

/** A still-image format. */
public enum ImageFormat implements Token {
  JPG("jpg"),
  PNG("png"),
  WEBP("webp"),
  GIF("gif"),
  BMP("bmp"),
  TIFF("tiff"),
  AVIF("avif"),
  HEIC("heic");

  private final String token;

  ImageFormat(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "jpg"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static ImageFormat fromToken(String token) {
    return Token.parse(ImageFormat.class, "imageFormat", token);
  }
}
