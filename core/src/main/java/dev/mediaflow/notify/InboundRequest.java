package dev.mediaflow.notify;

import dev.mediaflow.internal.Check;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request a vendor sent to the application (a job notification, a message push, an upload
 * callback), as any web framework can hand it over: method, the request URI as received (path and
 * query), headers and the body bytes.
 *
 * <p>Header names match without regard to case. Immutable and thread-safe; the body is copied in
 * and out.
 */
public final class InboundRequest {
  private final String method;
  private final String uri;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private InboundRequest(
      String method, String uri, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
  }

  /**
   * Returns a request.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param uri the request URI as received: the path and the query, such as {@code
   *     /mediaflow/notify?x=1}
   * @param headers the headers, each with its values in order
   * @param body the body bytes (empty when none)
   */
  public static InboundRequest of(
      String method, String uri, Map<String, List<String>> headers, byte[] body) {
    Check.text("method", method, 16);
    Check.text("uri", uri, 16_384);
    Check.notNull("headers", headers);
    Check.notNull("body", body);
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (k, v) ->
            h.merge(
                k,
                List.copyOf(v),
                (a, b) -> {
                  List<String> all = new java.util.ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    return new InboundRequest(
        method.toUpperCase(Locale.ROOT),
        uri,
        java.util.Collections.unmodifiableMap(h),
        body.clone());
  }

  public String method() {
    return method;
  }

  /** Returns the request URI as received: path and query. */
  public String uri() {
    return uri;
  }

  /** Returns the headers, names matched without regard to case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** Returns the first value of header {@code name}. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Returns a copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Shows the method, URI and body size; header values (which may carry signatures) are left out.
   */
  @Override
  public String toString() {
    return "InboundRequest{"
        + method
        + " "
        + uri
        + ", headers="
        + headers.keySet()
        + ", "
        + body.length
        + " bytes}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundRequest r
        && r.method.equals(method)
        && r.uri.equals(uri)
        && r.headers.equals(headers)
        && Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return (method.hashCode() * 31 + uri.hashCode()) * 31 + Arrays.hashCode(body);
  }
}
