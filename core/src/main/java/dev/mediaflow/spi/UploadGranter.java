package dev.mediaflow.spi;

import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;

/**
 * A provider's upload grants: short-lived, narrowly scoped permissions a browser uses to upload
 * straight to the vendor. {@code MediaClient.grantUpload} calls it; a provider without it cannot
 * grant uploads.
 *
 * <p>Pure given the client's clock: no network call. Every limit in the request is enforced by the
 * vendor through the grant, or the grant is refused with {@link
 * dev.mediaflow.UnsupportedMediaOperationException} naming the option; a limit is never widened
 * silently. Thread-safe.
 */
public interface UploadGranter {
  /** Returns a grant for {@code request}. */
  UploadGrant grant(UploadGrantRequest request);
}
