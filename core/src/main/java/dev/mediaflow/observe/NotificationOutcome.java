package dev.mediaflow.observe;

import java.util.Locale;

/** What became of one request the vendor sent to the notification intake. */
public enum NotificationOutcome {
  /** Verified, and it carried news: at least one job learnt a new state from it. */
  ACCEPTED,
  /**
   * Verified, but it changed nothing: a duplicate, an event older than what is known, or no event.
   */
  IGNORED,
  /** Refused: forged, unverifiable or malformed (answered with a 4xx or 5xx). */
  REFUSED,
  /** No configured instance recognised it ({@code NotificationRouter}; answered with 400). */
  UNMATCHED;

  /** Returns the outcome in lower case, as a tag value. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
