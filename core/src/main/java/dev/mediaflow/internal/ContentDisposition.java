package dev.mediaflow.internal;

import java.nio.charset.StandardCharsets;

/** Writes {@code Content-Disposition} values for download names. Stateless. */
public final class ContentDisposition {
  private ContentDisposition() {}

  /**
   * Returns {@code attachment} with the file name (RFC 6266): {@code filename="..."} alone for a
   * plain ASCII name; otherwise an ASCII fallback (each non-ASCII or unsafe character as {@code _})
   * and {@code filename*=UTF-8''<percent-encoded>} (RFC 5987), which browsers prefer.
   */
  public static String attachment(String name) {
    StringBuilder fallback = new StringBuilder();
    boolean plain = true;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%') {
        fallback.append('_');
        plain = false;
      } else {
        fallback.append((char) c);
      }
    }
    if (plain) {
      return "attachment; filename=\"" + name + "\"";
    }
    StringBuilder ext = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        ext.append((char) c);
      } else {
        ext.append('%').append(String.format("%02X", c));
      }
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + ext;
  }
}
