package dev.mediaflow.observe;

import dev.mediaflow.job.JobId;
import java.util.Objects;

/**
 * Where an observed event comes from: the provider id (such as {@code oss}) and the configured
 * instance name (such as {@code oss} or {@code archive}). Both have low cardinality: they come from
 * the configuration, never from a request.
 *
 * @param provider the provider id
 * @param instance the instance name; the provider id for the default instance
 */
public record Origin(String provider, String instance) {
  /** The origin of a notification no configured instance recognised. */
  public static final Origin UNKNOWN = new Origin("unknown", "unknown");

  public Origin {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(instance, "instance");
  }

  /** Returns the origin of the job {@code id}: its provider and the instance that submitted it. */
  public static Origin of(JobId id) {
    return new Origin(id.provider(), id.instance().orElse(id.provider()));
  }
}
