package dev.mediaflow.spi;

import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;

/**
 * A provider's intake of the requests its vendor sends when jobs end (job notifications, message
 * pushes, upload callbacks): verifies each, and turns it into the answer the vendor expects and the
 * events it carried.
 *
 * <p>Implementations refuse what they cannot verify with a 4xx and no event, never trust an
 * unsigned message without confirming it with the vendor, and are thread-safe.
 */
public interface NotificationIntake {
  /** Verifies and reads one request the vendor sent. */
  IntakeResult receive(InboundRequest request);

  /**
   * Returns whether {@code request} has the shape of a request this provider's vendor sends (its
   * headers, content type or body), before any verification: a router that serves several providers
   * on one endpoint asks only the intakes that say yes. Cheap and without I/O. The default says yes
   * to every request.
   */
  default boolean accepts(InboundRequest request) {
    return true;
  }
}
