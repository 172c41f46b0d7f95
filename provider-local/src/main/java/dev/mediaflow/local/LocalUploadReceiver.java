package dev.mediaflow.local;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.local.LocalMultipart.Malformed;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the form POSTs and the PUTs of local upload grants ({@code LocalUploadGrants}): checks the
 * signed policy, enforces its limits while the file streams into a work file, moves the file into
 * place, then runs the granted pipeline and makes the granted callback. Answers and error codes are
 * in {@code docs/local-server.md}.
 */
final class LocalUploadReceiver {
  private static final Logger log = LoggerFactory.getLogger(LocalUploadReceiver.class);
  private static final Set<String> FIELDS = Set.of("key", "policy", "signature");
  private static final Set<String> PUT_PARAMETERS = Set.of("policy", "signature");
  private static final int MAX_FIELD = 256 * 1024;
  private static final int MAX_CALLBACK_ANSWER = 64 * 1024;
  private static final String CALLBACK_SCHEME = "MEDIAFLOW-LOCAL-CALLBACK-HMAC-SHA256";
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,16}");

  /** A request the server refuses: the HTTP status, an error code and a message. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private final LocalStore store;
  private final LocalDeliverySettings delivery;
  private final Clock clock;
  private final Supplier<LocalJobClient> jobs;
  private final String instance;
  private volatile OkHttpClient http;

  LocalUploadReceiver(
      LocalStore store,
      LocalDeliverySettings delivery,
      Clock clock,
      Supplier<LocalJobClient> jobs,
      String instance) {
    this.store = store;
    this.delivery = delivery;
    this.clock = clock;
    this.jobs = jobs;
    this.instance = instance;
  }

  /** Handles a POST to {@code /<bucket>}; returns the status sent. */
  int receive(HttpExchange ex, String bucket) throws IOException {
    try {
      LocalMultipart form =
          LocalMultipart.of(ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestBody());
      Map<String, String> fields = new LinkedHashMap<>();
      LocalMultipart.Part file = null;
      for (LocalMultipart.Part p; (p = form.next()) != null; ) {
        if (p.name().equals(LocalUploadGrants.FILE_FIELD)) {
          file = p;
          break;
        }
        if (fields.size() == 16 || fields.put(p.name(), form.readText(MAX_FIELD)) != null) {
          throw new Refused(400, "MalformedForm", "a form field is repeated, or too many fields");
        }
      }
      if (file == null) {
        throw new Refused(
            400, "MalformedForm", "the form has no '" + LocalUploadGrants.FILE_FIELD + "' field");
      }
      LocalUploadPolicy policy = policy(fields, FIELDS, bucket);
      String contentType = file.contentType() == null ? "" : file.contentType().trim();
      checkType(policy, contentType);
      String key = policy.keyName() == KeyName.CONTENT_HASH ? null : key(policy, fields, file);
      return store(
          ex,
          bucket,
          policy,
          key,
          contentType,
          file.fileName(),
          new Body() {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException, Malformed {
              return form.read(buf, off, len);
            }

            @Override
            public void end() throws IOException, Malformed, Refused {
              if (form.next() != null) {
                throw new Refused(
                    400,
                    "MalformedForm",
                    "the file must be the last field (field '"
                        + LocalUploadGrants.FILE_FIELD
                        + "' is followed by another)");
              }
            }
          });
    } catch (LocalMultipart.Malformed e) {
      return error(ex, 400, "MalformedForm", e.getMessage());
    } catch (Refused e) {
      return error(ex, e.status, e.code, e.getMessage());
    }
  }

  /**
   * Handles a PUT of the bare file to {@code /<bucket>/<key>?policy=..&signature=..} (a PUT grant,
   * always of an exact key); returns the status sent.
   */
  int receivePut(HttpExchange ex, MediaObject object) throws IOException {
    try {
      LocalUploadPolicy policy =
          policy(query(ex.getRequestURI().getRawQuery()), PUT_PARAMETERS, object.bucket());
      if (policy.key() == null || !policy.key().equals(object.key())) {
        throw new Refused(403, "KeyOutsideGrant", "the key is not the granted one");
      }
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      String contentType = type == null ? "" : type.trim();
      checkType(policy, contentType);
      InputStream in = ex.getRequestBody();
      return store(ex, object.bucket(), policy, policy.key(), contentType, null, in::read);
    } catch (LocalMultipart.Malformed e) {
      return error(ex, 400, "MalformedForm", e.getMessage());
    } catch (Refused e) {
      return error(ex, e.status, e.code, e.getMessage());
    }
  }

  /** Where an upload's bytes come from: the file part of a form, or a PUT's body. */
  private interface Body {
    int read(byte[] buf, int off, int len) throws IOException, Malformed;

    /** Checks what follows the file once it is read. */
    default void end() throws IOException, Malformed, Refused {}
  }

  /**
   * Stores an upload whose grant was checked: refuses an existing object unless the grant replaces
   * it, streams the body into a work file while enforcing the size range, moves it into place, runs
   * the granted pipeline and callback, and answers.
   *
   * @param key the key, or null to name the object by its content's hash under the prefix
   * @param fileName the uploaded file's name (for the extension of a content-hash key), or null
   */
  private int store(
      HttpExchange ex,
      String bucket,
      LocalUploadPolicy policy,
      String key,
      String contentType,
      String fileName,
      Body body)
      throws IOException, Malformed, Refused {
    Path work = null;
    try {
      Path target = key == null ? null : target(bucket, key);
      if (target != null && !policy.overwrite() && Files.exists(target)) {
        throw exists(key);
      }

      Files.createDirectories(store.workRoot());
      work = Files.createTempFile(store.workRoot(), "grant-", ".part");
      MessageDigest sha = sha256();
      long size = 0;
      try (OutputStream out = Files.newOutputStream(work)) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = body.read(buf, 0, buf.length)) >= 0; ) {
          size += n;
          if (size > policy.maxSize()) {
            // Stop reading now: the rest of the body is never stored.
            throw new Refused(
                413,
                "EntityTooLarge",
                "the file is larger than the grant's " + policy.maxSize() + " bytes");
          }
          sha.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      if (size < policy.minSize()) {
        throw new Refused(
            400,
            "EntityTooSmall",
            "the file has " + size + " bytes, less than the grant's " + policy.minSize());
      }
      body.end();
      String hash = HexFormat.of().formatHex(sha.digest());
      if (key == null) {
        key = policy.prefix() + hash + extension(fileName);
        target = target(bucket, key);
      }
      try {
        if (policy.overwrite()) {
          store.commit(work, target);
        } else {
          store.commitNew(work, target);
        }
      } catch (FileAlreadyExistsException e) {
        throw exists(key);
      }

      JsonObject answer = new JsonObject();
      answer.addProperty("bucket", bucket);
      answer.addProperty("key", key);
      answer.addProperty("size", size);
      answer.addProperty("sha256", hash);
      answer.addProperty("contentType", contentType);
      int status = 201;
      if (policy.process() != null) {
        try {
          Pipeline pipeline = PipelineSpec.parse(policy.process());
          JobId id = jobs.get().submit(pipeline).withInstance(instance);
          answer.addProperty("jobId", id.toString());
        } catch (MediaException e) {
          log.warn("local media server: the pipeline granted for {} did not start", key, e);
          answer.addProperty("code", "ProcessNotStarted");
          answer.addProperty("error", "the object is stored; its pipeline did not start");
          status = 500;
        }
      }
      if (policy.callback() != null && status == 201) {
        status = callback(policy.callback(), bucket, key, size, contentType, answer);
      }
      ex.getResponseHeaders().set("ETag", "\"" + hash + "\"");
      return send(ex, status, answer);
    } finally {
      if (work != null) {
        Files.deleteIfExists(work);
      }
    }
  }

  /** Refuses a file whose media type the grant does not allow. */
  private static void checkType(LocalUploadPolicy policy, String contentType) throws Refused {
    if (!policy.allowsType(contentType)) {
      throw new Refused(
          415,
          "ContentTypeNotAllowed",
          "the grant does not allow files of type '"
              + (contentType.isEmpty() ? "(none)" : contentType)
              + "', only "
              + policy.contentTypes());
    }
  }

  /** The parameters of a PUT's query, percent-decoded; a repeated one is refused. */
  private static Map<String, String> query(String rawQuery) throws Refused {
    Map<String, String> q = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      try {
        String value = LocalUrl.decode(eq < 0 ? "" : pair.substring(eq + 1), name);
        if (q.put(LocalUrl.decode(name, "query"), value) != null) {
          throw new Refused(400, "MalformedQuery", "parameter '" + name + "' is repeated");
        }
      } catch (MediaValidationException e) {
        throw new Refused(400, "MalformedQuery", e.getMessage());
      }
    }
    return q;
  }

  /** Checks the signature, the expiry, the bucket and the fields; returns the policy. */
  private LocalUploadPolicy policy(Map<String, String> fields, Set<String> allowed, String bucket)
      throws Refused {
    String encoded = fields.get("policy");
    String signature = fields.get("signature");
    if (encoded == null || signature == null) {
      throw new Refused(403, "AccessDenied", "the request has no policy or no signature");
    }
    if (!LocalUploadPolicy.isSigned(delivery.signingKey(), encoded, signature)) {
      throw new Refused(403, "SignatureDoesNotMatch", "the policy's signature does not match");
    }
    LocalUploadPolicy policy;
    try {
      policy = LocalUploadPolicy.decode(encoded);
    } catch (MediaValidationException e) {
      throw new Refused(400, "InvalidPolicy", "the policy cannot be read");
    }
    if (clock.instant().getEpochSecond() >= policy.expiration()) {
      throw new Refused(403, "GrantExpired", "the grant has expired");
    }
    if (!policy.bucket().equals(bucket)) {
      throw new Refused(403, "KeyOutsideGrant", "the grant is for another bucket");
    }
    for (String name : fields.keySet()) {
      if (!allowed.contains(name)) {
        throw new Refused(403, "FieldNotAllowed", "the grant has no field '" + name + "'");
      }
    }
    return policy;
  }

  /** The key the upload writes to (for every key name but the content hash, known up front). */
  private static String key(
      LocalUploadPolicy policy, Map<String, String> fields, LocalMultipart.Part file)
      throws Refused {
    String sent = fields.get("key");
    if (policy.key() != null) {
      if (sent != null && !sent.equals(policy.key())) {
        throw new Refused(403, "KeyOutsideGrant", "the key is not the granted one");
      }
      return policy.key();
    }
    if (policy.keyName() == KeyName.CHOSEN_BY_UPLOADER) {
      if (sent == null || !sent.startsWith(policy.prefix()) || sent.equals(policy.prefix())) {
        throw new Refused(
            403, "KeyOutsideGrant", "the key must start with '" + policy.prefix() + "'");
      }
      return sent;
    }
    if (sent != null && !sent.equals(policy.keyField())) {
      throw new Refused(
          403,
          "KeyOutsideGrant",
          "the key is chosen by the server: send '" + policy.keyField() + "'");
    }
    return policy.prefix() + fileName(file.fileName());
  }

  /** The uploaded file's name as the last segment of a key, or refused. */
  static String fileName(String raw) throws Refused {
    String name = raw == null ? "" : raw;
    // Old browsers send the whole path; keep its last segment.
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    name = Normalizer.normalize(name, Normalizer.Form.NFC);
    StringBuilder b = new StringBuilder(name.length());
    name.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '_' : c));
    name = b.toString().strip();
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new Refused(
          400, "InvalidFileName", "the file name cannot be a key: give a name of 1 to 255 bytes");
    }
    return name;
  }

  /** {@code .ext} of a file name, lower case, when it is 1 to 16 letters and digits; else "". */
  static String extension(String fileName) {
    if (fileName == null) {
      return "";
    }
    String name = fileName.substring(fileName.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return "";
    }
    String ext = name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    return EXTENSION.matcher(ext).matches() ? "." + ext : "";
  }

  private Path target(String bucket, String key) throws Refused {
    try {
      return store.resolve(MediaObject.of(bucket, key), "key");
    } catch (MediaValidationException e) {
      throw new Refused(400, "InvalidKey", e.getMessage());
    }
  }

  private static Refused exists(String key) {
    return new Refused(
        409,
        "ObjectAlreadyExists",
        "an object exists at this key and the grant does not replace it");
  }

  // ---- callback

  /**
   * Makes the granted callback; returns 201 when the application answered 2xx, else 203 (the object
   * is stored), as OSS answers {@code CallbackFailed}.
   */
  private int callback(
      UploadCallback callback,
      String bucket,
      String key,
      long size,
      String contentType,
      JsonObject answer) {
    String body =
        callback
            .body()
            .replace("${bucket}", value(bucket, callback.json()))
            .replace("${object}", value(key, callback.json()))
            .replace("${size}", Long.toString(size))
            .replace("${mimeType}", value(contentType, callback.json()));
    Request.Builder request =
        new Request.Builder()
            .url(callback.url())
            .header(
                "X-Mediaflow-Signature",
                LocalUrl.sign(delivery.signingKey(), CALLBACK_SCHEME + "\n" + body))
            .post(
                RequestBody.create(
                    body.getBytes(StandardCharsets.UTF_8),
                    MediaType.get(
                        callback.json()
                            ? "application/json; charset=utf-8"
                            : "application/x-www-form-urlencoded")));
    callback.host().ifPresent(h -> request.header("Host", h));
    JsonObject result = new JsonObject();
    answer.add("callback", result);
    try (Response r = http().newCall(request.build()).execute()) {
      result.addProperty("status", r.code());
      BufferedSource source = r.body().source();
      source.request(MAX_CALLBACK_ANSWER);
      Buffer read = source.getBuffer();
      result.addProperty(
          "body",
          read.readString(Math.min(read.size(), MAX_CALLBACK_ANSWER), StandardCharsets.UTF_8));
      if (r.isSuccessful()) {
        return 201;
      }
      answer.addProperty("code", "CallbackFailed");
      answer.addProperty("error", "the application answered the callback with HTTP " + r.code());
    } catch (IOException | IllegalArgumentException e) {
      answer.addProperty("code", "CallbackFailed");
      answer.addProperty("error", "the callback could not be sent: " + e.getMessage());
    }
    return 203;
  }

  /** A variable's value as it goes into the body: JSON-escaped, or form-encoded. */
  private static String value(String v, boolean json) {
    if (json) {
      String quoted = new com.google.gson.JsonPrimitive(v).toString();
      return quoted.substring(1, quoted.length() - 1);
    }
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private OkHttpClient http() {
    OkHttpClient c = http;
    if (c == null) {
      synchronized (this) {
        if (http == null) {
          http =
              new OkHttpClient.Builder()
                  .connectTimeout(Duration.ofSeconds(5))
                  .readTimeout(Duration.ofSeconds(10))
                  .callTimeout(Duration.ofSeconds(15))
                  .followRedirects(false)
                  .build();
        }
        c = http;
      }
    }
    return c;
  }

  /** Releases the callback client's threads and connections. */
  void close() {
    OkHttpClient c = http;
    if (c != null) {
      c.dispatcher().executorService().shutdown();
      c.connectionPool().evictAll();
    }
  }

  // ---- answers

  static int error(HttpExchange ex, int status, String code, String message) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    o.addProperty("code", code);
    ex.getResponseHeaders().remove("ETag");
    return send(ex, status, o);
  }

  static int send(HttpExchange ex, int status, JsonObject body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    LocalMediaServer.sendHeaders(ex, status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
    return status;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
