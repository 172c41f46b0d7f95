package dev.mediaflow.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link JobStore} keeps of one job: its id and the instance that submitted it, the last
 * state seen, whether that end reached the listeners, whether the vendor pushes its changes, the
 * instant its watch gives up, the process that watches it now (its owner) and until when (its
 * lease), an application tag, and when the record last changed.
 *
 * <p>A record is <em>open</em> until its end was delivered: a job not yet ended, or ended without
 * its listeners having heard of it (a crash in between). {@code resume} watches open records again.
 * Immutable and thread-safe.
 *
 * @param id the job
 * @param instance the configured instance that submitted it (the provider id for the default one)
 * @param state the last state seen ({@code QUEUED} until the first status read)
 * @param delivered whether the job's terminal state reached its listeners
 * @param notified whether the vendor pushes the job's changes (polls then only back them up)
 * @param deadline when watching the job gives up
 * @param owner the process that watches the job, "" for none
 * @param leaseExpiry until when {@code owner} holds the job; {@link Instant#EPOCH} for no lease
 * @param tag the application's tag, "" for none
 * @param updated when the record last changed
 */
public record JobRecord(
    JobId id,
    String instance,
    JobState state,
    boolean delivered,
    boolean notified,
    Instant deadline,
    String owner,
    Instant leaseExpiry,
    String tag,
    Instant updated) {
  public JobRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseExpiry, "leaseExpiry");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(updated, "updated");
    if (!instance.equals(instanceOf(id))) {
      throw new IllegalArgumentException(
          "instance '" + instance + "' is not the instance of job " + id);
    }
    if (delivered && !state.isTerminal()) {
      throw new IllegalArgumentException("only an ended job can be delivered: " + state);
    }
  }

  /**
   * Returns a new record of a job just submitted: queued, no owner, watched until {@code deadline}.
   */
  public static JobRecord submitted(JobId id, Instant deadline, String tag, Instant now) {
    return new JobRecord(
        id, instanceOf(id), JobState.QUEUED, false, false, deadline, "", Instant.EPOCH, tag, now);
  }

  /**
   * Returns the key a store files {@code id} under: the provider, the instance and the vendor ids,
   * without the attributes, so an event that names only the vendor's ids finds its job.
   */
  public static String key(JobId id) {
    return JobId.of(id.provider(), instanceOf(id), id.vendorIds(), Map.of()).toString();
  }

  /** Returns {@link #key(JobId)} of this record's job. */
  public String key() {
    return key(id);
  }

  /** Returns the configured instance that submitted {@code id}. */
  public static String instanceOf(JobId id) {
    return id.instance().orElse(id.provider());
  }

  /** Returns true while the record needs watching: not ended, or ended and not delivered. */
  public boolean isOpen() {
    return !delivered;
  }

  /** Returns true when no one holds the job at {@code now}: no owner, or an expired lease. */
  public boolean isFree(Instant now) {
    return owner.isEmpty() || !leaseExpiry.isAfter(now);
  }

  /**
   * Returns true when {@code owner} may hold the job at {@code now}: it is free, or {@code owner}'s
   * own.
   */
  public boolean isClaimableBy(String owner, Instant now) {
    return this.owner.isEmpty() || this.owner.equals(owner) || !leaseExpiry.isAfter(now);
  }

  /**
   * Returns this record in {@code next}, or this record unchanged when {@code next} cannot follow
   * the state it holds (an older event arriving late).
   */
  public JobRecord withState(JobState next, Instant now) {
    if (next == state || !state.canMoveTo(next)) {
      return this;
    }
    return new JobRecord(
        id, instance, next, false, notified, deadline, owner, leaseExpiry, tag, now);
  }

  /** Returns this record with its end delivered; a record not ended is returned unchanged. */
  public JobRecord withDelivered(Instant now) {
    if (!state.isTerminal() || delivered) {
      return this;
    }
    return new JobRecord(
        id, instance, state, true, notified, deadline, "", Instant.EPOCH, tag, now);
  }

  /** Returns this record marked as pushed by the vendor. */
  public JobRecord withNotified(Instant now) {
    return notified
        ? this
        : new JobRecord(
            id, instance, state, delivered, true, deadline, owner, leaseExpiry, tag, now);
  }

  /** Returns this record held by {@code owner} for {@code lease} from {@code now}. */
  public JobRecord withLease(String owner, Instant now, Duration lease) {
    return new JobRecord(
        id, instance, state, delivered, notified, deadline, owner, now.plus(lease), tag, now);
  }

  /** Returns this record with no owner. */
  public JobRecord released(Instant now) {
    return new JobRecord(
        id, instance, state, delivered, notified, deadline, "", Instant.EPOCH, tag, now);
  }

  /**
   * Returns the record to keep when {@code other} describes the same job: the further state, the
   * end delivered if either says so, notified if either says so, and {@code other}'s owner, lease,
   * deadline and (when set) tag.
   */
  public JobRecord merge(JobRecord other) {
    if (!other.key().equals(key())) {
      throw new IllegalArgumentException(other.id + " is not " + id);
    }
    JobState s = state.canMoveTo(other.state) ? other.state : state;
    boolean d = s.isTerminal() && (delivered && s == state || other.delivered && s == other.state);
    return new JobRecord(
        id.attributes().isEmpty() ? other.id : id,
        instance,
        s,
        d,
        notified || other.notified,
        other.deadline,
        other.owner,
        other.leaseExpiry,
        other.tag.isEmpty() ? tag : other.tag,
        other.updated.isAfter(updated) ? other.updated : updated);
  }
}
