package dev.mediaflow.testkit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The fake Qiniu server's uploads: form upload ({@code POST /}) and resumable upload v2
 * ({@code /buckets/<bucket>/objects/<b64 key>/uploads…}), each checked against its upload token (signature,
 * scope, deadline). The object's {@code hash} is its qetag, computed here independently; a token's
 * {@code persistentOps} starts a job, and its {@code callbackUrl} is called (signed {@code QBox}) with the answer
 * passed back. Thread-safe.
 */
final class QiniuUploadHandler {
  private record Part(int number, long size, String etag, String md5) {}

  private record Upload(String bucket, String key, Map<Integer, Part> parts) {}

  private final FakeQiniuServer server;
  private final Path dir;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  QiniuUploadHandler(FakeQiniuServer server) {
    this.server = server;
    this.dir = server.dataDir().resolve(".qiniu-uploads");
  }

  List<String> openUploads() {
    return List.copyOf(uploads.keySet());
  }

  // ---- form upload

  int form(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !type.contains("boundary=")) {
      return server.error(ex, silent, 400, "form upload takes multipart/form-data");
    }
    String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    Map<String, byte[]> fields = multipart(body, boundary);
    if (!fields.containsKey("token") || !fields.containsKey("file")) {
      return server.error(ex, silent, 400, "token and file are required");
    }
    String key = fields.containsKey("key") ? new String(fields.get("key"), StandardCharsets.UTF_8) : null;
    JsonObject policy;
    try {
      policy = policy(new String(fields.get("token"), StandardCharsets.UTF_8), key);
    } catch (BadToken e) {
      return server.error(ex, silent, 401, e.getMessage());
    }
    String bucket = policy.get("scope").getAsString().split(":", 2)[0];
    byte[] data = fields.get("file");
    server.objects().put(bucket, key, data);
    String hash = etag(data);
    server.stored(bucket, key, hash);
    return answer(ex, silent, policy, bucket, key, data.length, hash);
  }

  // ---- resumable v2

  int v2(HttpExchange ex, byte[] body, boolean silent) throws IOException {
    String[] seg = ex.getRequestURI().getRawPath().substring(1).split("/");
    // buckets/<bucket>/objects/<b64key>/uploads[/<id>[/<n>]]
    if (seg.length < 5 || !seg[0].equals("buckets") || !seg[2].equals("objects") || !seg[4].equals("uploads")) {
      return server.error(ex, silent, 404, "no such API on the fake Qiniu server");
    }
    String bucket = seg[1];
    String key = seg[3].equals("~") ? null : new String(Base64.getUrlDecoder().decode(seg[3]), StandardCharsets.UTF_8);
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    JsonObject policy;
    try {
      if (auth == null || !auth.startsWith("UpToken ")) {
        throw new BadToken("bad token: expected 'UpToken <token>'");
      }
      policy = policy(auth.substring("UpToken ".length()), key);
      if (!policy.get("scope").getAsString().split(":", 2)[0].equals(bucket)) {
        throw new BadToken("scope does not match the bucket");
      }
    } catch (BadToken e) {
      return server.error(ex, silent, 401, e.getMessage());
    }
    String method = ex.getRequestMethod();
    if (seg.length == 5 && method.equals("POST")) {
      String id = "fake" + UUID.randomUUID().toString().replace("-", "");
      uploads.put(id, new Upload(bucket, key, new ConcurrentSkipListMap<>()));
      return server.json(ex, silent, 200, Map.of("uploadId", id, "expireAt", server.clock.instant().getEpochSecond() + 7 * 86400));
    }
    Upload u = seg.length >= 6 ? uploads.get(seg[5]) : null;
    if (u == null || !u.bucket.equals(bucket) || !java.util.Objects.equals(u.key, key)) {
      return server.error(ex, silent, 612, "no such uploadId");
    }
    String id = seg[5];
    if (seg.length == 7 && method.equals("PUT")) {
      int n = Integer.parseInt(seg[6]);
      if (n < 1 || n > 10_000) {
        return server.error(ex, silent, 400, "invalid part number");
      }
      Path file = dir.resolve(id).resolve(String.valueOf(n));
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".part-", ".tmp");
      Files.write(tmp, body);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Part p = new Part(n, body.length, etag(body), HexFormat.of().formatHex(FakeServer.digest("MD5").digest(body)));
      u.parts.put(n, p);
      return server.json(ex, silent, 200, Map.of("etag", p.etag(), "md5", p.md5()));
    }
    if (seg.length == 6 && method.equals("GET")) {
      Map<String, String> q = FakeServer.pairs(ex.getRequestURI().getRawQuery());
      int marker = Integer.parseInt(q.getOrDefault("part-number-marker", "0"));
      int max = Integer.parseInt(q.getOrDefault("max-parts", "1000"));
      List<Map<String, Object>> parts = new ArrayList<>();
      int last = 0;
      for (Part p : u.parts.values()) {
        if (p.number() > marker && parts.size() < max) {
          parts.add(Map.of("partNumber", p.number(), "size", p.size(), "etag", p.etag(), "putTime", 0));
          last = p.number();
        }
      }
      boolean more = u.parts.values().stream().filter(p -> p.number() > marker).count() > parts.size();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("uploadId", id);
      out.put("partNumberMarker", more ? last : 0);
      out.put("parts", parts);
      return server.json(ex, silent, 200, out);
    }
    if (seg.length == 6 && method.equals("DELETE")) {
      uploads.remove(id);
      FakeServer.deleteTree(dir.resolve(id));
      return server.json(ex, silent, 200, Map.of());
    }
    if (seg.length == 6 && method.equals("POST")) {
      return complete(ex, silent, policy, u, id, body);
    }
    return server.error(ex, silent, 405, "method not allowed");
  }

  private int complete(HttpExchange ex, boolean silent, JsonObject policy, Upload u, String id, byte[] body) throws IOException {
    JsonArray listed;
    try {
      listed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("parts");
    } catch (RuntimeException e) {
      return server.error(ex, silent, 400, "invalid JSON body");
    }
    List<Part> chosen = new ArrayList<>();
    int last = 0;
    for (JsonElement e : listed) {
      int n = e.getAsJsonObject().get("partNumber").getAsInt();
      Part p = u.parts.get(n);
      if (p == null || !p.etag().equals(e.getAsJsonObject().get("etag").getAsString()) || n <= last) {
        return server.error(ex, silent, 400, "invalid part " + n + ": unknown, wrong etag, or out of order");
      }
      if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).size() < (1 << 20)) {
        return server.error(ex, silent, 400, "every part but the last must be at least 1 MiB");
      }
      last = n;
      chosen.add(p);
    }
    if (uploads.remove(id) == null) {
      return server.error(ex, silent, 612, "no such uploadId");
    }
    Path file = server.objects().file(u.bucket, u.key);
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".complete-", ".tmp");
    long size = 0;
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (Part p : chosen) {
        size += Files.copy(dir.resolve(id).resolve(String.valueOf(p.number())), out);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    FakeServer.deleteTree(dir.resolve(id));
    String hash = partsEtag(chosen);
    server.stored(u.bucket, u.key, hash);
    return answer(ex, silent, policy, u.bucket, u.key, size, hash);
  }

  // ---- answers

  private int answer(HttpExchange ex, boolean silent, JsonObject policy, String bucket, String key, long size, String hash)
      throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hash", hash);
    out.put("key", key);
    if (policy.has("persistentOps")) {
      try {
        out.put("persistentId", server.startJob(bucket, key, policy.get("persistentOps").getAsString(),
            policy.has("persistentNotifyUrl") ? policy.get("persistentNotifyUrl").getAsString() : null, false,
            policy.has("persistentType") && policy.get("persistentType").getAsInt() == 1,
            policy.has("persistentPipeline") ? policy.get("persistentPipeline").getAsString() : null, null));
      } catch (QiniuFops.Invalid e) {
        return server.error(ex, silent, 400, "invalid persistentOps: " + e.getMessage());
      }
    }
    if (policy.has("callbackUrl")) {
      String cb = policy.get("callbackBody").getAsString().replace("$(bucket)", bucket).replace("$(key)", key)
          .replace("$(fsize)", String.valueOf(size)).replace("$(etag)", hash);
      String type = policy.has("callbackBodyType") ? policy.get("callbackBodyType").getAsString()
          : "application/x-www-form-urlencoded";
      URI url = URI.create(policy.get("callbackUrl").getAsString().split(";")[0]);
      String signed = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()) + "\n"
          + (type.startsWith("application/x-www-form-urlencoded") ? cb : "");
      Map.Entry<String, String> ak = server.firstCredentials();
      String auth = "QBox " + ak.getKey() + ":" + Base64.getUrlEncoder().encodeToString(
          FakeServer.hmac("HmacSHA1", ak.getValue().getBytes(StandardCharsets.UTF_8), signed.getBytes(StandardCharsets.UTF_8)));
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).header("Content-Type", type)
            .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(cb)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return server.error(ex, silent, 579, "callback failed: " + r.statusCode());
        }
        if (silent) {
          return 200;
        }
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(bytes);
        }
        return 200;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return server.error(ex, silent, 579, "callback interrupted");
      } catch (IOException e) {
        return server.error(ex, silent, 579, "callback failed: " + e.getMessage());
      }
    }
    return server.json(ex, silent, 200, out);
  }

  // ---- tokens

  private static final class BadToken extends Exception {
    private static final long serialVersionUID = 1L;

    BadToken(String message) {
      super(message);
    }
  }

  /** Checks an upload token (signature, deadline, scope against {@code key}) and returns its policy. */
  private JsonObject policy(String token, String key) throws BadToken {
    String[] parts = token.split(":");
    if (parts.length != 3) {
      throw new BadToken("bad token");
    }
    String secret = server.credentials.get(parts[0]);
    if (secret == null) {
      throw new BadToken("bad token: unknown access key");
    }
    String expected = Base64.getUrlEncoder().encodeToString(
        FakeServer.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), parts[2].getBytes(StandardCharsets.UTF_8)));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), parts[1].getBytes(StandardCharsets.UTF_8))) {
      throw new BadToken("bad token: signature does not match");
    }
    JsonObject policy;
    try {
      policy = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new BadToken("bad token: the policy is not JSON");
    }
    if (!policy.has("scope") || !policy.has("deadline")) {
      throw new BadToken("bad token: scope and deadline are required");
    }
    if (policy.get("deadline").getAsLong() < server.clock.instant().getEpochSecond()) {
      throw new BadToken("expired token");
    }
    String[] scope = policy.get("scope").getAsString().split(":", 2);
    if (scope.length == 2 && !scope[1].equals(key)) {
      throw new BadToken("key doesn't match with scope");
    }
    return policy;
  }

  // ---- qetag, computed independently of the provider's

  static String etag(byte[] data) {
    ByteArrayOutputStream blocks = new ByteArrayOutputStream();
    int block = 4 << 20;
    if (data.length <= block) {
      return encode(0x16, FakeServer.digest("SHA-1").digest(data));
    }
    for (int off = 0; off < data.length; off += block) {
      MessageDigest d = FakeServer.digest("SHA-1");
      d.update(data, off, Math.min(block, data.length - off));
      blocks.writeBytes(d.digest());
    }
    return encode(0x96, FakeServer.digest("SHA-1").digest(blocks.toByteArray()));
  }

  private static String partsEtag(List<Part> parts) {
    if (parts.size() == 1) {
      return parts.get(0).etag();
    }
    boolean fourMiB = true;
    for (int i = 0; i < parts.size(); i++) {
      long s = parts.get(i).size();
      fourMiB &= i < parts.size() - 1 ? s == 4 << 20 : s <= 4 << 20;
    }
    MessageDigest d = FakeServer.digest("SHA-1");
    for (Part p : parts) {
      byte[] raw = Base64.getUrlDecoder().decode(p.etag());
      d.update(raw, 1, 20);
    }
    return encode(fourMiB ? 0x96 : 0x9e, d.digest());
  }

  private static String encode(int prefix, byte[] sha1) {
    byte[] out = new byte[21];
    out[0] = (byte) prefix;
    System.arraycopy(sha1, 0, out, 1, 20);
    return Base64.getUrlEncoder().encodeToString(out);
  }


  /** Splits a multipart/form-data body into its fields (by name). */
  private static Map<String, byte[]> multipart(byte[] body, String boundary) {
    Map<String, byte[]> fields = new LinkedHashMap<>();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start += 2; // CRLF
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      int next = indexOf(body, delimiter, headersEnd);
      if (headersEnd < 0 || next < 0) {
        break;
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
      if (m.find()) {
        int dataStart = headersEnd + 4;
        int dataEnd = next - 2; // CRLF before the delimiter
        byte[] value = new byte[Math.max(0, dataEnd - dataStart)];
        System.arraycopy(body, dataStart, value, 0, value.length);
        fields.put(m.group(1), value);
      }
      at = next;
    }
    return fields;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    if (from < 0) {
      return -1;
    }
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
