package dev.mediaflow.oss;

import dev.mediaflow.pipeline.MediaObject;
import java.util.Optional;

/**
 * Where an appendable object stands after an append: its length (the next append's position) and
 * the CRC-64 of all its bytes, which the next append continues. Immutable.
 *
 * @param object the object, empty for {@link #START}
 * @param nextPosition the object's length: where the next append goes
 * @param crc64 the CRC-64 of the whole object (unsigned decimal, as {@code x-oss-hash-crc64ecma})
 */
public record OssAppend(Optional<MediaObject> object, long nextPosition, String crc64) {
  /** Before the first append: position 0, the CRC of nothing. */
  public static final OssAppend START = new OssAppend(Optional.empty(), 0, "0");

  /**
   * Continues an object that already has {@code length} bytes with CRC-64 {@code crc64}, as a HEAD
   * answers ({@code x-oss-next-append-position}, {@code x-oss-hash-crc64ecma}).
   */
  public static OssAppend at(MediaObject object, long length, String crc64) {
    Long.parseUnsignedLong(crc64);
    return new OssAppend(Optional.of(object), length, crc64);
  }
}
