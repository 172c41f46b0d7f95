package dev.mediaflow.upload;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a browser (or a phone) may upload with one grant: where (an exact key, or any key under a
 * prefix), how large, which content types, until when, whether it may replace an existing object,
 * and what happens once it is stored (a callback to the application, a pipeline).
 *
 * <pre>{@code
 * UploadGrant grant = media.grantUpload(UploadGrantRequest.builder()
 *     .key(MediaObject.of("media", "incoming/avatar-42.jpg"))
 *     .size(1, 5 * 1024 * 1024)
 *     .contentTypes("image/jpeg", "image/png")
 *     .build());
 * }</pre>
 *
 * <p>A provider that cannot enforce a limit refuses the grant naming the option; it never widens it
 * silently. Immutable and thread-safe; absent values are empty.
 */
public final class UploadGrantRequest {
  /** How long a grant lasts when no expiry is given. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

  private static final Pattern CONTENT_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}|\\*)");

  private final MediaObject key;
  private final String bucket;
  private final String keyPrefix;
  private final KeyName keyName;
  private final long minSize;
  private final long maxSize;
  private final List<String> contentTypes;
  private final Duration expiry;
  private final boolean overwrite;
  private final UploadCallback callback;
  private final Pipeline process;
  private final Method method;

  /**
   * How the browser sends the file: a form {@link #POST} (the default; the vendor checks every
   * limit), or a presigned {@link #PUT} of the bare file, which cannot carry a size range or a
   * content-type pattern, so a provider refuses those with a PUT.
   */
  public enum Method {
    /** A multipart/form-data POST: the grant's fields, then the file. */
    POST,
    /** A PUT of the file to a presigned URL, with the grant's headers. */
    PUT
  }

  private UploadGrantRequest(Builder b) {
    this.key = b.key;
    this.bucket = b.bucket;
    this.keyPrefix = b.keyPrefix;
    this.keyName = b.keyName;
    this.minSize = b.minSize;
    this.maxSize = b.maxSize;
    this.contentTypes = b.contentTypes;
    this.expiry = b.expiry;
    this.overwrite = b.overwrite;
    this.callback = b.callback;
    this.process = b.process;
    this.method = b.method;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the exact object the upload must write; empty for a grant over a key prefix. */
  public Optional<MediaObject> key() {
    return Optional.ofNullable(key);
  }

  /** Returns the bucket the upload writes to. */
  public String bucket() {
    return key != null ? key.bucket() : bucket;
  }

  /** Returns the prefix every uploaded key must start with; empty for a grant of an exact key. */
  public Optional<String> keyPrefix() {
    return Optional.ofNullable(keyPrefix);
  }

  /**
   * Returns how the key under {@link #keyPrefix()} is chosen; {@link KeyName#CHOSEN_BY_UPLOADER}
   * for a grant of an exact key (whose key is fixed).
   */
  public KeyName keyName() {
    return keyName;
  }

  /** Returns the smallest size allowed, in bytes (0 when unlimited). */
  public long minSize() {
    return minSize;
  }

  /** Returns the largest size allowed, in bytes ({@link Long#MAX_VALUE} when unlimited). */
  public long maxSize() {
    return maxSize;
  }

  /** Returns whether a size range was set. */
  public boolean limitsSize() {
    return minSize > 0 || maxSize < Long.MAX_VALUE;
  }

  /** Returns the content types allowed ({@code image/*} allows any image); empty allows any. */
  public List<String> contentTypes() {
    return contentTypes;
  }

  /** Returns how long the grant lasts. */
  public Duration expiry() {
    return expiry;
  }

  /** Returns whether the upload may replace an object that already exists (default false). */
  public boolean overwrite() {
    return overwrite;
  }

  /** Returns the request the vendor makes to the application once the object is stored. */
  public Optional<UploadCallback> callback() {
    return Optional.ofNullable(callback);
  }

  /** Returns the pipeline to run on the stored object. */
  public Optional<Pipeline> process() {
    return Optional.ofNullable(process);
  }

  /** Returns how the browser sends the file (default {@link Method#POST}). */
  public Method method() {
    return method;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UploadGrantRequest r
        && Objects.equals(r.key, key)
        && Objects.equals(r.bucket, bucket)
        && Objects.equals(r.keyPrefix, keyPrefix)
        && r.keyName == keyName
        && r.minSize == minSize
        && r.maxSize == maxSize
        && r.contentTypes.equals(contentTypes)
        && r.expiry.equals(expiry)
        && r.overwrite == overwrite
        && Objects.equals(r.callback, callback)
        && Objects.equals(r.process, process)
        && r.method == method;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        key,
        bucket,
        keyPrefix,
        keyName,
        minSize,
        maxSize,
        contentTypes,
        expiry,
        overwrite,
        callback,
        process,
        method);
  }

