package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.FakeServer;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.TaskExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A fake Alibaba Cloud OSS for tests, path-style on a loopback port: objects (PUT, GET, HEAD,
 * DELETE, each keeping its {@code Content-Type}), multipart uploads and appends, {@code
 * x-oss-async-process} tasks and {@code x-oss-process} image calls, delivery ({@code GET} with
 * {@code x-oss-process}: images, {@code video/snapshot}, {@code image/info}, {@code video/info},
 * {@code style/<name>}; response overrides; public-read buckets), and IMM {@code GetTask} for its
 * tasks, with V4, V1 and ACS3 signatures checked as the services check them, presigned URLs
 * included; browser form uploads (PostObject, {@code POST /<bucket>} with multipart/form-data),
 * their policy and its V4 or V1 signature checked as OSS checks them; CORS answers from one rule
 * ({@link #cors}). Tasks run through a pluggable {@link TaskExecutor} ({@link SimulatedExecutor} by
 * default; {@link LocalExecutor} runs them with the local provider) on the server's clock; the
 * messages a task would publish to its topic are kept for {@link #topicMessages(String)}; faults
 * are injected on demand.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build(); // started for the class
 *
 * MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(true)));
 * oss.objects().put("media", "in.mp4", bytes);
 * }</pre>
 *
 * <p>Every bucket is bound to the IMM project {@link Builder#immProject} unless {@link #detachImm}
 * says otherwise; processing in a detached bucket fails with OSS's {@code Imm Client} error.
 * Signature errors carry what the server expected to be signed, as OSS's do. This class routes;
 * {@code OssVerifier} checks signatures, {@code OssObjects}, {@code OssUploads} and {@code
 * OssProcessing} answer, {@code OssNotifications} calls out. Thread-safe.
 */
public final class FakeOssServer extends FakeServer {
  /** How far a request's time may be from the server's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final String region;
  private final String immProject;
  private final OssReplies replies;
  private final OssVerifier verifier;
  private final OssNotifications notifications = new OssNotifications();
  private final ObjectStore store;
  private final OssObjects objectHandler;
  private final OssUploads uploads;
  private final OssProcessing processing;
  private final MnsPush mns;
  private final OssPostPolicies policies;

  private FakeOssServer(Builder b) {
    super("fake-oss", b.credentials, b.port, b.dataDir, b.clock, b.executor, b.queueDelay);
    this.region = b.region;
    this.immProject = b.immProject;
    this.replies = new OssReplies(clock(), region);
    this.verifier =
        new OssVerifier(credentials(), clock(), region, replies, Set.copyOf(b.publicBuckets));
    this.store =
        new ObjectStore(
            objects(), new ObjectStore.Flavor(true, 100 * 1024, "x-oss-next-append-position"));
    this.objectHandler = new OssObjects(objects(), store, notifications, replies);
    this.uploads = new OssUploads(store, objectHandler, replies, clock(), this::baseUrl);
    this.processing =
        new OssProcessing(
            objects(),
            jobs(),
            replies,
            notifications,
            clock(),
            region,
            immProject,
            Map.copyOf(b.styles),
            b.executor);
    this.policies = new OssPostPolicies(credentials(), clock(), region, replies);
    this.mns = new MnsPush(clock(), this::baseUrl);
    notifications.pushTo(mns::push);
  }

  /**
   * How MNS writes a push's body (a subscription's {@code NotifyContentFormat}): {@code XML} and
   * {@code JSON} wrap the message, Base64-encoded, in MNS's fields; {@code SIMPLIFIED} sends the
   * message alone, with its id in {@code x-mns-message-id}.
   */
  public enum PushFormat {
    XML,
    JSON,
    SIMPLIFIED
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized FakeOssServer start() {
    super.start();
    return this;
  }

  @Override
  public synchronized void close() {
    processing.close();
    super.close();
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code media.provider=oss},
   * the first credentials, the region, {@code endpoint} (path-style), {@code mnsCertHosts} trusting
   * this server's MNS certificate and, with {@code imm}, the IMM project and endpoint so tasks are
   * tracked with GetTask (without it, by their output objects).
   */
  public Map<String, String> clientSettings(boolean imm) {
    Map.Entry<String, String> first = firstCredentials();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "oss");
    m.put("media.oss.accessKeyId", first.getKey());
    m.put("media.oss.accessKeySecret", first.getValue());
    m.put("media.oss.region", region);
    m.put("media.oss.endpoint", baseUrl());
    m.put("media.oss.pathStyle", "true");
    m.put("media.oss.mnsCertHosts", mnsCertificateHost());
    if (imm) {
      m.put("media.oss.immProject", immProject);
      m.put("media.oss.immEndpoint", baseUrl());
    }
    return m;
  }

  /** Returns {@link #clientSettings(boolean) clientSettings(true)}: tasks tracked with GetTask. */
  @Override
  public Map<String, String> clientSettings() {
    return clientSettings(true);
  }

  /**
   * Unbinds {@code bucket} from the IMM project: processing there fails with {@code Imm Client}.
   */
  public void detachImm(String bucket) {
    processing.detach(bucket);
  }

  /** Returns how many async tasks were created. */
  public int taskCount() {
    return processing.taskCount();
  }

  /** Returns {@link #taskCount()}: the jobs of OSS are its async tasks. */
  @Override
  public int jobCount() {
    return taskCount();
  }

  /** Returns a task's GetTask JSON, or empty for an unknown TaskId. */
  public Optional<String> taskJson(String taskId) {
    return processing.taskJson(taskId);
  }

  /**
   * Returns the messages published to {@code topic}, in order: IMM's envelope, its {@code content}
   * JSON inside.
   */
  public List<String> topicMessages(String topic) {
    return notifications.topicMessages(topic);
  }

  /**
   * Subscribes the HTTP endpoint {@code url} to {@code topic} in MNS's {@code XML} format: every
   * message a task publishes there from now on is pushed to it as MNS pushes, signed with this
   * server's own certificate (served at {@link #mnsCertificateHost()}), before the task counts as
   * ended.
   */
  public void subscribe(String topic, String url) {
    subscribe(topic, url, PushFormat.XML);
  }

  /** Subscribes {@code url} to {@code topic}, its pushes written in {@code format}. */
  public void subscribe(String topic, String url, PushFormat format) {
    mns.subscribe(
        Objects.requireNonNull(topic, "topic"),
        Objects.requireNonNull(url, "url"),
        Objects.requireNonNull(format, "format"));
  }

  /**
   * Returns where this server's MNS certificate is served, {@code http://127.0.0.1:<port>}: the
   * value of {@code media.oss.mnsCertHosts} that trusts it ({@link #clientSettings} sets it).
   */
  public String mnsCertificateHost() {
    return baseUrl();
  }

  /**
   * Pushes {@code message} (any text) once to {@code url} as MNS pushes a message of {@code topic},
   * signed; returns the HTTP status the endpoint answered (-1: unreachable). For testing an
   * endpoint with messages no task publishes.
   */
  public int push(String topic, String url, String message, PushFormat format) {
    return mns.pushOnce(topic, url, message, format);
  }

  /** Returns the PEM certificate whose private key signs this server's MNS pushes. */
  public String mnsCertificatePem() {
    return mns.certificatePem();
  }

  /** Returns the HTTP statuses subscribed endpoints answered to pushes, in order (-1: none). */
  public List<Integer> pushAnswers() {
    return mns.answers();
  }

  /** Returns the ids of multipart uploads started and neither completed nor aborted. */
  @Override
  public List<String> openUploads() {
    return store.openUploads();
  }

  /** Returns the PEM public key whose private half signs this server's upload callbacks. */
  public String callbackPublicKeyPem() {
    return notifications.publicKeyPem();
  }

  // ---- routing

  @Override
  protected String requestIdHeader() {
    return "x-oss-request-id";
  }

  /** A PostObject, {@code POST /<bucket>} without a query, is read as it arrives. */
  @Override
  protected boolean streamsForm(String method, String rawPath, String rawQuery) {
    return method.equals("POST") && rawQuery == null && postBucket(rawPath) != null;
  }

  /** The bucket of {@code /<bucket>} or {@code /<bucket>/}; null for any other path. */
  private static String postBucket(String rawPath) {
    String p = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    return p.length() > 1 && p.indexOf('/', 1) < 0 ? p.substring(1) : null;
  }

  @Override
  protected Reply injected(Request request, int status) {
    return switch (status) {
      case 503 -> replies.error(503, "SlowDown", "Please reduce your request rate.");
      case 500 ->
          replies.error(
              500, "InternalError", "We encountered an internal error. Please try again.");
      default -> replies.error(status, "InjectedFault", "an injected failure");
    };
  }

  @Override
  protected Reply route(Request r) throws IOException {
    String path = r.path();
    Map<String, String> query = r.query();
    if (path.equals(MnsPush.CERTIFICATE_PATH) && r.method().equals("GET")) {
      return Reply.body(
          200,
          "application/x-pem-file",
          mns.certificatePem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    if (path.equals("/") && r.header("x-acs-action") != null) {
      return verifier.verifyAcs(r).orElseGet(() -> processing.getTask(r));
    }
    if (r.method().equals("POST")
        && r.rawQuery() == null
        && postBucket(r.rawPath()) != null
        && (r.form().isPresent() || r.formError().isPresent())) {
      return objectHandler.postObject(r, postBucket(r.rawPath()), policies);
    }
    String rest = path.length() > 1 ? path.substring(1) : "";
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? null : rest.substring(slash + 1);
    Optional<Reply> denied =
        verifier.verify(
            r, bucket.isEmpty() ? null : bucket, key == null || key.isEmpty() ? null : key);
    if (denied.isPresent()) {
      return denied.get();
    }
    if (bucket.isEmpty() || key == null || key.isEmpty()) {
      return replies.error(
          400, "NotImplemented", "the fake OSS server serves objects, processing and GetTask only");
    }
    try {
      objects().file(bucket, key);
    } catch (IllegalArgumentException e) {
      return replies.error(400, "InvalidObjectName", e.getMessage());
    }
    String md5 = r.header("Content-MD5");
    if (md5 != null
        && !md5.equals(Base64.getEncoder().encodeToString(Hashes.digest("MD5", r.body())))) {
      return replies.error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
    }
    if (OssUploads.handles(query)) {
      return uploads.handle(r, bucket, key, query);
    }
    return switch (r.method()) {
      case "PUT" -> objectHandler.put(r, bucket, key);
      case "GET", "HEAD" -> {
        String process = query.get("x-oss-process");
        yield process == null
            ? objectHandler.get(r, bucket, key)
            : processing.deliver(r, bucket, key, process, store.contentType(bucket, key));
      }
      case "DELETE" -> objectHandler.delete(bucket, key);
      case "POST" -> {
        if (query.containsKey("x-oss-async-process")) {
          yield processing.process(r, bucket, key, false);
        }
        if (query.containsKey("x-oss-process")) {
          yield processing.process(r, bucket, key, true);
        }
        yield replies.error(
            400, "NotImplemented", "this POST is not implemented by the fake OSS server");
      }
      default ->
          replies.error(
              405,
              "MethodNotAllowed",
              "The specified method is not allowed against this resource.");
    };
  }

  /** Builds a {@link FakeOssServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private int port;
    private Path dataDir;
    private String region = "cn-hangzhou";
    private String immProject = "mediaflow-fake";
    private TaskExecutor executor = SimulatedExecutor.builder().build();
    private Duration queueDelay = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();
    private final Set<String> publicBuckets = new java.util.LinkedHashSet<>();
    private final Map<String, String> styles = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Makes {@code bucket} public-read: anonymous GET and HEAD of its objects are allowed, as for a
     * bucket whose ACL is {@code public-read}.
     */
    public Builder publicBucket(String bucket) {
      publicBuckets.add(Objects.requireNonNull(bucket, "bucket"));
      return this;
    }

    /**
     * Defines the style {@code name} of {@code bucket}, as the console does: {@code
     * x-oss-process=style/<name>} applies {@code process}, such as {@code
     * image/resize,w_200/format,png}.
     */
    public Builder style(String bucket, String name, String process) {
      styles.put(
          Objects.requireNonNull(bucket, "bucket") + "/" + Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(process, "process"));
      return this;
    }

    /** Adds an AccessKey ID and its secret (default: {@code AK} / {@code SK}). */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      credentials.put(
          Objects.requireNonNull(accessKeyId, "accessKeyId"),
          Objects.requireNonNull(accessKeySecret, "accessKeySecret"));
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

    /** Sets the region V4 scopes must name (default {@code cn-hangzhou}). */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Sets the IMM project every bucket is bound to (default {@code mediaflow-fake}). */
    public Builder immProject(String project) {
      this.immProject = Objects.requireNonNull(project, "project");
      return this;
    }

    /**
     * Sets what runs the tasks (default: a {@link SimulatedExecutor}; {@link LocalExecutor} runs
     * them for real).
     */
    public Builder executor(TaskExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Sets how long, on the server's clock, a task waits before it runs (default 100 ms). */
    public Builder queueDelay(Duration delay) {
      this.queueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Sets the server's clock (default: the system clock): request times are checked against it,
     * and tasks progress by it, so a test that moves its own clock moves the tasks. A fixed clock
     * never ends a task.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the server, not yet started (a JUnit extension starts it before all tests). */
    public FakeOssServer build() {
      if (credentials.isEmpty()) {
        credentials.put("AK", "SK");
      }
      return new FakeOssServer(this);
    }
  }
}
