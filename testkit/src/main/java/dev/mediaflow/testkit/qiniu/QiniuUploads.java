package dev.mediaflow.testkit.qiniu;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Forms;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.PartFiles;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The fake Qiniu's uploads: form upload ({@code POST /}) and resumable upload v2 ({@code
 * /buckets/<bucket>/objects/<b64 key>/uploads…}), each checked against its upload token by the
 * {@link QiniuVerifier}, then held to the token's put policy ({@link QiniuPolicy}). The object's
 * {@code hash} is its qetag; a token's {@code persistentOps} starts a job, its {@code callbackUrl}
 * is called with the answer passed back, else its {@code returnBody} is the answer. Multipart
 * bodies are parsed in memory, as the server reads them. Thread-safe.
 */
final class QiniuUploads {
  private record Part(int number, long size, String etag, String md5) {}

  private record Upload(String bucket, String key, Map<Integer, Part> parts) {}

  private final FakeObjects objects;
  private final QiniuObjects qiniuObjects;
  private final QiniuVerifier verifier;
  private final QiniuProcessing processing;
  private final QiniuNotifications notifications;
  private final QiniuReplies replies;
  private final Clock clock;
  private final Supplier<Map.Entry<String, String>> callbackCredentials;
  private final PartFiles parts;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  QiniuUploads(
      FakeObjects objects,
      QiniuObjects qiniuObjects,
      QiniuVerifier verifier,
      QiniuProcessing processing,
      QiniuNotifications notifications,
      QiniuReplies replies,
      Clock clock,
      Supplier<Map.Entry<String, String>> callbackCredentials) {
    this.objects = objects;
    this.qiniuObjects = qiniuObjects;
    this.verifier = verifier;
    this.processing = processing;
    this.notifications = notifications;
    this.replies = replies;
    this.clock = clock;
    this.callbackCredentials = callbackCredentials;
    this.parts = new PartFiles(objects.root().resolve(".qiniu-uploads"));
  }

  List<String> openUploads() {
    return List.copyOf(uploads.keySet());
  }

  // ---- form upload

