package dev.mediaflow.cos;

import dev.mediaflow.pipeline.MediaObject;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an appendable COS object stands after an append: its length (the next append's position)
 * and the CRC-64 of all its bytes, which the next append continues. Immutable and thread-safe.
 */
public final class CosAppend {
  /** Before the first append: position 0, the CRC of nothing. */
  public static final CosAppend START = new CosAppend(null, 0, "0");

  private final MediaObject object;
  private final long nextPosition;
  private final String crc64;

  private CosAppend(MediaObject object, long nextPosition, String crc64) {
    this.object = object;
    this.nextPosition = nextPosition;
    this.crc64 = crc64;
  }

  /**
   * Continues an object that already has {@code length} bytes with CRC-64 {@code crc64}, as a HEAD
   * answers them ({@code Content-Length}, {@code x-cos-hash-crc64ecma}).
   *
   * @throws NumberFormatException when {@code crc64} is not an unsigned decimal
   */
  public static CosAppend at(MediaObject object, long length, String crc64) {
    Objects.requireNonNull(object, "object");
    if (length < 0) {
      throw new IllegalArgumentException("length < 0: " + length);
    }
    Long.parseUnsignedLong(crc64);
    return new CosAppend(object, length, crc64);
  }

  /** Returns the object; empty for {@link #START}. */
  public Optional<MediaObject> object() {
    return Optional.ofNullable(object);
  }

  /** Returns the object's length: where the next append goes. */
  public long nextPosition() {
    return nextPosition;
  }

  /** Returns the CRC-64 of the whole object (unsigned decimal, as {@code x-cos-hash-crc64ecma}). */
  public String crc64() {
    return crc64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CosAppend a
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
    return "CosAppend{"
        + (object == null ? "start" : object)
        + ", next="
        + nextPosition
        + ", crc64="
        + crc64
        + "}";
  }
}
