package dev.mediaflow.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes vendors' notifications on the JDK's HTTP server, for applications without a web framework:
 * every request under {@code path} is read (up to {@link #MAX_BODY} bytes; more gets 413), handed
 * to the handler (a {@link NotificationRouter}, or one {@code MediaClient::receive}) and answered
 * with what it returns.
 *
 * <pre>{@code
 * try (NotificationReceiver receiver =
 *     NotificationReceiver.start(new InetSocketAddress(8080), "/", router::receive)) {
 *   // pipelines notify http://this-host:8080/...
 * }
 * }</pre>
 *
 * <p>Requests are handled on a few daemon threads. Thread-safe; {@link #close()} stops the server.
 */
public final class NotificationReceiver implements AutoCloseable {
  /** The largest body taken; vendors' notifications are a few kilobytes. */
  public static final int MAX_BODY = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(NotificationReceiver.class);
  private static final AtomicInteger RECEIVERS = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;

  private NotificationReceiver(HttpServer server, ExecutorService executor, String path) {
    this.server = server;
    this.executor = executor;
    this.path = path;
  }

  /**
   * Starts a receiver on {@code address} (port 0 picks a free one) for every request under {@code
   * path}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static NotificationReceiver start(
      InetSocketAddress address, String path, Function<InboundRequest, IntakeResult> handler)
      throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(handler, "handler");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    HttpServer server = HttpServer.create(address, 64);
    int n = RECEIVERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "mediaflow-receiver-" + n + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(path, exchange -> handle(exchange, handler));
    server.start();
    return new NotificationReceiver(server, executor, path);
  }

  private static void handle(HttpExchange exchange, Function<InboundRequest, IntakeResult> handler)
      throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        answer(exchange, 413, "text/plain; charset=utf-8", "body too large\n");
        return;
      }
      URI uri = exchange.getRequestURI();
      String raw = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      IntakeResult result;
      try {
        result =
            handler.apply(
                InboundRequest.of(
                    exchange.getRequestMethod(), raw, exchange.getRequestHeaders(), body));
      } catch (RuntimeException e) {
        log.warn("Handling a notification to {} failed", uri.getRawPath(), e);
        answer(exchange, 500, "text/plain; charset=utf-8", "internal error\n");
        return;
      }
      answer(exchange, result.status(), result.contentType(), result.body());
    }
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!contentType.isEmpty()) {
      exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Returns the port the receiver listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Returns the path requests are taken under. */
  public String path() {
    return path;
  }

  /** Stops taking requests and ends the threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "NotificationReceiver{port=" + port() + ", path=" + path + "}";
  }
}
