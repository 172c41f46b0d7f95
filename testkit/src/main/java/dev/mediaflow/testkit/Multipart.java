package dev.mediaflow.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart/form-data body (RFC 7578) read from a stream: text fields are kept in memory, file
 * parts (a part with a {@code filename}, or one named {@code file}) are streamed to temporary
 * files, so an upload of any size costs a small buffer. {@link #close()} deletes the files not
 * moved away. Not thread-safe.
 *
 * <pre>{@code
 * try (Multipart form = Multipart.read(in, Multipart.boundary(contentType), tempDir)) {
 *   String key = form.field("key").orElseThrow();
 *   Multipart.Part file = form.part("file").orElseThrow(); // file.file(), file.size()
 * }
 * }</pre>
 */
public final class Multipart implements AutoCloseable {
  /** The most bytes a text field may have. */
  public static final int MAX_FIELD = 1 << 20;

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
  private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");

  /** The body is not well-formed multipart/form-data. */
  public static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedException(String message) {
      super(message);
    }
  }

  /**
   * One part: its field name, the file name and Content-Type it was sent with (null when absent),
   * and its content, text ({@link #value()}) or a file on disk ({@link #file()}).
   */
  public record Part(
      String name, String filename, String contentType, String value, Path file, long size) {
    /** Returns true when the content was streamed to {@link #file()}. */
    public boolean isFile() {
      return file != null;
    }
  }

  private final List<Part> parts;

  private Multipart(List<Part> parts) {
    this.parts = Collections.unmodifiableList(parts);
  }

  /**
   * Returns the boundary of a {@code multipart/form-data} Content-Type, or null when it is not one.
   */
  public static String boundary(String contentType) {
    if (contentType == null
        || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  /**
   * Reads a whole body. The preamble and epilogue are skipped.
   *
   * @param tempDir where file parts are written (created when missing); the same file system as
   *     their final place, so they can be moved there atomically
   * @throws MalformedException when the body does not follow the format (no delimiter, no closing
   *     delimiter, a part without a name, headers or a field too long)
   */
  public static Multipart read(InputStream body, String boundary, Path tempDir) throws IOException {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new MalformedException("the Content-Type has no valid boundary");
    }
    InputStream in = new BufferedInputStream(body, 1 << 16);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int[] fail = failure(delimiter);
    List<Part> parts = new ArrayList<>();
    boolean done = false;
    try {
      // The first delimiter may open the body, without the CRLF every later one has.
      if (!skipTo(in, delimiter, fail, 2)) {
        throw new MalformedException("no multipart delimiter in the body");
      }
      while (true) {
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') {
          done = true;
          break;
        }
        // Transport padding after the delimiter, then CRLF.
        while (a == ' ' || a == '\t') {
          a = b;
          b = in.read();
        }
        if (a != '\r' || b != '\n') {
          throw new MalformedException("a multipart delimiter is not followed by CRLF");
        }
        String headers = headers(in);
        String disposition = header(headers, "content-disposition");
        Matcher name = disposition == null ? null : NAME.matcher(disposition);
        if (name == null || !name.find()) {
          throw new MalformedException("a part has no Content-Disposition name");
        }
        Matcher filename = FILENAME.matcher(disposition);
        String file = filename.find() ? filename.group(1) : null;
        String type = header(headers, "content-type");
        if (file != null || name.group(1).equals("file")) {
          Files.createDirectories(tempDir);
          Path tmp = Files.createTempFile(tempDir, "form-", ".part");
          long size;
          boolean closed;
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            long[] counted = new long[1];
            closed = copyTo(in, delimiter, fail, out, Long.MAX_VALUE, counted);
            size = counted[0];
          } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
          }
          parts.add(new Part(name.group(1), file, type, null, tmp, size));
          if (!closed) {
            throw new MalformedException("the body ends inside a part");
          }
        } else {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          long[] counted = new long[1];
          if (!copyTo(in, delimiter, fail, out, MAX_FIELD, counted)) {
            throw new MalformedException("the body ends inside a part");
          }
          parts.add(
              new Part(
                  name.group(1),
                  null,
                  type,
                  out.toString(StandardCharsets.UTF_8),
                  null,
                  counted[0]));
        }
      }
    } finally {
      if (!done) {
        new Multipart(parts).close();
      }
    }
    return new Multipart(parts);
  }

  /** Returns every part, in the order sent. */
  public List<Part> parts() {
    return parts;
  }

  /** Returns the first part named {@code name} (exactly). */
  public Optional<Part> part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** Returns the text of the first text field named {@code name} (exactly). */
  public Optional<String> field(String name) {
    return parts.stream()
        .filter(p -> !p.isFile() && p.name().equals(name))
        .map(Part::value)
        .findFirst();
  }

  /** Deletes the temporary files of the file parts that are still there. */
  @Override
  public void close() {
    for (Part p : parts) {
      if (p.file() != null) {
        try {
          Files.deleteIfExists(p.file());
        } catch (IOException ignored) {
          // a temporary file left behind is removed with the data folder
        }
      }
    }
  }

  // ---- stream scanning (Knuth-Morris-Pratt over the delimiter, so no byte is read twice)

  private static int[] failure(byte[] pattern) {
    int[] f = new int[pattern.length];
    for (int i = 1, k = 0; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = f[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      f[i] = k;
    }
    return f;
  }

  /** Discards bytes up to and including the delimiter, which may start {@code matched} in. */
  private static boolean skipTo(InputStream in, byte[] delimiter, int[] fail, int matched)
      throws IOException {
    int k = matched;
    for (int c; (c = in.read()) >= 0; ) {
      while (k > 0 && delimiter[k] != (byte) c) {
        k = fail[k - 1];
      }
      if (delimiter[k] == (byte) c) {
        k++;
      }
      if (k == delimiter.length) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies bytes to {@code out} up to the delimiter (consumed, not copied); returns false when the
   * stream ends first.
   */
  private static boolean copyTo(
      InputStream in, byte[] delimiter, int[] fail, OutputStream out, long max, long[] counted)
      throws IOException {
    int k = 0;
    long n = 0;
    for (int c; (c = in.read()) >= 0; ) {
      while (k > 0 && delimiter[k] != (byte) c) {
        int back = fail[k - 1];
        // The bytes matched so far, less those that still begin a match, are content.
        out.write(delimiter, 0, k - back);
        n += k - back;
        k = back;
      }
      if (delimiter[k] == (byte) c) {
        k++;
        if (k == delimiter.length) {
          counted[0] = n;
          return true;
        }
      } else {
        out.write(c);
        n++;
      }
      if (n > max) {
        throw new MalformedException("a form field is longer than " + max + " bytes");
      }
    }
    counted[0] = n;
    return false;
  }

  /** Reads a part's header block, up to the empty line. */
  private static String headers(InputStream in) throws IOException {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    int state = 0; // how much of CRLFCRLF was seen
    for (int c; (c = in.read()) >= 0; ) {
      h.write(c);
      if (h.size() > 16 * 1024) {
        throw new MalformedException("a part's headers are too long");
      }
      state =
          switch (state) {
            case 0, 2 -> c == '\r' ? state + 1 : 0;
            case 1, 3 -> c == '\n' ? state + 1 : c == '\r' ? 1 : 0;
            default -> 0;
          };
      if (state == 4) {
        return h.toString(StandardCharsets.UTF_8);
      }
      if (state == 2 && h.size() == 2) {
        return ""; // no headers at all
      }
    }
    throw new MalformedException("the body ends inside a part's headers");
  }

  private static String header(String block, String name) {
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
