package dev.mediaflow.oss;

import dev.mediaflow.pipeline.MediaObject;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an appendable object stands after an append: its length (the next append's position) and
 * the CRC-64 of all its bytes, which the next append continues. Immutable and thread-safe.
 */
public final class OssAppend {
  /** Before the first append: position 0, the CRC of nothing. */
  public static final OssAppend START = new OssAppend(null, 0, "0");

  private final MediaObject object;
  private final long nextPosition;
  private final String crc64;

  private OssAppend(MediaObject object, long nextPosition, String crc64) {
    this.object = object;
    this.nextPosition = nextPosition;
    this.crc64 = crc64;
  }

  /**
   * Continues an object that already has {@code length} bytes with CRC-64 {@code crc64}, as a HEAD
   * answers ({@code x-oss-next-append-position}, {@code x-oss-hash-crc64ecma}).
   */
  public static OssAppend at(MediaObject object, long length, String crc64) {
    Objects.requireNonNull(object, "object");
    Long.parseUnsignedLong(crc64);
    return new OssAppend(object, length, crc64);
  }

  /** Returns the object; empty for {@link #START}. */
  public Optional<MediaObject> object() {
    return Optional.ofNullable(object);
  }

  /** Returns the object's length: where the next append goes. */
  public long nextPosition() {
    return nextPosition;
  }

  /** Returns the CRC-64 of the whole object (unsigned decimal, as {@code x-oss-hash-crc64ecma}). */
  public String crc64() {
    return crc64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OssAppend a
        && Objects.equals(a.object, object)
        && a.nextPosition == nextPosition
        && a.crc64.equals(crc64);
  }

  @Override
  public int hashCode() {
    return Objects.hash(object, nextPosition, crc64);
  }

  @Override
  public String toString() {
    return "OssAppend{"
        + (object == null ? "start" : object)
        + ", next="
        + nextPosition
        + ", crc64="
        + crc64
        + "}";
  }
}
