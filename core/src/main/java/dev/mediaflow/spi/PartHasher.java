package dev.mediaflow.spi;

/**
 * Computes a provider's digest of one part (or of a whole single-request upload) while it is being
 * sent, such as OSS's CRC-64 or Qiniu's per-part etag. One instance per send; not thread-safe.
 */
public interface PartHasher {
  void update(byte[] bytes, int offset, int length);

  /** Returns the digest in the provider's own text form; it is kept in checkpoints. */
  String finish();
}
