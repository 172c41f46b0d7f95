package dev.mediaflow.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every fake server shares: a loopback listener, a JUnit 5 class-level lifecycle, credentials, objects
 * on disk, a request log and injected faults. Subclasses route requests and speak their vendor's errors.
 * Thread-safe.
 */
public abstract class FakeServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  final String name;
  final Map<String, String> credentials;
  final Clock clock;
  final FakeObjects objects;
  final SecureRandom random = new SecureRandom();
  private final int requestedPort;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final List<Injected> faults = new CopyOnWriteArrayList<>();
  private final List<RandomFaults> randomFaults = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private ExecutorService handlers;
  ScheduledExecutorService workers;

  private final Object executor;

  /** @param executor the subclass's task executor, closed by {@link #close()} when it is {@link AutoCloseable} */
  FakeServer(String name, Map<String, String> credentials, int port, Path dataDir, Clock clock, Object executor) {
    this.name = name;
    this.executor = executor;
    this.credentials = Map.copyOf(credentials);
    this.requestedPort = port;
    this.clock = clock;
    try {
      this.ownsDataDir = dataDir == null;
      this.dataDir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory(name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder", e);
    }
    this.objects = new FakeObjects(this.dataDir);
  }

  /** Starts listening. Starting a started server does nothing. */
  public synchronized FakeServer start() {
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + requestedPort, e);
    }
    AtomicInteger n = new AtomicInteger();
    handlers = Executors.newCachedThreadPool(r -> daemon(r, name + "-http-" + n.incrementAndGet()));
    workers = Executors.newScheduledThreadPool(2, r -> daemon(r, name + "-job-" + n.incrementAndGet()));
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** Stops listening and drops running jobs; the objects stay (a temporary folder is removed by close). */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    handlers.shutdownNow();
    workers.shutdownNow();
    server = null;
  }

  @Override
  public synchronized void close() {
    stop();
    if (executor instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    if (ownsDataDir) {
      deleteTree(dataDir);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Returns the port it listens on. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the " + name + " server is not started");
    }
    return server.getAddress().getPort();
  }

  /** Returns {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
  }

  /** Returns the first access key and its secret, the ones {@code clientSettings()} uses. */
  Map.Entry<String, String> firstCredentials() {
    return credentials.entrySet().stream().findFirst().orElseThrow();
  }

  public FakeObjects objects() {
    return objects;
  }

  /** Returns the folder the objects are stored in. */
  public Path dataDir() {
    return dataDir;
  }

  /** Makes the next {@code times} requests whose raw path starts with {@code pathPrefix} fail with {@code fault}. */
  public void inject(String pathPrefix, Fault fault, int times) {
    faults.add(new Injected(Objects.requireNonNull(pathPrefix, "pathPrefix"), Objects.requireNonNull(fault, "fault"),
        new AtomicInteger(times)));
  }

  /**
   * Makes each request for which {@code request} is true (it gets {@code "METHOD /raw/path?raw-query"}) fail,
   * with {@code probability}, with one of {@code faults} picked at random; seeded, so a run can be replayed.
   *
   * <pre>{@code
   * oss.injectRandomly(r -> r.startsWith("PUT ") && r.contains("partNumber="), 0.3, 42, Fault.status(503), Fault.drop());
   * }</pre>
   */
  public void injectRandomly(java.util.function.Predicate<String> request, double probability, long seed, Fault... faults) {
    if (probability < 0 || probability > 1 || faults.length == 0) {
      throw new IllegalArgumentException("a probability in 0..1 and at least one fault");
    }
    randomFaults.add(new RandomFaults(Objects.requireNonNull(request, "request"), probability, new java.util.Random(seed),
        List.of(faults)));
  }

  /** Removes every fault not yet used, and every random fault. */
  public void clearFaults() {
    faults.clear();
    randomFaults.clear();
  }

  /** Returns one line per request received: method, path (and query) and the status answered ("dropped" for none). */
  public List<String> requests() {
    return List.copyOf(log);
  }

  // ---- HTTP

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    String line = ex.getRequestMethod() + " " + raw + (query == null ? "" : "?" + query);
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      Fault fault = takeFault(raw);
      if (fault == null) {
        fault = randomFault(line);
      }
      if (fault != null) {
        switch (fault.kind()) {
          case CORRUPT -> {
            if (body.length > 0) {
              body[body.length / 2] ^= 0x01;
            }
            log.add(line + " corrupted " + route(ex, body, false));
            return;
          }
          case DROP -> {
            log.add(line + " dropped");
            return; // closing the exchange before any header drops the connection
          }
          case DELAY -> sleep(fault.delay());
          case STATUS -> {
            if (fault.retryAfter() != null) {
              ex.getResponseHeaders().set("Retry-After", String.valueOf(fault.retryAfter().toSeconds()));
            }
            log.add(line + " " + injected(ex, fault.status()));
            return;
          }
          case DROP_AFTER_PROCESSING -> {
            route(ex, body, true);
            log.add(line + " dropped after processing");
            return;
          }
        }
      }
      log.add(line + " " + route(ex, body, false));
    } catch (RuntimeException e) {
      log.add(line + " 500 " + e);
      throw e;
    }
  }

  /** Routes a request; with {@code silent} it does the work but sends nothing. Returns the status. */
  abstract int route(HttpExchange ex, byte[] body, boolean silent) throws IOException;

  /** Answers an injected error status with the vendor's error body. */
  abstract int injected(HttpExchange ex, int status) throws IOException;

  private Fault takeFault(String rawPath) {
    for (Injected f : faults) {
      if (rawPath.startsWith(f.prefix) && f.left.getAndDecrement() > 0) {
        if (f.left.get() <= 0) {
          faults.remove(f);
        }
        return f.fault;
      }
    }
    return null;
  }

  private record Injected(String prefix, Fault fault, AtomicInteger left) {}

  private record RandomFaults(java.util.function.Predicate<String> request, double probability, java.util.Random random,
      List<Fault> faults) {}

  private Fault randomFault(String line) {
    for (RandomFaults r : randomFaults) {
      if (r.request.test(line)) {
        synchronized (r.random) {
          if (r.random.nextDouble() < r.probability) {
            return r.faults.get(r.random.nextInt(r.faults.size()));
          }
        }
      }
    }
    return null;
  }

  // ---- helpers

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Decodes {@code k}, {@code k=} and {@code k=v} pairs joined by {@code &} (a query or a form body); a
   * {@code +} is a space, as the vendors' servers read it.
   */
  static Map<String, String> pairs(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return m;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  /** {@code algorithm} ({@code HmacSHA1}, {@code HmacSHA256}) of {@code data} under {@code key}. */
  static byte[] hmac(String algorithm, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh {@code algorithm} ({@code MD5}, {@code SHA-1}) digest. */
  static java.security.MessageDigest digest(String algorithm) {
    try {
      return java.security.MessageDigest.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + (server == null ? "stopped" : baseUrl()) + ", data=" + dataDir + "}";
  }
}
