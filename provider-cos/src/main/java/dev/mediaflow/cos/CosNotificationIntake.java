package dev.mediaflow.cos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.NotificationIntake;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Cloud Infinite's job callbacks ({@code CallBack}): an XML {@code <Response><EventName>TaskFinish
 * </EventName><JobsDetail>...} or its JSON form ({@code CallBackFormat=JSON}). Cloud Infinite does
 * not sign them, so a callback only names a job: the job is read back from Cloud Infinite ({@code
 * GET /jobs/<id>} or {@code GET /doc_jobs/<id>}) and what that read says is the event. A callback
 * for a job that has not ended, by the read, changes nothing. Thread-safe.
 */
final class CosNotificationIntake implements NotificationIntake {
  /** Larger bodies are refused: a JobsDetail with its media info stays far below it. */
  static final int MAX_BODY = 1 << 20;

  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final String TEXT = "text/plain; charset=utf-8";

  /** Reads a job back from the CI host of {@code bucket}: {@code doc} for a DocProcess job. */
  interface Reader {
    CosStatus.Detail read(String bucket, String jobId, boolean doc);
  }

  /**
   * What a callback claims: the job, the bucket whose CI host knows it ({@code Input/BucketId},
   * else {@code Operation/Output/Bucket}), and whether it is a document job.
   */
  record Claim(String jobId, String bucket, boolean doc) {}

  private final Reader reader;
  private final Function<CosStatus.Detail, JobStatus> status;

  /**
   * @param reader reads a job back from Cloud Infinite
   * @param status turns the read into the status of the job it names
   */
  CosNotificationIntake(Reader reader, Function<CosStatus.Detail, JobStatus> status) {
    this.reader = reader;
    this.status = status;
  }

  /**
   * The status of a read: the job of that one vendor id, one output, its objects' buckets named by
   * {@code bucketName} (a full {@code name-APPID} in, the name a pipeline would use out).
   */
  static Function<CosStatus.Detail, JobStatus> singleOutput(
      Clock clock, UnaryOperator<String> bucketName) {
    return d -> {
      OutputResult read = CosStatus.output(0, d, Optional.empty(), n -> n);
      OutputResult named =
          new OutputResult(
              0,
              read.state(),
              read.objects().stream()
                  .map(o -> MediaObject.of(bucketName.apply(o.bucket()), o.key()))
                  .toList(),
              read.vendorCode(),
              read.message());
      JobStatus.Builder b =
          JobStatus.builder(JobId.of(CosJobRenderer.ID, d.jobId()), d.state())
              .output(named)
              .observedAt(clock.instant());
      if (d.progress() >= 0) {
        b.progress(d.progress());
      }
      if (d.state() == JobState.FAILED) {
        b.message(d.code() + ": " + d.message());
      }
      return b.build();
    };
  }

