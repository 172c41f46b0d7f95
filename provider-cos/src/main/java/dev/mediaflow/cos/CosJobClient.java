package dev.mediaflow.cos;

import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.AccessCheck;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProber;
import dev.mediaflow.spi.NotificationIntake;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UrlSigner;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
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
  private final CosObjects objects;
  private final CosUploads uploads;
  private final CosUrls urls;
  private final CosProber prober;
  private final CosUploadGrants grants;

  CosJobClient(CosSettings settings, OkHttpClient http, RetryPolicy retry, Clock clock) {
    this.settings = settings;
    this.signer = CosSigner.of(settings, clock);
    this.requests = new CosRequests(settings, signer);
    this.http = new HttpCalls(ID, http, retry, CosRequests::error, clock);
    this.clock = clock;
    this.jobs = new CosJobs(requests, this.http, clock);
    // With an APPID set, pipelines name buckets without it: so do the results of callbacks.
    this.intake =
        new CosNotificationIntake(
            jobs::read,
            CosNotificationIntake.singleOutput(
                clock,
                b ->
                    settings
                        .appId()
                        .filter(a -> b.endsWith("-" + a))
                        .map(a -> b.substring(0, b.length() - a.length() - 1))
                        .orElse(b)));
    this.objects = new CosObjects(requests, this.http);
    // A part may take longer than any whole-call limit: uploads keep only the read/write stall
    // timeouts.
    this.uploads =
        new CosUploads(
            requests,
            objects,
            new HttpCalls(
                ID,
                http.newBuilder().callTimeout(java.time.Duration.ZERO).build(),
                retry,
                CosRequests::error,
                clock));
    this.urls = new CosUrls(requests, jobs::imageRule);
    this.prober = new CosProber(requests, this.http);
    this.grants = new CosUploadGrants(requests);
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
  public Optional<UploadProtocol> uploads() {
    return Optional.of(uploads);
  }

  /**
   * A signed HEAD of {@link AccessCheck#PROBE_KEY} in {@code bucket} on the bucket's COS host: 404
   * means COS accepted the signature (the object is absent), 403 that it refused it (a wrong
   * SecretId or SecretKey, an expired token, or no permission on the bucket).
   */
  @Override
  public AccessCheck checkAccess(String bucket) {
    if (bucket.isEmpty()) {
      return AccessCheck.notChecked("no bucket to read in: COS checks need one");
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("bucket", bucket);
    try {
      HttpUrl url = requests.url(Service.COS, bucket, AccessCheck.PROBE_KEY, Map.of());
      details.put("endpoint", url.scheme() + "://" + url.host() + ":" + url.port());
      HttpCalls.Reply reply =
          http.read(
              "head-object",
              requests.request(Service.COS, "HEAD", bucket, AccessCheck.PROBE_KEY, Map.of()));
      details.put("status", String.valueOf(reply.code()));
      return AccessCheck.accepted(details);
    } catch (MediaServiceException e) {
      details.put("status", String.valueOf(e.httpStatus()));
      details.put("code", e.errorCode());
      if (e.httpStatus() == 404) {
        return AccessCheck.accepted(details);
      }
      return e.httpStatus() == 401 || e.httpStatus() == 403
          ? AccessCheck.refused(details)
          : AccessCheck.failed(details);
    } catch (MediaException e) {
      details.put("error", e.getClass().getSimpleName());
      return AccessCheck.failed(details);
    }
  }

  @Override
  public Optional<UrlSigner> urls() {
    return Optional.of(urls);
  }

  @Override
  public Optional<MediaProber> probes() {
    return Optional.of(prober);
  }

  @Override
  public Optional<UploadGranter> uploadGrants() {
    return Optional.of(grants);
  }

  @Override
  public CosAppend append(MediaObject object, CosAppend before, byte[] data) {
    return uploads.append(object, before, data);
  }

  @Override
  public String toString() {
    return "CosJobClient{" + settings + "}";
  }
}
