package dev.mediaflow.op;

/** What a document is converted to: one PDF, one image per page, or plain text. */
public enum DocumentTarget implements Token {
  PDF("pdf"),
  PNG("png"),
  JPG("jpg"),
  TXT("txt");

  private final String token;

  DocumentTarget(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "pdf"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static DocumentTarget fromToken(String token) {
    return Token.parse(DocumentTarget.class, "documentTarget", token);
  }
}
