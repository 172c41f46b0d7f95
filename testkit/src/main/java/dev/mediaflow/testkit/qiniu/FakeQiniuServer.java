package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.FakeServer;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.TaskExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A fake Qiniu for tests: {@code POST /pfop/} and {@code GET /status/get/prefop} as Qiniu answers
 * them, with signatures checked as Qiniu checks them, jobs run by a pluggable {@link TaskExecutor}
 * ({@link SimulatedExecutor} by default, or for real with {@link LocalExecutor} when the local
 * provider is on the class path) on the server's clock, results POSTed to the notifyURL, form and
 * resumable uploads held to their upload token's put policy (scope or key prefix, deadline, {@code
 * fsizeMin}/{@code fsizeLimit}, {@code mimeLimit}, {@code insertOnly}, {@code saveKey}, {@code
 * returnBody}, callbacks, {@code persistentOps}) with Qiniu's answers, {@code stat}, objects stored
 * on disk, and faults injected on demand. It listens on a loopback port.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeQiniuServer qiniu = FakeQiniuServer.builder().credentials("AK", "SK").build(); // started for the class
 *
 * MediaClient media = MediaClient.create(MediaConfig.fromMap(qiniu.clientSettings()));
 * qiniu.objects().put("media", "in.mp4", bytes);
 * }</pre>
 *
 * <p>Downloads are served at {@code /dl/<bucket>/<key>} (the {@code domain} in {@link
 * #clientSettings()}) with the MIME type the object was uploaded with; a {@linkplain
 * Builder#privateBucket private bucket}'s URLs need a download token ({@code e} and {@code token}),
 * checked as Qiniu checks it. Fops on the URL ({@code ?imageView2/...|watermark/...}, {@code
 * vframe}, {@code avinfo}, {@code imageInfo}) and {@linkplain Builder#style styles} ({@code
 * <key>-<name>}) are applied, and {@code attname} makes the answer a download. Without a data
 * folder the objects live in a temporary folder removed by {@link #close()}. This class routes;
 * {@code QiniuVerifier} checks signatures and upload tokens, {@code QiniuObjects}, {@code
 * QiniuUploads} and {@code QiniuProcessing} answer, {@code QiniuNotifications} calls out.
 * Thread-safe.
 */
public final class FakeQiniuServer extends FakeServer {
  /** How far {@code X-Qiniu-Date} may be from the server's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final QiniuReplies replies = new QiniuReplies();
  private final QiniuVerifier verifier;
  private final QiniuNotifications notifications = new QiniuNotifications();
  private final QiniuObjects objectHandler;
  private final QiniuProcessing processing;
  private final QiniuUploads uploads;
  private final Set<String> privateBuckets;
  private final Map<String, Map<String, String>> styles;
  private final String styleSeparators;

  private FakeQiniuServer(Builder b) {
    super("fake-qiniu", b.credentials, b.port, b.dataDir, b.clock, b.executor, b.queueDelay);
    this.verifier = new QiniuVerifier(credentials(), clock(), replies);
    notifications.signNotifications(b.signNotifications ? firstCredentials() : null);
    this.objectHandler = new QiniuObjects(objects(), replies);
    this.processing = new QiniuProcessing(objects(), jobs(), replies, notifications, b.executor);
    this.privateBuckets = Set.copyOf(b.privateBuckets);
    Map<String, Map<String, String>> st = new LinkedHashMap<>();
    b.styles.forEach((bucket, named) -> st.put(bucket, Map.copyOf(named)));
    this.styles = Map.copyOf(st);
    this.styleSeparators = b.styleSeparators;
    this.uploads =
        new QiniuUploads(
            objects(),
            objectHandler,
            verifier,
            processing,
            notifications,
            replies,
            clock(),
            this::firstCredentials);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; returns this. Starting a started server does nothing. */
  @Override
  public synchronized FakeQiniuServer start() {
    super.start();
    return this;
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code
   * media.provider=qiniu}, the first credentials, {@code apiHost}, {@code upHost} and {@code
   * rsHost}, and {@code domain} serving every bucket from {@code /dl/<bucket>}.
   */
  @Override
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
  @Override
  public List<String> openUploads() {
    return uploads.openUploads();
  }

  /** Returns how many pfop submissions created a job. */
  @Override
  public int jobCount() {
    return processing.jobCount();
  }

  /** Returns a job's current prefop JSON, or empty for an unknown id. */
  public Optional<String> prefopJson(String persistentId) {
    return processing.prefopJson(persistentId);
  }

  // ---- routing

  @Override
  protected String requestIdHeader() {
    return "X-Reqid";
  }

  @Override
  protected Reply injected(Request request, int status) {
    return replies.error(
        status, status == 429 ? "too many requests" : "service unavailable (injected)");
  }

  @Override
  protected Reply route(Request r) throws IOException {
    String path = r.path();
    String method = r.method();
    if ((path.equals("/pfop/") || path.equals("/pfop")) && method.equals("POST")) {
      return verifier.verify(r, true).orElseGet(() -> processing.pfop(r));
    }
    if (path.equals("/status/get/prefop") && (method.equals("GET") || method.equals("POST"))) {
      return verifier.verify(r, false).orElseGet(() -> processing.prefop(r));
    }
    if (path.startsWith("/stat/") && (method.equals("POST") || method.equals("GET"))) {
      Optional<Reply> denied = verifier.verify(r, true);
      return denied.isPresent()
          ? denied.get()
          : objectHandler.stat(path.substring("/stat/".length()));
    }
    if (path.startsWith("/dl/") && (method.equals("GET") || method.equals("HEAD"))) {
      return download(r);
    }
    if (path.equals("/") && method.equals("POST")) {
      return uploads.form(r);
    }
    if (path.equals("/") && method.equals("PUT")) {
      // Qiniu's upload host takes form uploads (POST) only; it has no presigned PUT.
      return replies.error(405, "method not allowed: upload with a multipart/form-data POST");
    }
    if (path.startsWith("/buckets/")) {
      return uploads.v2(r);
    }
    return replies.error(404, "no such API on the fake Qiniu server");
  }

  /**
   * {@code GET} or {@code HEAD /dl/<bucket>/<path>[?<fop>][&attname=<name>][&e=..&token=..]}, as a
   * bucket's download domain answers: the token checked first for a private bucket, then the object
   * (or the style) the path names, then the fop applied, if any.
   */
  private Reply download(Request r) throws IOException {
    String rest = r.path().substring("/dl/".length());
    int slash = rest.indexOf('/');
    String bucket = slash > 0 ? rest.substring(0, slash) : rest;
    if (privateBuckets.contains(bucket)) {
      Optional<Reply> denied = verifier.verifyDownload(r);
      if (denied.isPresent()) {
        return denied.get();
      }
    }
    Optional<QiniuObjects.Target> target =
        slash > 0
            ? objectHandler.resolve(
                bucket,
                rest.substring(slash + 1),
                styles.getOrDefault(bucket, Map.of()),
                styleSeparators)
            : Optional.empty();
    if (target.isEmpty()) {
      return replies.error(404, "no such file or directory");
    }
    String fop = null;
    Optional<String> attname = Optional.empty();
    String query = r.rawQuery();
    if (query != null && !query.isEmpty()) {
      String[] parts = query.split("&");
      for (int i = 0; i < parts.length; i++) {
        String name =
            parts[i].contains("=") ? parts[i].substring(0, parts[i].indexOf('=')) : parts[i];
        if (name.equals("token")) {
          break; // Qiniu ignores what follows the token
        }
        if (name.equals("attname")) {
          attname = Optional.of(decode(parts[i].substring("attname=".length())));
        } else if (i == 0 && !name.equals("e")) {
          fop = decode(parts[i]);
        }
      }
    }
    QiniuObjects.Target t = target.get();
    String chain = fop;
    if (t.style().isPresent()) {
      chain = t.style().get() + (fop == null ? "" : "|" + fop);
    }
    if (chain == null) {
      return objectHandler.download(t.bucket(), t.key(), attname);
    }
    Reply reply = processing.applyOnDownload(t.bucket(), t.key(), chain);
    if (reply.status() == 200 && attname.isPresent()) {
      reply.header("Content-Disposition", QiniuObjects.disposition(attname.get()));
    }
    return reply;
  }

  /** Percent-decodes a query part; a {@code +} is a space, as in a form. */
  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Builds a {@link FakeQiniuServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private int port;
    private Path dataDir;
    private TaskExecutor executor = SimulatedExecutor.builder().build();
    private Duration queueDelay = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();
    private final Set<String> privateBuckets = new java.util.LinkedHashSet<>();
    private final Map<String, Map<String, String>> styles = new LinkedHashMap<>();
    private String styleSeparators = "-";
    private boolean signNotifications = true;

    private Builder() {}

    /**
     * Makes {@code bucket} private: its download URLs then need a download token ({@code e} and
     * {@code token}, as {@code Auth.privateDownloadUrl} makes it); other buckets are public.
     */
    public Builder privateBucket(String bucket) {
      privateBuckets.add(Objects.requireNonNull(bucket, "bucket"));
      return this;
    }

    /**
     * Defines style {@code name} of {@code bucket} as {@code fops} (such as {@code
     * imageView2/2/w/200}), applied for {@code <key><separator><name>}.
     */
    public Builder style(String bucket, String name, String fops) {
      styles
          .computeIfAbsent(Objects.requireNonNull(bucket, "bucket"), k -> new LinkedHashMap<>())
          .put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(fops, "fops"));
      return this;
    }

    /**
     * Sets the style separators the buckets accept, each one character (default {@code -}, Qiniu's
     * default).
     */
    public Builder styleSeparators(String separators) {
      if (separators == null || separators.isEmpty()) {
        throw new IllegalArgumentException("give at least one style separator");
      }
      this.styleSeparators = separators;
      return this;
    }

    /**
     * Signs the results POSTed to {@code notifyURL} with the first credentials ({@code
     * Authorization: Qiniu <AK>:<sign>}, as Qiniu does now; default true), or sends them unsigned,
     * as Qiniu's documents still describe them.
     */
    public Builder signNotifications(boolean sign) {
      this.signNotifications = sign;
      return this;
    }

    /** Adds an access key and its secret key (default: {@code AK} / {@code SK}). */
    public Builder credentials(String accessKey, String secretKey) {
      credentials.put(
          Objects.requireNonNull(accessKey, "accessKey"),
          Objects.requireNonNull(secretKey, "secretKey"));
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

    /**
     * Sets what runs the fops (default: a {@link SimulatedExecutor}; {@link LocalExecutor} runs
     * them for real).
     */
    public Builder executor(TaskExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets how long, on the server's clock, a job waits (code 1) before it runs (default 100 ms).
     */
    public Builder queueDelay(Duration delay) {
      this.queueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Sets the server's clock (default: the system clock): {@code X-Qiniu-Date} and upload token
     * deadlines are checked against it, and jobs progress by it, so a test that moves its own clock
     * moves the jobs. A fixed clock never ends a job.
     */
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
