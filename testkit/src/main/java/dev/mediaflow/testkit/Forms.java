package dev.mediaflow.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes what clients send the fakes: queries, URL-encoded forms and multipart/form-data bodies.
 * Stateless.
 */
public final class Forms {
  private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

  private Forms() {}

  /**
   * Decodes {@code k}, {@code k=} and {@code k=v} pairs joined by {@code &} (a query or a form
   * body); a {@code +} is a space, as the vendors' servers read it.
   */
  public static Map<String, String> pairs(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return m;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  /** Splits a multipart/form-data body into its fields (by name). */
  public static Map<String, byte[]> multipart(byte[] body, String boundary) {
    Map<String, byte[]> fields = new LinkedHashMap<>();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start += 2; // CRLF
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      int next = indexOf(body, delimiter, headersEnd);
      if (headersEnd < 0 || next < 0) {
        break;
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      Matcher m = NAME.matcher(headers);
      if (m.find()) {
        int dataStart = headersEnd + 4;
        int dataEnd = next - 2; // CRLF before the delimiter
        byte[] value = new byte[Math.max(0, dataEnd - dataStart)];
        System.arraycopy(body, dataStart, value, 0, value.length);
        fields.put(m.group(1), value);
      }
      at = next;
    }
    return fields;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    if (from < 0) {
      return -1;
    }
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