  /**
   * Recognises a Cloud Infinite callback by its body: XML whose root is {@code Response} with a
   * {@code JobsDetail}, or JSON with {@code JobsDetail}; never a request signed for another vendor.
   */
  @Override
  public boolean accepts(InboundRequest request) {
    if (request.header("x-mns-signing-cert-url").isPresent()
        || request.header("x-oss-pub-key-url").isPresent()
        || request.header("Authorization").isPresent()) {
      return false;
    }
    byte[] body = request.body();
    String head =
        new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8).stripLeading();
    return (head.startsWith("<") && head.contains("<Response") && head.contains("<JobsDetail"))
        || (head.startsWith("{") && head.contains("\"JobsDetail\""));
  }

  @Override
  public IntakeResult receive(InboundRequest request) {
    if (!request.method().equals("POST")) {
      return refuse(405, "Cloud Infinite POSTs its callbacks");
    }
    byte[] body = request.body();
    if (body.length > MAX_BODY) {
      return refuse(413, "the body is larger than " + MAX_BODY + " bytes");
    }
    Claim claim;
    try {
      claim = claim(body);
    } catch (MediaValidationException e) {
      return refuse(400, "not a Cloud Infinite job callback: " + e.getMessage());
    }
    CosStatus.Detail read;
    try {
      read = reader.read(claim.bucket(), claim.jobId(), claim.doc());
    } catch (MediaValidationException | dev.mediaflow.MediaConfigException e) {
      return refuse(400, "the callback names a bucket this client cannot read: " + e.getMessage());
    } catch (MediaServiceException e) {
      if (e.httpStatus() == 404 || e.httpStatus() == 400) {
        // Cloud Infinite does not know the job: answer so nothing is retried, report nothing.
        return new IntakeResult(200, TEXT, "", List.of());
      }
      return refuse(503, "Cloud Infinite could not confirm the job now (" + e.httpStatus() + ")");
    } catch (MediaException e) {
      return refuse(503, "Cloud Infinite could not confirm the job now");
    }
    if (!read.jobId().equals(claim.jobId())) {
      return refuse(409, "Cloud Infinite answered for another job");
    }
    if (!read.state().isTerminal()) {
      return refuse(409, "Cloud Infinite says the job has not ended");
    }
    JobStatus s = status.apply(read).toBuilder().detail("verifiedBy", "read-back").build();
    return new IntakeResult(
        200, TEXT, "", List.of(new JobEvent(read.jobId() + ":" + read.vendorState(), s)));
  }

  /**
   * The status a callback body claims, unverified: XML is read whole, JSON for its JobId and State.
   */
  JobStatus parse(byte[] body) {
    Claim claim = claim(body);
    String text = new String(body, StandardCharsets.UTF_8).strip();
    CosStatus.Detail d;
    if (text.startsWith("<")) {
      d = CosStatus.detail(CosStatus.jobsDetails(body, "callback").get(0));
    } else {
      JsonElement root = JsonParser.parseString(text);
      JsonElement e = root.getAsJsonObject().get("JobsDetail");
      JsonObject o =
          e.isJsonArray() ? e.getAsJsonArray().get(0).getAsJsonObject() : e.getAsJsonObject();
      d =
          new CosStatus.Detail(
              claim.jobId(),
              string(o, "Tag"),
              string(o, "State"),
              string(o, "Code"),
              string(o, "Message"),
              -1,
              List.of(),
              "");
    }
    return status.apply(d).toBuilder().detail("verifiedBy", "none").build();
  }

  /** The status of the job a callback names, as a read back from Cloud Infinite says. */
  JobStatus confirm(byte[] body) {
    Claim claim = claim(body);
    return status.apply(reader.read(claim.bucket(), claim.jobId(), claim.doc())).toBuilder()
        .detail("verifiedBy", "read-back")
        .build();
  }

  /** The job a callback body names, from its XML or JSON form. */
  static Claim claim(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    String jobId;
    String tag;
    String bucket;
    if (text.startsWith("<")) {
      List<Element> details = CosStatus.jobsDetails(body, "callback");
      if (details.isEmpty()) {
        throw new MediaValidationException("callback", "has no JobsDetail");
      }
      Element d = details.get(0);
      jobId = CosJobXml.text(d, "JobId");
      tag = CosJobXml.text(d, "Tag");
      bucket = CosJobXml.text(d, "Input", "BucketId");
      if (bucket.isEmpty()) {
        bucket = CosJobXml.text(d, "Operation", "Output", "Bucket");
      }
    } else {
      JsonObject detail;
      try {
        JsonElement root = JsonParser.parseString(text);
        JsonElement d = root.isJsonObject() ? root.getAsJsonObject().get("JobsDetail") : null;
        if (d != null && d.isJsonArray() && !d.getAsJsonArray().isEmpty()) {
          d = d.getAsJsonArray().get(0);
        }
        if (d == null || !d.isJsonObject()) {
          throw new MediaValidationException("callback", "has no JobsDetail");
        }
        detail = d.getAsJsonObject();
      } catch (RuntimeException e) {
        if (e instanceof MediaValidationException m) {
          throw m;
        }
        throw new MediaValidationException("callback", "is neither XML nor JSON");
      }
      jobId = string(detail, "JobId");
      tag = string(detail, "Tag");
      bucket = string(object(detail, "Input"), "BucketId");
      if (bucket.isEmpty()) {
        bucket = string(object(object(detail, "Operation"), "Output"), "Bucket");
      }
    }
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new MediaValidationException("JobsDetail.JobId", "is not a Cloud Infinite job id");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw new MediaValidationException("JobsDetail.Input.BucketId", "is not a COS bucket name");
    }
    return new Claim(jobId, bucket, tag.equals("DocProcess"));
  }

  private static JsonObject object(JsonObject o, String name) {
    JsonElement e = o == null ? null : o.get(name);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o == null ? null : o.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString().strip() : "";
  }

  private static IntakeResult refuse(int status, String why) {
    return new IntakeResult(status, TEXT, why, List.of());
  }
}
