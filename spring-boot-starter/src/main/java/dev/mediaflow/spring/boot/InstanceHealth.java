package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;
import dev.mediaflow.spi.AccessCheck;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's health, whatever the Spring Boot generation: the provider's access check (one
 * signed read of an absent object) as a status and details. The details name the provider, the
 * endpoint, the bucket and the vendor's answer; never a credential, a signed URL or an object key.
 *
 * @param status {@code UP}, {@code DOWN} or {@code UNKNOWN}, as Spring Boot's health statuses
 * @param details what was checked and what the vendor answered
 */
record InstanceHealth(String status, Map<String, Object> details) {
  static final String UP = "UP";
  static final String DOWN = "DOWN";
  static final String UNKNOWN = "UNKNOWN";

  /** Checks {@code client}'s access, reading in {@code bucket} ("" for none). */
  static InstanceHealth check(MediaClient client, String bucket) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("provider", client.providerId());
    AccessCheck check;
    try {
      check = client.checkAccess(bucket);
    } catch (RuntimeException e) {
      // the exception's message is not shown: only its type
      details.put("error", e.getClass().getName());
      return new InstanceHealth(DOWN, details);
    }
    details.putAll(check.details());
    details.put("access", check.outcome().name().toLowerCase(java.util.Locale.ROOT));
    switch (check.outcome()) {
      case ACCEPTED:
        return new InstanceHealth(UP, details);
      case NOT_CHECKED:
        return new InstanceHealth(UNKNOWN, details);
      case REFUSED:
      case FAILED:
      default:
        return new InstanceHealth(DOWN, details);
    }
  }
}
