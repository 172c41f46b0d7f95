package dev.mediaflow.cos;

import dev.mediaflow.job.JobStatus;

/**
 * What only COS offers, reached from a client configured with {@code media.provider=cos}:
 *
 * <pre>{@code
 * CosOperations cos = media.unwrap(CosOperations.class).orElseThrow();
 * JobStatus trusted = cos.confirmNotification(requestBody);   // in your CallBack handler
 * }</pre>
 *
 * <p>{@code MediaClient.notifications()} does the same for every provider at one endpoint.
 * Thread-safe.
 */
public interface CosOperations {
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
