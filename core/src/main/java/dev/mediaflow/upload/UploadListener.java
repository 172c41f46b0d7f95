package dev.mediaflow.upload;

/**
 * Hears how many bytes of an upload the vendor has received. Called from the threads that send
 * parts, often (every 16 KiB per part); implementations must be thread-safe and quick. When a part
 * is sent again after a failure, its earlier bytes are taken back first, so {@code sent} may go
 * down; when the upload completes, {@code sent == total}.
 */
@FunctionalInterface
public interface UploadListener {
  /**
   * @param sent bytes received by the vendor so far, across all parts, including parts stored
   *     before a resume
   * @param total the source's length, or -1 while it is unknown (a stream)
   */
  void onProgress(long sent, long total);

  /** A listener that does nothing. */
  static UploadListener none() {
    return (sent, total) -> {};
  }
}
