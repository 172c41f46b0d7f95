package dev.mediaflow.testkit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Alibaba Cloud OSS for tests, path-style on a loopback port: objects (PUT, GET, HEAD, DELETE),
 * {@code x-oss-async-process} tasks and {@code x-oss-process} image calls, and IMM {@code GetTask} for its
 * tasks, with V4, V1 and ACS3 signatures checked as the services check them. Tasks run through a pluggable
 * {@link OssTaskExecutor} (simulated by default; {@link LocalOssExecutor} runs them with the local provider);
 * the messages a task would publish to its topic are kept for {@link #topicMessages(String)}; faults are
 * injected on demand.
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build(); // started for the class
 *
 * MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(true)));
 * oss.objects().put("media", "in.mp4", bytes);
 * }</pre>
 *
 * <p>Every bucket is bound to the IMM project {@link Builder#immProject} unless {@link #detachImm} says
 * otherwise; processing in a detached bucket fails with OSS's {@code Imm Client} error. Signature errors carry
 * what the server expected to be signed, as OSS's do. Thread-safe.
 */
public final class FakeOssServer extends FakeServer {
  /** How far a request's time may be from the server's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter V4_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ACS_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  /** The query parameters V1 signs, as OSS's servers read them (see the provider's signer). */
  private static final Set<String> V1_SUBRESOURCES = Set.of("acl", "uploads", "location", "cors", "logging", "website",
      "referer", "lifecycle", "delete", "append", "tagging", "objectMeta", "uploadId", "partNumber", "security-token",
      "position", "img", "style", "styleName", "replication", "replicationProgress", "replicationLocation", "cname",
      "bucketInfo", "comp", "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "response-content-type",
      "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
      "response-content-encoding", "udf", "udfName", "udfImage", "udfId", "udfImageDesc", "udfApplication",
      "udfApplicationLog", "restore", "callback", "callback-var", "qosInfo", "policy", "stat", "encryption", "versions",
      "versioning", "versionId", "requestPayment", "sequential", "inventory", "inventoryId", "continuation-token",
      "asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "transferAcceleration", "regionList",
      "cloudboxes", "metaQuery", "resourceGroup", "rtc", "seal");

  private final String region;
  private final String immProject;
  private final OssTaskExecutor executor;
  private final Duration queueDelay;
  private final Set<String> detached = ConcurrentHashMap.newKeySet();
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final Map<String, List<String>> topics = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final OssObjectStore store;
  private final OssCallbacks callbacks = new OssCallbacks();

  private FakeOssServer(Builder b) {
    super("fake-oss", b.credentials, b.port, b.dataDir, b.clock, b.executor);
    this.region = b.region;
    this.immProject = b.immProject;
    this.executor = b.executor;
    this.queueDelay = b.queueDelay;
    this.store = new OssObjectStore(objects);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized FakeOssServer start() {
    super.start();
    return this;
  }

  /**
   * Returns the settings that point a Mediaflow client at this server: {@code media.provider=oss}, the first
   * credentials, the region, {@code endpoint} (path-style) and, with {@code imm}, the IMM project and endpoint
   * so tasks are tracked with GetTask (without it, by their output objects).
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
    if (imm) {
      m.put("media.oss.immProject", immProject);
      m.put("media.oss.immEndpoint", baseUrl());
    }
    return m;
  }

  /** Unbinds {@code bucket} from the IMM project: processing there fails with {@code Imm Client}. */
  public void detachImm(String bucket) {
    detached.add(bucket);
  }

  /** Returns how many async tasks were created. */
  public int taskCount() {
    return tasks.size();
  }

  /** Returns a task's GetTask JSON, or empty for an unknown TaskId. */
  public Optional<String> taskJson(String taskId) {
    Task t = tasks.get(taskId);
    return t == null ? Optional.empty() : Optional.of(GSON.toJson(t.json()));
  }

  /** Returns the messages published to {@code topic}, in order: IMM's envelope, its {@code content} JSON inside. */
  public List<String> topicMessages(String topic) {
    return List.copyOf(topics.getOrDefault(topic, List.of()));
  }

  // ---- routing

  @Override
  int injected(HttpExchange ex, int status) throws IOException {
    return switch (status) {
      case 503 -> ossError(ex, false, 503, "SlowDown", "Please reduce your request rate.", Map.of());
      case 500 -> ossError(ex, false, 500, "InternalError", "We encountered an internal error. Please try again.", Map.of());
      default -> ossError(ex, false, status, "InjectedFault", "an injected failure", Map.of());
    };
  }

  @Override
  int route(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    Map<String, String> query = pairs(ex.getRequestURI().getRawQuery());
    if (path.equals("/") && ex.getRequestHeaders().getFirst("x-acs-action") != null) {
      return imm(ex, body, query, silent);
    }
    String rest = path.length() > 1 ? path.substring(1) : "";
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? null : rest.substring(slash + 1);
    String denied = authorize(ex, method, bucket.isEmpty() ? null : bucket, key == null || key.isEmpty() ? null : key,
        query, body, silent);
    if (denied != null) {
      return 403;
    }
    if (bucket.isEmpty() || key == null || key.isEmpty()) {
      return ossError(ex, silent, 400, "NotImplemented", "the fake OSS server serves objects, processing and GetTask only",
          Map.of());
    }
    try {
      objects.file(bucket, key);
    } catch (IllegalArgumentException e) {
      return ossError(ex, silent, 400, "InvalidObjectName", e.getMessage(), Map.of());
    }
    String md5 = header(ex, "Content-MD5");
    if (md5 != null && !md5.equals(Base64.getEncoder().encodeToString(digest("MD5", body)))) {
      return ossError(ex, silent, 400, "InvalidDigest", "The Content-MD5 you specified is not valid.", Map.of());
    }
    try {
      if (query.containsKey("uploadId") || query.containsKey("uploads") || query.containsKey("append")) {
        return multipart(ex, method, bucket, key, query, body, silent);
      }
    } catch (OssObjectStore.OssError e) {
      e.headers.forEach(ex.getResponseHeaders()::set);
      return ossError(ex, silent, e.status, e.code, e.getMessage(), Map.of());
    }
    return switch (method) {
      case "PUT" -> put(ex, bucket, key, body, silent);
      case "GET", "HEAD" -> get(ex, bucket, key, method.equals("HEAD"), silent);
      case "DELETE" -> delete(ex, bucket, key, silent);
      case "POST" -> {
        if (query.containsKey("x-oss-async-process")) {
          yield process(ex, bucket, key, body, false, silent);
        }
        if (query.containsKey("x-oss-process")) {
          yield process(ex, bucket, key, body, true, silent);
        }
        yield ossError(ex, silent, 400, "NotImplemented", "this POST is not implemented by the fake OSS server", Map.of());
      }
      default -> ossError(ex, silent, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
          Map.of());
    };
  }

  // ---- objects

  private int put(HttpExchange ex, String bucket, String key, byte[] body, boolean silent) throws IOException {
    OssObjectStore.Meta meta = store.put(bucket, key, body);
    return stored(ex, bucket, key, meta, silent);
  }

  /** Answers a stored object: its headers, or the callback server's answer when the request asked for a callback. */
  private int stored(HttpExchange ex, String bucket, String key, OssObjectStore.Meta meta, boolean silent) throws IOException {
    String callback = header(ex, "x-oss-callback");
    if (callback != null) {
      OssCallbacks.Outcome out = callbacks.call(callback, header(ex, "x-oss-callback-var"), bucket, key, meta);
      if (!out.ok()) {
        return ossError(ex, silent, 203, "CallbackFailed", out.body(), Map.of());
      }
      if (!silent) {
        objectHeaders(ex, meta);
        return send(ex, 200, "application/json", out.body().getBytes(StandardCharsets.UTF_8));
      }
      return 200;
    }
    if (!silent) {
      objectHeaders(ex, meta);
      ex.sendResponseHeaders(200, -1);
    }
    return 200;
  }

  private static int send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    return status;
  }

  // ---- multipart and append

  private int multipart(HttpExchange ex, String method, String bucket, String key, Map<String, String> query, byte[] body,
      boolean silent) throws IOException, OssObjectStore.OssError {
    String uploadId = query.get("uploadId");
    switch (method) {
      case "POST" -> {
        if (query.containsKey("uploads")) {
          String id = store.initiate(bucket, key);
          return xml(ex, silent, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
              + "</Key><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
        }
        if (query.containsKey("append")) {
          long position;
          try {
            position = Long.parseLong(query.getOrDefault("position", ""));
          } catch (NumberFormatException e) {
            return ossError(ex, silent, 400, "InvalidArgument", "position must be a number", Map.of());
          }
          OssObjectStore.Meta m = store.append(bucket, key, position, body);
          if (!silent) {
            objectHeaders(ex, m);
            ex.getResponseHeaders().set("x-oss-next-append-position", String.valueOf(m.size()));
            ex.sendResponseHeaders(200, -1);
          }
          return 200;
        }
        List<Map.Entry<Integer, String>> listed = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "<Part>\\s*<PartNumber>\\s*(\\d+)\\s*</PartNumber>\\s*<ETag>([^<]*)</ETag>\\s*</Part>")
            .matcher(new String(body, StandardCharsets.UTF_8));
        while (m.find()) {
          listed.add(Map.entry(Integer.parseInt(m.group(1)), m.group(2).replace("&quot;", "\"").replace("&#34;", "\"")));
        }
        if (listed.isEmpty()) {
          return ossError(ex, silent, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate "
              + "against our published schema.", Map.of());
        }
        OssObjectStore.Meta meta = store.complete(bucket, key, uploadId, listed);
        if (header(ex, "x-oss-callback") != null) {
          return stored(ex, bucket, key, meta, silent);
        }
        if (!silent) {
          objectHeaders(ex, meta);
        }
        return xml(ex, silent, "<CompleteMultipartUploadResult><Location>" + baseUrl() + "/" + bucket + "/" + escape(key)
            + "</Location><Bucket>" + bucket + "</Bucket><Key>" + escape(key) + "</Key><ETag>" + escape(meta.etag())
            + "</ETag></CompleteMultipartUploadResult>");
      }
      case "PUT" -> {
        int number;
        try {
          number = Integer.parseInt(query.getOrDefault("partNumber", ""));
        } catch (NumberFormatException e) {
          return ossError(ex, silent, 400, "InvalidArgument", "partNumber must be a number", Map.of());
        }
        OssObjectStore.Part p = store.putPart(bucket, key, uploadId, number, body);
        if (!silent) {
          common(ex);
          ex.getResponseHeaders().set("ETag", p.etag());
          ex.getResponseHeaders().set("x-oss-hash-crc64ecma", Long.toUnsignedString(p.crc()));
          ex.sendResponseHeaders(200, -1);
        }
        return 200;
      }
      case "GET" -> {
        int marker = Integer.parseInt(query.getOrDefault("part-number-marker", "0"));
        int max = Integer.parseInt(query.getOrDefault("max-parts", "1000"));
        List<OssObjectStore.Part> all = store.parts(bucket, key, uploadId).stream().filter(p -> p.number() > marker).toList();
        List<OssObjectStore.Part> page = all.subList(0, Math.min(max, all.size()));
        StringBuilder x = new StringBuilder("<ListPartsResult><Bucket>").append(bucket).append("</Bucket><Key>")
            .append(escape(key)).append("</Key><UploadId>").append(uploadId).append("</UploadId>")
            .append("<PartNumberMarker>").append(marker).append("</PartNumberMarker><NextPartNumberMarker>")
            .append(page.isEmpty() ? marker : page.get(page.size() - 1).number()).append("</NextPartNumberMarker><MaxParts>")
            .append(max).append("</MaxParts><IsTruncated>").append(all.size() > page.size()).append("</IsTruncated>");
        for (OssObjectStore.Part p : page) {
          x.append("<Part><PartNumber>").append(p.number()).append("</PartNumber><LastModified>")
              .append(ACS_DATE.format(clock.instant())).append("</LastModified><ETag>").append(escape(p.etag()))
              .append("</ETag><HashCrc64ecma>").append(Long.toUnsignedString(p.crc())).append("</HashCrc64ecma><Size>")
              .append(p.size()).append("</Size></Part>");
        }
        return xml(ex, silent, x.append("</ListPartsResult>").toString());
      }
      case "DELETE" -> {
        store.abort(bucket, key, uploadId);
        if (!silent) {
          common(ex);
          ex.sendResponseHeaders(204, -1);
        }
        return 204;
      }
      default -> {
        return ossError(ex, silent, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
            Map.of());
      }
    }
  }

  private int xml(HttpExchange ex, boolean silent, String body) throws IOException {
    if (silent) {
      return 200;
    }
    common(ex);
    return send(ex, 200, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Returns the ids of multipart uploads started and neither completed nor aborted. */
  public List<String> openUploads() {
    return store.openUploads();
  }

  /** Returns the PEM public key whose private half signs this server's upload callbacks. */
  public String callbackPublicKeyPem() {
    return callbacks.publicKeyPem();
  }

  private int get(HttpExchange ex, String bucket, String key, boolean head, boolean silent) throws IOException {
    Optional<OssObjectStore.Meta> meta = store.meta(bucket, key);
    if (meta.isEmpty()) {
      if (head) {
        if (!silent) {
          common(ex);
          ex.getResponseHeaders().set("x-oss-ec", "0026-00000001");
          ex.sendResponseHeaders(404, -1);
        }
        return 404;
      }
      return ossError(ex, silent, 404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key),
          "0026-00000001");
    }
    if (!silent) {
      objectHeaders(ex, meta.get());
      Path file = objects.file(bucket, key);
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", "application/octet-stream");
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      h.set("Last-Modified", HTTP_DATE.format(modified));
      if (meta.get().appendable()) {
        h.set("x-oss-object-type", "Appendable");
        h.set("x-oss-next-append-position", String.valueOf(meta.get().size()));
      }
      long size = meta.get().size();
      if (head) {
        h.set("Content-Length", String.valueOf(size));
        ex.sendResponseHeaders(200, -1);
      } else {
        ex.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (OutputStream out = ex.getResponseBody()) {
          Files.copy(file, out);
        }
      }
    }
    return 200;
  }

  private int delete(HttpExchange ex, String bucket, String key, boolean silent) throws IOException {
    try {
      store.delete(bucket, key);
    } catch (IOException e) {
      return ossError(ex, silent, 500, "InternalError", e.getMessage(), Map.of());
    }
    if (!silent) {
      common(ex);
      ex.sendResponseHeaders(204, -1);
    }
    return 204;
  }

  private void objectHeaders(HttpExchange ex, OssObjectStore.Meta meta) {
    common(ex);
    Headers h = ex.getResponseHeaders();
    h.set("ETag", meta.etag());
    h.set("x-oss-hash-crc64ecma", Long.toUnsignedString(meta.crc()));
  }

  // ---- processing

  private int process(HttpExchange ex, String bucket, String key, byte[] body, boolean sync, boolean silent)
      throws IOException {
    String parameter = sync ? "x-oss-process" : "x-oss-async-process";
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.startsWith(parameter + "=")) {
      return ossError(ex, silent, 400, "InvalidArgument", "the body must be " + parameter + "=<process>", Map.of());
    }
    OssStyles.Style style;
    try {
      style = OssStyles.parse(text.substring(parameter.length() + 1), sync);
    } catch (OssStyles.Invalid e) {
      return ossError(ex, silent, 400, "InvalidArgument", e.getMessage(), Map.of());
    }
    if (!objects.exists(bucket, key)) {
      return ossError(ex, silent, 404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key));
    }
    String target = style.saveBucket().orElse(bucket);
    if (style.saveKey().isPresent()) {
      try {
        objects.file(target, style.saveKey().get().replace("{index}", "1"));
      } catch (IllegalArgumentException e) {
        return ossError(ex, silent, 400, "InvalidArgument", "invalid saveas: " + e.getMessage(), Map.of());
      }
    }
    if (!sync && detached.contains(bucket)) {
      return ossError(ex, silent, 400, "Imm Client", "ResourceNotFound, The specified resource Attachment is not found.",
          Map.of());
    }
    if (sync) {
      OssTaskExecutor.Result r = execute(new OssTaskExecutor.Task(requestId(), bucket, key, style.process(), target,
          style.saveKey(), objects));
      if (!r.succeeded()) {
        return ossError(ex, silent, 400, "InvalidArgument", r.message(), Map.of());
      }
      long size = r.keys().isEmpty() ? 0 : objects.get(target, r.keys().get(0)).map(d -> (long) d.length).orElse(0L);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("bucket", style.saveBucket().orElse(""));
      answer.put("fileSize", size);
      answer.put("object", style.saveKey().orElse(""));
      answer.put("status", "OK");
      return json(ex, silent, 200, answer);
    }
    String type = switch (style.action()) {
      case "doc/convert" -> "DocConvert";
      case "image/deblindwatermark" -> "DecodeBlindWatermark";
      default -> "MediaConvert";
    };
    Task task = new Task(type + "-" + UUID.randomUUID(), type, bucket, key, style, target, clock.instant());
    tasks.put(task.id, task);
    workers.schedule(() -> run(task), queueDelay.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("EventId", "1B" + Long.toString(requestIds.get(), 36) + "-" + HexFormat.of().formatHex(randomBytes(8)));
    answer.put("RequestId", task.requestId);
    answer.put("TaskId", task.id);
    return json(ex, silent, 200, answer);
  }

  private OssTaskExecutor.Result execute(OssTaskExecutor.Task t) {
    try {
      return executor.run(t);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OssTaskExecutor.Result.failed("Canceled", "interrupted");
    } catch (Exception e) {
      return OssTaskExecutor.Result.failed("InternalError", String.valueOf(e.getMessage()));
    }
  }

  private void run(Task task) {
    task.status = "Running";
    OssTaskExecutor.Result r = execute(new OssTaskExecutor.Task(task.id, task.bucket, task.key, task.style.process(),
        task.target, task.style.saveKey(), objects));
    task.finish(r, clock.instant());
    task.style.topic().ifPresent(topic -> {
      Map<String, Object> envelope = new LinkedHashMap<>();
      envelope.put("id", "25E-" + HexFormat.of().formatHex(randomBytes(10)));
      envelope.put("source", "acs.imm");
      envelope.put("type", "imm:Task:" + task.type);
      envelope.put("subject", "acs:imm:" + region + ":0:" + immProject + "/imm:Task:" + task.type);
      envelope.put("time", String.valueOf(clock.millis()));
      envelope.put("content", GSON.toJson(task.json()));
      topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(GSON.toJson(envelope));
    });
  }

  private final class Task {
    final String id;
    final String type;
    final String bucket;
    final String key;
    final OssStyles.Style style;
    final String target;
    final Instant started;
    final String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    volatile String status = "Running";
    String code = "";
    String message = "";
    List<String> keys = List.of();
    Instant ended;

    Task(String id, String type, String bucket, String key, OssStyles.Style style, String target, Instant started) {
      this.id = id;
      this.type = type;
      this.bucket = bucket;
      this.key = key;
      this.style = style;
      this.target = target;
      this.started = started;
    }

    synchronized void finish(OssTaskExecutor.Result r, Instant at) {
      keys = r.keys();
      code = r.succeeded() ? "" : r.code();
      message = r.succeeded() ? "" : r.message();
      ended = at;
      status = r.succeeded() ? "Succeeded" : "Failed";
    }

    synchronized Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("RequestId", requestId);
      m.put("ProjectName", immProject);
      m.put("TaskType", type);
      m.put("TaskId", id);
      m.put("Status", status);
      m.put("Code", code);
      m.put("Message", message);
      m.put("StartTime", started.toString());
      m.put("EndTime", ended == null ? "" : ended.toString());
      m.put("UserData", "");
      m.put("Sources", List.of(Map.of("URI", "oss://" + bucket + "/" + key)));
      List<Map<String, Object>> targets = new ArrayList<>();
      for (String k : keys) {
        targets.add(Map.of("URI", "oss://" + target + "/" + k));
      }
      m.put("Targets", targets);
      return m;
    }
  }

  // ---- IMM

  private int imm(HttpExchange ex, byte[] body, Map<String, String> query, boolean silent) throws IOException {
    String denied = authorizeAcs(ex, query, body);
    if (denied != null) {
      return acsError(ex, silent, denied.startsWith("InvalidAccessKeyId") ? 404 : 400,
          denied.substring(0, denied.indexOf(':')), denied.substring(denied.indexOf(':') + 2));
    }
    String action = header(ex, "x-acs-action");
    if (!"GetTask".equals(action)) {
      return acsError(ex, silent, 400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    }
    if (!"2020-09-30".equals(header(ex, "x-acs-version"))) {
      return acsError(ex, silent, 400, "InvalidVersion", "Specified parameter Version is not valid.");
    }
    for (String required : List.of("ProjectName", "TaskType", "TaskId")) {
      if (query.getOrDefault(required, "").isEmpty()) {
        return acsError(ex, silent, 400, "MissingParameter", "The parameter " + required + " is required.");
      }
    }
    if (!query.get("ProjectName").equals(immProject)) {
      return acsError(ex, silent, 404, "ResourceNotFound", "The specified resource project is not found.");
    }
    Task task = tasks.get(query.get("TaskId"));
    if (task == null || !task.type.equals(query.get("TaskType"))) {
      return acsError(ex, silent, 404, "ResourceNotFound", "The specified resource task is not found.");
    }
    return json(ex, silent, 200, task.json());
  }

  /** Checks ACS3-HMAC-SHA256; returns null when right, else {@code Code: message}. */
  private String authorizeAcs(HttpExchange ex, Map<String, String> query, byte[] body) {
    String auth = header(ex, "Authorization");
    if (auth == null || !auth.startsWith("ACS3-HMAC-SHA256 ")) {
      return "MissingAuthorization: ACS3-HMAC-SHA256 Authorization header is required.";
    }
    Map<String, String> parts = authParts(auth.substring("ACS3-HMAC-SHA256 ".length()));
    String secret = credentials.get(parts.getOrDefault("Credential", ""));
    if (secret == null) {
      return "InvalidAccessKeyId.NotFound: Specified access key is not found.";
    }
    String date = header(ex, "x-acs-date");
    try {
      Instant at = Instant.from(ACS_DATE.parse(date == null ? "" : date));
      if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
        return "InvalidTimeStamp.Expired: Specified time stamp or date value is expired.";
      }
    } catch (DateTimeParseException e) {
      return "InvalidTimeStamp.Format: x-acs-date must look like 2006-01-02T15:04:05Z.";
    }
    String sha = HexFormat.of().formatHex(digest("SHA-256", body));
    if (!sha.equals(header(ex, "x-acs-content-sha256"))) {
      return "SignatureDoesNotMatch: x-acs-content-sha256 is not the SHA-256 of the body.";
    }
    StringBuilder c = new StringBuilder(ex.getRequestMethod()).append("\n/\n");
    List<String> q = new ArrayList<>();
    new TreeMap<>(query).forEach((k, v) -> q.add(rfc3986(k, false) + "=" + rfc3986(v, false)));
    c.append(String.join("&", q)).append('\n');
    String signedHeaders = parts.getOrDefault("SignedHeaders", "");
    for (String name : signedHeaders.split(";")) {
      String v = header(ex, name);
      c.append(name).append(':').append(v == null ? "" : v.trim()).append('\n');
    }
    c.append('\n').append(signedHeaders).append('\n').append(sha);
    String stringToSign = "ACS3-HMAC-SHA256\n" + HexFormat.of().formatHex(digest("SHA-256", c.toString().getBytes(StandardCharsets.UTF_8)));
    String expected = HexFormat.of().formatHex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
    if (!signedHeaders.contains("host") || !signedHeaders.contains("x-acs-date")
        || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), parts.getOrDefault("Signature", "").getBytes(StandardCharsets.UTF_8))) {
      return "SignatureDoesNotMatch: Specified signature is not matched with our calculation. server string to sign is:"
          + stringToSign;
    }
    return null;
  }

  // ---- OSS signatures

  /** Checks an OSS request's V4 or V1 signature; answers the error itself and returns its code, or null. */
  private String authorize(HttpExchange ex, String method, String bucket, String key, Map<String, String> query,
      byte[] body, boolean silent) throws IOException {
    String auth = header(ex, "Authorization");
    if (auth == null) {
      ossError(ex, silent, 403, "AccessDenied", "You have no right to access this object because of bucket acl.", Map.of());
      return "AccessDenied";
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    if (auth.startsWith("OSS4-HMAC-SHA256 ")) {
      Map<String, String> parts = authParts(auth.substring("OSS4-HMAC-SHA256 ".length()));
      String[] credential = parts.getOrDefault("Credential", "").split("/");
      String secret = credential.length == 5 ? credentials.get(credential[0]) : null;
      if (secret == null) {
        ossError(ex, silent, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.",
            Map.of("OSSAccessKeyId", credential.length > 0 ? credential[0] : ""));
        return "InvalidAccessKeyId";
      }
      String date = headers.get("x-oss-date");
      Instant at;
      try {
        at = Instant.from(V4_DATE.parse(date == null ? "" : date));
      } catch (DateTimeParseException e) {
        ossError(ex, silent, 403, "AccessDenied", "x-oss-date must be given as 20060102T150405Z for V4.", Map.of());
        return "AccessDenied";
      }
      if (skewed(ex, at, date, silent)) {
        return "RequestTimeTooSkewed";
      }
      if (!credential[1].equals(date.substring(0, 8)) || !credential[2].equals(region) || !credential[3].equals("oss")
          || !credential[4].equals("aliyun_v4_request")) {
        ossError(ex, silent, 403, "SignatureDoesNotMatch", "Invalid credential scope " + String.join("/", credential)
            + "; this server expects " + date.substring(0, 8) + "/" + region + "/oss/aliyun_v4_request.", Map.of());
        return "SignatureDoesNotMatch";
      }
      Set<String> additional = new TreeSet<>();
      if (parts.containsKey("AdditionalHeaders") && !parts.get("AdditionalHeaders").isEmpty()) {
        additional.addAll(List.of(parts.get("AdditionalHeaders").toLowerCase(Locale.ROOT).split(";")));
      }
      StringBuilder c = new StringBuilder(method).append('\n');
      c.append(rfc3986(resource(bucket, key), true)).append('\n');
      List<String> q = new ArrayList<>();
      query.forEach((k, v) -> q.add(rfc3986(k, false) + (v.isEmpty() ? "" : "=" + rfc3986(v, false))));
      q.sort(null);
      c.append(String.join("&", q)).append('\n');
      new TreeMap<>(headers).forEach((name, value) -> {
        if (name.startsWith("x-oss-") || name.equals("content-type") || name.equals("content-md5") || additional.contains(name)) {
          c.append(name).append(':').append(value.trim()).append('\n');
        }
      });
      c.append('\n').append(String.join(";", additional)).append('\n');
      c.append(headers.getOrDefault("x-oss-content-sha256", "UNSIGNED-PAYLOAD"));
      String canonical = c.toString();
      String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
      String stringToSign = "OSS4-HMAC-SHA256\n" + date + "\n" + scope + "\n"
          + HexFormat.of().formatHex(digest("SHA-256", canonical.getBytes(StandardCharsets.UTF_8)));
      byte[] k = hmac("HmacSHA256", ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), credential[1]);
      k = hmac("HmacSHA256", k, credential[2]);
      k = hmac("HmacSHA256", k, credential[3]);
      k = hmac("HmacSHA256", k, credential[4]);
      String expected = HexFormat.of().formatHex(hmac("HmacSHA256", k, stringToSign));
      String given = parts.getOrDefault("Signature", "");
      if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("OSSAccessKeyId", credential[0]);
        extra.put("SignatureProvided", given);
        extra.put("StringToSign", stringToSign);
        extra.put("CanonicalRequest", canonical);
        ossError(ex, silent, 403, "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            extra, "0002-00000040");
        return "SignatureDoesNotMatch";
      }
      return null;
    }
    if (auth.startsWith("OSS ")) {
      String token = auth.substring(4);
      int colon = token.lastIndexOf(':');
      String secret = colon > 0 ? credentials.get(token.substring(0, colon)) : null;
      if (secret == null) {
        ossError(ex, silent, 403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.",
            Map.of("OSSAccessKeyId", colon > 0 ? token.substring(0, colon) : ""));
        return "InvalidAccessKeyId";
      }
      String date = headers.containsKey("x-oss-date") ? headers.get("x-oss-date") : headers.get("date");
      try {
        if (skewed(ex, ZonedDateTime.parse(date == null ? "" : date, HTTP_DATE).toInstant(), date, silent)) {
          return "RequestTimeTooSkewed";
        }
      } catch (DateTimeParseException e) {
        ossError(ex, silent, 403, "AccessDenied", "V1 needs a Date header in RFC 1123 form.", Map.of());
        return "AccessDenied";
      }
      StringBuilder s = new StringBuilder(method).append('\n')
          .append(headers.getOrDefault("content-md5", "").trim()).append('\n')
          .append(headers.getOrDefault("content-type", "").trim()).append('\n')
          .append(headers.containsKey("date") ? headers.get("date").trim() : date).append('\n');
      new TreeMap<>(headers).forEach((name, value) -> {
        if (name.startsWith("x-oss-")) {
          s.append(name).append(':').append(value.trim()).append('\n');
        }
      });
      s.append(resource(bucket, key));
      TreeMap<String, String> sub = new TreeMap<>();
      query.forEach((qk, qv) -> {
        if (V1_SUBRESOURCES.contains(qk) || qk.startsWith("x-oss-")) {
          sub.put(qk, qv);
        }
      });
      String sep = "?";
      for (Map.Entry<String, String> e : sub.entrySet()) {
        s.append(sep).append(e.getKey()).append(e.getValue().isEmpty() ? "" : "=" + e.getValue());
        sep = "&";
      }
      String expected = token.substring(0, colon) + ":"
          + Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), s.toString()));
      if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("OSSAccessKeyId", token.substring(0, colon));
        extra.put("SignatureProvided", token.substring(colon + 1));
        extra.put("StringToSign", s.toString());
        ossError(ex, silent, 403, "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            extra, "0002-00000040");
        return "SignatureDoesNotMatch";
      }
      return null;
    }
    ossError(ex, silent, 400, "InvalidArgument", "Authorization header is invalid.", Map.of());
    return "InvalidArgument";
  }

  private boolean skewed(HttpExchange ex, Instant at, String given, boolean silent) throws IOException {
    if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) <= 0) {
      return false;
    }
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("RequestTime", given);
    extra.put("ServerTime", HTTP_DATE.format(clock.instant()));
    ossError(ex, silent, 403, "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.", extra, "0002-00000504");
    return true;
  }

  private static Map<String, String> authParts(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return m;
  }

  private static String resource(String bucket, String key) {
    return bucket == null ? "/" : "/" + bucket + "/" + (key == null ? "" : key);
  }

  // ---- answers

  private void common(HttpExchange ex) {
    ex.getResponseHeaders().set("x-oss-request-id", requestId());
    ex.getResponseHeaders().set("Date", HTTP_DATE.format(clock.instant()));
    ex.getResponseHeaders().set("Server", "AliyunOSS");
  }

  private int ossError(HttpExchange ex, boolean silent, int status, String code, String message, Map<String, String> extra)
      throws IOException {
    return ossError(ex, silent, status, code, message, extra, "0000-00000000");
  }

  private int ossError(HttpExchange ex, boolean silent, int status, String code, String message, Map<String, String> extra,
      String ec) throws IOException {
    if (silent) {
      return status;
    }
    common(ex);
    String rid = ex.getResponseHeaders().getFirst("x-oss-request-id");
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
    element(x, "Code", code);
    element(x, "Message", message);
    element(x, "RequestId", rid);
    element(x, "HostId", "127.0.0.1");
    extra.forEach((k, v) -> element(x, k, v));
    element(x, "EC", ec);
    x.append("</Error>\n");
    byte[] bytes = x.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/xml");
    ex.getResponseHeaders().set("x-oss-ec", ec);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    return status;
  }

  private static void element(StringBuilder x, String name, String value) {
    x.append("  <").append(name).append('>').append(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        .append("</").append(name).append(">\n");
  }

  private int acsError(HttpExchange ex, boolean silent, int status, String code, String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("RequestId", UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
    body.put("HostId", "imm." + region + ".aliyuncs.com");
    body.put("Code", code);
    body.put("Message", message);
    return json(ex, silent, status, body);
  }

  private int json(HttpExchange ex, boolean silent, int status, Object body) throws IOException {
    if (silent) {
      return status;
    }
    common(ex);
    byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  // ---- helpers

  private String requestId() {
    return String.format("%024X", requestIds.incrementAndGet()) + HexFormat.of().withUpperCase().formatHex(randomBytes(4));
  }

  private static String header(HttpExchange ex, String name) {
    return ex.getRequestHeaders().getFirst(name);
  }

  private static String rfc3986(String value, boolean keepSlash) {
    StringBuilder s = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '~' || (keepSlash && c == '/')) {
        s.append((char) c);
      } else {
        s.append('%').append(String.format("%02X", c));
      }
    }
    return s.toString();
  }

  private static byte[] hmac(String algorithm, byte[] key, String data) {
    return FakeServer.hmac(algorithm, key, data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(String algorithm, byte[] data) {
    return digest(algorithm).digest(data);
  }

  /** Builds a {@link FakeOssServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private int port;
    private Path dataDir;
    private String region = "cn-hangzhou";
    private String immProject = "mediaflow-fake";
    private OssTaskExecutor executor = SimulatedOssExecutor.builder().build();
    private Duration queueDelay = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds an AccessKey ID and its secret (default: {@code AK} / {@code SK}). */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      credentials.put(Objects.requireNonNull(accessKeyId, "accessKeyId"), Objects.requireNonNull(accessKeySecret, "accessKeySecret"));
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

    public Builder executor(OssTaskExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Sets how long a task waits before it runs (default 100 ms). */
    public Builder queueDelay(Duration delay) {
      this.queueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** Sets the server clock request times are checked against. */
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
