package dev.mediaflow.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The conditions of a local upload grant, carried in its {@code policy} form field as Base64url
 * JSON and signed in its {@code signature} field (format in {@code docs/local-server.md}).
 *
 * @param expiration when the grant stops working, in epoch seconds
 * @param bucket the bucket
 * @param key the exact key, or null for a grant over a prefix
 * @param prefix the key prefix, or null for a grant of an exact key
 * @param keyName how the key under the prefix is chosen
 * @param minSize the smallest size allowed
 * @param maxSize the largest size allowed ({@link Long#MAX_VALUE}: unlimited)
 * @param contentTypes the content types allowed; empty for any
 * @param overwrite whether an existing object may be replaced
 * @param callback the request to make once the object is stored, or null
 * @param process the pipeline to run on the stored object as spec JSON, or null
 */
record LocalUploadPolicy(
    long expiration,
    String bucket,
    String key,
    String prefix,
    KeyName keyName,
    long minSize,
    long maxSize,
    List<String> contentTypes,
    boolean overwrite,
    UploadCallback callback,
    String process) {
  /** Versions the string to sign and keeps it apart from URL signatures. */
  static final String SCHEME = "MEDIAFLOW-LOCAL-POST-HMAC-SHA256";

  /** What the {@code key} field holds for a key the server fills in from the file name. */
  static final String FILE_NAME = "${filename}";

  /** What the {@code key} field holds for a key the server fills in from the content's hash. */
  static final String CONTENT_HASH = "${sha256}${ext}";

  LocalUploadPolicy {
    contentTypes = List.copyOf(contentTypes);
  }

  /** The {@code key} form field of the grant: the key, or the prefix with the name's template. */
  String keyField() {
    if (key != null) {
      return key;
    }
    return switch (keyName) {
      case CHOSEN_BY_UPLOADER -> prefix;
      case FILE_NAME -> prefix + FILE_NAME;
      case CONTENT_HASH -> prefix + CONTENT_HASH;
    };
  }

  /** Returns the policy as Base64url (no padding) of its compact JSON. */
  String encode() {
    JsonObject o = new JsonObject();
    o.addProperty("expiration", expiration);
    o.addProperty("bucket", bucket);
    if (key != null) {
      o.addProperty("key", key);
    } else {
      o.addProperty("prefix", prefix);
      o.addProperty("keyName", keyName.name());
    }
    o.addProperty("minSize", minSize);
    if (maxSize != Long.MAX_VALUE) {
      o.addProperty("maxSize", maxSize);
    }
    JsonArray types = new JsonArray();
    contentTypes.forEach(types::add);
    o.add("contentTypes", types);
    o.addProperty("overwrite", overwrite);
    if (callback != null) {
      JsonObject c = new JsonObject();
      c.addProperty("url", callback.url());
      c.addProperty("body", callback.body());
      c.addProperty("type", callback.json() ? "json" : "form");
      callback.host().ifPresent(h -> c.addProperty("host", h));
      o.add("callback", c);
    }
    if (process != null) {
      o.add("process", JsonParser.parseString(process));
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The signature of an encoded policy: Base64url(HMAC-SHA256(key, SCHEME + "\n" + policy)). */
  static String sign(byte[] signingKey, String encodedPolicy) {
    return LocalUrl.sign(signingKey, SCHEME + "\n" + encodedPolicy);
  }

  /**
   * Whether {@code signature} signs {@code encodedPolicy} with {@code signingKey} (constant time).
   */
  static boolean isSigned(byte[] signingKey, String encodedPolicy, String signature) {
    return MessageDigest.isEqual(
        sign(signingKey, encodedPolicy).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads a policy the server signed (after its signature was checked).
   *
   * @throws MediaValidationException when it is not a policy this server writes
   */
  static LocalUploadPolicy decode(String encoded) {
    try {
      JsonObject o =
          JsonParser.parseString(
                  new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8))
              .getAsJsonObject();
      String key = text(o, "key");
      String prefix = text(o, "prefix");
      List<String> types = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("contentTypes")) {
        types.add(e.getAsString());
      }
      UploadCallback callback = null;
      if (o.has("callback")) {
        JsonObject c = o.getAsJsonObject("callback");
        callback =
            "json".equals(text(c, "type"))
                ? UploadCallback.json(text(c, "url"), text(c, "body"))
                : UploadCallback.form(text(c, "url"), text(c, "body"));
        if (c.has("host")) {
          callback = callback.withHost(text(c, "host"));
        }
      }
      if ((key == null) == (prefix == null)) {
        throw new IllegalStateException("key or prefix");
      }
      return new LocalUploadPolicy(
          o.get("expiration").getAsLong(),
          text(o, "bucket"),
          key,
          prefix,
          key != null ? KeyName.CHOSEN_BY_UPLOADER : KeyName.valueOf(text(o, "keyName")),
          o.get("minSize").getAsLong(),
          o.has("maxSize") ? o.get("maxSize").getAsLong() : Long.MAX_VALUE,
          types,
          o.get("overwrite").getAsBoolean(),
          callback,
          o.has("process") ? o.get("process").toString() : null);
    } catch (IllegalArgumentException
        | IllegalStateException
        | JsonParseException
        | NullPointerException
        | UnsupportedOperationException
        | ClassCastException e) {
      throw new MediaValidationException("policy", "is not a local upload policy");
    }
  }

  private static String text(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /**
   * Whether a file of media type {@code type} may be uploaded: its type without parameters matches
   * one of {@link #contentTypes()} ({@code image/*} matches every image), case-insensitively.
   */
  boolean allowsType(String type) {
    if (contentTypes.isEmpty()) {
      return true;
    }
    if (type == null) {
      return false;
    }
    String t = mediaType(type);
    for (String allowed : contentTypes) {
      String a = allowed.toLowerCase(Locale.ROOT);
      if (a.endsWith("/*") ? t.startsWith(a.substring(0, a.length() - 1)) : t.equals(a)) {
        return true;
      }
    }
    return false;
  }

  /** The media type without parameters, lower case: {@code Image/JPEG; q=1} is image/jpeg. */
  static String mediaType(String type) {
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
