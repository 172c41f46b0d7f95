package dev.mediaflow.testkit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Qiniu for tests: {@code POST /pfop/} and {@code GET /status/get/prefop} as Qiniu answers them, with
 * signatures checked as Qiniu checks them, jobs run by a pluggable {@link FopExecutor} (simulated by default, or for real with {@link
 * LocalFopExecutor} when the local provider is on the class path), results POSTed to the
 * notifyURL, objects stored on disk, and faults injected on demand. It listens on a loopback port.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeQiniuServer qiniu = FakeQiniuServer.builder().credentials("AK", "SK").build(); // started for the class
 *
 * MediaClient media = MediaClient.create(MediaConfig.fromMap(qiniu.clientSettings()));
 * qiniu.objects().put("media", "in.mp4", bytes);
 * }</pre>
 *
 * <p>Downloads are served at {@code /dl/<bucket>/<key>} (the {@code domain} in {@link #clientSettings()}).
 * Without a data folder the objects live in a temporary folder removed by {@link #close()}. Thread-safe.
 */
public final class FakeQiniuServer extends FakeServer {
  /** How far {@code X-Qiniu-Date} may be from the server's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter QINIU_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final FopExecutor executor;
  private final Duration queueDelay;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  /** The hash Qiniu answered for each object an upload stored, with the file's size and time then. */
  private final Map<String, StoredHash> hashes = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final QiniuUploadHandler uploads = new QiniuUploadHandler(this);
  private HttpClient notifier;

  private FakeQiniuServer(Builder b) {
    super("fake-qiniu", b.credentials, b.port, b.dataDir, b.clock, b.executor);
    this.executor = b.executor;
    this.queueDelay = b.queueDelay;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; returns this. Starting a started server does nothing. */
  @Override
  public synchronized FakeQiniuServer start() {
    if (notifier == null) {
      notifier = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    super.start();
    return this;
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code media.provider=qiniu}, the first
   * credentials, {@code apiHost}, {@code upHost} and {@code rsHost}, and {@code domain} serving every bucket
   * from {@code /dl/<bucket>}.
   */
  public Map<String, String> clientSettings() {
    Map.Entry<String, String> first = firstCredentials();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "qiniu");
    m.put("media.qiniu.accessKey", first.getKey());
    m.put("media.qiniu.secretKey", first.getValue());
    m.put("media.qiniu.apiHost", baseUrl());
    m.put("media.qiniu.upHost", baseUrl());
    m.put("media.qiniu.rsHost", baseUrl());
    m.put("media.qiniu.domain", baseUrl() + "/dl/{bucket}");
    return m;
  }

  /** Returns the ids of resumable uploads started and neither completed nor aborted. */
  public List<String> openUploads() {
    return uploads.openUploads();
  }

  /** Returns how many pfop submissions created a job. */
  public int jobCount() {
    return jobs.size();
  }

  /** Returns a job's current prefop JSON, or empty for an unknown id. */
  public Optional<String> prefopJson(String persistentId) {
    Job job = jobs.get(persistentId);
    return job == null ? Optional.empty() : Optional.of(GSON.toJson(job.json()));
  }

  // ---- HTTP

  @Override
  int injected(HttpExchange ex, int status) throws IOException {
    return error(ex, false, status, status == 429 ? "too many requests" : "service unavailable (injected)");
  }

  /** Routes a request; with {@code silent} it does the work but sends nothing. Returns the status. */
  @Override
  int route(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if ((path.equals("/pfop/") || path.equals("/pfop")) && method.equals("POST")) {
      return pfop(ex, body, silent);
    }
    if (path.equals("/status/get/prefop") && (method.equals("GET") || method.equals("POST"))) {
      return prefop(ex, body, silent);
    }
    if (path.startsWith("/stat/") && (method.equals("POST") || method.equals("GET"))) {
      return stat(ex, body, path.substring("/stat/".length()), silent);
    }
    if (path.startsWith("/dl/") && (method.equals("GET") || method.equals("HEAD"))) {
      return download(ex, path, silent);
    }
    if (path.equals("/") && method.equals("POST")) {
      return uploads.form(ex, body, silent);
    }
    if (path.startsWith("/buckets/")) {
      return uploads.v2(ex, body, silent);
    }
    return error(ex, silent, 404, "no such API on the fake Qiniu server");
  }

  private int pfop(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    String denied = authorize(ex, body, true);
    if (denied != null) {
      return error(ex, silent, 401, denied);
    }
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return error(ex, silent, 400, "pfop takes an application/x-www-form-urlencoded body");
    }
    Map<String, String> form = pairs(new String(body, StandardCharsets.UTF_8));
    String bucket = form.get("bucket");
    String key = form.get("key");
    String fops = form.get("fops");
    String template = form.get("workflowTemplateID");
    if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
      return error(ex, silent, 400, "invalid argument: bucket and key are required");
    }
    if ((fops == null || fops.isEmpty()) == (template == null || template.isEmpty())) {
      return error(ex, silent, 400, "invalid argument: give one of fops and workflowTemplateID");
    }
    if (template != null && !template.isEmpty()) {
      fops = "avinfo"; // a fake template: one item
    }
    String id;
    try {
      id = startJob(bucket, key, fops, form.get("notifyURL"), "1".equals(form.get("force")), "1".equals(form.get("type")),
          form.get("pipeline"), template);
    } catch (QiniuFops.Invalid e) {
      return error(ex, silent, 400, e.getMessage());
    }
    return json(ex, silent, 200, Map.of("persistentId", id));
  }

  /** Starts a pfop job; returns its persistentId. */
  String startJob(String bucket, String key, String fops, String notifyUrl, boolean force, boolean idle, String pipeline,
      String template) throws QiniuFops.Invalid {
    List<QiniuFops.Fop> parsed = QiniuFops.parse(fops, bucket);
    for (QiniuFops.Fop f : parsed) {
      try {
        objects.file(f.saveBucket().orElse(bucket), f.saveKey().orElse("x"));
      } catch (IllegalArgumentException e) {
        throw new QiniuFops.Invalid("invalid saveas: " + e.getMessage());
      }
    }
    String id = "z0." + HexFormat.of().formatHex(randomBytes(12));
    Job job = new Job(id, bucket, key, parsed, notifyUrl, force, idle,
        Optional.ofNullable(pipeline).filter(p -> !p.isEmpty()).orElse("0.default"), template, reqid(), clock.instant());
    jobs.put(id, job);
    workers.schedule(() -> runJob(job), queueDelay.toMillis(), TimeUnit.MILLISECONDS);
    return id;
  }

  private int prefop(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    // Qiniu answers prefop without a token; a token that is there must be right.
    if (ex.getRequestHeaders().getFirst("Authorization") != null) {
      String denied = authorize(ex, body, false);
      if (denied != null) {
        return error(ex, silent, 401, denied);
      }
    }
    String query = ex.getRequestURI().getRawQuery();
    String id = pairs(query == null ? new String(body, StandardCharsets.UTF_8) : query).get("id");
    Job job = id == null ? null : jobs.get(id);
    if (job == null) {
      return error(ex, silent, 612, "no such id in prefop");
    }
    return json(ex, silent, 200, job.json());
  }

  private record StoredHash(String hash, long size, java.nio.file.attribute.FileTime modified) {}

  /** Remembers the hash an upload answered for an object just written, as Qiniu keeps it. */
  void stored(String bucket, String key, String hash) throws IOException {
    Path file = objects.file(bucket, key);
    hashes.put(bucket + "\n" + key, new StoredHash(hash, Files.size(file), Files.getLastModifiedTime(file)));
  }

  /**
   * {@code /stat/<EncodedEntryURI>} on the rs host: the object's size, hash, MIME type and put time, or 612.
   * The hash is the one its upload answered (for parts that are not 4 MiB, the v2 etag of the parts), else
   * the qetag of its bytes.
   */
  private int stat(HttpExchange ex, byte[] body, String encodedEntry, boolean silent) throws IOException {
    String denied = authorize(ex, body, true);
    if (denied != null) {
      return error(ex, silent, 401, denied);
    }
    String entry;
    try {
      entry = QiniuFops.b64("EncodedEntryURI", encodedEntry);
    } catch (QiniuFops.Invalid e) {
      return error(ex, silent, 400, e.getMessage());
    }
    int colon = entry.indexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      return error(ex, silent, 400, "invalid EncodedEntryURI: expected <bucket>:<key>");
    }
    String bucket = entry.substring(0, colon);
    String key = entry.substring(colon + 1);
    Path file;
    try {
      file = objects.file(bucket, key);
    } catch (IllegalArgumentException e) {
      return error(ex, silent, 400, "invalid EncodedEntryURI: " + e.getMessage());
    }
    if (!Files.isRegularFile(file)) {
      return error(ex, silent, 612, "no such file or directory");
    }
    long size = Files.size(file);
    java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
    StoredHash known = hashes.get(bucket + "\n" + key);
    String hash = known != null && known.size() == size && known.modified().equals(modified) ? known.hash()
        : QiniuUploadHandler.etag(Files.readAllBytes(file));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fsize", size);
    out.put("hash", hash);
    out.put("mimeType", "application/octet-stream");
    out.put("putTime", modified.toMillis() * 10_000); // Qiniu counts 100 ns units
    out.put("type", 0);
    return json(ex, silent, 200, out);
  }

  private int download(HttpExchange ex, String path, boolean silent) throws IOException {
    String rest = path.substring("/dl/".length());
    int slash = rest.indexOf('/');
    Optional<byte[]> data = Optional.empty();
    if (slash > 0) {
      try {
        data = objects.get(rest.substring(0, slash), rest.substring(slash + 1));
      } catch (IllegalArgumentException e) {
        data = Optional.empty();
      }
    }
    if (data.isEmpty()) {
      return error(ex, silent, 404, "no such file or directory");
    }
    if (!silent) {
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(200, head ? -1 : data.get().length == 0 ? -1 : data.get().length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(data.get());
        }
      }
    }
    return 200;
  }

  // ---- signatures, as Qiniu checks them

  /** Returns null when the request is signed right, else the error message Qiniu gives. */
  private String authorize(HttpExchange ex, byte[] body, boolean required) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return required ? "bad token" : null;
    }
    String scheme;
    if (auth.startsWith("Qiniu ")) {
      scheme = "Qiniu";
    } else if (auth.startsWith("QBox ")) {
      scheme = "QBox";
    } else {
      return "bad token";
    }
    String token = auth.substring(scheme.length() + 1);
    int colon = token.indexOf(':');
    if (colon <= 0) {
      return "bad token";
    }
    String secret = credentials.get(token.substring(0, colon));
    if (secret == null) {
      return "bad token"; // Qiniu does not say whether the key or the signature is wrong
    }
    Headers h = ex.getRequestHeaders();
    String contentType = h.getFirst("Content-Type");
    URI uri = ex.getRequestURI();
    if (scheme.equals("Qiniu")) {
      String date = h.getFirst("X-Qiniu-Date");
      if (date != null) {
        try {
          Instant at = Instant.from(QINIU_DATE.parse(date));
          if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            return "bad token: X-Qiniu-Date " + date + " is more than 15 minutes from the server time "
                + QINIU_DATE.format(clock.instant());
          }
        } catch (DateTimeParseException e) {
          return "bad token: X-Qiniu-Date must look like 20060102T150405Z";
        }
      }
      // The official Java SDK sends "Host: 127.0.0.1" but signs the host and port of the URL it called, so
      // on a non-default port both forms are accepted.
      String host = h.getFirst("Host");
      List<String> hosts = new ArrayList<>(List.of(host == null ? "" : host));
      if (host != null && !host.contains(":")) {
        hosts.add(host + ":" + ex.getLocalAddress().getPort());
      }
      for (String candidate : hosts) {
        byte[] bytes = qiniuSigningBytes(ex, candidate, contentType, body);
        if (matches(token, colon, secret, bytes)) {
          return null;
        }
      }
      return "bad token";
    }
    String s = uri.getRawPath() + (uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? "" : "?" + uri.getRawQuery()) + "\n";
    boolean withBody = contentType != null && contentType.equalsIgnoreCase("application/x-www-form-urlencoded");
    byte[] signed = join(s.getBytes(StandardCharsets.UTF_8), withBody ? body : new byte[0]);
    return matches(token, colon, secret, signed) ? null : "bad token";
  }

  private static boolean matches(String token, int colon, String secret, byte[] signed) {
    String expected = token.substring(0, colon) + ":" + Base64.getUrlEncoder().encodeToString(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), signed));
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  /** Qiniu's v2 signing text: method, path and query, Host, Content-Type, X-Qiniu-* headers, then the body. */
  private static byte[] qiniuSigningBytes(HttpExchange ex, String host, String contentType, byte[] body) {
    URI uri = ex.getRequestURI();
    StringBuilder s = new StringBuilder(ex.getRequestMethod()).append(' ').append(uri.getPath());
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      s.append('?').append(uri.getRawQuery());
    }
    s.append("\nHost: ").append(host);
    if (contentType != null && !contentType.isEmpty()) {
      s.append("\nContent-Type: ").append(contentType);
    }
    List<String> qiniu = new ArrayList<>();
    ex.getRequestHeaders().forEach((name, values) -> {
      if (name.length() > 8 && name.regionMatches(true, 0, "X-Qiniu-", 0, 8)) {
        for (String v : values) {
          qiniu.add(canonical(name) + ": " + v);
        }
      }
    });
    Collections.sort(qiniu);
    qiniu.forEach(q -> s.append('\n').append(q));
    s.append("\n\n");
    boolean withBody = body.length > 0 && contentType != null && !contentType.isEmpty()
        && !contentType.equalsIgnoreCase("application/octet-stream");
    return join(s.toString().getBytes(StandardCharsets.UTF_8), withBody ? body : new byte[0]);
  }

  private static String canonical(String name) {
    StringBuilder b = new StringBuilder();
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  private static byte[] join(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- jobs

  private void runJob(Job job) {
    job.code = 2;
    for (int i = 0; i < job.items.size(); i++) {
      Item item = job.items.get(i);
      QiniuFops.Fop fop = item.fop;
      String saveBucket = fop.saveBucket().orElse(job.bucket);
      if (!job.force && fop.saveKey().isPresent() && objects.exists(saveBucket, fop.saveKey().get())) {
        item.finish(0, List.of(fop.saveKey().get()), null, -1, true);
        continue;
      }
      item.code = 2;
      FopExecutor.Result result;
      try {
        result = executor.run(new FopExecutor.Task(job.id, job.bucket, job.key, fop.cmd(), fop.stages(), saveBucket,
            fop.saveKey(), fop.pattern(), objects));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        result = FopExecutor.Result.failed("execute fop cmd failed: " + e.getMessage(), 0);
      }
      if (result.succeeded()) {
        item.finish(0, result.keys(), null, -1, false);
      } else {
        item.finish(3, List.of(), result.error(), result.errorIndex(), false);
      }
    }
    boolean anyFailed = job.items.stream().anyMatch(it -> it.code == 3);
    int code = anyFailed ? 3 : 0;
    if (job.notifyUrl != null && !notify(job, code)) {
      code = code == 0 ? 4 : code;
    }
    job.code = code;
  }

  /** POSTs the finished job's JSON to its notifyURL; true when it answered 200. */
  private boolean notify(Job job, int code) {
    // The body carries the result; the job itself ends (prefop) only once the notification's outcome is known,
    // so a status read during it cannot see 0 for a job that ends as 4.
    Map<String, Object> body = job.json();
    body.put("code", code);
    body.put("desc", desc(code));
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(job.notifyUrl)).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body))).build();
      return notifier.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private final class Job {
    final String id;
    final String bucket;
    final String key;
    final List<Item> items = new ArrayList<>();
    final String notifyUrl;
    final boolean force;
    final boolean idle;
    final String pipeline;
    final String template;
    final String reqid;
    final Instant created;
    volatile int code = 1;

    Job(String id, String bucket, String key, List<QiniuFops.Fop> fops, String notifyUrl, boolean force, boolean idle,
        String pipeline, String template, String reqid, Instant created) {
      this.id = id;
      this.bucket = bucket;
      this.key = key;
      fops.forEach(f -> items.add(new Item(f)));
      this.notifyUrl = notifyUrl == null || notifyUrl.isEmpty() ? null : notifyUrl;
      this.force = force;
      this.idle = idle;
      this.pipeline = pipeline;
      this.template = template;
      this.reqid = reqid;
      this.created = created;
    }

    synchronized Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("pipeline", pipeline);
      m.put("code", code);
      m.put("desc", desc(code));
      m.put("reqid", reqid);
      m.put("inputBucket", bucket);
      m.put("inputKey", key);
      if (idle) {
        m.put("type", 1);
      }
      if (template != null) {
        m.put("taskFrom", "workflow:" + template);
      }
      m.put("creationDate", OffsetDateTime.ofInstant(created, ZoneOffset.ofHours(8)).toString());
      List<Map<String, Object>> list = new ArrayList<>();
      for (Item it : items) {
        list.add(it.json());
      }
      m.put("items", list);
      return m;
    }
  }

  private final class Item {
    final QiniuFops.Fop fop;
    volatile int code = 1;
    List<String> keys = List.of();
    String error;
    int errorIndex = -1;
    boolean returnOld;

    Item(QiniuFops.Fop fop) {
      this.fop = fop;
    }

    synchronized void finish(int code, List<String> keys, String error, int errorIndex, boolean returnOld) {
      this.keys = List.copyOf(keys);
      this.error = error;
      this.errorIndex = errorIndex;
      this.returnOld = returnOld;
      this.code = code;
    }

    synchronized Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cmd", fop.cmd());
      m.put("code", code);
      m.put("desc", desc(code));
      if (error != null) {
        m.put("error", error);
        if (errorIndex >= 0) {
          m.put("errorIndex", errorIndex);
        }
      }
      if (code == 0) {
        if (fop.pattern().isPresent()) {
          m.put("keys", keys);
        } else if (!keys.isEmpty()) {
          m.put("key", keys.get(0));
          m.put("hash", "Fake" + Integer.toHexString(keys.get(0).hashCode()));
        }
      }
      m.put("returnOld", returnOld ? 1 : 0);
      return m;
    }
  }

  private static String desc(int code) {
    return switch (code) {
      case 0 -> "The fop was completed successfully";
      case 1 -> "The fop is waiting for execution";
      case 2 -> "The fop is executing now";
      case 3 -> "The fop is failed";
      case 4 -> "Callback failed";
      default -> "";
    };
  }

  // ---- helpers

  private String reqid() {
    return "fake" + Long.toString(requestIds.incrementAndGet(), 36) + HexFormat.of().formatHex(randomBytes(4));
  }

  /** Answers Qiniu's JSON error, unless {@code silent} (the request is processed, the answer dropped). */
  int error(HttpExchange ex, boolean silent, int status, String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (status == 401) {
      body.put("error_code", "BadToken");
    }
    return json(ex, silent, status, body);
  }

  int json(HttpExchange ex, boolean silent, int status, Object body) throws IOException {
    if (silent) {
      return status;
    }
    byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("X-Reqid", reqid());
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  /** Builds a {@link FakeQiniuServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private int port;
    private Path dataDir;
    private FopExecutor executor = SimulatedFopExecutor.builder().build();
    private Duration queueDelay = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds an access key and its secret key (default: {@code AK} / {@code SK}). */
    public Builder credentials(String accessKey, String secretKey) {
      credentials.put(Objects.requireNonNull(accessKey, "accessKey"), Objects.requireNonNull(secretKey, "secretKey"));
      return this;
    }

    /** Listens on {@code port} (default 0: any free port). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Stores objects under {@code dir} (default: a temporary folder). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public Builder executor(FopExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Sets how long a job waits (code 1) before it runs (default 100 ms). */
    public Builder queueDelay(Duration delay) {
      this.queueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** Sets the server clock that {@code X-Qiniu-Date} is checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the server, not yet started (a JUnit extension starts it before all tests). */
    public FakeQiniuServer build() {
      if (credentials.isEmpty()) {
        credentials.put("AK", "SK");
      }
      return new FakeQiniuServer(this);
    }
  }
}
