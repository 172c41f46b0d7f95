package dev.mediaflow.spi;

import dev.mediaflow.MediaIntegrityException;
import java.util.List;
import java.util.Optional;

/**
 * A provider's upload wire calls. Mediaflow's upload engine drives them: it splits the source into parts,
 * sends them in parallel, keeps checkpoints and progress, retries failed parts and verifies the whole
 * object's checksum; a provider only speaks its vendor's protocol. Implementations are thread-safe.
 *
 * <p>A provider that stores objects in one request only (no multipart) returns 1 from {@link #maxParts()};
 * then only {@link #put} is called.
 */
public interface UploadProtocol {
  /** Returns the checksum's name, such as {@code crc64ecma} or {@code qetag}. */
  String checksumAlgorithm();

  long defaultPartSize();

  long minPartSize();

  long maxPartSize();

  int maxParts();

  /** Returns true when the vendor starts {@link UploadTarget#process()} itself with the upload (Qiniu). */
  default boolean runsPipelineOnUpload() {
    return false;
  }

  /** Returns a fresh hasher for one part, or for a whole single-request upload. */
  PartHasher hasher();

  /** Returns the whole object's checksum from its parts' digests, in part order. */
  String combine(List<UploadedPart> parts);

  /**
   * Stores the object in one request. Sends {@code body} once; reads {@link PartBody#digest()} afterwards and
   * compares it with the checksum the vendor answered.
   *
   * @throws MediaIntegrityException when the vendor's checksum differs
   */
  StoredObject put(UploadTarget target, PartBody body);

  /** Starts a multipart upload and returns its id. */
  String initiate(UploadTarget target);

  /**
   * Sends one part, safe to repeat: the vendor replaces a part sent again under the same number.
   *
   * @throws MediaIntegrityException when the part the vendor stored differs from the one sent
   */
  UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body);

  /** Returns the parts the vendor holds for {@code uploadId} (digests unknown), or empty when it has no such upload. */
  Optional<List<UploadedPart>> listParts(UploadTarget target, String uploadId);

  /**
   * Completes the upload from {@code parts} in order. {@code expectedChecksum} is what the whole object's
   * checksum must be; a protocol whose completion answer was lost may use it to check whether the object was
   * stored anyway.
   */
  StoredObject complete(UploadTarget target, String uploadId, List<UploadedPart> parts, String expectedChecksum);

  /** Aborts the upload: the vendor deletes its parts. Aborting an upload it no longer has does nothing. */
  void abort(UploadTarget target, String uploadId);
}
