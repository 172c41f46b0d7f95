package dev.mediaflow.qiniu;

import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
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
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Qiniu pfop: one job per pipeline, its outputs as {@code ;}-separated fops, submitted with {@code
 * POST /pfop/} and read back with {@code GET /status/get/prefop}. Thread-safe.
 */
final class QiniuJobClient implements ProviderClient, QiniuOperations {
  static final String ID = QiniuFopRenderer.ID;
  private static final MediaType FORM = QiniuObjects.FORM;

  private static final Capabilities CAPABILITIES =
      Capabilities.builder(ID)
          .operations(
              Transcode.class,
              AudioTranscode.class,
              Snapshot.class,
              Animation.class,
              Concat.class,
              DocumentConversion.class,
              ImageResize.class,
              Watermark.class,
              RawOperation.class)
          .containers(EnumSet.allOf(Container.class))
          .videoCodecs(
              EnumSet.of(VideoCodec.H264, VideoCodec.H265, VideoCodec.VP9, VideoCodec.COPY))
          .audioCodecs(
              EnumSet.of(
                  AudioCodec.AAC,
                  AudioCodec.MP3,
                  AudioCodec.OPUS,
                  AudioCodec.VORBIS,
                  AudioCodec.COPY,
                  AudioCodec.NONE))
          .audioFormats(
              EnumSet.of(
                  AudioFormat.MP3,
                  AudioFormat.AAC,
                  AudioFormat.M4A,
                  AudioFormat.FLAC,
                  AudioFormat.OGG,
                  AudioFormat.OPUS,
                  AudioFormat.WAV,
                  AudioFormat.AMR))
          .imageFormats(
              EnumSet.of(
                  ImageFormat.JPG,
                  ImageFormat.PNG,
                  ImageFormat.WEBP,
                  ImageFormat.GIF,
                  ImageFormat.BMP,
                  ImageFormat.TIFF))
          .animationFormats(EnumSet.of(AnimationFormat.GIF, AnimationFormat.WEBP))
          .documentTargets(EnumSet.of(DocumentTarget.PDF, DocumentTarget.JPG))
          .fitModes(EnumSet.of(FitMode.FIT, FitMode.CROP, FitMode.STRETCH))
          .options(Capabilities.OPTIONS) // pfop's pipeline, force and type=1
          .notifyUrl(true)
          .maxConcatInputs(20)
          .build();

  private final QiniuSettings settings;
  private final QiniuPfop pfop;
  private final QiniuSigner signer;
  private final QiniuObjects objects;
  private final HttpCalls http;
  private final Clock clock;
  private final QiniuUploads uploads;
  private final QiniuUrls urls;
  private final QiniuProbes probes;
  private final QiniuNotificationIntake intake;
  private final QiniuUploadGrants grants;

  QiniuJobClient(QiniuSettings settings, OkHttpClient http, RetryPolicy retry, Clock clock) {
    // A part may take longer than any whole-call limit: uploads keep only the read/write stall
    // timeouts.
    this(
        settings,
        new HttpCalls(ID, http, retry, QiniuObjects::error, clock),
        clock,
        new HttpCalls(
            ID,
            http.newBuilder().callTimeout(java.time.Duration.ZERO).build(),
            retry,
            QiniuObjects::error,
            clock));
  }

  QiniuJobClient(QiniuSettings settings, HttpCalls http, Clock clock) {
    this(settings, http, clock, http);
  }

  private QiniuJobClient(
      QiniuSettings settings, HttpCalls http, Clock clock, HttpCalls uploadCalls) {
    this.settings = settings;
    this.pfop = new QiniuPfop(settings);
    this.signer = settings.auth().signer(clock);
    this.objects = new QiniuObjects(settings, signer, http);
    this.http = http;
    this.clock = clock;
    this.uploads = new QiniuUploads(pfop, signer, objects, settings, uploadCalls);
    this.urls = new QiniuUrls(settings, signer);
    this.probes = new QiniuProbes(urls, objects, http);
    this.intake = new QiniuNotificationIntake(settings.auth(), this::prefop, clock);
    this.grants = new QiniuUploadGrants(settings, signer, pfop, clock);
  }

  @Override
  public Optional<UploadProtocol> uploads() {
    return Optional.of(uploads);
  }

  @Override
  public Optional<UploadGranter> uploadGrants() {
    return Optional.of(grants);
  }

