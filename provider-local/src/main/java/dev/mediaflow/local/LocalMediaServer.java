package dev.mediaflow.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Operation;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.spi.ProviderConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the local provider's buckets over HTTP, as the URLs of {@code MediaClient.url} name them
 * (format in {@code docs/local-server.md}): it checks each URL's signature and expiry, applies
 * processing on the fly with FFmpeg (cached on disk), and answers as browsers expect ({@code
 * Range}, {@code HEAD}, {@code ETag}/{@code If-None-Match}, {@code Last-Modified}, {@code
 * Cache-Control}). It also takes the form POSTs and PUTs of upload grants ({@code
 * MediaClient.grantUpload}, enforced by {@code LocalUploadReceiver}) and answers CORS preflights
 * ({@code media.local.corsOrigins}). {@code mediaflow serve} runs one.
 *
 * <pre>{@code
 * try (LocalMediaServer server = LocalMediaServer.builder().config(config).port(8090).start()) {
 *   // media.local.baseUrl=http://127.0.0.1:8090 makes media.url(...) point here
 * }
 * }</pre>
 *
 * <p>Settings come from the {@code media.local.*} configuration: the root, the URL signing key,
 * public buckets, styles, {@code corsOrigins}, {@code serverThreads}, {@code maxTransforms} and
 * {@code cacheDir}. Thread-safe.
 */
