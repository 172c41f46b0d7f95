package dev.mediaflow.cos;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.w3c.dom.Element;

/**
 * Cloud Infinite jobs: one request per output ({@code POST /jobs}, {@code POST /doc_jobs} on the CI
 * host, or {@code POST /<key>?image_process} with {@code Pic-Operations} on the COS host), each
 * sent at most once; status by {@code GET /jobs/<id>} and {@code GET /doc_jobs/<id>}; cancel by
 * {@code PUT /jobs/<id>}. Thread-safe.
 *
 * <p>The job id is {@code cos:<JobId>,<JobId>,...?b=<source
 * bucket>&k0=media|doc|image&o0=<bucket>/<key>&...}: one vendor id per output ({@code sync.<request
 * id>} for an image output, finished on return), the bucket whose CI host knows the jobs, each
 * output's kind and save target, so any process can track the job from its id alone.
 */
final class CosJobs {
  static final String ID = CosJobRenderer.ID;
  static final String SYNC_PREFIX = "sync.";
  private static final String XML = "application/xml";

  private final CosRequests requests;
  private final HttpCalls http;
  private final Clock clock;
  private final CosJobRenderer renderer;

  CosJobs(CosRequests requests, HttpCalls http, Clock clock) {
    this.requests = requests;
    this.http = http;
    this.clock = clock;
    this.renderer = new CosJobRenderer(names(requests));
  }

  /**
   * Buckets as the settings name them, and objects by their URL on the region's COS host, which
   * Cloud Infinite reads (an endpoint set for this client's own requests does not change it).
   */
  static CosJobRenderer.Names names(CosRequests requests) {
    CosSettings settings = requests.settings();
    return new CosJobRenderer.Names() {
      @Override
      public String region(String bucket) {
        return settings.region();
      }

      @Override
      public String bucket(String bucket) {
        return settings.bucket(bucket);
      }

      @Override
      public String url(MediaObject object, boolean http) {
        return (http ? "http" : "https")
            + "://"
            + settings.bucket(object.bucket())
            + ".cos."
            + settings.region()
            + ".myqcloud.com/"
            + CosSigner.encodePath(object.key());
      }
    };
  }

  /** The image rule of {@code steps} on {@code source}, for processing URLs. */
  String imageRule(MediaObject source, List<dev.mediaflow.op.Operation> steps) {
    return renderer.imageRule(source, steps);
  }

  // ---- rendering

  private List<CosJobRenderer.Rendered> plan(Pipeline p) {
    CosRequests.check(p.source(), "source");
    requests.settings().bucket(p.source().bucket(), "source.bucket");
    for (int i = 0; i < p.outputs().size(); i++) {
      Output out = p.outputs().get(i);
      String at = "outputs[" + i + "]";
      out.saveAs()
          .ifPresent(
              t -> {
                CosRequests.check(t, at + ".saveAs");
                requests.settings().bucket(t.bucket(), at + ".saveAs.bucket");
              });
    }
    return renderer.render(p);
  }

  private Request request(CosJobRenderer.Rendered r) {
    MediaObject source = r.source();
    return switch (r.kind()) {
      case MEDIA, DOC ->
          requests.request(
              Service.CI,
              "POST",
              source.bucket(),
              r.kind() == CosJobRenderer.Kind.MEDIA ? "jobs" : "doc_jobs",
              Map.of(),
              r.body().getBytes(StandardCharsets.UTF_8),
              XML);
      case IMAGE ->
          requests.request(
              Service.COS,
              "POST",
              source.bucket(),
              source.key(),
              Map.of("image_process", ""),
              RequestBody.create(new byte[0], null),
              Map.of("Pic-Operations", r.body()));
    };
  }

