/**
 * The upload engine behind {@code MediaClient.upload}: the file path (parallel, checkpointed,
 * resumable multipart uploads), the stream path (parts buffered in order) and the part runner they
 * share, driving a provider's {@link dev.mediaflow.spi.UploadProtocol}. No compatibility
 * guarantees: do not use from application code.
 */
package dev.mediaflow.internal.upload;