public final class LocalMediaServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalMediaServer.class);
  private static final int DEFAULT_PORT = 8090;
  private static final int LOG_LINES = 10_000;
  private static final long UNSIGNED_MAX_AGE = 3600;
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).withLocale(Locale.ROOT);

  private final LocalStore store;
  private final LocalDeliverySettings delivery;
  private final LocalTransforms transforms;
  private final Clock clock;
  private final HttpServer http;
  private final ExecutorService executor;
  private final URI baseUrl;
  private final LocalUploadReceiver uploads;
  private final LocalJobClient[] jobs = new LocalJobClient[1];
  private final Deque<String> requestLog = new ArrayDeque<>();
  private volatile Consumer<String> listener;

  private LocalMediaServer(Builder b) throws IOException {
    MediaConfig config = b.config == null ? MediaConfig.builder().build() : b.config;
    ProviderConfig pc = config.instance(b.instance, LocalJobClient.ID);
    pc = pc.declare(new LocalProvider().settings());
    LocalSettings settings = LocalSettings.from(pc);
    this.store = new LocalStore(settings.root());
    this.delivery = LocalDeliverySettings.from(pc, settings.root());
    this.clock = b.clock;
    LocalTools[] tools = new LocalTools[1];
    this.transforms =
        new LocalTransforms(
            settings,
            delivery,
            store,
            () -> {
              synchronized (tools) {
                if (tools[0] == null) {
                  tools[0] = LocalTools.locate(settings);
                }
                return tools[0];
              }
            });
    delivery.signingKey(); // made (or read) now, so that a problem shows at start
    this.uploads =
        new LocalUploadReceiver(
            store,
            delivery,
            clock,
            () -> {
              synchronized (jobs) {
                if (jobs[0] == null) {
                  jobs[0] = new LocalJobClient(settings, delivery, store, clock, null);
                }
                return jobs[0];
              }
            },
            b.instance);
    int port =
        b.port >= 0
            ? b.port
            : delivery.baseUrl().map(u -> u.getPort()).filter(p -> p > 0).orElse(DEFAULT_PORT);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            delivery.serverThreads(),
            delivery.serverThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "mediaflow-serve-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    noDelay();
    this.http = HttpServer.create(new InetSocketAddress(b.host, port), 0);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    String host = b.host.contains(":") ? "[" + b.host + "]" : b.host;
    this.baseUrl =
        delivery.baseUrl().orElse(URI.create("http://" + host + ":" + http.getAddress().getPort()));
  }

  /**
   * Turns Nagle's algorithm off for the JDK's HTTP server ({@code sun.net.httpserver.nodelay}),
   * unless set otherwise: the server writes a response's headers and its body separately, so with
   * Nagle the body waits for the client's delayed ACK of the headers, about 40 ms for every
   * response. The JDK reads the property once, when its first HTTP server in the process starts.
   */
  private static void noDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Returns a builder; {@link Builder#start()} starts the server. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns where the server is: {@code media.local.baseUrl} when set, else {@code
   * http://<host>:<port>}.
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Returns the port the server listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * Returns the request log: one line per request, {@code METHOD path STATUS} (the path without its
   * query), oldest first; the last 10,000 requests.
   */
  public List<String> requests() {
    synchronized (requestLog) {
      return List.copyOf(requestLog);
    }
  }

  /** Calls {@code listener} with each line of the request log as it is written. */
  public void onRequest(Consumer<String> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** How many transforms ran FFmpeg (cache misses). */
  long transformRuns() {
    return transforms.runs();
  }

  /** The most transforms seen running at once. */
  int transformPeak() {
    return transforms.peak();
  }

  /** Stops the server; requests in flight are cut. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    uploads.close();
    synchronized (jobs) {
      if (jobs[0] != null) {
        jobs[0].close(); // granted pipelines already running still finish
      }
    }
  }

  // ---- requests

  private void handle(HttpExchange ex) {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    boolean[] logged = {false};
    // The line is written when the status goes out, before the body, so that a client holding its
    // answer finds the request in the log.
    ex.setAttribute(
        LOG,
        (java.util.function.IntConsumer)
            status -> {
              logged[0] = true;
              record(method + " " + path + " " + status);
            });
    int status;
    try (ex) {
      status = respond(ex, method.equals("HEAD"));
    } catch (IOException e) {
      // The client went away (a video player seeking cancels its requests).
      status = 499;
    } catch (RuntimeException e) {
      log.warn("local media server: {} {} failed", method, path, e);
      status = 500;
    }
    if (!logged[0]) {
      record(method + " " + path + " " + status);
    }
  }

  private static final String LOG = "dev.mediaflow.local.log";

  /** Sends the status line and headers of {@code ex}, logging the request first. */
  static void sendHeaders(HttpExchange ex, int status, long length) throws IOException {
    Object log = ex.getAttribute(LOG);
    if (log instanceof java.util.function.IntConsumer c) {
      c.accept(status);
    }
    ex.sendResponseHeaders(status, length);
  }

  private void record(String line) {
    synchronized (requestLog) {
      if (requestLog.size() == LOG_LINES) {
        requestLog.removeFirst();
      }
      requestLog.addLast(line);
    }
    Consumer<String> l = listener;
    if (l != null) {
      l.accept(line);
    }
  }

  private int respond(HttpExchange ex, boolean head) throws IOException {
    String method = ex.getRequestMethod();
    boolean allowedOrigin = cors(ex);
    if (method.equals("OPTIONS")) {
      return preflight(ex, allowedOrigin);
    }
    if (method.equals("POST")) {
      String bucket = bucketPath(ex.getRequestURI().getRawPath());
      if (bucket == null) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD, PUT, OPTIONS");
        return LocalUploadReceiver.error(
            ex, 405, "MethodNotAllowed", "POST an upload form to /<bucket>");
      }
      return uploads.receive(ex, bucket);
    }
    if (method.equals("PUT")) {
      String rawPath = ex.getRequestURI().getRawPath();
      if (bucketPath(rawPath) != null) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD, POST, OPTIONS");
        return LocalUploadReceiver.error(
            ex, 405, "MethodNotAllowed", "PUT a file to /<bucket>/<key>");
      }
      MediaObject object;
      try {
        object = LocalUrl.parse(rawPath, null).object();
      } catch (MediaValidationException e) {
        return LocalUploadReceiver.error(ex, 400, "InvalidKey", e.getMessage());
      }
      return uploads.receivePut(ex, object);
    }
    if (!method.equals("GET") && !head) {
      ex.getResponseHeaders().set("Allow", ALLOW);
      return error(ex, head, 405, "only GET, HEAD, POST (upload forms), PUT and OPTIONS");
    }
    LocalUrl url;
    Path file;
    try {
      url = LocalUrl.parse(ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery());
      file = store.resolve(url.object(), "key");
    } catch (MediaValidationException e) {
      return error(ex, head, 400, e.getMessage());
    }
    long now = clock.instant().getEpochSecond();
    boolean isPublic = delivery.publicBuckets().contains(url.bucket());
    if (url.signature() != null || !isPublic) {
      if (url.signature() == null) {
        return error(ex, head, 403, "this URL is not signed");
      }
      if (url.expires() == 0) {
        return error(ex, head, 403, "this URL has no expiry");
      }
      if (!url.isSignedWith(delivery.signingKey())) {
        return error(ex, head, 403, "the signature does not match");
      }
    }
    if (url.expires() != 0 && now >= url.expires()) {
      return error(ex, head, 403, "this URL has expired");
    }
    if (!Files.isRegularFile(file)) {
      return error(ex, head, 404, "no such object");
    }
    List<Operation> steps;
    try {
      steps = steps(url);
    } catch (MediaValidationException | UnsupportedMediaOperationException e) {
      return error(ex, head, 400, e.getMessage());
    } catch (MediaConfigException e) {
      return error(ex, head, 404, e.getMessage());
    }
    Path body = file;
    String ext = LocalTransforms.extension(url.key());
    String tag;
    if (!steps.isEmpty()) {
      try {
        LocalTransforms.Result r = transforms.result(url.object(), file, steps);
        body = r.file();
        ext = r.extension();
        tag = r.hash().substring(0, 32);
      } catch (LocalTransforms.Refused e) {
        return error(ex, head, 422, e.getMessage());
      } catch (LocalTransforms.Failed e) {
        log.warn("local media server: processing {} failed: {}", url.path(), e.getMessage());
        return error(ex, head, 500, "processing failed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return error(ex, head, 503, "the server is stopping");
      }
    } else {
      tag = null;
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(body, BasicFileAttributes.class);
    } catch (java.nio.file.NoSuchFileException e) {
      return error(ex, head, 404, "no such object");
    }
    long size = attributes.size();
    Instant modified = attributes.lastModifiedTime().toInstant();
    if (tag == null) {
      tag =
          LocalTransforms.sha256(
                  body
                      + "\n"
                      + size
                      + "\n"
                      + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
              .substring(0, 32);
    }
    String etag = "\"" + tag + "\"";
    Headers h = ex.getResponseHeaders();
    h.set("Accept-Ranges", "bytes");
    h.set("ETag", etag);
    h.set("Last-Modified", HTTP_DATE.format(modified));
    h.set(
        "Cache-Control",
        url.expires() == 0
            ? "public, max-age=" + UNSIGNED_MAX_AGE
            : "private, max-age=" + Math.max(0, url.expires() - now));
    if (notModified(ex.getRequestHeaders(), etag, modified)) {
      sendHeaders(ex, 304, -1);
      return 304;
    }
    h.set("Content-Type", url.contentType() != null ? url.contentType() : contentType(ext));
    h.set("X-Content-Type-Options", "nosniff");
    if (url.downloadName() != null) {
      h.set("Content-Disposition", contentDisposition(url.downloadName()));
    }
    long start = 0;
    long length = size;
    int status = 200;
    String range = ex.getRequestHeaders().getFirst("Range");
    if (range != null && ifRange(ex.getRequestHeaders().getFirst("If-Range"), etag, modified)) {
      long[] r = range(range, size);
      if (r != null && r.length == 0) {
        h.set("Content-Range", "bytes */" + size);
        h.remove("Content-Type");
        h.remove("Content-Disposition");
        return error(ex, head, 416, "the range is outside the object's " + size + " bytes");
      }
      if (r != null) {
        start = r[0];
        length = r[1] - r[0] + 1;
        status = 206;
        h.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
      }
    }
    if (head) {
      h.set("Content-Length", Long.toString(length));
      sendHeaders(ex, status, -1);
      return status;
    }
    sendHeaders(ex, status, length == 0 ? -1 : length);
    if (length > 0) {
      copy(body, start, length, ex.getResponseBody());
    }
    return status;
  }

  /** The bucket of a path {@code /<bucket>} (or {@code /<bucket>/}); null for any other path. */
  private static String bucketPath(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return null;
    }
    String p = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    if (p.length() < 2 || p.indexOf('/', 1) >= 0) {
      return null;
    }
    try {
      String bucket = LocalUrl.decode(p.substring(1), "bucket");
      return bucket.isEmpty() || bucket.startsWith(".") ? null : bucket;
    } catch (MediaValidationException e) {
      return null;
    }
  }

  /**
   * Adds the CORS headers of {@code media.local.corsOrigins} to the answer; returns whether the
   * request's origin (if any) is allowed.
   */
  private boolean cors(HttpExchange ex) {
    Headers h = ex.getResponseHeaders();
    List<String> origins = delivery.corsOrigins();
    String origin = ex.getRequestHeaders().getFirst("Origin");
    boolean any = origins.contains("*");
    if (!any) {
      h.add("Vary", "Origin");
    }
    if (any || (origin != null && origins.contains(origin))) {
      h.set("Access-Control-Allow-Origin", any ? "*" : origin);
      h.set("Access-Control-Expose-Headers", "ETag, Content-Range, Accept-Ranges");
      return true;
    }
    return origin == null;
  }

  /** The methods this server answers, for {@code Allow}. */
  private static final String ALLOW = "GET, HEAD, POST, PUT, OPTIONS";

  /** Answers a CORS preflight (or a plain OPTIONS) for GET, HEAD, POST and PUT. */
  private static int preflight(HttpExchange ex, boolean allowedOrigin) throws IOException {
    Headers h = ex.getResponseHeaders();
    h.remove("Access-Control-Expose-Headers");
    String requested = ex.getRequestHeaders().getFirst("Access-Control-Request-Method");
    if (requested == null) {
      h.set("Allow", ALLOW);
      sendHeaders(ex, 204, -1);
      return 204;
    }
    if (!allowedOrigin || !List.of("GET", "HEAD", "POST", "PUT").contains(requested)) {
      h.remove("Access-Control-Allow-Origin");
      return LocalUploadReceiver.error(
          ex,
          403,
          "CorsForbidden",
          allowedOrigin
              ? "only GET, HEAD, POST and PUT are allowed across origins"
              : "this origin is not in media.local.corsOrigins");
    }
    h.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT");
    String headers = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
    if (headers != null && !headers.isBlank()) {
      h.set("Access-Control-Allow-Headers", headers);
    }
    h.set("Access-Control-Max-Age", "600");
    sendHeaders(ex, 204, -1);
    return 204;
  }

  private List<Operation> steps(LocalUrl url) {
    if (url.steps() != null && url.style() != null) {
      throw new MediaValidationException(
          "query", "a URL has processing steps or a style, not both");
    }
    if (url.style() != null) {
      return delivery
          .style(url.style())
          .orElseThrow(
              () ->
                  new MediaConfigException(
                      delivery.fullKey("style." + url.style()), "no such style"));
    }
    if (url.steps() == null) {
      return List.of();
    }
    List<Operation> steps = PipelineSpec.parseSteps(url.steps());
    if (steps.isEmpty()) {
      throw new MediaValidationException(LocalUrl.PROCESS, "has no steps");
    }
    LocalUrl.checkSteps(steps);
    return steps;
  }

  private static void copy(Path file, long start, long length, OutputStream out)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        OutputStream os = out) {
      ch.position(start);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, length));
      long left = length;
      while (left > 0) {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), left));
        int n = ch.read(buffer);
        if (n < 0) {
          break; // the file shrank: the client sees a short body and retries
        }
        os.write(buffer.array(), 0, n);
        left -= n;
      }
    }
  }

  private static int error(HttpExchange ex, boolean head, int status, String message)
      throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    Headers h = ex.getResponseHeaders();
    h.remove("ETag");
    h.remove("Last-Modified");
    h.remove("Accept-Ranges");
    h.set("Content-Type", "text/plain; charset=utf-8");
    h.set("Cache-Control", "no-store");
    if (head) {
      h.set("Content-Length", Integer.toString(body.length));
      sendHeaders(ex, status, -1);
    } else {
      sendHeaders(ex, status, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    return status;
  }

  /** RFC 9110 13.1.2 and 13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since. */
  static boolean notModified(Headers request, String etag, Instant modified) {
    String inm = request.getFirst("If-None-Match");
    if (inm != null) {
      for (String t : inm.split(",")) {
        String v = t.trim();
        if (v.equals("*") || (v.startsWith("W/") ? v.substring(2) : v).equals(etag)) {
          return true;
        }
      }
      return false;
    }
    String ims = request.getFirst("If-Modified-Since");
    if (ims != null) {
      try {
        Instant since = ZonedDateTime.parse(ims, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return modified.getEpochSecond() <= since.getEpochSecond();
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  /** RFC 9110 13.1.5: a Range applies when If-Range is absent or names the current version. */
  static boolean ifRange(String ifRange, String etag, Instant modified) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"")) {
      return v.equals(etag);
    }
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant()
              .getEpochSecond()
          == modified.getEpochSecond();
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * Reads a single byte range (RFC 9110 14.1.2): {@code {first, last}}; an empty array when it
   * cannot be satisfied (416); null to ignore the header and send the whole object (malformed, or
   * several ranges).
   */
  static long[] range(String header, long size) {
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String spec = h.substring(6).trim();
    if (spec.indexOf(',') >= 0) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix < 0) {
          return null;
        }
        if (suffix == 0 || size == 0) {
          return new long[0];
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (first < 0 || last < first) {
        return null;
      }
      if (first >= size) {
        return new long[0];
      }
      return new long[] {first, Math.min(last, size - 1)};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code attachment} with an ASCII fallback {@code filename} and the exact name in {@code
   * filename*} (RFC 6266 section 4.3, RFC 5987 UTF-8 encoding).
   */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' ? '_' : c);
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + LocalUrl.encode(name);
  }

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("png", "image/png"),
          Map.entry("webp", "image/webp"),
          Map.entry("gif", "image/gif"),
          Map.entry("avif", "image/avif"),
          Map.entry("bmp", "image/bmp"),
          Map.entry("tif", "image/tiff"),
          Map.entry("tiff", "image/tiff"),
          Map.entry("heic", "image/heic"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("m4v", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"),
          Map.entry("mkv", "video/x-matroska"),
          Map.entry("flv", "video/x-flv"),
          Map.entry("ts", "video/mp2t"),
          Map.entry("m3u8", "application/vnd.apple.mpegurl"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("aac", "audio/aac"),
          Map.entry("wav", "audio/wav"),
          Map.entry("flac", "audio/flac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("opus", "audio/ogg"),
          Map.entry("amr", "audio/amr"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("vtt", "text/vtt"),
          Map.entry("srt", "application/x-subrip"));

  /** The content type of an extension; {@code application/octet-stream} when unknown. */
  static String contentType(String extension) {
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }

  /** Builds and starts a {@link LocalMediaServer}. Not thread-safe. */
  public static final class Builder {
    private MediaConfig config;
    private String instance = LocalJobClient.ID;
    private String host = "127.0.0.1";
    private int port = -1;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Sets the configuration whose {@code media.local.*} settings the server uses. */
    public Builder config(MediaConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the provider instance to serve (default {@code local}: {@code media.local.*}). */
    public Builder instance(String name) {
      this.instance = Objects.requireNonNull(name, "instance");
      return this;
    }

    /** Sets the address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for all). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets the port (0: any free one); by default the port of {@code media.local.baseUrl}, else
     * 8090.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Sets the clock that URL expiry is checked against (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws MediaConfigException for invalid settings
     * @throws MediaClientException when the port cannot be opened
     */
    public LocalMediaServer start() {
      LocalMediaServer server;
      try {
        server = new LocalMediaServer(this);
      } catch (IOException e) {
        throw new MediaClientException(
            "the local media server cannot listen on " + host + ":" + port + ": " + e.getMessage(),
            e);
      }
      server.http.start();
      log.info("local media server listening on {}", server.baseUrl);
      return server;
    }
  }
}
