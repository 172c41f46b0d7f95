package dev.mediaflow.tck;

import java.util.function.Predicate;

/**
 * What {@link UploadContractTest} needs from one provider: its service, the part size to use, the
 * vendor's checksums and how its multipart requests look.
 *
 * <p>{@link #multipart()} and {@code service().injectsFaults()} are capabilities: without them the
 * contract skips the multipart and fault tests, and only those.
 */
public interface UploadFixture {
  /** Returns the service the provider's client is pointed at. */
  FakeService service();

  /** Returns whether the provider uploads in parts (parallel parts, resume, abort). */
  boolean multipart();

  /** Returns the part size the contract asks for: the smallest the vendor accepts is fastest. */
  int partSize();

  /** Returns the name of the whole-object checksum an {@code UploadResult} reports. */
  String checksumAlgorithm();

  /**
   * Returns the vendor's whole-object checksum of {@code data} uploaded in one request ({@code
   * partSize} 0) or in parts of {@code partSize} bytes, computed independently of the provider (an
   * official SDK's or the JDK's).
   */
  String checksum(byte[] data, int partSize);

  /** Returns the name of the per-part checksum a corrupted part is reported with. */
  String partChecksumAlgorithm();

  /**
   * Returns whether a request line is the upload of part {@code n} (1-based), or of any part for 0.
   */
  Predicate<String> part(int n);

  /** Returns whether a request line completes a multipart upload. */
  Predicate<String> completion();
}
