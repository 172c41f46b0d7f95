package dev.mediaflow.cos;

import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.MediaObject;

/**
 * What only COS offers, reached from a client configured with {@code media.provider=cos}:
 *
 * <pre>{@code
 * CosOperations cos = media.unwrap(CosOperations.class).orElseThrow();
 * CosAppend log = cos.append(MediaObject.of("media", "logs/today.txt"), CosAppend.START, firstLines);
 * log = cos.append(log, moreLines);                            // at log.nextPosition(), CRC-64 checked
 * JobStatus trusted = cos.confirmNotification(requestBody);   // in your CallBack handler
 * }</pre>
 *
 * <p>{@code MediaClient.notifications()} takes callbacks for every provider at one endpoint.
 * Thread-safe.
 */
public interface CosOperations {
  /**
   * Appends {@code data} to an appendable object (APPEND Object, {@code POST ?append&position=<n>},
   * https://cloud.tencent.com/document/product/436/7741), creating it at position 0, and checks the
   * whole object's CRC-64 that COS answers against {@code before}'s CRC combined with {@code
   * data}'s. Not retried: an append whose answer was lost fails with {@code isOutcomeUnknown()};
   * read the object's length (HEAD) before appending again.
   *
   * @param before where to append: {@link CosAppend#START} for a new object, or the previous
   *     append's result
   * @throws dev.mediaflow.MediaServiceException 409 when the position is not the object's length
   *     (the message gives the length when COS answers it) or the object was not made by appends
   *     ({@code ObjectNotAppendable})
   * @throws dev.mediaflow.MediaIntegrityException when the object's CRC-64 is not the expected one
   */
  CosAppend append(MediaObject object, CosAppend before, byte[] data);

  /** Appends {@code data} to the object {@code before} was appended to, at its next position. */
  default CosAppend append(CosAppend before, byte[] data) {
    return append(
        before.object().orElseThrow(() -> new IllegalArgumentException("START names no object")),
        before,
        data);
  }

  /**
   * Parses the body Cloud Infinite POSTs to a job's {@code CallBack} (XML, or JSON with {@code
   * CallBackFormat=JSON}) into the status of the one job it names. The body is not signed, so
   * anyone can post one: use it as a hint, or call {@link #confirmNotification}.
   *
   * @throws dev.mediaflow.MediaValidationException when the body is not a Cloud Infinite callback
   */
  JobStatus parseNotification(byte[] body);

  /**
   * Verifies a callback by reading the job it names back from Cloud Infinite ({@code GET
   * /jobs/<id>} or {@code GET /doc_jobs/<id>} on the CI host of the bucket it names), and returns
   * what Cloud Infinite says, which may differ from the body.
   */
  JobStatus confirmNotification(byte[] body);
}
