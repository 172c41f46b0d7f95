package dev.mediaflow.testkit.cos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.op.Operation;
import dev.mediaflow.testkit.FakeServer;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.TaskExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Tencent Cloud COS with Cloud Infinite for tests, on one loopback port: objects (PUT with
 * Content-MD5 checked, GET with Range, HEAD, DELETE; ETag and {@code x-cos-hash-crc64ecma}),
 * multipart uploads with the whole object's CRC-64, APPEND, presigned URLs, and Cloud Infinite's
 * media and document jobs ({@code POST /jobs}, {@code GET /jobs/<id>}, list, cancel, {@code POST
 * /doc_jobs}), their XML read into Mediaflow's neutral operations and run by a pluggable {@link
 * TaskExecutor} ({@link SimulatedExecutor} by default; {@link LocalExecutor} runs them for real),
 * with callbacks to a job's CallBack URL. Requests are checked with COS's q-sign signature
 * (https://cloud.tencent.com/document/product/436/7778) and refused with COS's XML errors; answer
 * header names are written in COS's lower case, which the COS Java SDK needs.
 *
 * <p>Hosts are told apart as COS does: {@code <bucket>.cos.<region>.myqcloud.com} serves objects
 * and {@code <bucket>.ci.<region>.myqcloud.com} the job APIs (connect to {@link #baseUrl()} and
 * send that {@code Host}). With any other Host (such as {@code 127.0.0.1:<port>}) requests are
 * path-style, {@code /<bucket>/<key>}, and {@code /<bucket>/jobs...} or {@code
 * /<bucket>/doc_jobs...} reach the job APIs when they are job requests (a POST without a query, or
 * a job id this server gave); with {@link Builder#defaultBucket} a path that does not start with a
 * bucket's full name is that bucket's ({@code /<key>}, {@code /jobs}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeCosServer cos = FakeCosServer.builder().credentials("AKIDtest", "secret").build();
 *
 * MediaClient media = MediaClient.create(MediaConfig.fromMap(cos.clientSettings()));
 * cos.objects().put("media-1250000000", "in.mp4", bytes);
 * }</pre>
 *
 * <p>Also served: POST Object (browser form uploads with a signed policy), {@code
 * ?ci-process=videoinfo}, {@code ?ci-process=snapshot}, {@code ?imageInfo} and {@code
 * ?imageMogr2/...} on GET (with the local provider: {@link LocalExecutor}), and {@code
 * Pic-Operations} (on PUT, or {@code POST ?image_process}). Not served: templates, queues,
 * workflows, buckets' own APIs (ACL, lifecycle, listing), copy, other {@code ci-process} values,
 * watermark rules on GET: those are refused with an error, never answered with a guess.
 * Thread-safe.
 */
public final class FakeCosServer extends FakeServer {
  private static final Pattern VIRTUAL_HOST =
      Pattern.compile("([a-z0-9][a-z0-9-]*-[0-9]+)\\.(cos|ci|pic)\\.([a-z0-9-]+)\\..*");

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*-[0-9]+");

  private final String region;
  private final String appId;
  private final String defaultBucket;
  private final CosReplies replies;
  private final CosVerifier verifier;
  private final ObjectStore store;
  private final CosObjects objectHandler;
  private final CosCallbacks callbacks = new CosCallbacks();
  private final CosJobs ciJobs;
  private final CosPostObject postObject;
  private final CosProcessing processing;

  private FakeCosServer(Builder b) {
    super("fake-cos", b.credentials, b.port, b.dataDir, b.clock, b.executor, b.queueDelay);
    this.region = b.region;
    this.appId = b.appId;
    this.defaultBucket = b.defaultBucket;
    this.replies = new CosReplies(clock());
    Map<String, String> secrets = new LinkedHashMap<>(b.credentials);
    Map<String, String> tokens = new LinkedHashMap<>();
    b.temporary.forEach(
        (id, pair) -> {
          secrets.put(id, pair[0]);
          tokens.put(id, pair[1]);
        });
    this.verifier = new CosVerifier(secrets, tokens, clock(), replies, Set.copyOf(b.publicBuckets));
    this.store =
        new ObjectStore(
            objects(), new ObjectStore.Flavor(false, 1024 * 1024, "x-cos-next-append-position"));
    this.objectHandler = new CosObjects(objects(), store, replies);
    this.postObject = new CosPostObject(secrets, tokens, clock(), replies, store);
    this.processing = new CosProcessing(objects(), store, replies, b.executor);
    String queue = b.queueId;
    this.ciJobs = new CosJobs(objects(), jobs(), replies, callbacks, clock(), region, () -> queue);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized FakeCosServer start() {
    super.start();
    return this;
  }

  /**
   * Reads a media or document job's {@code Request} XML as this fake does when it is submitted: the
   * operations it asks for, in order (a Transcode's watermarks after it). For tests that render a
   * pipeline and read it back.
   *
   * @throws IllegalArgumentException when this fake would refuse the job
   */
  public static List<Operation> readJob(String xml) {
    try {
      return CosJobs.read(xml.getBytes(StandardCharsets.UTF_8));
    } catch (CosXml.Malformed | CosJobs.Invalid e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Reads a {@code Pic-Operations} header's rules as this fake does: one list of operations per
   * rule, in order. For tests that render a pipeline and read it back.
   *
   * @throws IllegalArgumentException when this fake would refuse a rule
   */
  public static List<List<Operation>> readPicOperations(String json) {
    List<List<Operation>> out = new ArrayList<>();
    try {
      JsonObject ops = JsonParser.parseString(json).getAsJsonObject();
      for (JsonElement e : ops.getAsJsonArray("rules")) {
        String rule = e.getAsJsonObject().get("rule").getAsString();
        out.add(List.of(CosProcessing.resize(rule, null)));
      }
    } catch (CosProcessing.Invalid | RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return out;
  }

  /** Returns the region this server's buckets are in. */
  public String region() {
    return region;
  }

  /** Returns the APPID buckets' full names end with. */
  public String appId() {
    return appId;
  }

  /**
   * Returns {@code bucket} as COS names it, the rule of the COS provider with {@code
   * media.cos.appId} set (as in {@link #clientSettings()}): a bare name gets {@code -<APPID>}
   * appended, a name already ending in {@code -<APPID>} is kept. So the bucket {@code media} of a
   * pipeline is stored as {@code media-1250000000}.
   */
  @Override
  public String storedBucket(String bucket) {
    String suffix = "-" + appId;
    return bucket.endsWith(suffix) ? bucket : bucket + suffix;
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code media.provider=cos},
   * the first credentials, the region, the APPID, and {@code endpoint} and {@code ciEndpoint} both
   * {@link #baseUrl()}.
   */
  @Override
  public Map<String, String> clientSettings() {
    Map.Entry<String, String> first = firstCredentials();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "cos");
    m.put("media.cos.secretId", first.getKey());
    m.put("media.cos.secretKey", first.getValue());
    m.put("media.cos.region", region);
    m.put("media.cos.appId", appId);
    m.put("media.cos.endpoint", baseUrl());
    m.put("media.cos.ciEndpoint", baseUrl());
    return m;
  }

  @Override
  public List<String> openUploads() {
    return store.openUploads();
  }

  /** Returns how many media and document jobs were created. */
  @Override
  public int jobCount() {
    return ciJobs.count();
  }

  /** Returns the HTTP statuses CallBack URLs answered, in order (-1: none). */
  public List<Integer> callbackAnswers() {
    return callbacks.answers();
  }

  /** Returns the bodies posted to CallBack URLs, in order. */
  public List<String> callbackBodies() {
    return callbacks.bodies();
  }

  // ---- routing

  @Override
  protected boolean exactHeaderNames() {
    return true;
  }

  @Override
  protected String requestIdHeader() {
    return "x-cos-request-id";
  }

  @Override
  protected Reply injected(Request request, int status) {
    String resource = CosObjects.resource(request);
    return switch (status) {
      case 503 ->
          replies.error(503, "ServiceUnavailable", "Please reduce your request rate.", resource);
      case 500 ->
          replies.error(
              500,
              "InternalError",
              "We encountered an internal error. Please try again.",
              resource);
      case 429 -> replies.error(429, "SlowDown", "Please reduce your request rate.", resource);
      case 403 -> replies.error(403, "AccessDenied", "Access Denied.", resource);
      default -> replies.error(status, "InjectedFault", "an injected failure", resource);
    };
  }

  /**
   * A POST Object, a form POST to the bucket ({@code /} or path-style {@code /<bucket>}), is read
   * as it arrives.
   */
  @Override
  protected boolean streamsForm(String method, String rawPath, String rawQuery) {
    String p = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    return method.equals("POST") && rawQuery == null && p.indexOf('/', 1) < 0;
  }

  /**
   * Where a request goes: its bucket, whether to Cloud Infinite, the path after the bucket, and the
   * region its Host names (null for path-style).
   */
  private record Target(String bucket, boolean ci, String path, String region) {
    Target(String bucket, boolean ci, String path) {
      this(bucket, ci, path, null);
    }
  }

  private Target target(Request r) {
    String host = r.header("Host");
    String path = r.path() == null ? "/" : r.path();
    if (host != null) {
      Matcher m = VIRTUAL_HOST.matcher(host.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        return new Target(m.group(1), !m.group(2).equals("cos"), path.substring(1), m.group(3));
      }
    }
    String rest = path.substring(1);
    if (rest.endsWith("/") && rest.indexOf('/') == rest.length() - 1) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String after = slash < 0 ? "" : rest.substring(slash + 1);
    if (defaultBucket != null && !BUCKET_NAME.matcher(bucket).matches()) {
      bucket = defaultBucket;
      after = path.substring(1);
    }
    boolean ci =
        CosJobs.isJobPath(after)
            && ((r.method().equals("POST") && r.rawQuery() == null)
                || (after.contains("/") && ciJobs.known(after.substring(after.indexOf('/') + 1)))
                || (r.method().equals("GET")
                    && !after.contains("/")
                    && r.query().containsKey("tag")));
    return new Target(bucket, ci, after);
  }

  @Override
  protected Reply route(Request r) throws IOException {
    Target t = target(r);
    String resource = CosObjects.resource(r);
    if (t.bucket.isEmpty()) {
      return replies.error(
          400,
          "NotImplemented",
          "the fake COS server serves buckets' objects and jobs only",
          resource);
    }
    if (t.region != null && !t.region.equals(region)) {
      // Another region's endpoint does not know this server's buckets.
      return replies.error(404, "NoSuchBucket", "The specified bucket does not exist.", resource);
    }
    if (r.method().equals("POST")
        && !t.ci
        && t.path.isEmpty()
        && (r.form().isPresent() || r.formError().isPresent())) {
      return postObject.post(r, t.bucket);
    }
    Optional<Reply> denied = verifier.verify(r, t.bucket, t.ci);
    if (denied.isPresent()) {
      return denied.get();
    }
    if (t.ci) {
      if (!CosJobs.isJobPath(t.path)) {
        return replies.error(
            400,
            "NotImplemented",
            "the fake Cloud Infinite serves /jobs and /doc_jobs only, not /" + t.path,
            resource);
      }
      return ciJobs.handle(r, t.bucket, t.path);
    }
    Map<String, String> query = r.query();
    String key = t.path;
    if (key.isEmpty()) {
      if (r.method().equals("GET") && query.containsKey("uploads")) {
        return objectHandler.listUploads(t.bucket, query);
      }
      return replies.error(
          400,
          "NotImplemented",
          "the fake COS server does not serve this bucket API: "
              + r.method()
              + " /"
              + (r.rawQuery() == null ? "" : "?" + r.rawQuery()),
          resource);
    }
    try {
      objects().file(t.bucket, key);
    } catch (IllegalArgumentException e) {
      return replies.error(400, "InvalidURI", e.getMessage(), resource);
    }
    if (CosObjects.isUpload(query)) {
      Optional<Reply> bad = objectHandler.checkMd5(r);
      return bad.isPresent() ? bad.get() : objectHandler.handleUpload(r, t.bucket, key, query);
    }
    String ciProcess = query.get("ci-process");
    if (ciProcess != null) {
      if (ciProcess.equals("videoinfo") && (r.method().equals("GET") || r.isHead())) {
        return processing.videoInfo(r, t.bucket, key);
      }
      if (ciProcess.equals("snapshot") && r.method().equals("GET")) {
        return processing.snapshot(r, t.bucket, key, query);
      }
      return replies.error(
          400,
          "InvalidArgument",
          "the fake COS server does not serve ci-process=" + ciProcess,
          resource);
    }
    if (query.containsKey("imageInfo") && r.method().equals("GET")) {
      return processing.imageInfo(r, t.bucket, key);
    }
    String rule = CosProcessing.rule(query);
    if (rule != null && (r.method().equals("GET") || r.isHead())) {
      return processing.image(r, t.bucket, key, rule);
    }
    Optional<String> other = otherProcessing(query);
    if (other.isPresent()) {
      return replies.error(
          400, "InvalidArgument", "the fake COS server does not process " + other.get(), resource);
    }
    String picOperations = r.header("Pic-Operations");
    if (r.method().equals("POST") && query.containsKey("image_process")) {
      Optional<ObjectStore.Meta> meta = store.meta(t.bucket, key);
      if (meta.isEmpty()) {
        return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource);
      }
      if (picOperations == null) {
        return replies.error(
            400, "InvalidArgument", "image_process needs a Pic-Operations header.", resource);
      }
      return processing.picOperations(r, t.bucket, key, picOperations, meta.get().etag());
    }
    return switch (r.method()) {
      case "PUT" -> {
        if (r.header("x-cos-copy-source") != null) {
          yield replies.error(
              400, "NotImplemented", "the fake COS server does not copy objects", resource);
        }
        Reply stored = objectHandler.put(r, t.bucket, key);
        if (picOperations == null || stored.status() != 200) {
          yield stored;
        }
        Reply processed =
            processing.picOperations(r, t.bucket, key, picOperations, stored.header("ETag"));
        yield processed
            .header("ETag", stored.header("ETag"))
            .header("x-cos-hash-crc64ecma", stored.header("x-cos-hash-crc64ecma"));
      }
      case "GET", "HEAD" -> objectHandler.get(r, t.bucket, key);
      case "DELETE" -> objectHandler.delete(t.bucket, key);
      default -> objectHandler.notAllowed(r);
    };
  }

  /** A processing rule in a query that this fake does not run (watermarks, image info). */
  private static Optional<String> otherProcessing(Map<String, String> query) {
    for (String k : query.keySet()) {
      if (k.startsWith("watermark/")
          || k.startsWith("imageInfo")
          || k.startsWith("imageView2")
          || k.startsWith("imageMogr2")
          || k.startsWith("style/")) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link FakeCosServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private final Map<String, String[]> temporary = new LinkedHashMap<>();
    private final Set<String> publicBuckets = new LinkedHashSet<>();
    private int port;
    private Path dataDir;
    private String region = "ap-guangzhou";
    private String appId = "1250000000";
    private String queueId = "p0123456789abcdef0123456789abcdef";
    private String defaultBucket;
    private TaskExecutor executor = SimulatedExecutor.builder().build();
    private Duration queueDelay = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds a SecretId and its SecretKey (default: {@code AKIDfake} / {@code fakeSecretKey}). */
    public Builder credentials(String secretId, String secretKey) {
      credentials.put(
          Objects.requireNonNull(secretId, "secretId"),
          Objects.requireNonNull(secretKey, "secretKey"));
      return this;
    }

    /**
     * Adds temporary credentials: requests signed with {@code secretId} must carry {@code token} in
     * {@code x-cos-security-token} (or, to Cloud Infinite, {@code x-ci-security-token}).
     */
    public Builder temporaryCredentials(String secretId, String secretKey, String token) {
      temporary.put(
          Objects.requireNonNull(secretId, "secretId"),
          new String[] {
            Objects.requireNonNull(secretKey, "secretKey"), Objects.requireNonNull(token, "token")
          });
      return this;
    }

    /** Makes {@code bucket} public-read: anonymous GET and HEAD of its objects are allowed. */
    public Builder publicBucket(String bucket) {
      publicBuckets.add(Objects.requireNonNull(bucket, "bucket"));
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

    /** Sets the region (default {@code ap-guangzhou}); job outputs must name it. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Sets the APPID (default {@code 1250000000}). */
    public Builder appId(String appId) {
      this.appId = Objects.requireNonNull(appId, "appId");
      return this;
    }

    /**
     * Serves {@code bucket} to requests whose {@code Host} names no bucket and whose path does not
     * start with a bucket's full name ({@code name-appid}): the addressing of a client pointed at
     * {@code 127.0.0.1:<port>} as its endpoint (the Java SDK's {@code
     * UserSpecifiedEndpointBuilder}), which sends {@code /<key>} and {@code /jobs}. None by
     * default.
     */
    public Builder defaultBucket(String bucket) {
      this.defaultBucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /** Sets the QueueId jobs report when their request names none. */
    public Builder queueId(String queueId) {
      this.queueId = Objects.requireNonNull(queueId, "queueId");
      return this;
    }

    /**
     * Sets what runs the jobs (default: a {@link SimulatedExecutor}; {@link LocalExecutor} runs
     * them for real).
     */
    public Builder executor(TaskExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets how long, on the server's clock, a job stays Submitted before it runs (default 100 ms).
     */
    public Builder queueDelay(Duration delay) {
      this.queueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Sets the server's clock (default: the system clock): signature times are checked against it
     * and jobs progress by it.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the server, not yet started (a JUnit extension starts it before all tests). */
    public FakeCosServer build() {
      if (credentials.isEmpty() && temporary.isEmpty()) {
        credentials.put("AKIDfake", "fakeSecretKey");
      }
      return new FakeCosServer(this);
    }
  }
}
