package dev.mediaflow.spi;

import dev.mediaflow.internal.Check;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a provider's access check found ({@link ProviderClient#checkAccess}): whether the vendor
 * answered and accepted the configured credentials, found with one cheap signed read.
 *
 * <p>{@link #details()} says what was checked (an endpoint's scheme, host and port, a bucket, a
 * folder, the HTTP status and the vendor's error code); it never holds a credential, a signature, a
 * signed URL or an object key, so a health endpoint can show it. Immutable and thread-safe.
 *
 * @param outcome what the check found
 * @param details what was checked and what the vendor answered, safe to show
 */
public record AccessCheck(Outcome outcome, Map<String, String> details) {
  /**
   * The key a check reads: an object no one stores, so that a vendor that accepted the signature
   * answers "not found" and one that refused it answers 401 or 403.
   */
  public static final String PROBE_KEY = "mediaflow-access-check/absent";

  /** What an access check found. */
  public enum Outcome {
    /** The vendor answered and accepted the credentials (a signed read was not refused). */
    ACCEPTED,
    /** The vendor answered and refused the credentials, or the bucket or folder is unusable. */
    REFUSED,
    /** The vendor could not be reached, or answered with an error that says nothing either way. */
    FAILED,
    /** Nothing was checked: the provider has no check, or it needs a bucket and none was given. */
    NOT_CHECKED
  }

  public AccessCheck {
    Check.notNull("outcome", outcome);
    details =
        java.util.Collections.unmodifiableMap(new TreeMap<>(Check.notNull("details", details)));
  }

  /** Returns an {@link Outcome#ACCEPTED} check. */
  public static AccessCheck accepted(Map<String, String> details) {
    return new AccessCheck(Outcome.ACCEPTED, details);
  }

  /** Returns a {@link Outcome#REFUSED} check. */
  public static AccessCheck refused(Map<String, String> details) {
    return new AccessCheck(Outcome.REFUSED, details);
  }

  /** Returns a {@link Outcome#FAILED} check. */
  public static AccessCheck failed(Map<String, String> details) {
    return new AccessCheck(Outcome.FAILED, details);
  }

  /** Returns a {@link Outcome#NOT_CHECKED} check, saying why in {@code reason}. */
  public static AccessCheck notChecked(String reason) {
    return new AccessCheck(Outcome.NOT_CHECKED, Map.of("reason", Check.notNull("reason", reason)));
  }

  /** Returns whether the vendor accepted the credentials. */
  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
