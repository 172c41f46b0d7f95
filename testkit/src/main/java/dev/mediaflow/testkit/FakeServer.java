package dev.mediaflow.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every fake server shares: a loopback listener, a JUnit 5 class-level lifecycle, credentials,
 * objects on disk, a job engine, a request log and injected faults. Subclasses route each {@link
 * Request} to their vendor's handlers and return a {@link Reply}, which this class sends (or drops,
 * when a fault says so). Thread-safe.
 */
public abstract class FakeServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private final String name;
  private final Map<String, String> credentials;
  private final Clock clock;
  private final FakeObjects objects;
  private final SecureRandom random = new SecureRandom();
  private final int requestedPort;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final List<Injected> faults = new CopyOnWriteArrayList<>();
  private final List<RandomFaults> randomFaults = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private volatile Consumer<String> listener;
  private volatile String corsOrigin = "*";
  private final TaskExecutor executor;
  private final JobEngine jobs;
  private HttpServer server;
  private LoopbackHttp loopback;
  private ExecutorService handlers;

  /**
   * @param name the prefix of the server's thread names and temporary folder
   * @param credentials access keys and their secrets, in order (the first is the one {@code
   *     clientSettings} gives)
   * @param port the port to listen on, 0 for any free one
   * @param dataDir where objects are stored, or null for a temporary folder removed by {@link
   *     #close()}
   * @param clock the server's clock
   * @param executor runs the jobs' tasks; closed by {@link #close()} when it is {@link
   *     AutoCloseable}
   * @param queueDelay how long, on {@code clock}, a job waits before it runs
   */
  protected FakeServer(
      String name,
      Map<String, String> credentials,
      int port,
      Path dataDir,
      Clock clock,
      TaskExecutor executor,
      Duration queueDelay) {
    this.name = name;
    this.executor = executor;
    this.credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
    this.requestedPort = port;
    this.clock = clock;
    try {
      this.ownsDataDir = dataDir == null;
      this.dataDir =
          dataDir != null
              ? Files.createDirectories(dataDir)
              : Files.createTempDirectory(name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder", e);
    }
    this.objects = new FakeObjects(this.dataDir);
    this.jobs = new JobEngine(name, clock, executor, queueDelay);
  }

  /** Starts listening. Starting a started server does nothing. */
  public synchronized FakeServer start() {
    if (server != null || loopback != null) {
      return this;
    }
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort);
    AtomicInteger n = new AtomicInteger();
    handlers =
        Executors.newCachedThreadPool(
            r -> JobEngine.daemon(r, name + "-http-" + n.incrementAndGet()));
    jobs.start();
    if (exactHeaderNames()) {
      try {
        loopback = new LoopbackHttp(address, handlers, this::handleQuietly);
      } catch (UncheckedIOException e) {
        handlers.shutdownNow();
        jobs.stop();
        throw e;
      }
      loopback.start();
      return this;
    }
    try {
      server = HttpServer.create(address, 64);
    } catch (IOException e) {
      handlers.shutdownNow();
      jobs.stop();
      throw new UncheckedIOException("cannot listen on port " + requestedPort, e);
    }
    server.setExecutor(handlers);
    server.createContext("/", ex -> handle(Exchange.of(ex)));
    server.start();
    return this;
  }

  /**
   * Returns true when response header names must go out exactly as the {@link Reply} spells them
   * (lower-case {@code x-cos-*} for clients that look them up with their case); the server then
   * listens with its own small HTTP/1.1 server instead of the JDK's, which capitalises them. False
   * by default.
   */
  protected boolean exactHeaderNames() {
    return false;
  }

  private void handleQuietly(Exchange ex) {
    try {
      handle(ex);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops listening and drops running jobs; the objects stay (a temporary folder is removed by
   * close).
   */
  public synchronized void stop() {
    if (server == null && loopback == null) {
      return;
    }
    if (server != null) {
      server.stop(0);
    }
    if (loopback != null) {
      loopback.stop();
    }
    handlers.shutdownNow();
    jobs.stop();
    server = null;
    loopback = null;
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
      PartFiles.deleteTree(dataDir);
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
    if (loopback != null) {
      return loopback.port();
    }
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
  protected final Map.Entry<String, String> firstCredentials() {
    return credentials.entrySet().stream().findFirst().orElseThrow();
  }

  /**
   * Returns the name this server stores {@code bucket} under, the name a client configured with
   * {@link #clientSettings()} sends for it: the same name by default; COS appends the APPID.
   */
  public String storedBucket(String bucket) {
    return bucket;
  }

  /** Returns the objects this server stores. */
  public FakeObjects objects() {
    return objects;
  }

  /** Returns the folder the objects are stored in. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Makes the next {@code times} requests whose raw path starts with {@code pathPrefix} fail with
   * {@code fault}.
   */
  public void inject(String pathPrefix, Fault fault, int times) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    faults.add(
        new Injected(
            (raw, line) -> raw.startsWith(pathPrefix),
            Objects.requireNonNull(fault, "fault"),
            new AtomicInteger(times)));
  }

  /**
   * Makes the next {@code times} requests for which {@code request} is true (it gets {@code "METHOD
   * /raw/path?raw-query"}) fail with {@code fault}.
   */
  public void inject(Predicate<String> request, Fault fault, int times) {
    Objects.requireNonNull(request, "request");
    faults.add(
        new Injected(
            (raw, line) -> request.test(line),
            Objects.requireNonNull(fault, "fault"),
            new AtomicInteger(times)));
  }

  /**
   * Makes each request for which {@code request} is true (it gets {@code "METHOD
   * /raw/path?raw-query"}) fail, with {@code probability}, with one of {@code faults} picked at
   * random; seeded, so a run can be replayed.
   *
   * <pre>{@code
   * oss.injectRandomly(r -> r.startsWith("PUT ") && r.contains("partNumber="), 0.3, 42, Fault.status(503), Fault.drop());
   * }</pre>
   */
  public void injectRandomly(
      Predicate<String> request, double probability, long seed, Fault... faults) {
    if (probability < 0 || probability > 1 || faults.length == 0) {
      throw new IllegalArgumentException("a probability in 0..1 and at least one fault");
    }
    randomFaults.add(
        new RandomFaults(
            Objects.requireNonNull(request, "request"),
            probability,
            new Random(seed),
            List.of(faults)));
  }

  /** Removes every fault not yet used, and every random fault. */
  public void clearFaults() {
    faults.clear();
    randomFaults.clear();
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code media.provider}, the
   * first credentials and the endpoints.
   */
  public abstract Map<String, String> clientSettings();

  /** Returns the ids of multipart uploads started and neither completed nor aborted. */
  public abstract List<String> openUploads();

  /** Returns how many submissions created a job. */
  public abstract int jobCount();

  /**
   * Returns one line per request received: method, path (and query), the status answered ("dropped"
   * for none) and the vendor's error code, if any.
   */
  public List<String> requests() {
    return List.copyOf(log);
  }

  /**
   * Calls {@code listener} with each line of the request log as it is written (the CLI's --log).
   */
  public void onRequest(Consumer<String> listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
  }

  private void record(String line) {
    log.add(line);
    Consumer<String> l = listener;
    if (l != null) {
      l.accept(line);
    }
  }

  // ---- HTTP

  private void handle(Exchange ex) throws IOException {
    String raw = ex.uri().getRawPath();
    String query = ex.uri().getRawQuery();
    String line = ex.method() + " " + raw + (query == null ? "" : "?" + query);
    Multipart form = null;
    try (ex) {
      byte[] body = new byte[0];
      String formError = null;
      String boundary = Multipart.boundary(firstHeader(ex, "Content-Type"));
      try (InputStream in = ex.requestBody()) {
        if (boundary != null && streamsForm(ex.method(), raw, query)) {
          try {
            form = Multipart.read(in, boundary, dataDir.resolve(".forms"));
          } catch (Multipart.MalformedException e) {
            formError = e.getMessage();
            in.transferTo(OutputStream.nullOutputStream());
          }
        } else {
          body = in.readAllBytes();
        }
      }
      Request request =
          new Request(
              ex.method(), ex.uri(), ex.requestHeaders(), body, ex.localPort(), form, formError);
      if (Cors.isPreflight(request)) {
        send(ex, request, cors().preflight(request), line);
        return;
      }
      Fault fault = takeFault(raw, line);
      if (fault == null) {
        fault = randomFault(line);
      }
      if (fault != null) {
        switch (fault.kind()) {
          case CORRUPT -> {
            if (body.length > 0) {
              body[body.length / 2] ^= 0x01;
            }
            send(ex, request, route(request), line + " corrupted");
            return;
          }
          case DROP -> {
            record(line + " dropped");
            return; // closing the exchange before any header drops the connection
          }
          case DELAY -> pause(fault.delay());
          case STATUS -> {
            Reply reply = injected(request, fault.status());
            if (fault.retryAfter() != null) {
              reply.header("Retry-After", String.valueOf(fault.retryAfter().toSeconds()));
            }
            send(ex, request, reply, line);
            return;
          }
          case DROP_AFTER_PROCESSING -> {
            route(request);
            record(line + " dropped after processing");
            return;
          }
        }
      }
      send(ex, request, route(request), line);
    } catch (RuntimeException e) {
      record(line + " 500 " + e);
      throw e;
    } finally {
      if (form != null) {
        form.close();
      }
    }
  }

  /**
   * Sends {@code reply}: its headers, then its body unless the request is a HEAD; one satisfiable
   * range of a {@link Reply#ranges()} reply is sent as 206. The request is logged before the answer
   * goes out, so a client that has its answer finds the request in the log.
   */
  private void send(Exchange ex, Request request, Reply reply, String line) throws IOException {
    if (!Cors.isPreflight(request)) {
      cors().decorate(request, reply);
    }
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    long length = reply.length();
    long[] range =
        reply.acceptsRanges() && reply.status() == 200 && !request.isHead()
            ? range(request.header("Range"), length)
            : null;
    int status = range == null ? reply.status() : 206;
    long from = range == null ? 0 : range[0];
    long count = range == null ? length : range[1] - range[0] + 1;
    if (range != null) {
      headers.put("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
    }
    record(line + " " + status + (reply.errorCode().isEmpty() ? "" : " " + reply.errorCode()));
    if (request.isHead() || count == 0) {
      ex.send(status, headers, -1);
      return;
    }
    ex.send(status, headers, count);
    try (OutputStream out = ex.responseBody()) {
      if (reply.file() != null) {
        try (var channel = java.nio.channels.FileChannel.open(reply.file())) {
          channel.transferTo(from, count, java.nio.channels.Channels.newChannel(out));
        }
      } else {
        out.write(reply.bodyBytes(), (int) from, (int) count);
      }
    }
  }

  private static String firstHeader(Exchange ex, String name) {
    for (Map.Entry<String, List<String>> e : ex.requestHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /**
   * Reads a {@code Range} header of one range ({@code bytes=a-b}, {@code bytes=a-}, {@code
   * bytes=-n}) into the first and last byte; null for none, several, or one not satisfiable.
   */
  static long[] range(String header, long length) {
    if (header == null || !header.startsWith("bytes=") || header.contains(",") || length == 0) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long first;
      long last;
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        if (n <= 0) {
          return null;
        }
        first = Math.max(0, length - n);
        last = length - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
      }
      return first < 0 || first > last || first >= length ? null : new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Answers browsers from {@code allowedOrigin} as a bucket's CORS rule would ({@code *}, the
   * default, allows any origin): a preflight {@code OPTIONS} is answered with the allowed methods
   * (GET, PUT, POST, DELETE, HEAD), the headers asked for, and a max age; every answer to that
   * origin carries {@code Access-Control-Allow-Origin} and exposes {@code ETag} and the vendor's
   * request-id header. A preflight from another origin is answered 403 without CORS headers.
   */
  public FakeServer cors(String allowedOrigin) {
    this.corsOrigin = Objects.requireNonNull(allowedOrigin, "allowedOrigin");
    return this;
  }

  /** Returns the origin browsers may call from ({@code *} for any). */
  public String corsOrigin() {
    return corsOrigin;
  }

  private Cors cors() {
    return new Cors(corsOrigin, requestIdHeader());
  }

  /**
   * Returns the header the vendor puts its request id in, which CORS answers expose to browsers
   * (such as {@code x-oss-request-id}); null for none.
   */
  protected String requestIdHeader() {
    return null;
  }

  /**
   * Returns whether the body of this request is read as multipart/form-data while it arrives (file
   * parts streamed to disk, {@link Request#form()}) instead of whole into memory; false by default.
   * Only asked for a request whose Content-Type is multipart/form-data.
   */
  protected boolean streamsForm(String method, String rawPath, String rawQuery) {
    return false;
  }

  /** Handles a request: does its work and returns the answer, which the caller sends or drops. */
  protected abstract Reply route(Request request) throws IOException;

  /** Returns the vendor's answer to an injected error status, without processing the request. */
  protected abstract Reply injected(Request request, int status);

  private Fault takeFault(String rawPath, String line) {
    for (Injected f : faults) {
      if (f.matches.test(rawPath, line) && f.left.getAndDecrement() > 0) {
        if (f.left.get() <= 0) {
          faults.remove(f);
        }
        return f.fault;
      }
    }
    return null;
  }

  private record Injected(BiPredicate<String, String> matches, Fault fault, AtomicInteger left) {}

  private record RandomFaults(
      Predicate<String> request, double probability, Random random, List<Fault> faults) {}

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

  // ---- for subclasses

  /** Returns the accepted access keys and their secrets. */
  protected final Map<String, String> credentials() {
    return credentials;
  }

  /** Returns the server's clock: request times are checked and jobs progress against it. */
  protected final Clock clock() {
    return clock;
  }

  /** Returns the engine that runs this server's jobs. */
  protected final JobEngine jobs() {
    return jobs;
  }

  /** Returns {@code n} random bytes, for request ids. */
  protected final byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** An injected delay is real time: it stands for the network, not for the server's clock. */
  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{"
        + (server == null && loopback == null ? "stopped" : baseUrl())
        + ", data="
        + dataDir
        + "}";
  }
}
