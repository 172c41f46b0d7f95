package dev.mediaflow.testkit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a fake server's handler answers: a status, headers and a body (bytes, or a file streamed
 * from disk), which {@link FakeServer} sends, or drops when a fault says so. A HEAD request gets
 * the headers only. Build it with the factories and {@link #header}; not thread-safe while being
 * built, then handed over to the server.
 */
public final class Reply {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private Path file;
  private long fileSize;
  private String errorCode = "";
  private boolean ranges;

  private Reply(int status) {
    this.status = status;
  }

  /** Returns a reply with {@code status} and no body yet. */
  public static Reply status(int status) {
    return new Reply(status);
  }

  /** Returns a reply with {@code status}, {@code Content-Type} and {@code body}. */
  public static Reply body(int status, String contentType, byte[] body) {
    return new Reply(status).header("Content-Type", contentType).body(body);
  }

  /** Returns {@code body} written as JSON (no HTML escaping, as the vendors answer). */
  public static Reply json(int status, String contentType, Object body) {
    return body(status, contentType, toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  /** Returns an XML document: the {@code <?xml ...?>} declaration, then {@code xml}. */
  public static Reply xml(int status, String xml) {
    return body(
        status,
        "application/xml",
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code value} as the fakes' JSON: no HTML escaping. */
  public static String toJson(Object value) {
    return GSON.toJson(value);
  }

  /** Escapes the five XML special characters of {@code text}. */
  public static String escapeXml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Sets header {@code name}, replacing a value set before. */
  public Reply header(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds the headers {@code more} that are not set yet. */
  public Reply headersIfAbsent(Map<String, String> more) {
    more.forEach(headers::putIfAbsent);
    return this;
  }

  /** Sets the body. */
  public Reply body(byte[] body) {
    this.body = Objects.requireNonNull(body, "body");
    this.file = null;
    return this;
  }

  /** Streams {@code file} ({@code size} bytes) as the body. */
  public Reply file(Path file, long size) {
    this.file = Objects.requireNonNull(file, "file");
    this.fileSize = size;
    return this;
  }

  /**
   * Marks an object's bytes that a GET may ask a part of ({@code Range: bytes=...}): the server
   * then answers one satisfiable range with 206 and {@code Content-Range}, and anything else with
   * the whole object and 200, as OSS and Qiniu do. Adds {@code Accept-Ranges: bytes}.
   */
  public Reply ranges() {
    this.ranges = true;
    return header("Accept-Ranges", "bytes");
  }

  /** Returns whether a GET may ask a part of this reply's body. */
  boolean acceptsRanges() {
    return ranges;
  }

  /** Sets the vendor's error code this reply carries, for the request log. */
  public Reply errorCode(String code) {
    this.errorCode = code;
    return this;
  }

  /** Returns the vendor's error code this reply carries ("" for none). */
  public String errorCode() {
    return errorCode;
  }

  public int status() {
    return status;
  }

  /** Returns the headers set, in order. */
  public Map<String, String> headers() {
    return Collections.unmodifiableMap(headers);
  }

  /** Returns the first value of header {@code name} set on this reply, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** Returns the body bytes (empty for none, or when the body is a file). */
  public byte[] bodyBytes() {
    return body;
  }

  /** Returns the file streamed as the body, or null. */
  Path file() {
    return file;
  }

  /** Returns the body's length: 0 for none. */
  long length() {
    return file != null ? fileSize : body.length;
  }

  @Override
  public String toString() {
    return "Reply{" + status + "}";
  }
}
