package dev.mediaflow.upload;

/**
 * How the key of an upload granted over a prefix is chosen: by the uploader, or by the vendor from
 * the file. A provider that cannot fill in a name refuses the grant ({@code
 * UnsupportedMediaOperationException} naming {@code keyName}).
 */
public enum KeyName {
  /**
   * The uploader sends the key, which must start with the prefix (OSS {@code key} form field, Qiniu
   * {@code key}).
   */
  CHOSEN_BY_UPLOADER,
  /** The prefix plus the file's original name (OSS {@code ${filename}}, Qiniu {@code $(fname)}). */
  FILE_NAME,
  /** The prefix plus the hash of the content (Qiniu {@code $(etag)}). */
  CONTENT_HASH
}