  @Override
  public String toString() {
    return "UploadGrantRequest{"
        + (method == Method.PUT ? "PUT " : "")
        + (key != null ? key : bucket + "/" + keyPrefix + "<" + keyName + ">")
        + ", size="
        + minSize
        + ".."
        + (maxSize == Long.MAX_VALUE ? "" : maxSize)
        + (contentTypes.isEmpty() ? "" : ", types=" + contentTypes)
        + ", expiry="
        + expiry
        + (overwrite ? ", overwrite" : "")
        + (callback == null ? "" : ", callback")
        + (process == null ? "" : ", process")
        + "}";
  }

  /** Builds an {@link UploadGrantRequest}; each setter checks its value. Not thread-safe. */
  public static final class Builder {
    private MediaObject key;
    private String bucket;
    private String keyPrefix;
    private KeyName keyName = KeyName.CHOSEN_BY_UPLOADER;
    private long minSize;
    private long maxSize = Long.MAX_VALUE;
    private List<String> contentTypes = List.of();
    private Duration expiry = DEFAULT_EXPIRY;
    private boolean overwrite;
    private UploadCallback callback;
    private Pipeline process;
    private Method method = Method.POST;

    private Builder() {}

    /** Grants an upload to exactly {@code object}. */
    public Builder key(MediaObject object) {
      this.key = Check.notNull("key", object);
      this.bucket = null;
      this.keyPrefix = null;
      this.keyName = KeyName.CHOSEN_BY_UPLOADER;
      return this;
    }

    /**
     * Grants an upload to any key that starts with {@code prefix} in {@code bucket}; the uploader
     * picks the rest.
     */
    public Builder keyPrefix(String bucket, String prefix) {
      return keyPrefix(bucket, prefix, KeyName.CHOSEN_BY_UPLOADER);
    }

    /**
     * Grants an upload under {@code prefix} in {@code bucket}, the rest of the key chosen as {@code
     * name} says: by the uploader, or by the vendor from the file's name or content.
     */
    public Builder keyPrefix(String bucket, String prefix, KeyName name) {
      MediaObject checked =
          MediaObject.of(bucket, Check.text("keyPrefix", prefix, 1000) + "x"); // checks both
      this.bucket = checked.bucket();
      this.keyPrefix = prefix;
      this.keyName = Check.notNull("keyName", name);
      this.key = null;
      return this;
    }

    /** Limits the size to {@code min}..{@code max} bytes, both included. */
    public Builder size(long min, long max) {
      if (min < 0 || max < 1 || min > max) {
        throw new MediaValidationException(
            "size", "must be 0 <= min <= max and max >= 1, was " + min + ".." + max);
      }
      this.minSize = min;
      this.maxSize = max;
      return this;
    }

    /**
     * Allows only these content types (such as {@code image/jpeg}, or {@code image/*} for any
     * image).
     */
    public Builder contentTypes(String... types) {
      for (int i = 0; i < types.length; i++) {
        Check.notNull("contentTypes[" + i + "]", types[i]);
        if (!CONTENT_TYPE.matcher(types[i]).matches()) {
          throw new MediaValidationException(
              "contentTypes[" + i + "]",
              "must be a media type such as image/jpeg or image/*, was \"" + types[i] + "\"");
        }
      }
      this.contentTypes = List.of(types);
      return this;
    }

    /** Sets how long the grant lasts (whole seconds, more than zero; default 15 minutes). */
    public Builder expiry(Duration expiry) {
      Check.positive("expiry", expiry);
      if (expiry.toMillis() % 1000 != 0) {
        throw new MediaValidationException(
            "expiry", "must be whole seconds, was " + expiry.toMillis() + " ms");
      }
      this.expiry = expiry;
      return this;
    }

    /** Lets the upload replace an object that already exists. */
    public Builder overwrite(boolean allowed) {
      this.overwrite = allowed;
      return this;
    }

    /** Makes the vendor call the application once the object is stored. */
    public Builder callback(UploadCallback callback) {
      this.callback = Check.notNull("callback", callback);
      return this;
    }

    /** Runs {@code pipeline} on the stored object; its source must be the granted key. */
    public Builder process(Pipeline pipeline) {
      this.process = Check.notNull("process", pipeline);
      return this;
    }

    /** Sets how the browser sends the file (default {@link Method#POST}, a form). */
    public Builder method(Method method) {
      this.method = Check.notNull("method", method);
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws MediaValidationException without a key or prefix, or when the pipeline's source is
     *     not the key
     */
    public UploadGrantRequest build() {
      if (key == null && keyPrefix == null) {
        throw new MediaValidationException(
            "key", "give the key to upload to, or a bucket and key prefix");
      }
      if (process != null && (key == null || !process.source().equals(key))) {
        throw new MediaValidationException(
            "process.source",
            "must be the granted key "
                + (key == null
                    ? "(a grant over a prefix cannot name its source)"
                    : key.toString()));
      }
      return new UploadGrantRequest(this);
    }
  }
}
