package dev.mediaflow.cos;

import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.NotificationIntake;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.RetryPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * The COS provider's client: Cloud Infinite jobs on the {@code .ci.} host, objects, uploads and
 * delivery on the {@code .cos.} host, all signed by one {@link CosSigner}. Thread-safe.
 */
final class CosJobClient implements ProviderClient, CosOperations {
  static final String ID = CosRequests.ID;

  private static final Capabilities CAPABILITIES = CosCapabilities.CAPABILITIES;

  private final CosSettings settings;
  private final CosSigner signer;
  private final CosRequests requests;
  private final HttpCalls http;
  private final Clock clock;
  private final CosJobs jobs;
  private final CosNotificationIntake intake;

  CosJobClient(CosSettings settings, OkHttpClient http, RetryPolicy retry, Clock clock) {
    this.settings = settings;
    this.signer = CosSigner.of(settings, clock);
    this.requests = new CosRequests(settings, signer);
    this.http = new HttpCalls(ID, http, retry, CosRequests::error, clock);
    this.clock = clock;
    this.jobs = new CosJobs(requests, this.http, clock);
    this.intake = new CosNotificationIntake(jobs::read, CosNotificationIntake.singleOutput(clock));
  }

  @Override
  public String providerId() {
    return ID;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public List<VendorRequest> render(Pipeline pipeline) {
    return jobs.render(pipeline);
  }

  @Override
  public JobId submit(Pipeline pipeline) {
    return jobs.submit(pipeline);
  }

  @Override
  public JobStatus status(JobId id) {
    return jobs.status(id);
  }

  @Override
  public void cancel(JobId id) {
    jobs.cancel(id);
  }

  @Override
  public Optional<NotificationIntake> notifications() {
    return Optional.of(intake);
  }

  @Override
  public JobStatus parseNotification(byte[] body) {
    return intake.parse(body);
  }

  @Override
  public JobStatus confirmNotification(byte[] body) {
    return intake.confirm(body);
  }

  @Override
  public String toString() {
    return "CosJobClient{" + settings + "}";
  }
}
