package dev.mediaflow.cos;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * Reads Cloud Infinite's {@code JobsDetail} (the answer to {@code POST /jobs}, {@code GET
 * /jobs/<id>}, {@code GET /doc_jobs/<id>}, and the body of a callback) into the one job state
 * machine. Pure; thread-safe.
 */
final class CosStatus {
  private CosStatus() {}

  /**
   * One job as Cloud Infinite describes it.
   *
   * @param jobId the JobId
   * @param tag the Tag (Transcode, Snapshot, DocProcess, ...)
   * @param vendorState the State as written (Submitted, Running, Success, Failed, Pause, Cancel)
   * @param code the Code ("Success" when it went well)
   * @param message the Message
   * @param progress the Progress in percent, or -1
   * @param objects the objects written, bucket names as Cloud Infinite writes them ({@code
   *     name-appid})
   * @param watermark the text ExtractDigitalWatermark read, or ""
   */
  record Detail(
      String jobId,
      String tag,
      String vendorState,
      String code,
      String message,
      int progress,
      List<MediaObject> objects,
      String watermark) {
    JobState state() {
      return CosStatus.state(vendorState);
    }

    boolean isDoc() {
      return tag.equals("DocProcess");
    }
  }

  /** Maps a State: Submitted and Pause wait in the queue; Cancel is a cancelled job. */
  static JobState state(String vendor) {
    return switch (vendor) {
      case "Submitted", "Pause" -> JobState.QUEUED;
      case "Running" -> JobState.RUNNING;
      case "Success" -> JobState.SUCCEEDED;
      case "Failed" -> JobState.FAILED;
      case "Cancel" -> JobState.CANCELLED;
      default ->
          throw new MediaValidationException(
              "JobsDetail.State", "unknown Cloud Infinite job state \"" + vendor + "\"");
    };
  }

  /** Every {@code Response/JobsDetail} in an XML body. */
  static List<Element> jobsDetails(byte[] body, String what) {
    Element root = CosJobXml.parse(body, what);
    if (!root.getTagName().equals("Response")) {
      throw new MediaValidationException(what, "is not a Cloud Infinite <Response>");
    }
    return CosJobXml.children(root, "JobsDetail");
  }

  /** Reads one {@code JobsDetail}. */
  static Detail detail(Element d) {
    String jobId = CosJobXml.text(d, "JobId");
    if (jobId.isEmpty()) {
      throw new MediaValidationException("JobsDetail.JobId", "is missing");
    }
    Element op = CosJobXml.child(d, "Operation").orElse(null);
    List<MediaObject> objects = new ArrayList<>();
    // Media: MediaResult/OutputFile{Bucket, ObjectPrefix, ObjectName*} (several for frames).
    for (Element f :
        CosJobXml.path(op, "MediaResult")
            .map(m -> CosJobXml.children(m, "OutputFile"))
            .orElse(List.of())) {
      String bucket = CosJobXml.text(f, "Bucket");
      String prefix = CosJobXml.text(f, "ObjectPrefix");
      for (Element n : CosJobXml.children(f, "ObjectName")) {
        add(objects, bucket, prefix + n.getTextContent().strip());
      }
    }
    // Documents: DocProcessResult/PageInfo/TgtUri, a key or a URL of one page.
    String outBucket = CosJobXml.text(op, "Output", "Bucket");
    for (Element page :
        CosJobXml.path(op, "DocProcessResult")
            .map(r -> CosJobXml.children(r, "PageInfo"))
            .orElse(List.of())) {
      add(objects, outBucket, key(CosJobXml.text(page, "TgtUri")));
    }
    String progress = CosJobXml.text(d, "Progress");
    int percent;
    try {
      percent = progress.isEmpty() ? -1 : (int) Math.round(Double.parseDouble(progress));
    } catch (NumberFormatException e) {
      percent = -1;
    }
    return new Detail(
        jobId,
        CosJobXml.text(d, "Tag"),
        CosJobXml.text(d, "State"),
        CosJobXml.text(d, "Code"),
        CosJobXml.text(d, "Message"),
        percent,
        objects,
        CosJobXml.text(op, "ExtractDigitalWatermark", "Message"));
  }

  private static void add(List<MediaObject> objects, String bucket, String key) {
    if (!bucket.isEmpty() && !key.isEmpty()) {
      objects.add(MediaObject.of(bucket, key.startsWith("/") ? key.substring(1) : key));
    }
  }

  /** The object key a TgtUri names: its path when it is a URL, else itself. */
  static String key(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        String path = new URI(uri).getPath();
        return path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
      } catch (URISyntaxException e) {
        return "";
      }
    }
    return uri;
  }

  /**
   * The result of output {@code index}: its state, the objects it wrote (bucket names mapped back
   * to the pipeline's when they are the same bucket), and the vendor's code and message. A decoded
   * watermark is the message of a succeeded output.
   *
   * @param target the output's save target, if any
   * @param fullName the full bucket name of a pipeline bucket name
   */
  static OutputResult output(
      int index, Detail d, Optional<MediaObject> target, Function<String, String> fullName) {
    JobState state = d.state();
    List<MediaObject> objects = new ArrayList<>();
    if (state == JobState.SUCCEEDED) {
      for (MediaObject o : d.objects()) {
        objects.add(
            target
                .filter(t -> fullName.apply(t.bucket()).equals(o.bucket()))
                .map(t -> MediaObject.of(t.bucket(), o.key()))
                .orElse(o));
      }
      if (objects.isEmpty()) {
        target.filter(t -> !t.key().contains("{index}")).ifPresent(objects::add);
      }
    }
    String code = d.code().equals("Success") ? "" : d.code();
    String message = !d.watermark().isEmpty() ? d.watermark() : d.message();
    return new OutputResult(
        index, state, objects, state == JobState.SUCCEEDED ? "" : code, message);
  }
}
