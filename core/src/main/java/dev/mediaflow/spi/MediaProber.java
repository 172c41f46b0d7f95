package dev.mediaflow.spi;

import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.pipeline.MediaObject;

/**
 * A provider's media info: the basic facts of a stored file (OSS {@code video/info} and {@code
 * image/info}, Qiniu {@code avinfo} and {@code imageInfo}, ffprobe locally). {@code
 * MediaClient.probe} calls it. Thread-safe.
 */
public interface MediaProber {
  /**
   * Returns what the vendor knows of {@code object}; safe to retry.
   *
   * @throws dev.mediaflow.MediaServiceException when the vendor cannot read the object (missing,
   *     not media)
   */
  MediaInfo probe(MediaObject object);
}
