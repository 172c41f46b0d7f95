package dev.mediaflow.pipeline;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;

/**
 * An object in a bucket: a pipeline's source, an output's save target, or an extra input.
 *
 * <p>The bucket is a plain name (no {@code /}); the key is a non-empty path of at most 1023 UTF-8
 * bytes that does not start with {@code /}. Neither may contain control characters. Providers
 * escape both; they may reject more (a local bucket rejects keys that escape it). Immutable and
 * thread-safe.
 */
public record MediaObject(String bucket, String key) {
  /** The longest key OSS and Qiniu accept, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1023;

  public MediaObject {
    Check.text("bucket", bucket, 255);
    if (bucket.indexOf('/') >= 0
        || bucket.indexOf('\\') >= 0
        || bucket.equals(".")
        || bucket.equals("..")) {
      throw new MediaValidationException(
          "bucket", "must be a plain bucket name without '/' or '\\', was \"" + bucket + "\"");
    }
    Check.text("key", key, MAX_KEY_BYTES);
    if (key.startsWith("/")) {
      throw new MediaValidationException(
          "key", "must not start with '/' (keys are relative to the bucket), was \"" + key + "\"");
    }
  }

  public static MediaObject of(String bucket, String key) {
    return new MediaObject(bucket, key);
  }

  /** Returns {@code bucket/key}. */
  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