  List<VendorRequest> render(Pipeline pipeline) {
    List<VendorRequest> out = new ArrayList<>();
    for (CosJobRenderer.Rendered r : plan(pipeline)) {
      Request q = request(r);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : List.of("Content-Type", "Content-MD5", "Pic-Operations")) {
        String v = q.header(name);
        if (v != null) {
          headers.put(name, v);
        }
      }
      out.add(
          new VendorRequest(
              r.body(),
              "POST",
              q.url().toString(),
              headers,
              r.kind() == CosJobRenderer.Kind.IMAGE ? "" : r.body(),
              List.of(r.index())));
    }
    return out;
  }

  // ---- submitting

  JobId submit(Pipeline pipeline) {
    List<CosJobRenderer.Rendered> planned = plan(pipeline);
    List<Request> built = new ArrayList<>();
    for (CosJobRenderer.Rendered r : planned) {
      built.add(request(r));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("b", pipeline.source().bucket());
    for (CosJobRenderer.Rendered r : planned) {
      attributes.put("k" + r.index(), kind(r.kind()));
      pipeline
          .outputs()
          .get(r.index())
          .saveAs()
          .ifPresent(t -> attributes.put("o" + r.index(), t.bucket() + "/" + t.key()));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      CosJobRenderer.Rendered r = planned.get(i);
      HttpCalls.Reply reply;
      try {
        reply = http.submit("submit", built.get(i));
      } catch (MediaException e) {
        throw ids.isEmpty() ? e : partial(e, ids, attributes, r.index());
      }
      ids.add(r.kind() == CosJobRenderer.Kind.IMAGE ? imageResult(reply, r) : jobId(reply));
    }
    return JobId.of(ID, null, ids, attributes);
  }

  private static String kind(CosJobRenderer.Kind k) {
    return switch (k) {
      case MEDIA -> "media";
      case DOC -> "doc";
      case IMAGE -> "image";
    };
  }

  /** The JobId of a created job; a 2xx without one leaves the outcome unknown. */
  private static String jobId(HttpCalls.Reply reply) {
    String id = "";
    try {
      List<Element> details = CosStatus.jobsDetails(reply.body(), "response");
      id = details.isEmpty() ? "" : CosJobXml.text(details.get(0), "JobId");
    } catch (RuntimeException e) {
      // reported below
    }
    if (id.isEmpty()) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "BadResponse",
          requestId(reply),
          "Cloud Infinite answered without a JobId: " + CosRequests.abbreviate(reply.text()),
          true);
    }
    return id;
  }

  /** An image output is done on return: {@code UploadResult/ProcessResults/Object} names it. */
  private static String imageResult(HttpCalls.Reply reply, CosJobRenderer.Rendered r) {
    boolean processed;
    try {
      Element root = CosJobXml.parse(reply.body(), "response");
      processed = CosJobXml.path(root, "ProcessResults", "Object").isPresent();
    } catch (RuntimeException e) {
      processed = false;
    }
    if (!processed) {
      throw new MediaServiceException(
          ID,
          reply.code(),
          "ProcessFailed",
          requestId(reply),
          "image processing for output "
              + r.index()
              + " answered "
              + CosRequests.abbreviate(reply.text()));
    }
    String rid = requestId(reply);
    return SYNC_PREFIX + (rid.isEmpty() ? "done" : rid);
  }

  private static String requestId(HttpCalls.Reply reply) {
    return Optional.ofNullable(reply.headers().get("x-cos-request-id"))
        .or(() -> Optional.ofNullable(reply.headers().get("x-ci-request-id")))
        .orElse("");
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

  // ---- status

  /** Reads one job back from the CI host of {@code bucket}. */
  CosStatus.Detail read(String bucket, String jobId, boolean doc) {
    Request r =
        requests.request(
            Service.CI, "GET", bucket, (doc ? "doc_jobs/" : "jobs/") + jobId, Map.of());
    HttpCalls.Reply reply = http.read("status", r);
    List<Element> details = CosStatus.jobsDetails(reply.body(), "response");
    if (details.isEmpty()) {
      throw new MediaServiceException(
          ID,
          404,
          "NoSuchJob",
          requestId(reply),
          "Cloud Infinite does not know job "
              + jobId
              + ": "
              + CosRequests.abbreviate(reply.text()));
    }
    return CosStatus.detail(details.get(0));
  }

  JobStatus status(JobId id) {
    String bucket = bucket(id);
    List<OutputResult> outputs = new ArrayList<>();
    Map<String, String> details = new LinkedHashMap<>();
    int progressSum = 0;
    int progressCount = 0;
    for (int i = 0; i < id.vendorIds().size(); i++) {
      String vendorId = id.vendorIds().get(i);
      Optional<MediaObject> target = id.attribute("o" + i).map(CosJobs::parseObject);
      if (vendorId.startsWith(SYNC_PREFIX)) {
        outputs.add(
            new OutputResult(
                i, JobState.SUCCEEDED, target.map(List::of).orElse(List.of()), "", ""));
        progressSum += 100;
        progressCount++;
        continue;
      }
      boolean doc = id.attribute("k" + i).map("doc"::equals).orElse(false);
      CosStatus.Detail d = read(bucket, vendorId, doc);
      details.put("outputs[" + i + "].jobId", vendorId);
      outputs.add(CosStatus.output(i, d, target, requests.settings()::bucket));
      if (d.state().isTerminal() || d.progress() >= 0) {
        progressSum += d.state().isTerminal() ? 100 : d.progress();
        progressCount++;
      }
    }
    JobState state = JobState.combine(outputs.stream().map(OutputResult::state).toList());
    JobStatus.Builder b = JobStatus.builder(id, state).observedAt(clock.instant()).outputs(outputs);
    if (progressCount == id.vendorIds().size()) {
      b.progress(progressSum / progressCount);
    }
    details.forEach(b::detail);
    outputs.stream()
        .filter(o -> o.state() == JobState.FAILED)
        .findFirst()
        .ifPresent(
            o ->
                b.message(
                    "output "
                        + o.index()
                        + ": "
                        + (o.vendorCode().isEmpty() ? "" : o.vendorCode() + " ")
                        + o.message()));
    return b.build();
  }

  /**
   * Cancels every media job of {@code id} that has not ended ({@code PUT /jobs/<id>}); document
   * jobs have no cancel call, and image outputs finished on return.
   */
  void cancel(JobId id) {
    String bucket = bucket(id);
    List<Integer> uncancellable = new ArrayList<>();
    for (int i = 0; i < id.vendorIds().size(); i++) {
      String vendorId = id.vendorIds().get(i);
      if (vendorId.startsWith(SYNC_PREFIX)) {
        continue;
      }
      boolean doc = id.attribute("k" + i).map("doc"::equals).orElse(false);
      CosStatus.Detail d = read(bucket, vendorId, doc);
      if (d.state().isTerminal()) {
        continue;
      }
      if (doc) {
        uncancellable.add(i);
        continue;
      }
      // PUT /jobs/<id> without a body (cos-java-sdk-v5 COSClient.cancelMediaJob).
      http.read(
          "cancel",
          requests.request(
              Service.CI,
              "PUT",
              bucket,
              "jobs/" + vendorId,
              Map.of(),
              RequestBody.create(new byte[0], null),
              Map.of()));
    }
    if (!uncancellable.isEmpty()) {
      throw new UnsupportedMediaOperationException(
          ID,
          "cancel",
          "",
          "Cloud Infinite cannot cancel document jobs; output(s) "
              + uncancellable
              + " run to their end (the media jobs were cancelled)");
    }
  }

  private static String bucket(JobId id) {
    return id.attribute("b")
        .orElseThrow(
            () ->
                new dev.mediaflow.MediaValidationException(
                    "jobId", "a COS job id names its source bucket (b=...); " + id + " does not"));
  }

  private static MediaObject parseObject(String s) {
    int slash = s.indexOf('/');
    return MediaObject.of(s.substring(0, slash), s.substring(slash + 1));
  }
}
