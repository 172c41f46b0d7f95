package dev.mediaflow.oss;

import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.MediaObject;

/**
 * What only OSS offers, reached from a client configured with {@code media.provider=oss}:
 *
 * <pre>{@code
 * OssOperations oss = media.unwrap(OssOperations.class).orElseThrow();
 * JobStatus status = oss.parseNotification(messageBody);     // a message from the SMQ (MNS) topic
 * JobStatus trusted = oss.confirmNotification(messageBody);  // read back from IMM (needs media.oss.immProject)
 *
 * OssAppend log = oss.append(MediaObject.of("media", "logs/today.txt"), OssAppend.START, firstLines);
 * log = oss.append(log, moreLines);                            // at log.nextPosition(), CRC-64 checked
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface OssOperations {
  /**
   * Parses a task-completion message that OSS (IMM) published to the topic named in the pipeline's
   * notify: the envelope {@code {"id","source","type","subject","time","content"}} whose {@code
   * content} is itself JSON ({@code TaskId}, {@code TaskType}, {@code Status} or {@code Success},
   * {@code Code}, {@code Message}, {@code Targets}), as an HTTP push delivers it or as a queue
   * holds it: raw, Base64-encoded, or inside MNS's {@code <Notification><Message>} XML. The job id
   * is {@code oss:<TaskId>}, one output, with the {@code oss://} objects the message names.
   *
   * <p>The message is not authenticated here (MNS signs pushes with its own certificate): treat it
   * as a hint, or call {@link #confirmNotification}.
   *
   * @throws dev.mediaflow.MediaValidationException when the body is not such a message
   */
  JobStatus parseNotification(byte[] body);

  /**
   * Parses the message, then reads the task back from IMM {@code GetTask} and returns what IMM
   * says.
   *
   * @throws dev.mediaflow.MediaConfigException when no {@code media.oss.immProject} is configured
   */
  JobStatus confirmNotification(byte[] body);

  /**
   * Appends {@code data} to an appendable object (AppendObject, {@code POST ?append&position=}),
   * creating it at position 0, and checks the whole object's CRC-64 that OSS answers against {@code
   * before}'s CRC combined with {@code data}'s. Not retried: an append whose answer was lost fails
   * with {@code isOutcomeUnknown()}; read the object's length (HEAD) before appending again.
   *
   * @param before where to append: {@link OssAppend#START} for a new object, or the previous
   *     append's result
   * @throws dev.mediaflow.MediaServiceException 409 {@code PositionNotEqualToLength} (the message
   *     gives the object's length) or {@code ObjectNotAppendable} (the object was not created by an
   *     append)
   * @throws dev.mediaflow.MediaIntegrityException when the object's CRC-64 is not the expected one
   */
  OssAppend append(MediaObject object, OssAppend before, byte[] data);

  /** Appends {@code data} to the object {@code before} was appended to, at its next position. */
  default OssAppend append(OssAppend before, byte[] data) {
    return append(
        before.object().orElseThrow(() -> new IllegalArgumentException("START names no object")),
        before,
        data);
  }
}
