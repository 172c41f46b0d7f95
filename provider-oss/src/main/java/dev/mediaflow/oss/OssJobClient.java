package dev.mediaflow.oss;

import com.google.gson.JsonObject;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * OSS processing: each output is one {@code POST /<key>?x-oss-async-process} (media, documents) or
 * {@code ?x-oss-process} (image chains, done on return), signed with V4 or V1; the outputs together
 * are one job. OSS has no task-status call, so tasks are tracked with IMM {@code GetTask} when an
 * IMM project is configured, else by their output objects (signed HEAD) under a deadline.
 * Thread-safe.
 *
 * <p>The job id is {@code oss:<TaskId>,<TaskId>,...?at=<server time of
 * submission>&o0=<bucket>/<key>&...}: one vendor id per output ({@code sync.<request id>} for an
 * output finished on return) and the output objects, so that any process can track the job from its
 * id alone.
 */
final class OssJobClient implements ProviderClient, OssOperations {
  static final String ID = OssStyleRenderer.ID;
  static final String SYNC_PREFIX = "sync.";
  static final String TRACKED_BY_IMM = "imm-gettask";
  static final String TRACKED_BY_OBJECT = "output-object";

  private static final Capabilities CAPABILITIES =
      Capabilities.builder(ID)
          .operations(
              Transcode.class,
              AudioTranscode.class,
              Snapshot.class,
              Animation.class,
              Concat.class,
              DocumentConversion.class,
              BlindWatermarkDecode.class,
              ImageResize.class,
              Watermark.class,
              RawOperation.class)
          .containers(
              EnumSet.of(
                  Container.MP4,
                  Container.MOV,
                  Container.MKV,
                  Container.WEBM,
                  Container.FLV,
                  Container.TS,
                  Container.AVI))
          .videoCodecs(
              EnumSet.of(VideoCodec.H264, VideoCodec.H265, VideoCodec.VP9, VideoCodec.COPY))
          .audioCodecs(
              EnumSet.of(
                  AudioCodec.AAC,
                  AudioCodec.MP3,
                  AudioCodec.FLAC,
                  AudioCodec.VORBIS,
                  AudioCodec.AC3,
                  AudioCodec.OPUS,
                  AudioCodec.COPY,
                  AudioCodec.NONE))
          .audioFormats(
              EnumSet.of(
                  AudioFormat.MP3,
                  AudioFormat.AAC,
                  AudioFormat.FLAC,
                  AudioFormat.OGG,
                  AudioFormat.AC3,
                  AudioFormat.OPUS,
                  AudioFormat.AMR))
          .imageFormats(
              EnumSet.of(
                  ImageFormat.JPG,
                  ImageFormat.PNG,
                  ImageFormat.WEBP,
                  ImageFormat.GIF,
                  ImageFormat.BMP,
                  ImageFormat.TIFF,
                  ImageFormat.AVIF,
                  ImageFormat.HEIC))
          .animationFormats(EnumSet.of(AnimationFormat.GIF, AnimationFormat.WEBP))
          .documentTargets(
              EnumSet.of(
                  DocumentTarget.PDF, DocumentTarget.PNG, DocumentTarget.JPG, DocumentTarget.TXT))
          .fitModes(EnumSet.allOf(FitMode.class))
          .notifyUrl(false)
          .notifyTopic(true)
          .maxConcatInputs(10)
          .build();

  private final OssSettings settings;
  private final OssStyleRenderer renderer = new OssStyleRenderer();
  private final HttpCalls http;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final OssUploads uploads;
  private final OssSigner signer;
  private final OssObjects objects;
  private final OssNotificationIntake intake;
  private final OssUrls urls;
  private final OssProber prober;
  private final OssUploadGrants grants;