  /**
   * {@code POST /} with multipart/form-data ({@code token}, {@code key}, {@code x:} variables,
   * {@code crc32}, then {@code file}): the token checked, then its policy's limits (scope, size,
   * MIME type, create-only) once the key and content are known, each refused with Qiniu's answer
   * (https://developer.qiniu.com/kodo/1272/form-upload).
   */
  Reply form(Request r) throws IOException {
    String type = r.header("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || !type.contains("boundary=")) {
      return replies.error(400, "form upload takes multipart/form-data");
    }
    String boundary =
        type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    int semicolon = boundary.indexOf(';');
    if (semicolon >= 0) {
      boundary = boundary.substring(0, semicolon).trim();
    }
    Map<String, byte[]> fields = Forms.multipart(r.body(), boundary);
    if (!fields.containsKey("token")) {
      return replies.error(401, "token not specified");
    }
    if (!fields.containsKey("file")) {
      return replies.error(400, "file is required");
    }
    String sentKey = text(fields, "key");
    QiniuPolicy policy;
    try {
      policy = verifier.uploadPolicy(text(fields, "token"));
    } catch (QiniuVerifier.BadToken e) {
      return replies.error(401, e.getMessage());
    }
    byte[] data = fields.get("file");
    String crc = text(fields, "crc32");
    if (crc != null) {
      java.util.zip.CRC32 crc32 = new java.util.zip.CRC32();
      crc32.update(data);
      if (!crc.trim().equals(String.valueOf(crc32.getValue()))) {
        return replies.error(406, "crc32 not match");
      }
    }
    Map<String, String> custom = new LinkedHashMap<>();
    fields.forEach(
        (name, value) -> {
          if (name.startsWith("x:")) {
            custom.put(name, new String(value, StandardCharsets.UTF_8));
          }
        });
    String[] part = part(r.body(), boundary, "file");
    String hash = QiniuObjects.etag(data);
    String fileName = part[1];
    String bucket = policy.bucket();
    Map<String, String> vars;
    String key;
    try {
      String mimeType =
          policy.mimeType(
              part[0], fileName, sentKey, Arrays.copyOf(data, Math.min(data.length, 64)));
      vars = policy.variables(null, hash, data.length, mimeType, fileName, clock.instant(), custom);
      key = policy.key(sentKey, vars);
      vars.put("key", key);
      policy.checkScope(key);
      policy.checkSize(data.length);
      policy.checkMimeType(mimeType);
      synchronized (this) {
        Optional<byte[]> existing = objects.get(bucket, key);
        if (existing.isPresent() && policy.insertOnly() && !Arrays.equals(existing.get(), data)) {
          throw new QiniuPolicy.Refused(614, "file exists");
        }
        objects.put(bucket, key, data);
        qiniuObjects.stored(bucket, key, hash, mimeType);
      }
    } catch (QiniuPolicy.Refused e) {
      return replies.error(e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return replies.error(400, "invalid key: " + e.getMessage());
    }
    return answer(policy, vars);
  }

  private static String text(Map<String, byte[]> fields, String name) {
    byte[] v = fields.get(name);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  // ---- resumable v2

  Reply v2(Request r) throws IOException {
    String[] seg = r.rawPath().substring(1).split("/");
    // buckets/<bucket>/objects/<b64key>/uploads[/<id>[/<n>]]
    if (seg.length < 5
        || !seg[0].equals("buckets")
        || !seg[2].equals("objects")
        || !seg[4].equals("uploads")) {
      return replies.error(404, "no such API on the fake Qiniu server");
    }
    String bucket = seg[1];
    String key =
        seg[3].equals("~")
            ? null
            : new String(Base64.getUrlDecoder().decode(seg[3]), StandardCharsets.UTF_8);
    String auth = r.header("Authorization");
    QiniuPolicy policy;
    try {
      if (auth == null || !auth.startsWith("UpToken ")) {
        throw new QiniuVerifier.BadToken("bad token");
      }
      policy = verifier.uploadPolicy(auth.substring("UpToken ".length()));
      if (!policy.bucket().equals(bucket)) {
        throw new QiniuVerifier.BadToken("bad token");
      }
    } catch (QiniuVerifier.BadToken e) {
      return replies.error(401, e.getMessage());
    }
    if (key != null) {
      try {
        policy.checkScope(key);
      } catch (QiniuPolicy.Refused e) {
        return replies.error(e.status(), e.getMessage());
      }
    }
    String method = r.method();
    if (seg.length == 5 && method.equals("POST")) {
      String id = "fake" + UUID.randomUUID().toString().replace("-", "");
      uploads.put(id, new Upload(bucket, key, new ConcurrentSkipListMap<>()));
      return replies.json(
          200, Map.of("uploadId", id, "expireAt", clock.instant().getEpochSecond() + 7 * 86400));
    }
    Upload u = seg.length >= 6 ? uploads.get(seg[5]) : null;
    if (u == null || !u.bucket.equals(bucket) || !Objects.equals(u.key, key)) {
      return replies.error(612, "no such uploadId");
    }
    String id = seg[5];
    if (seg.length == 7 && method.equals("PUT")) {
      int n = Integer.parseInt(seg[6]);
      if (n < 1 || n > 10_000) {
        return replies.error(400, "invalid part number");
      }
      byte[] body = r.body();
      parts.write(id, n, body);
      Part p =
          new Part(
              n,
              body.length,
              QiniuObjects.etag(body),
              HexFormat.of().formatHex(Hashes.digest("MD5", body)));
      u.parts.put(n, p);
      return replies.json(200, Map.of("etag", p.etag(), "md5", p.md5()));
    }
    if (seg.length == 6 && method.equals("GET")) {
      return listParts(r, u, id);
    }
    if (seg.length == 6 && method.equals("DELETE")) {
      uploads.remove(id);
      parts.delete(id);
      return replies.json(200, Map.of());
    }
    if (seg.length == 6 && method.equals("POST")) {
      return complete(r, policy, u, id);
    }
    return replies.error(405, "method not allowed");
  }

  private Reply listParts(Request r, Upload u, String id) {
    Map<String, String> q = r.query();
    int marker = Integer.parseInt(q.getOrDefault("part-number-marker", "0"));
    int max = Integer.parseInt(q.getOrDefault("max-parts", "1000"));
    List<Map<String, Object>> listed = new ArrayList<>();
    int last = 0;
    for (Part p : u.parts.values()) {
      if (p.number() > marker && listed.size() < max) {
        listed.add(
            Map.of("partNumber", p.number(), "size", p.size(), "etag", p.etag(), "putTime", 0));
        last = p.number();
      }
    }
    boolean more =
        u.parts.values().stream().filter(p -> p.number() > marker).count() > listed.size();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("uploadId", id);
    out.put("partNumberMarker", more ? last : 0);
    out.put("parts", listed);
    return replies.json(200, out);
  }

  /**
   * Completes a v2 upload: the parts joined, then the policy's limits checked on the whole object
   * (Qiniu checks them when the object is created), its key from {@code saveKey} or the path.
   */
  private Reply complete(Request r, QiniuPolicy policy, Upload u, String id) throws IOException {
    JsonArray listed;
    String mimeType;
    String fileName;
    Map<String, String> custom = new LinkedHashMap<>();
    try {
      JsonObject body = JsonParser.parseString(r.bodyText()).getAsJsonObject();
      listed = body.getAsJsonArray("parts");
      mimeType = body.has("mimeType") ? body.get("mimeType").getAsString() : null;
      fileName = body.has("fname") ? body.get("fname").getAsString() : null;
      if (body.has("customVars") && body.get("customVars").isJsonObject()) {
        body.getAsJsonObject("customVars")
            .entrySet()
            .forEach(e -> custom.put(e.getKey(), e.getValue().getAsString()));
      }
    } catch (RuntimeException e) {
      return replies.error(400, "invalid JSON body");
    }
    List<Part> chosen = new ArrayList<>();
    int last = 0;
    for (JsonElement e : listed) {
      int n = e.getAsJsonObject().get("partNumber").getAsInt();
      Part p = u.parts.get(n);
      if (p == null
          || !p.etag().equals(e.getAsJsonObject().get("etag").getAsString())
          || n <= last) {
        return replies.error(400, "invalid part " + n + ": unknown, wrong etag, or out of order");
      }
      if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).size() < (1 << 20)) {
        return replies.error(400, "every part but the last must be at least 1 MiB");
      }
      last = n;
      chosen.add(p);
    }
    if (uploads.remove(id) == null) {
      return replies.error(612, "no such uploadId");
    }
    Path dir = objects.root().resolve(".qiniu-complete");
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".complete-", ".tmp");
    try {
      long size = 0;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        for (Part p : chosen) {
          size += parts.copy(id, p.number(), out);
        }
      }
      parts.delete(id);
      String hash =
          QiniuObjects.partsEtag(
              chosen.stream().map(Part::etag).toList(), chosen.stream().map(Part::size).toList());
      byte[] head;
      try (java.io.InputStream in = Files.newInputStream(tmp)) {
        head = in.readNBytes(64);
      }
      String type = policy.mimeType(mimeType, fileName, u.key, head);
      Map<String, String> vars =
          policy.variables(u.key, hash, size, type, fileName, clock.instant(), custom);
      String key = policy.key(u.key, vars);
      vars.put("key", key);
      policy.checkScope(key);
      policy.checkSize(size);
      policy.checkMimeType(type);
      Path file = objects.file(u.bucket, key);
      Files.createDirectories(file.getParent());
      synchronized (this) {
        if (Files.isRegularFile(file) && policy.insertOnly() && Files.mismatch(tmp, file) >= 0) {
          throw new QiniuPolicy.Refused(614, "file exists");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        qiniuObjects.stored(u.bucket, key, hash, type);
      }
      return answer(policy, vars);
    } catch (QiniuPolicy.Refused e) {
      return replies.error(e.status(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return replies.error(400, "invalid key: " + e.getMessage());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The {@code Content-Type} and file name of multipart field {@code name}: {@code [type, name]},
   * each null when absent.
   */
  static String[] part(byte[] body, String boundary, String name) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    for (String part : text.split(java.util.regex.Pattern.quote(delimiter))) {
      int end = part.indexOf("\r\n\r\n");
      if (end < 0) {
        continue;
      }
      // header bytes are UTF-8 (browsers send file names so)
      String headers =
          new String(part.substring(0, end).getBytes(StandardCharsets.ISO_8859_1), UTF8);
      if (!headers.contains("name=\"" + name + "\"")) {
        continue;
      }
      String type = null;
      String file = null;
      for (String line : headers.split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          type = line.substring(13).trim();
        }
        java.util.regex.Matcher m = FILENAME.matcher(line);
        if (line.regionMatches(true, 0, "Content-Disposition:", 0, 20) && m.find()) {
          file = m.group(1);
        }
      }
      return new String[] {type, file};
    }
    return new String[] {null, null};
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
  private static final java.util.regex.Pattern FILENAME =
      java.util.regex.Pattern.compile("filename=\"([^\"]*)\"");

  // ---- answers

  /**
   * Answers a stored upload: starts {@code persistentOps}, then calls {@code callbackUrl} and hands
   * its answer back (579 when it fails), else renders {@code returnBody}, else {@code {"hash",
   * "key"}}; each with {@code X-Reqid} and the hash as {@code ETag}.
   */
  private Reply answer(QiniuPolicy policy, Map<String, String> vars) {
    String bucket = policy.bucket();
    String key = vars.get("key");
    String hash = vars.get("etag");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hash", hash);
    out.put("key", key);
    if (policy.has("persistentOps")) {
      try {
        String persistentId =
            processing.start(
                bucket,
                key,
                policy.text("persistentOps"),
                policy.text("persistentNotifyUrl"),
                false,
                policy.number("persistentType") == 1,
                policy.text("persistentPipeline"),
                null);
        out.put("persistentId", persistentId);
        vars.put("persistentId", persistentId);
      } catch (QiniuFops.Invalid e) {
        return replies.error(400, "invalid persistentOps: " + e.getMessage());
      }
    }
    String etag = "\"" + hash + "\"";
    if (policy.has("callbackUrl")) {
      String type =
          policy.has("callbackBodyType")
              ? policy.text("callbackBodyType")
              : "application/x-www-form-urlencoded";
      String cb =
          QiniuPolicy.render(
              policy.text("callbackBody"),
              vars,
              type.toLowerCase(Locale.ROOT).startsWith("application/json"));
      QiniuNotifications.Outcome o =
          notifications.callback(policy.text("callbackUrl"), type, cb, callbackCredentials.get());
      if (o.error() != null) {
        return replies.error(579, o.error());
      }
      if (o.status() != 200) {
        return replies.error(579, "callback failed: " + o.status());
      }
      return Reply.body(200, "application/json", o.body().getBytes(StandardCharsets.UTF_8))
          .header("X-Reqid", replies.reqid())
          .header("ETag", etag);
    }
    if (policy.has("returnBody")) {
      return Reply.body(
              200,
              "application/json",
              QiniuPolicy.render(policy.text("returnBody"), vars, true)
                  .getBytes(StandardCharsets.UTF_8))
          .header("X-Reqid", replies.reqid())
          .header("ETag", etag);
    }
    return replies.json(200, out).header("ETag", etag);
  }
}
