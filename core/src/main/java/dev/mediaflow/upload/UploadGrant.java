package dev.mediaflow.upload;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mediaflow.internal.Check;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A permission to upload that the application hands to a browser: where to send the file ({@link
 * #url()}, {@link #method()}), the form fields or headers to send with it, the name of the form's
 * file field, and the limits it carries. {@link #toJson()} gives it to a front end.
 *
 * <p>The fields and headers carry a signature or token that is the grant itself: hand them to the
 * uploader only.
 *
 * @param url where to send the upload
 * @param method {@code POST} (a form with {@link #fields()} and the file in {@link #fileField()})
 *     or {@code PUT} (the body is the file, sent with {@link #headers()})
 * @param fields the form fields to send before the file, in order (POST)
 * @param headers the headers that must be sent (PUT), or that a POST needs besides the form
 * @param fileField the name of the form field that carries the file (POST; "" for PUT)
 * @param expiresAt when the grant stops working
 * @param minSize the smallest size the vendor accepts, in bytes
 * @param maxSize the largest size the vendor accepts, in bytes
 * @param contentTypes the content types the vendor accepts; empty for any
 */
public record UploadGrant(
    URI url,
    String method,
    Map<String, String> fields,
    Map<String, String> headers,
    String fileField,
    Instant expiresAt,
    long minSize,
    long maxSize,
    List<String> contentTypes) {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  public UploadGrant {
    Check.notNull("url", url);
    Check.text("method", method, 8);
    fields =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Check.notNull("fields", fields)));
    headers =
        java.util.Collections.unmodifiableMap(
            new LinkedHashMap<>(Check.notNull("headers", headers)));
    Check.notNull("fileField", fileField);
    Check.notNull("expiresAt", expiresAt);
    contentTypes = List.copyOf(Check.notNull("contentTypes", contentTypes));
  }

  /**
   * Returns the grant as JSON for a front end: {@code url}, {@code method}, {@code fields}, {@code
   * headers}, {@code fileField}, {@code expiresAt} (ISO-8601), {@code minSize}, {@code maxSize}
   * (absent when unlimited) and {@code contentTypes}.
   */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("url", url.toString());
    o.addProperty("method", method);
    o.add("fields", GSON.toJsonTree(fields));
    o.add("headers", GSON.toJsonTree(headers));
    o.addProperty("fileField", fileField);
    o.addProperty("expiresAt", expiresAt.toString());
    o.addProperty("minSize", minSize);
    if (maxSize != Long.MAX_VALUE) {
      o.addProperty("maxSize", maxSize);
    }
    o.add("contentTypes", GSON.toJsonTree(contentTypes));
    return GSON.toJson(o);
  }

  /**
   * Shows where and until when; the fields and headers, which carry the signature, are left out.
   */
  @Override
  public String toString() {
    return "UploadGrant{"
        + method
        + " "
        + url.getScheme()
        + "://"
        + url.getAuthority()
        + url.getRawPath()
        + ", fields="
        + fields.keySet()
        + ", headers="
        + headers.keySet()
        + ", expiresAt="
        + expiresAt
        + "}";
  }
}