  OssJobClient(
      OssSettings settings,
      OkHttpClient http,
      RetryPolicy retry,
      Clock clock,
      MnsCertificates certificates) {
    this.settings = settings;
    this.intake = new OssNotificationIntake(certificates, callbackVerifier(), clock);
    this.signer = OssSigner.of(settings, clock);
    this.objects = new OssObjects(settings, signer);
    this.http = new HttpCalls(ID, http, retry, OssObjects::error, clock);
    // A part may take longer than any whole-call limit: uploads keep only the read/write stall
    // timeouts.
    this.uploads =
        new OssUploads(
            objects,
            new HttpCalls(
                ID,
                http.newBuilder().callTimeout(java.time.Duration.ZERO).build(),
                retry,
                OssObjects::error,
                clock));
    this.clock = clock;
    this.urls = new OssUrls(settings, signer);
    this.prober = new OssProber(objects, this.http);
    this.grants = new OssUploadGrants(settings, signer);
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

  /** One rendered output: where it goes and its style. */
  private record Planned(
      int index, MediaObject source, Optional<MediaObject> target, OssStyleRenderer.Style style) {
    String body() {
      return style.mode().parameter + "=" + style.value();
    }
  }

  private List<Planned> plan(Pipeline p) {
    OssObjects.check(p.source(), "source");
    List<Planned> planned = new ArrayList<>();
    for (int i = 0; i < p.outputs().size(); i++) {
      Output out = p.outputs().get(i);
      String at = "outputs[" + i + "]";
      out.saveAs().ifPresent(t -> OssObjects.check(t, at + ".saveAs"));
      for (int s = 0; s < out.steps().size(); s++) {
        sameBucket(p.source(), out.steps().get(s), at + ".steps[" + s + "]");
      }
      OssStyleRenderer.Style style = renderer.output(out, p.notification().flatMap(n -> n.topic()));
      if (style.mode() == OssStyleRenderer.Mode.SYNC && out.saveAs().isEmpty()) {
        throw new UnsupportedMediaOperationException(
            ID,
            out.steps().get(0).type(),
            "saveAs",
            "OSS image processing returns the image instead of storing it; give the output a saveAs");
      }
      planned.add(new Planned(i, p.source(), out.saveAs(), style));
    }
    return planned;
  }

  /**
   * Concat inputs and watermark images are named by key alone, so they must be in the source's
   * bucket.
   */
  private static void sameBucket(MediaObject source, Operation op, String field) {
    List<MediaObject> named = new ArrayList<>();
    if (op instanceof Concat c) {
      named.addAll(c.inputs());
    } else if (op instanceof Watermark w) {
      w.image().ifPresent(named::add);
    }
    for (MediaObject o : named) {
      if (!o.bucket().equals(source.bucket())) {
        throw new UnsupportedMediaOperationException(
            ID,
            op.type(),
            field.substring(field.lastIndexOf('.') + 1),
            "OSS reads "
                + o
                + " by key from the source's bucket '"
                + source.bucket()
                + "'; copy it there first");
      }
      OssObjects.check(o, field);
    }
  }

  private HttpUrl processUrl(Planned p) {
    return objects.url(
        p.source().bucket(), p.source().key(), Map.of(p.style().mode().parameter, ""));
  }

  @Override
  public List<VendorRequest> render(Pipeline pipeline) {
    List<VendorRequest> requests = new ArrayList<>();
    for (Planned p : plan(pipeline)) {
      requests.add(
          new VendorRequest(
              p.style().value(),
              "POST",
              processUrl(p).toString(),
              Map.of(
                  "Content-MD5", OssObjects.contentMd5(p.body().getBytes(StandardCharsets.UTF_8))),
              p.body(),
              List.of(p.index())));
    }
    return requests;
  }

  // ---- submitting

  @Override
  public JobId submit(Pipeline pipeline) {
    List<Planned> planned = plan(pipeline);
    List<String> ids = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Planned p : planned) {
      p.target().ifPresent(t -> attributes.put("o" + p.index(), t.bucket() + "/" + t.key()));
    }
    for (Planned p : planned) {
      HttpCalls.Reply reply;
      try {
        reply =
            http.submit(
                objects.request(
                    "POST",
                    p.source().bucket(),
                    p.source().key(),
                    Map.of(p.style().mode().parameter, ""),
                    p.body().getBytes(StandardCharsets.UTF_8)));
      } catch (MediaException e) {
        throw ids.isEmpty() ? e : partial(e, ids, attributes, p.index());
      }
      if (ids.isEmpty()) {
        attributes.put("at", String.valueOf(serverTime(reply).getEpochSecond()));
      }
      ids.add(
          p.style().mode() == OssStyleRenderer.Mode.ASYNC ? taskId(reply) : syncResult(reply, p));
    }
    return JobId.of(ID, null, ids, attributes);
  }

  /** An output failed after earlier ones were submitted: say which ran, and how to track them. */
  private static MediaException partial(
      MediaException e, List<String> ids, Map<String, String> attributes, int failed) {
    String note =
        "outputs 0.."
            + (failed - 1)
            + " were already submitted as job "
            + JobId.of(ID, null, ids, attributes)
            + " (track it, or let it finish); output "
            + failed
            + " and later were not";
    if (e instanceof MediaServiceException s) {
      return new MediaServiceException(
          ID,
          s.httpStatus(),
          s.errorCode(),
          s.requestId(),
          s.detail() + "; " + note,
          s.isOutcomeUnknown());
    }
    return new MediaClientException(e.getMessage() + "; " + note, e, e.isOutcomeUnknown());
  }

