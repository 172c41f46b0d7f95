package dev.mediaflow.op;

/** The type of a source document, for sources whose key has no telling extension. */
public enum DocumentType implements Token {
  DOC("doc"),
  DOCX("docx"),
  DOCM("docm"),
  DOT("dot"),
  DOTX("dotx"),
  ODT("odt"),
  RTF("rtf"),
  WPS("wps"),
  TXT("txt"),
  HTML("html"),
  PPT("ppt"),
  PPTX("pptx"),
  PPS("pps"),
  PPSX("ppsx"),
  ODP("odp"),
  DPS("dps"),
  XLS("xls"),
  XLSX("xlsx"),
  XLSM("xlsm"),
  ODS("ods"),
  CSV("csv"),
  ET("et"),
  PDF("pdf");

  private final String token;

  DocumentType(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "doc"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static DocumentType fromToken(String token) {
    return Token.parse(DocumentType.class, "documentType", token);
  }
}
