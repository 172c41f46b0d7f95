package dev.mediaflow.spi;

import dev.mediaflow.MediaIntegrityException;

/**
 * A provider's upload wire calls for storing an object in one request. Mediaflow's upload engine
 * drives them: it streams the source into the body, reports progress and verifies the whole
 * object's checksum; a provider only speaks its vendor's protocol. Implementations are thread-safe.
 *
 * <p>A provider whose vendor also takes an object in parts implements {@link
 * MultipartUploadProtocol} instead; the engine then sends what does not fit in one part as a
 * resumable multipart upload. A provider that implements only this interface gets every object in
 * one request, whatever its size.
 */
public interface UploadProtocol {
  /** Returns the checksum's name, such as {@code crc64ecma} or {@code qetag}. */
  String checksumAlgorithm();

  /**
   * Returns true when the vendor starts {@link UploadTarget#process()} itself with the upload
   * (Qiniu).
   */
  default boolean runsPipelineOnUpload() {
    return false;
  }

  /**
   * Returns a fresh hasher for one request's body. For a protocol that is not multipart, the digest
   * of the whole object is its checksum, in {@link #checksumAlgorithm()}.
   */
  PartHasher hasher();

  /**
   * Stores the object in one request. Sends {@code body} once; reads {@link PartBody#digest()}
   * afterwards and compares it with the checksum the vendor answered.
   *
   * @throws MediaIntegrityException when the vendor's checksum differs
   */
  StoredObject put(UploadTarget target, PartBody body);
}