  private static String taskId(HttpCalls.Reply reply) {
    JsonObject o = json(reply);
    String id = o == null ? "" : OssStatus.string(o, "TaskId");
    if (id.isEmpty()) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "BadResponse",
          reply.headers().get("x-oss-request-id"),
          "x-oss-async-process answered without a TaskId: " + OssObjects.abbreviate(reply.text()),
          true);
    }
    return id;
  }

  private static String syncResult(HttpCalls.Reply reply, Planned p) {
    JsonObject o = json(reply);
    String status = o == null ? "" : OssStatus.string(o, "status");
    if (!status.equalsIgnoreCase("OK")) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "ProcessFailed",
          reply.headers().get("x-oss-request-id"),
          "x-oss-process for output "
              + p.index()
              + " answered "
              + OssObjects.abbreviate(reply.text()));
    }
    String rid = reply.headers().get("x-oss-request-id");
    return SYNC_PREFIX + (rid == null || rid.isEmpty() ? "done" : rid);
  }

  /**
   * The server's clock at the reply ({@code Date}), so output objects are compared in the server's
   * time.
   */
  private Instant serverTime(HttpCalls.Reply reply) {
    Instant date = httpDate(reply, "Date");
    return date != null ? date : clock.instant();
  }

  // ---- status

  @Override
  public JobStatus status(JobId id) {
    Instant now = clock.instant();
    boolean imm = settings.immProject().isPresent();
    Map<String, String> details = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    details.put("trackedBy", imm ? TRACKED_BY_IMM : TRACKED_BY_OBJECT);
    Instant at = id.attribute("at").map(s -> Instant.ofEpochSecond(Long.parseLong(s))).orElse(null);
    List<OutputResult> outputs = new ArrayList<>();
    for (int i = 0; i < id.vendorIds().size(); i++) {
      String vendorId = id.vendorIds().get(i);
      Optional<MediaObject> target = id.attribute("o" + i).map(OssJobClient::parseObject);
      if (vendorId.startsWith(SYNC_PREFIX)) {
        outputs.add(
            new OutputResult(
                i, JobState.SUCCEEDED, target.map(List::of).orElse(List.of()), "", ""));
        continue;
      }
      details.put("outputs[" + i + "].taskId", vendorId);
      if (imm) {
        outputs.add(immResult(i, vendorId, target));
      } else if (target.isPresent()) {
        outputs.add(objectResult(i, target.get(), at, now));
      } else {
        warnings.add(
            "output "
                + i
                + " saves no object, so only IMM can tell when task "
                + vendorId
                + " ends: set media.oss.immProject, or read the topic's message");
        outputs.add(OutputResult.of(i, JobState.RUNNING));
      }
    }
    JobState state = JobState.combine(outputs.stream().map(OutputResult::state).toList());
    if (!imm && !state.isTerminal()) {
      warnings.add(
          "tracked by the appearance of the output objects (no media.oss.immProject): a failed task shows as "
              + "running until "
              + settings.trackTimeout()
              + " after submission");
    }
    JobStatus.Builder b = JobStatus.builder(id, state).observedAt(now).outputs(outputs);
    details.forEach(b::detail);
    warnings.forEach(b::warning);
    outputs.stream()
        .filter(o -> o.state() == JobState.FAILED && !o.message().isEmpty())
        .findFirst()
        .ifPresent(o -> b.message("output " + o.index() + ": " + o.message()));
    return b.build();
  }

  private OutputResult immResult(int index, String taskId, Optional<MediaObject> target) {
    OssStatus.Task t = getTask(taskId);
    List<MediaObject> objects =
        t.state() == JobState.SUCCEEDED
            ? (target.isPresent() ? List.of(target.get()) : t.objects())
            : List.of();
    return new OutputResult(index, t.state(), objects, t.code(), t.message());
  }

  private OutputResult objectResult(int index, MediaObject target, Instant at, Instant now) {
    MediaObject probe = MediaObject.of(target.bucket(), target.key().replace("{index}", "1"));
    try {
      HttpCalls.Reply reply =
          http.read(objects.request("HEAD", probe.bucket(), probe.key(), Map.of(), null));
      Instant modified = httpDate(reply, "Last-Modified");
      if (at == null || modified == null || !modified.isBefore(at)) {
        return new OutputResult(index, JobState.SUCCEEDED, List.of(target), "", "");
      }
    } catch (MediaServiceException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
    }
    if (at != null && now.isAfter(at.plus(settings.trackTimeout()))) {
      return new OutputResult(
          index,
          JobState.FAILED,
          List.of(),
          "OutputNotFound",
          probe
              + " did not appear within "
              + settings.trackTimeout()
              + " of submission; the task failed or is still running (set media.oss.immProject "
              + "to ask IMM)");
    }
    return OutputResult.of(index, JobState.RUNNING);
  }

  /** An RFC 1123 date header of the reply, or null when absent or unreadable. */
  private static Instant httpDate(HttpCalls.Reply reply, String header) {
    String v = reply.headers().get(header);
    try {
      return v == null ? null : ZonedDateTime.parse(v, OssSigner.HTTP_DATE).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** IMM GetTask for a TaskId, signed with ACS3-HMAC-SHA256. */
  OssStatus.Task getTask(String taskId) {
    String project =
        settings
            .immProject()
            .orElseThrow(
                () ->
                    new MediaConfigException(
                        "media.oss.immProject",
                        "set media.oss.immProject to the IMM project bound to the bucket, so tasks can be read from IMM"));
    Map<String, String> query = new LinkedHashMap<>();
    query.put("ProjectName", project);
    query.put("TaskId", taskId);
    query.put("TaskType", settings.taskType(taskId));
    HttpUrl.Builder u = settings.imm().newBuilder();
    query.forEach(u::addQueryParameter);
    HttpUrl url = u.build();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-acs-action", "GetTask");
    headers.put("x-acs-version", "2020-09-30");
    headers.put("accept", "application/json");
    Request.Builder r = new Request.Builder().url(url).post(RequestBody.create(new byte[0], null));
    signer
        .signAcs(
            "POST", hostHeader(url), "/", query, headers, HexFormat.of().formatHex(randomBytes(16)))
        .forEach(
            (k, v) -> {
              if (!k.equals("host")) {
                r.header(k, v);
              }
            });
    HttpCalls.Reply reply = http.read(r.build());
    JsonObject o = json(reply);
    if (o == null) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "BadResponse",
          null,
          "IMM GetTask answered " + OssObjects.abbreviate(reply.text()));
    }
    OssStatus.Task t = OssStatus.task(o);
    return t.taskId().isEmpty()
        ? new OssStatus.Task(taskId, t.taskType(), t.state(), t.code(), t.message(), t.objects(), o)
        : t;
  }

  @Override
  public Optional<NotificationIntake> notifications() {
    return Optional.of(intake);
  }

  /** OSS's callback keys, fetched from gosspublic.alicdn.com once a callback arrives. */
  private static java.util.function.Supplier<OssCallbackVerifier> callbackVerifier() {
    OssCallbackVerifier[] made = new OssCallbackVerifier[1];
    return () -> {
      synchronized (made) {
        if (made[0] == null) {
          made[0] = OssCallbackVerifier.create();
        }
        return made[0];
      }
    };
  }

  @Override
  public JobStatus parseNotification(byte[] body) {
    return OssStatus.status(OssStatus.notification(body), clock.instant());
  }

  @Override
  public JobStatus confirmNotification(byte[] body) {
    OssStatus.Task claimed = OssStatus.notification(body);
    return OssStatus.status(getTask(claimed.taskId()), clock.instant());
  }

  // ---- signing

  private static String hostHeader(HttpUrl url) {
    return url.port() == HttpUrl.defaultPort(url.scheme())
        ? url.host()
        : url.host() + ":" + url.port();
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static JsonObject json(HttpCalls.Reply reply) {
    return reply.json().orElse(null);
  }

  private static MediaObject parseObject(String s) {
    int slash = s.indexOf('/');
    return MediaObject.of(s.substring(0, slash), s.substring(slash + 1));
  }

  @Override
  public OssAppend append(MediaObject object, OssAppend before, byte[] data) {
    return uploads.append(object, before, data);
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
   * A signed HEAD of {@link AccessCheck#PROBE_KEY} in {@code bucket}: 404 means OSS accepted the
   * signature (the object is absent), 403 that it refused it (a wrong AccessKey or secret, or no
   * permission on the bucket).
   */
  @Override
  public AccessCheck checkAccess(String bucket) {
    if (bucket.isEmpty()) {
      return AccessCheck.notChecked("no bucket to read in: OSS checks need one");
    }
    Map<String, String> details = new LinkedHashMap<>();
    HttpUrl url = objects.url(bucket, AccessCheck.PROBE_KEY, Map.of());
    details.put("endpoint", url.scheme() + "://" + url.host() + ":" + url.port());
    details.put("bucket", bucket);
    try {
      OssObjects.check(MediaObject.of(bucket, AccessCheck.PROBE_KEY), "bucket");
      HttpCalls.Reply reply =
          http.read(objects.request("HEAD", bucket, AccessCheck.PROBE_KEY, Map.of(), null));
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
  public String toString() {
    return "OssJobClient{" + settings + "}";
  }
}
