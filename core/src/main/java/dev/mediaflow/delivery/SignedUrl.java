package dev.mediaflow.delivery;

import dev.mediaflow.internal.Check;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery URL as {@code MediaClient.url} makes it: the URL text, the HTTP method it is good for,
 * the headers a request with it must carry (usually none), and the instant its signature expires
 * (none for an unsigned URL). In the manner of the AWS SDK's {@code PresignedGetObjectRequest}.
 *
 * <pre>{@code
 * SignedUrl thumb = media.url(photo, UrlOptions.builder().process(resize).build());
 * String html = "<img src=\"" + thumb + "\">";   // toString() is the URL
 * URI uri = thumb.toUri();                         // parsed when asked for
 * }</pre>
 *
 * <p>{@link #toString()} returns exactly the URL, so a signed URL is a bearer credential until it
 * expires: share it as the link it is. It holds no secret beyond the signature in the URL itself.
 * Making one does not parse a URL; {@link #toUri()} parses it on first use. Immutable and
 * thread-safe; no method takes or returns null.
 */
public final class SignedUrl {
  private final String url;
  private final String method;
  private final Map<String, String> headers;
  private final Instant expiresAt;

  /**
   * The parsed URL, made on first use; any thread may make it, all make the same (volatile: a
   * {@code URI}'s fields are not final, so it must be published safely).
   */
  private volatile URI uri;

  private SignedUrl(String url, String method, Map<String, String> headers, Instant expiresAt) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.expiresAt = expiresAt;
  }

  /**
   * Returns a signed URL for a {@code GET} without extra headers, valid until {@code expiresAt}.
   */
  public static SignedUrl of(String url, Instant expiresAt) {
    Check.notNull("url", url);
    Check.notNull("expiresAt", expiresAt);
    return new SignedUrl(url, "GET", Map.of(), expiresAt);
  }

  /**
   * Returns a signed URL for {@code method} whose requests must carry {@code headers} (in order),
   * valid until {@code expiresAt}.
   */
  public static SignedUrl of(
      String method, String url, Map<String, String> headers, Instant expiresAt) {
    Check.notNull("method", method);
    Check.notNull("url", url);
    Check.notNull("headers", headers);
    Check.notNull("expiresAt", expiresAt);
    return new SignedUrl(url, method, copy(headers), expiresAt);
  }

  /** Returns an unsigned URL for a {@code GET}, of an object in a public-read bucket. */
  public static SignedUrl unsigned(String url) {
    Check.notNull("url", url);
    return new SignedUrl(url, "GET", Map.of(), null);
  }

  private static Map<String, String> copy(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          Check.notNull("headers key", k);
          Check.notNull("headers[" + k + "]", v);
          m.put(k, v);
        });
    return Collections.unmodifiableMap(m);
  }

  /** Returns the URL text, as sent to a browser or an HTTP client. */
  public String url() {
    return url;
  }

  /** Returns the HTTP method the URL is good for, {@code GET} for delivery URLs. */
  public String method() {
    return method;
  }

  /**
   * Returns the headers a request with this URL must carry, in order; empty for delivery URLs,
   * which a browser loads as they are.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /** Returns the instant the signature expires; empty for an unsigned URL. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** Returns true when the URL carries no signature (a public-read bucket). */
  public boolean isUnsigned() {
    return expiresAt == null;
  }

  /**
   * Returns the URL as a {@link URI}, parsed on first use.
   *
   * @throws IllegalArgumentException never for URLs Mediaflow's providers make, which are valid RFC
   *     3986 URIs
   */
  public URI toUri() {
    URI u = uri;
    if (u == null) {
      u = URI.create(url);
      uri = u;
    }
    return u;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedUrl s
        && s.url.equals(url)
        && s.method.equals(method)
        && s.headers.equals(headers)
        && Objects.equals(s.expiresAt, expiresAt);
  }

  @Override
  public int hashCode() {
    return url.hashCode();
  }

  /** Returns exactly the URL ({@link #url()}). */
  @Override
  public String toString() {
    return url;
  }
}
