package dev.mediaflow.spi;

import dev.mediaflow.MediaIntegrityException;
import java.util.List;

/**
 * An {@link UploadProtocol} whose vendor also takes an object in parts. The upload engine sends
 * what fits in one part with {@link #put}, and anything larger as a multipart upload: it splits the
 * source into parts, sends them in parallel, keeps checkpoints so an interrupted upload resumes,
 * retries failed parts, and verifies the whole object's checksum ({@link #combine}).
 * Implementations are thread-safe.
 */
public interface MultipartUploadProtocol extends UploadProtocol {
  long defaultPartSize();

  long minPartSize();

  long maxPartSize();

  /** Returns the most parts an upload may have, at least 2. */
  int maxParts();

  /**
   * Returns the whole object's checksum from its parts' digests, in part order. A single-request
   * upload's checksum is this of its one part.
   */
  String combine(List<UploadedPart> parts);

  /** Starts a multipart upload and returns its id. */
  String initiate(UploadTarget target);

  /**
   * Sends one part, safe to repeat: the vendor replaces a part sent again under the same number.
   *
   * @throws MediaIntegrityException when the part the vendor stored differs from the one sent
   */
  UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body);

  /**
   * Returns the parts the vendor holds for {@code uploadId} (digests unknown), in part order.
   *
   * @throws NoSuchUploadException when the vendor no longer has the upload (it expired or was
   *     aborted)
   */
  List<UploadedPart> listParts(UploadTarget target, String uploadId);

  /**
   * Completes the upload from {@code parts} in order. {@code expectedChecksum} is what the whole
   * object's checksum must be; a protocol whose completion answer was lost may use it to check
   * whether the object was stored anyway.
   */
  StoredObject complete(
      UploadTarget target, String uploadId, List<UploadedPart> parts, String expectedChecksum);

  /**
   * Aborts the upload: the vendor deletes its parts. Aborting an upload it no longer has does
   * nothing.
   */
  void abort(UploadTarget target, String uploadId);
}
