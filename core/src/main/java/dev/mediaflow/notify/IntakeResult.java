package dev.mediaflow.notify;

import dev.mediaflow.internal.Check;
import java.util.List;

/**
 * What notification intake made of an {@link InboundRequest}: the answer to send the vendor
 * (status, content type and body) and the verified events it carried. A forged, unverifiable or
 * malformed request gets a 4xx and no event; a duplicate gets the vendor's success answer and no
 * event.
 *
 * @param status the HTTP status to answer with
 * @param contentType the content type of {@code body}
 * @param body the body to answer with ("" for none)
 * @param events the verified events, in the order received; empty when none
 */
public record IntakeResult(int status, String contentType, String body, List<JobEvent> events) {
  public IntakeResult {
    Check.range("status", status, 100, 599);
    Check.notNull("contentType", contentType);
    Check.notNull("body", body);
    events = List.copyOf(Check.notNull("events", events));
  }

  /** Returns whether the request was refused (a 4xx or 5xx answer). */
  public boolean isRefused() {
    return status >= 400;
  }
}
