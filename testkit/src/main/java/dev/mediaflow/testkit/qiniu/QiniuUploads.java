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
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The fake Qiniu's uploads: form upload ({@code POST /}) and resumable upload v2 ({@code
 * /buckets/<bucket>/objects/<b64 key>/uploads…}), each checked against its upload token by the
 * {@link QiniuVerifier}. The object's {@code hash} is its qetag; a token's {@code persistentOps}
 * starts a job, and its {@code callbackUrl} is called with the answer passed back. Thread-safe.
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

  Reply form(Request r) throws IOException {
    String type = r.header("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || !type.contains("boundary=")) {
      return replies.error(400, "form upload takes multipart/form-data");
    }
    String boundary =
        type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    Map<String, byte[]> fields = Forms.multipart(r.body(), boundary);
    if (!fields.containsKey("token") || !fields.containsKey("file")) {
      return replies.error(400, "token and file are required");
    }
    String key =
        fields.containsKey("key") ? new String(fields.get("key"), StandardCharsets.UTF_8) : null;
    JsonObject policy;
    try {
      policy = verifier.uploadPolicy(new String(fields.get("token"), StandardCharsets.UTF_8), key);
    } catch (QiniuVerifier.BadToken e) {
      return replies.error(401, e.getMessage());
    }
    String bucket = policy.get("scope").getAsString().split(":", 2)[0];
    byte[] data = fields.get("file");
    objects.put(bucket, key, data);
    String hash = QiniuObjects.etag(data);
    qiniuObjects.stored(bucket, key, hash, partType(r.body(), boundary, "file"));
    return answer(policy, bucket, key, data.length, hash);
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
    JsonObject policy;
    try {
      if (auth == null || !auth.startsWith("UpToken ")) {
        throw new QiniuVerifier.BadToken("bad token: expected 'UpToken <token>'");
      }
      policy = verifier.uploadPolicy(auth.substring("UpToken ".length()), key);
      if (!policy.get("scope").getAsString().split(":", 2)[0].equals(bucket)) {
        throw new QiniuVerifier.BadToken("scope does not match the bucket");
      }
    } catch (QiniuVerifier.BadToken e) {
      return replies.error(401, e.getMessage());
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

  private Reply complete(Request r, JsonObject policy, Upload u, String id) throws IOException {
    JsonArray listed;
    String mimeType;
    try {
      JsonObject body = JsonParser.parseString(r.bodyText()).getAsJsonObject();
      listed = body.getAsJsonArray("parts");
      mimeType = body.has("mimeType") ? body.get("mimeType").getAsString() : null;
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
    Path file = objects.file(u.bucket, u.key);
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".complete-", ".tmp");
    long size = 0;
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (Part p : chosen) {
        size += parts.copy(id, p.number(), out);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    parts.delete(id);
    String hash =
        QiniuObjects.partsEtag(
            chosen.stream().map(Part::etag).toList(), chosen.stream().map(Part::size).toList());
    qiniuObjects.stored(u.bucket, u.key, hash, mimeType);
    return answer(policy, u.bucket, u.key, size, hash);
  }

  /** The {@code Content-Type} of multipart field {@code name}, or null when it has none. */
  static String partType(byte[] body, String boundary, String name) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    for (String part : text.split(java.util.regex.Pattern.quote(delimiter))) {
      int end = part.indexOf("\r\n\r\n");
      if (end < 0) {
        continue;
      }
      String headers = part.substring(0, end);
      if (!headers.contains("name=\"" + name + "\"")) {
        continue;
      }
      for (String line : headers.split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          return line.substring(13).trim();
        }
      }
      return null;
    }
    return null;
  }

  // ---- answers

  private Reply answer(JsonObject policy, String bucket, String key, long size, String hash) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hash", hash);
    out.put("key", key);
    if (policy.has("persistentOps")) {
      try {
        out.put(
            "persistentId",
            processing.start(
                bucket,
                key,
                policy.get("persistentOps").getAsString(),
                policy.has("persistentNotifyUrl")
                    ? policy.get("persistentNotifyUrl").getAsString()
                    : null,
                false,
                policy.has("persistentType") && policy.get("persistentType").getAsInt() == 1,
                policy.has("persistentPipeline")
                    ? policy.get("persistentPipeline").getAsString()
                    : null,
                null));
      } catch (QiniuFops.Invalid e) {
        return replies.error(400, "invalid persistentOps: " + e.getMessage());
      }
    }
    if (policy.has("callbackUrl")) {
      String cb =
          policy
              .get("callbackBody")
              .getAsString()
              .replace("$(bucket)", bucket)
              .replace("$(key)", key)
              .replace("$(fsize)", String.valueOf(size))
              .replace("$(etag)", hash)
              .replace("$(persistentId)", String.valueOf(out.getOrDefault("persistentId", "")));
      String type =
          policy.has("callbackBodyType")
              ? policy.get("callbackBodyType").getAsString()
              : "application/x-www-form-urlencoded";
      QiniuNotifications.Outcome o =
          notifications.callback(
              policy.get("callbackUrl").getAsString(), type, cb, callbackCredentials.get());
      if (o.error() != null) {
        return replies.error(579, o.error());
      }
      if (o.status() != 200) {
        return replies.error(579, "callback failed: " + o.status());
      }
      return Reply.body(200, "application/json", o.body().getBytes(StandardCharsets.UTF_8));
    }
    return replies.json(200, out);
  }
}
