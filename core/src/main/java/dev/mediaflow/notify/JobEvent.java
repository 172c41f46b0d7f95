package dev.mediaflow.notify;

import dev.mediaflow.internal.Check;
import dev.mediaflow.job.JobStatus;

/**
 * A verified report from a vendor that a job changed state: the vendor's message id (for
 * recognising duplicates) and the job's status as the message (or the read that confirmed it) says.
 *
 * <p>A vendor that pushes one message per vendor job (one per output of a job with several vendor
 * ids) yields events whose status names that one vendor id, with the state of that vendor job and
 * its output's result (at index 0); a {@link dev.mediaflow.job.JobWatcher} merges such an event
 * into the job it is part of, as the output of that vendor id.
 *
 * @param messageId the vendor's id of the message, or of the job and state when the vendor gives
 *     none
 * @param status the job's status
 */
public record JobEvent(String messageId, JobStatus status) {
  public JobEvent {
    Check.text("messageId", messageId, 1024);
    Check.notNull("status", status);
  }
}
