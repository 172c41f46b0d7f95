package dev.mediaflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part as it arrives, without holding a
 * part in memory: the media server streams an upload's file part straight into a work file and can
 * stop at any byte.
 */
final class LocalMultipart {
  /** Too much of the body is not what a browser's form sends. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** One part's headers: the field name, the file name (null for a plain field), its type. */
  record Part(String name, String fileName, String contentType) {}

  private static final int MAX_HEADERS = 16 * 1024;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;
  private boolean eof;
  private boolean inPart;
  private boolean afterDelimiter;
  private boolean done;

  private LocalMultipart(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The first delimiter has no CRLF in front of it: pretend one was read, so that every
    // delimiter looks the same.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /**
   * Returns a reader of {@code in}, whose {@code Content-Type} header is {@code contentType}.
   *
   * @throws Malformed when the type is not {@code multipart/form-data} with a boundary
   */
  static LocalMultipart of(String contentType, InputStream in) throws Malformed {
    if (contentType == null) {
      throw new Malformed("the body must be multipart/form-data");
    }
    String[] params = contentType.split(";");
    if (!params[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      throw new Malformed("the body must be multipart/form-data, was " + params[0].trim());
    }
    for (int i = 1; i < params.length; i++) {
      String p = params[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String b = p.substring(eq + 1).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        // RFC 2046 5.1.1: 1 to 70 characters.
        if (b.isEmpty() || b.length() > 70) {
          throw new Malformed("the multipart boundary must be 1 to 70 characters");
        }
        return new LocalMultipart(in, b);
      }
    }
    throw new Malformed("multipart/form-data without a boundary");
  }

  /**
   * Moves to the next part (skipping what is left of the current one) and returns its headers; null
   * after the last part.
   */
  Part next() throws IOException, Malformed {
    if (done) {
      return null;
    }
    byte[] skip = new byte[8192];
    while (!afterDelimiter) {
      read(skip, 0, skip.length, true); // the rest of the current part, or the preamble
    }
    afterDelimiter = false;
    // After a delimiter: "--" closes the body; otherwise optional white space and CRLF.
    if (!ensure(2)) {
      throw new Malformed("the body ends inside a multipart delimiter");
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      done = true;
      return null;
    }
    while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
      pos++;
    }
    if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
      throw new Malformed("a multipart delimiter is not followed by CRLF");
    }
    pos += 2;
    Map<String, String> headers = headers();
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw new Malformed("a part has no Content-Disposition");
    }
    Map<String, String> params = dispositionParams(disposition);
    String name = params.get("name");
    if (name == null) {
      throw new Malformed("a part has no field name");
    }
    inPart = true;
    return new Part(name, params.get("filename"), headers.get("content-type"));
  }

  /**
   * Reads the current part's bytes; -1 at its end.
   *
   * @throws Malformed when the body ends before the part does
   */
  int read(byte[] out, int off, int len) throws IOException, Malformed {
    return read(out, off, len, inPart);
  }

  /** Reads the current part into a string of at most {@code max} UTF-8 bytes. */
  String readText(int max) throws IOException, Malformed {
    byte[] b = new byte[Math.min(max + 1, 8192)];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int n; (n = read(b, 0, b.length)) >= 0; ) {
      out.write(b, 0, n);
      if (out.size() > max) {
        throw new Malformed("a form field is longer than " + max + " bytes");
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int read(byte[] out, int off, int len, boolean active) throws IOException, Malformed {
    if (!active) {
      return -1;
    }
    ensure(delimiter.length);
    int found = indexOfDelimiter();
    int available;
    if (found >= 0) {
      if (found == pos) {
        pos += delimiter.length;
        inPart = false;
        afterDelimiter = true;
        return -1;
      }
      available = found - pos;
    } else {
      // Bytes that cannot start a delimiter are part data.
      available = lim - pos - (delimiter.length - 1);
      if (available <= 0) {
        throw new Malformed("the body ends before its closing multipart delimiter");
      }
    }
    int n = Math.min(len, available);
    System.arraycopy(buf, pos, out, off, n);
    pos += n;
    return n;
  }

  private int indexOfDelimiter() {
    int last = lim - delimiter.length;
    outer:
    for (int i = pos; i <= last; i++) {
      if (buf[i] != '\r') {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Makes at least {@code n} unread bytes available, unless the body ends first. */
  private boolean ensure(int n) throws IOException {
    if (lim - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    while (lim < n && !eof) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
    return lim - pos >= n;
  }

  private Map<String, String> headers() throws IOException, Malformed {
    Map<String, String> headers = new LinkedHashMap<>();
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    int total = 0;
    while (true) {
      if (!ensure(1)) {
        throw new Malformed("the body ends inside a part's headers");
      }
      byte c = buf[pos++];
      if (++total > MAX_HEADERS) {
        throw new Malformed("a part's headers are longer than " + MAX_HEADERS + " bytes");
      }
      if (c != '\n') {
        line.write(c);
        continue;
      }
      // Browsers send UTF-8 file names as they are (RFC 7578 4.2).
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.isEmpty()) {
        return headers;
      }
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new Malformed("a part has a malformed header");
      }
      headers.put(
          text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          text.substring(colon + 1).trim());
    }
  }

  /** The parameters of {@code form-data; name="..."; filename="..."}. */
  static Map<String, String> dispositionParams(String value) throws Malformed {
    Map<String, String> params = new LinkedHashMap<>();
    int i = value.indexOf(';');
    if (i < 0 || !value.substring(0, i).trim().equalsIgnoreCase("form-data")) {
      throw new Malformed("a part's Content-Disposition is not form-data");
    }
    i++;
    while (i < value.length()) {
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == ';')) {
        i++;
      }
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < value.length() && value.charAt(i) == '"') {
        i++;
        while (i < value.length() && value.charAt(i) != '"') {
          // Browsers escape '"' as %22 and send '\\' as it is (HTML form submission, multipart
          // form data), so a backslash is not an escape here.
          v.append(value.charAt(i++));
        }
        if (i >= value.length()) {
          throw new Malformed("a part's Content-Disposition has an unclosed quote");
        }
        i++;
      } else {
        while (i < value.length() && value.charAt(i) != ';') {
          v.append(value.charAt(i++));
        }
      }
      params.putIfAbsent(name, v.toString().trim());
    }
    return params;
  }
}
