package dev.mediaflow.upload;

import dev.mediaflow.MediaValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the vendor makes to your server once the object is stored (OSS {@code x-oss-callback}, Qiniu
 * {@code callbackUrl}); your server's answer becomes {@link UploadResult#callbackResponse()}. The body is
 * the vendor's template: OSS variables look like {@code ${bucket}}, {@code ${object}}, {@code ${size}};
 * Qiniu's like {@code $(bucket)}, {@code $(key)}, {@code $(fsize)}. Immutable.
 *
 * @param url your server's URL (http or https)
 * @param body the body template
 * @param json true to send the body as {@code application/json}, false for a form
 * @param host the Host header to send, when it differs from the URL's
 */
public record UploadCallback(String url, String body, boolean json, Optional<String> host) {
  public UploadCallback {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(host, "host");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new MediaValidationException("callback.url", "must be an http or https URL, was \"" + url + "\"");
    }
    if (body.isEmpty()) {
      throw new MediaValidationException("callback.body", "must not be empty; give the vendor's body template");
    }
  }

  /** A form-encoded callback to {@code url} with {@code body}. */
  public static UploadCallback form(String url, String body) {
    return new UploadCallback(url, body, false, Optional.empty());
  }

  /** A JSON callback to {@code url} with {@code body}. */
  public static UploadCallback json(String url, String body) {
    return new UploadCallback(url, body, true, Optional.empty());
  }
}
