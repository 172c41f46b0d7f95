package dev.mediaflow.notify;

import dev.mediaflow.MediaClient;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.NotificationOutcome;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.spi.NotificationIntake;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One endpoint for the notifications of several configured instances: recognises which provider a
 * request comes from ({@link NotificationIntake#accepts}), lets that instance's intake verify it,
 * feeds the verified events to that client's watcher ({@link MediaClient#receive}) and returns the
 * answer to send.
 *
 * <pre>{@code
 * NotificationRouter router = NotificationRouter.of(List.of(east, west, qiniu));
 * IntakeResult r = router.receive(InboundRequest.of(method, uri, headers, body));
 * // answer with r.status(), r.contentType(), r.body()
 * }</pre>
 *
 * <p>When several instances accept a request (two accounts of one vendor), the one named by the
 * request (a path segment or an {@code instance} query parameter equal to its name) is asked first,
 * then the others in the order given; the first that does not refuse the request answers it. A
 * request no instance accepts gets 400 and no event. Clients whose provider sends no notification
 * are left out. Thread-safe; it does not close the clients.
 */
public final class NotificationRouter {
  private final List<MediaClient> clients;

  private NotificationRouter(List<MediaClient> clients) {
    this.clients = clients;
  }

  /** Returns a router over those of {@code clients} whose provider sends notifications. */
  public static NotificationRouter of(List<MediaClient> clients) {
    Objects.requireNonNull(clients, "clients");
    List<MediaClient> notifying = new ArrayList<>();
    for (MediaClient c : clients) {
      try {
        c.notifications();
        notifying.add(c);
      } catch (UnsupportedMediaOperationException e) {
        // this provider pushes nothing Mediaflow can verify: polling tracks its jobs
      }
    }
    return new NotificationRouter(List.copyOf(notifying));
  }

  /** Returns the clients this router serves. */
  public List<MediaClient> clients() {
    return clients;
  }

  /**
   * Verifies {@code request} with the intake of the instance it comes from and delivers its events;
   * returns the answer to send, with the new events.
   */
  public IntakeResult receive(InboundRequest request) {
    Objects.requireNonNull(request, "request");
    List<MediaClient> candidates = new ArrayList<>();
    for (MediaClient c : clients) {
      if (c.notifications().accepts(request)) {
        if (names(request, c.instance())) {
          candidates.add(0, c);
        } else {
          candidates.add(c);
        }
      }
    }
    IntakeResult refusal = null;
    for (MediaClient c : candidates) {
      IntakeResult r = c.receive(request);
      if (!r.isRefused() || r.status() >= 500) {
        return r;
      }
      if (refusal == null) {
        refusal = r;
      }
    }
    if (refusal != null) {
      return refusal;
    }
    unmatched();
    return new IntakeResult(
        400, "text/plain; charset=utf-8", "not a notification this endpoint takes\n", List.of());
  }

  /** Tells each client's observer (once each) of a request no instance recognised. */
  private void unmatched() {
    Set<MediaObserver> told = Collections.newSetFromMap(new IdentityHashMap<>());
    for (MediaClient c : clients) {
      if (told.add(c.observer())) {
        c.observer().notificationReceived(Origin.UNKNOWN, NotificationOutcome.UNMATCHED);
      }
    }
  }

  /**
   * True when the request's path has a segment, or its query an instance parameter, {@code name}.
   */
  private static boolean names(InboundRequest request, String name) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    for (String segment : path.split("/")) {
      if (segment.equals(name)) {
        return true;
      }
    }
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.equals("instance=" + name)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    clients.forEach(c -> names.add(c.instance()));
    return "NotificationRouter" + names;
  }
}
