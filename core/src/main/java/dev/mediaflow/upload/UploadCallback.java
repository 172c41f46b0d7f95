package dev.mediaflow.upload;

import dev.mediaflow.MediaValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the vendor makes to your server once the object is stored (OSS {@code x-oss-callback},
 * Qiniu {@code callbackUrl}); your server's answer becomes {@link UploadResult#callbackResponse()}.
 * The body is the vendor's template: OSS variables look like {@code ${bucket}}, {@code ${object}},
 * {@code ${size}}; Qiniu's like {@code $(bucket)}, {@code $(key)}, {@code $(fsize)}. Immutable.
 *
 * <pre>{@code
 * UploadCallback cb = UploadCallback.json("https://app.example.com/stored", "{\"key\":\"${object}\"}")
 *     .withHost("app.example.com");                  // optional: a Host header other than the URL's
 * }</pre>
 */
public final class UploadCallback {
  private final String url;
  private final String body;
  private final boolean json;
  private final String host;

  private UploadCallback(String url, String body, boolean json, String host) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new MediaValidationException(
          "callback.url", "must be an http or https URL, was \"" + url + "\"");
    }
    if (body.isEmpty()) {
      throw new MediaValidationException(
          "callback.body", "must not be empty; give the vendor's body template");
    }
    this.url = url;
    this.body = body;
    this.json = json;
    this.host = host;
  }

  /** A form-encoded callback to {@code url} (http or https) with the body template {@code body}. */
  public static UploadCallback form(String url, String body) {
    return new UploadCallback(url, body, false, null);
  }

  /** A JSON callback to {@code url} (http or https) with the body template {@code body}. */
  public static UploadCallback json(String url, String body) {
    return new UploadCallback(url, body, true, null);
  }

  /**
   * Returns this callback sending {@code host} as its Host header, when it differs from the URL's.
   */
  public UploadCallback withHost(String host) {
    return new UploadCallback(url, body, json, Objects.requireNonNull(host, "host"));
  }

  /** Returns your server's URL (http or https). */
  public String url() {
    return url;
  }

  /** Returns the body template. */
  public String body() {
    return body;
  }

  /** Returns true to send the body as {@code application/json}, false for a form. */
  public boolean json() {
    return json;
  }

  /** Returns the Host header to send, when it differs from the URL's. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadCallback c
        && url.equals(c.url)
        && body.equals(c.body)
        && json == c.json
        && Objects.equals(host, c.host);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, body, json, host);
  }

  @Override
  public String toString() {
    return "UploadCallback{url="
        + url
        + ", body="
        + body
        + ", json="
        + json
        + (host == null ? "" : ", host=" + host)
        + "}";
  }
}
