package dev.mediaflow.spi;

import dev.mediaflow.MediaException;

/**
 * The vendor no longer has a multipart upload (it expired or was aborted), so its parts are gone.
 * Thrown by {@link MultipartUploadProtocol#listParts}; the upload engine then starts the upload
 * over.
 */
public final class NoSuchUploadException extends MediaException {
  private static final long serialVersionUID = 1L;

  /**
   * @param uploadId the upload the vendor does not have
   * @param cause the vendor's answer, such as a 404 {@code NoSuchUpload}; may be null
   */
  public NoSuchUploadException(String uploadId, Throwable cause) {
    super("the vendor has no upload " + uploadId + " (expired or aborted)", cause);
  }
}