  /**
   * A signed {@code stat} of {@link AccessCheck#PROBE_KEY} in {@code bucket} on the rs host: 612
   * (no such file) means Qiniu accepted the token, 401 that it refused it.
   */
  @Override
  public AccessCheck checkAccess(String bucket) {
    if (bucket.isEmpty()) {
      return AccessCheck.notChecked("no bucket to read in: Qiniu checks need one");
    }
    Map<String, String> details = new LinkedHashMap<>();
    HttpUrl rs = settings.rs();
    details.put("endpoint", rs.scheme() + "://" + rs.host() + ":" + rs.port());
    details.put("bucket", bucket);
    try {
      boolean found = objects.stat(MediaObject.of(bucket, AccessCheck.PROBE_KEY)).isPresent();
      details.put("status", found ? "200" : "612");
      return AccessCheck.accepted(details);
    } catch (MediaServiceException e) {
      details.put("status", String.valueOf(e.httpStatus()));
      details.put("code", e.errorCode());
      return e.httpStatus() == 401 || e.httpStatus() == 403 || e.httpStatus() == 631
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
    return Optional.of(probes);
  }

  @Override
  public String providerId() {
    return ID;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  // ---- rendering

  @Override
  public List<VendorRequest> render(Pipeline pipeline) {
    return pfop.render(pipeline);
  }

  // ---- submitting

  @Override
  public JobId submit(Pipeline pipeline) {
    return pfop(pfop.form(pipeline));
  }

  @Override
  public JobId submitWorkflow(
      MediaObject source, String templateId, String notifyUrl, ProviderOptions options) {
    QiniuPfop.bucket(source, "source");
    if (templateId == null || !templateId.matches("[A-Za-z0-9_.-]{1,128}")) {
      throw new MediaValidationException(
          "workflowTemplateID",
          "must be the template id from Qiniu's console, was \"" + templateId + "\"");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("bucket", source.bucket());
    form.put("key", source.key());
    if (notifyUrl != null) {
      form.put("notifyURL", dev.mediaflow.pipeline.Notify.url(notifyUrl).toString());
    }
    QiniuPfop.options(form, options);
    form.put("workflowTemplateID", templateId);
    return pfop(form);
  }

  private JobId pfop(Map<String, String> form) {
    byte[] body = QiniuPfop.encode(form);
    HttpUrl url = pfop.url();
    Request request =
        objects.signed(
            new Request.Builder().url(url).post(RequestBody.create(body, FORM)),
            "POST",
            url,
            QiniuSigner.FORM,
            body,
            true);
    HttpCalls.Reply reply = http.submit(request);
    String id = QiniuObjects.jsonString(reply, "persistentId");
    if (id == null || id.isEmpty()) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "BadResponse",
          reply.headers().get("X-Reqid"),
          "pfop answered without a persistentId: " + QiniuObjects.abbreviate(reply.text()),
          true);
    }
    return JobId.of(ID, id);
  }

  // ---- status

  @Override
  public JobStatus status(JobId id) {
    return QiniuStatus.parse(prefop(id.vendorId()), id, clock.instant());
  }

  /** Reads a job's prefop JSON. */
  private com.google.gson.JsonObject prefop(String persistentId) {
    HttpUrl url =
        settings
            .api()
            .newBuilder()
            .addPathSegments("status/get/prefop")
            .addQueryParameter("id", persistentId)
            .build();
    Request request =
        objects.signed(
            new Request.Builder().url(url).get(), "GET", url, null, null, settings.signStatus());
    HttpCalls.Reply reply = http.read(request);
    return QiniuStatus.json(reply.body(), "prefop response");
  }

  @Override
  public Optional<NotificationIntake> notifications() {
    return Optional.of(intake);
  }

  @Override
  public JobStatus parseNotification(byte[] body) {
    var json = QiniuStatus.json(body, "notification");
    return QiniuStatus.parse(json, JobId.of(ID, json.get("id").getAsString()), clock.instant());
  }

  /**
   * Qiniu posts the notification as the job ends, so a read made at once can still show it running:
   * a read that lags a notification of an ended job is repeated a few times, about 0.75 s in all.
   */
  @Override
  public JobStatus confirmNotification(byte[] body) {
    JobStatus hinted = parseNotification(body);
    JobStatus read = status(hinted.id());
    for (long pause = 50;
        !read.state().isTerminal() && hinted.state().isTerminal() && pause <= 400;
        pause *= 2) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      read = status(hinted.id());
    }
    return read;
  }

  // ---- tokens

  @Override
  public QiniuAuth auth() {
    return settings.auth();
  }

  @Override
  public String uploadToken(QiniuPutPolicy policy) {
    return signer.uploadToken(policy);
  }

  @Override
  public String uploadToken(MediaObject target, Pipeline onUpload, Duration validFor) {
    QiniuPfop.bucket(target, "target");
    QiniuPutPolicy.Builder b = QiniuPutPolicy.builder(target.bucket()).key(target.key());
    java.util.Optional.ofNullable(onUpload)
        .ifPresent(
            p -> {
              if (!p.source().equals(target)) {
                throw new MediaValidationException(
                    "source",
                    "the pipeline run on upload must start from the uploaded object "
                        + target
                        + ", was "
                        + p.source());
              }
              CAPABILITIES.check(p);
              b.process(pfop.render(p), p);
            });
    return signer.uploadToken(b, validFor);
  }

  @Override
  public String toString() {
    return "QiniuJobClient{" + settings + "}";
  }
}
