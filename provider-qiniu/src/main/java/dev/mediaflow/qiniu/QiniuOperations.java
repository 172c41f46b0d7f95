package dev.mediaflow.qiniu;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
import java.time.Duration;

/**
 * What only Qiniu offers, reached from a client configured with {@code media.provider=qiniu}:
 *
 * <pre>{@code
 * QiniuOperations qiniu = media.unwrap(QiniuOperations.class).orElseThrow();
 * String token = qiniu.uploadToken(MediaObject.of("media", "raw/in.mp4"), pipeline, Duration.ofHours(1));
 * JobStatus trusted = qiniu.confirmNotification(requestBody);   // in your notifyURL handler
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface QiniuOperations {
  /** Returns the signer for these credentials (callback verification, custom upload tokens). */
  QiniuAuth auth();

  /**
   * Returns an upload token that lets a client put {@code target} (overwriting it) until {@code
   * validFor} from now, and, when {@code onUpload} is not null, runs that pipeline on the uploaded
   * object: its fops become {@code persistentOps}, with its notification URL, queue and idle-time
   * option.
   *
   * @throws dev.mediaflow.UnsupportedMediaOperationException when Qiniu cannot run the pipeline
   * @throws dev.mediaflow.MediaValidationException when the pipeline's source is not {@code target}
   */
  String uploadToken(MediaObject target, Pipeline onUpload, Duration validFor);

  /**
   * Returns an upload token for {@code target}, valid for {@code validFor} from now, with no
   * pipeline.
   */
  default String uploadToken(MediaObject target, Duration validFor) {
    return uploadToken(target, null, validFor);
  }

  /** Returns an upload token for a put policy of your own. */
  String uploadToken(QiniuPutPolicy policy);

  /**
   * Starts the workflow template {@code templateId} (set up in Qiniu's console) on {@code source}:
   * pfop with {@code workflowTemplateID} instead of fops. Track it like any job. {@code notifyUrl}
   * may be null (no notification).
   */
  JobId submitWorkflow(
      MediaObject source, String templateId, String notifyUrl, ProviderOptions options);

  /**
   * Parses the body Qiniu POSTs to a {@code notifyURL} (the prefop JSON) into a job status. The
   * body is not signed, so anyone can post one: use it as a hint, or call {@link
   * #confirmNotification}.
   *
   * @throws dev.mediaflow.MediaValidationException when the body is not a Qiniu notification
   */
  JobStatus parseNotification(byte[] body);

  /**
   * Verifies a notification by reading the job it names back from Qiniu (prefop), and returns what
   * Qiniu says, which may be newer than the body. A read that still shows running a job the body
   * says has ended is repeated briefly (under a second), since Qiniu posts as the job ends. A body
   * naming a job Qiniu does not know fails with Qiniu's error (HTTP 612).
   */
  JobStatus confirmNotification(byte[] body);
}
