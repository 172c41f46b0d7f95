package dev.mediaflow.testkit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request a fake server received: method, URI, headers (names as the JDK server normalises them,
 * looked up without regard to case), the whole body and the local port it arrived on. Immutable
 * except for the body array, which a {@link Fault#corrupt()} fault alters before routing.
 * Thread-safe once built.
 */
public final class Request {
  private final String method;
  private final URI uri;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final int localPort;
  private final Multipart form;
  private final String formError;

  /**
   * @param headers the request's headers; copied
   */
  public Request(
      String method, URI uri, Map<String, List<String>> headers, byte[] body, int localPort) {
    this(method, uri, headers, body, localPort, null, null);
  }

  /**
   * A request whose multipart/form-data body was read as it arrived, into {@code form} (its body
   * then empty), or found malformed ({@code formError}).
   *
   * @param form the form read, or null
   * @param formError why the body is not well-formed multipart/form-data, or null
   */
  public Request(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      int localPort,
      Multipart form,
      String formError) {
    this.form = form;
    this.formError = formError;
    this.method = method;
    this.uri = uri;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body;
    this.localPort = localPort;
  }

  public String method() {
    return method;
  }

  /** Returns true for a HEAD request, whose reply carries headers only. */
  public boolean isHead() {
    return method.equals("HEAD");
  }

  public URI uri() {
    return uri;
  }

  /** Returns the decoded path. */
  public String path() {
    return uri.getPath();
  }

  /** Returns the path as sent, still percent-encoded. */
  public String rawPath() {
    return uri.getRawPath();
  }

  /** Returns the query as sent, or null when there is none. */
  public String rawQuery() {
    return uri.getRawQuery();
  }

  /** Returns the query decoded as {@link Forms#pairs}, in order. */
  public Map<String, String> query() {
    return Forms.pairs(uri.getRawQuery());
  }

  /** Returns the headers by name (any case finds them), each with its values in order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** Returns the first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /**
   * Returns the headers with lower-case names, several values joined by {@code ,}, as signatures
   * read them.
   */
  public Map<String, String> lowerCaseHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> m.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    return m;
  }

  /** Returns the body (the array itself: do not change it). */
  public byte[] body() {
    return body;
  }

  /** Returns the body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Returns the multipart/form-data body read as it arrived (for the requests the server streams;
   * see {@code FakeServer.streamsForm}); empty otherwise.
   */
  public java.util.Optional<Multipart> form() {
    return java.util.Optional.ofNullable(form);
  }

  /** Returns why a streamed multipart/form-data body was refused, when it was. */
  public java.util.Optional<String> formError() {
    return java.util.Optional.ofNullable(formError);
  }

  /** Returns the port the request arrived on. */
  public int localPort() {
    return localPort;
  }

  @Override
  public String toString() {
    return method
        + " "
        + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
