package dev.mediaflow.internal.upload;

import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.nio.file.Path;
import java.util.List;
import okhttp3.MediaType;

/**
 * One upload in progress: its request, its target on the vendor and its progress, with what the
 * file and stream paths share: single-request bodies, the verified result, and the source's
 * fingerprint check.
 */
final class Upload {
  final UploadRequest request;
  final UploadTarget target;
  final UploadProtocol protocol;
  final Progress progress;
  final MediaType type;

  Upload(UploadRequest request, UploadTarget target, UploadProtocol protocol) {
    this.request = request;
    this.target = target;
    this.protocol = protocol;
    this.progress = new Progress(request.listener(), request.source().length());
    this.type = target.contentType().map(MediaType::get).orElse(null);
  }

  UploadSource source() {
    return request.source();
  }

  /**
   * Returns the result of a single-request upload of {@code size} bytes whose body's digest is
   * {@code digest}.
   */
  UploadResult single(long size, StoredObject stored, String digest) {
    String checksum =
        protocol instanceof MultipartUploadProtocol m
            ? m.combine(List.of(new UploadedPart(1, size, stored.etag(), digest)))
            : digest;
    return result(size, stored, checksum, 1, 0);
  }

  /** Checks the vendor's checksum against {@code checksum} and returns the upload's result. */
  UploadResult result(long size, StoredObject stored, String checksum, int parts, int resumed) {
    if (stored.checksum().isPresent() && !stored.checksum().get().equals(checksum)) {
      throw new MediaIntegrityException(
          target.object().toString(),
          protocol.checksumAlgorithm(),
          checksum,
          stored.checksum().get());
    }
    return new UploadResult(
        target.object(),
        size,
        stored.etag(),
        protocol.checksumAlgorithm(),
        checksum,
        parts,
        resumed,
        stored.job().orElse(null),
        stored.callbackResponse().orElse(null));
  }

  /** Checks that a file source still has the fingerprint it had when the request was made. */
  void checkUnchanged() {
    Path file = source().file().orElse(null);
    if (file != null && !UploadSource.ofFile(file).fingerprint().equals(source().fingerprint())) {
      throw new MediaValidationException(
          "source",
          file
              + " changed during the upload (size or modification time). "
              + "Upload it again once it is no longer being written.");
    }
  }
}
