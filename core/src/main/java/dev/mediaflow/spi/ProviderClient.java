package dev.mediaflow.spi;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.util.List;
import java.util.Optional;

/**
 * A provider's client: renders pipelines, submits them, reads job status. Made by {@link
 * MediaProvider#create(ProviderContext)}; used through {@code MediaClient}, which checks the
 * pipeline against {@link #capabilities()} before calling {@link #render} or {@link #submit}.
 *
 * <p>Implementations are thread-safe. {@link #submit} sends each request at most once: when a
 * failure leaves the outcome unknown it throws an exception whose {@code isOutcomeUnknown()} is
 * true.
 */
public interface ProviderClient extends AutoCloseable {
  String providerId();

  /** Returns what this provider can express. */
  Capabilities capabilities();

  /**
   * Returns the exact requests {@link #submit} would send, without credentials or signatures. Pure:
   * no network call.
   *
   * @throws UnsupportedMediaOperationException for what the provider cannot express
   */
  List<VendorRequest> render(Pipeline pipeline);

  /**
   * Submits the pipeline as one job. Renders every request before sending the first, so a pipeline
   * that cannot be rendered fails with nothing sent.
   */
  JobId submit(Pipeline pipeline);

  /** Reads the job's current status. Safe to retry. */
  JobStatus status(JobId id);

  /** Asks the vendor to cancel the job. The default says the provider cannot. */
  default void cancel(JobId id) {
    throw new UnsupportedMediaOperationException(
        providerId(), "cancel", "", "this provider cannot cancel jobs");
  }

  /**
   * Returns the provider's upload calls, which {@code MediaClient.upload} drives; empty when the
   * provider cannot upload. A {@link MultipartUploadProtocol} gets large files in parallel,
   * resumable parts; a plain {@link UploadProtocol} gets every file in one request.
   */
  default Optional<UploadProtocol> uploads() {
    return Optional.empty();
  }

  /**
   * Returns the provider's delivery URLs (signed URLs, processing on the fly, styles), which {@code
   * MediaClient.url} uses; empty when the provider cannot make URLs.
   */
  default Optional<UrlSigner> urls() {
    return Optional.empty();
  }

  /**
   * Returns the provider's media info ({@code MediaClient.probe}); empty when the provider cannot
   * probe files.
   */
  default Optional<MediaProber> probes() {
    return Optional.empty();
  }

  /**
   * Returns the provider's upload grants for browsers, which {@code MediaClient.grantUpload} uses;
   * empty when the provider cannot grant uploads.
   */
  default Optional<UploadGranter> uploadGrants() {
    return Optional.empty();
  }

  /**
   * Returns the provider's intake of vendor notifications (job ends, upload callbacks), which
   * {@code MediaClient.notifications} exposes; empty when the provider sends none it can verify.
   */
  default Optional<NotificationIntake> notifications() {
    return Optional.empty();
  }

  /**
   * Checks that the vendor is reachable and accepts the configured credentials, with one cheap
   * signed read (such as a HEAD of {@link AccessCheck#PROBE_KEY} in {@code bucket}: "not found"
   * means the signature was accepted). Makes no change anywhere. The default says the provider has
   * no check.
   *
   * @param bucket the bucket to read in, or "" when none is configured (a provider that needs one
   *     answers {@link AccessCheck.Outcome#NOT_CHECKED})
   */
  default AccessCheck checkAccess(String bucket) {
    return AccessCheck.notChecked("this provider has no access check");
  }

  /** Releases resources the client holds of its own (not the shared HTTP client). */
  @Override
  default void close() {}
}
