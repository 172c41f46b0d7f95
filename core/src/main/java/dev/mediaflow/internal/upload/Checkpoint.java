package dev.mediaflow.internal.upload;

import dev.mediaflow.spi.UploadedPart;
import java.util.List;

/**
 * What is saved after every part: enough for another process to resume. Written as JSON by {@link
 * Checkpoints}; the field names are the document's, so renaming one breaks the checkpoints already
 * saved.
 */
final class Checkpoint {
  static final int VERSION = 1;

  int version;
  String instance;
  String bucket;
  String key;
  String fingerprint;
  long size;
  long partSize;
  String uploadId;
  long createdAt;
  List<UploadedPart> parts;

  Checkpoint(
      int version,
      String instance,
      String bucket,
      String key,
      String fingerprint,
      long size,
      long partSize,
      String uploadId,
      long createdAt,
      List<UploadedPart> parts) {
    this.version = version;
    this.instance = instance;
    this.bucket = bucket;
    this.key = key;
    this.fingerprint = fingerprint;
    this.size = size;
    this.partSize = partSize;
    this.uploadId = uploadId;
    this.createdAt = createdAt;
    this.parts = parts;
  }

  boolean valid(String instance) {
    if (version != VERSION
        || !instance.equals(this.instance)
        || bucket == null
        || key == null
        || fingerprint == null
        || uploadId == null
        || uploadId.isEmpty()
        || partSize <= 0
        || size <= 0
        || parts == null) {
      return false;
    }
    for (UploadedPart p : parts) {
      if (p == null || p.number() < 1 || p.size() <= 0 || p.etag() == null || p.digest() == null) {
        return false;
      }
    }
    return true;
  }
}
