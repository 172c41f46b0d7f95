package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Multipart;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fake OSS's objects: PUT, GET, HEAD and DELETE, with ETag, CRC-64 and upload callbacks.
 * Thread-safe.
 */
final class OssObjects {
  private final FakeObjects objects;
  private final ObjectStore store;
  private final OssNotifications notifications;
  private final OssReplies replies;

  OssObjects(
      FakeObjects objects, ObjectStore store, OssNotifications notifications, OssReplies replies) {
    this.objects = objects;
    this.store = store;
    this.notifications = notifications;
    this.replies = replies;
  }

  Reply put(Request r, String bucket, String key) {
    if ("true".equalsIgnoreCase(r.header("x-oss-forbid-overwrite"))
        && store.meta(bucket, key).isPresent()) {
      return alreadyExists();
    }
    ObjectStore.Meta meta = store.put(bucket, key, r.body());
    store.contentType(bucket, key, r.header("Content-Type"));
    return stored(r, bucket, key, meta);
  }

  /**
   * Answers a stored object: its headers, or the callback server's answer when the request asked
   * for a callback.
   */
  Reply stored(Request r, String bucket, String key, ObjectStore.Meta meta) {
    String callback = r.header("x-oss-callback");
    if (callback != null) {
      OssNotifications.Outcome out =
          notifications.call(callback, r.header("x-oss-callback-var"), bucket, key, meta);
      if (!out.ok()) {
        return replies.error(203, "CallbackFailed", out.body());
      }
      return headers(
          Reply.body(200, "application/json", out.body().getBytes(StandardCharsets.UTF_8)), meta);
    }
    return headers(Reply.status(200), meta);
  }

  /**
   * Answers a PostObject (a browser's form upload): the form checked by {@code policies}, then the
   * file stored in one step with its Content-Type ({@code x-oss-content-type}, else the {@code
   * Content-Type} field, else the file part's), unless {@code x-oss-forbid-overwrite} forbids it;
   * then the callback, or the {@code success_action_status} answer (201 with a {@code
   * PostResponse}, 200 empty, else 204). Fields after the file are ignored, as OSS ignores them.
   */
  Reply postObject(Request r, String bucket, OssPostPolicies policies) throws IOException {
    if (r.form().isEmpty()) {
      return replies.error(
          400,
          "MalformedPOSTRequest",
          "The body of your POST request is not well-formed multipart/form-data.");
    }
    Multipart form = r.form().get();
    Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Multipart.Part file = null;
    for (Multipart.Part p : form.parts()) {
      if (p.name().equals("file")) {
        file = p;
        break;
      }
      if (!p.isFile()) {
        fields.putIfAbsent(p.name(), p.value());
      }
    }
    if (file == null || !file.isFile()) {
      return replies.error(
          400, "InvalidArgument", "POST requires exactly one file upload per request.");
    }
    String rawKey = fields.get("key");
    if (rawKey == null || rawKey.isEmpty()) {
      return replies.error(400, "InvalidArgument", "The key field of the form is missing.");
    }
    String type = fields.get("x-oss-content-type");
    if (type == null) {
      type = fields.get("Content-Type");
    }
    if (type == null) {
      type = file.contentType();
    }
    if (type == null || type.isBlank()) {
      type = ObjectStore.guessType(rawKey);
    }
    Reply denied = policies.check(fields, bucket, file.size(), type.trim());
    if (denied != null) {
      return denied;
    }
    String name = file.filename() == null ? "" : file.filename();
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    String key = rawKey.replace("${filename}", name);
    try {
      objects.file(bucket, key);
    } catch (IllegalArgumentException e) {
      return replies.error(400, "InvalidObjectName", e.getMessage());
    }
    String forbid = fields.getOrDefault("x-oss-forbid-overwrite", "false").toLowerCase(Locale.ROOT);
    if (!forbid.equals("true") && !forbid.equals("false")) {
      return replies.error(
          400,
          "InvalidArgument",
          "x-oss-forbid-overwrite must be true or false.",
          Map.of(),
          "0006-00000117");
    }
    ObjectStore.Meta meta;
    try {
      meta = store.adopt(bucket, key, file.file(), forbid.equals("false"));
    } catch (FileAlreadyExistsException e) {
      return alreadyExists();
    }
    store.contentType(bucket, key, type);
    String callback = fields.get("callback");
    if (callback != null) {
      Map<String, String> vars = new LinkedHashMap<>();
      fields.forEach(
          (k, v) -> {
            if (k.startsWith("x:")) {
              vars.put(k, v);
            }
          });
      OssNotifications.Outcome out = notifications.call(callback, vars, bucket, key, meta, type);
      if (!out.ok()) {
        return replies.error(203, "CallbackFailed", out.body());
      }
      return headers(
          Reply.body(200, "application/json", out.body().getBytes(StandardCharsets.UTF_8)), meta);
    }
    String status = fields.getOrDefault("success_action_status", "");
    if (status.equals("201")) {
      String location = "http://" + r.header("Host") + "/" + bucket + "/" + key;
      String xml =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>\n  <Bucket>"
              + Reply.escapeXml(bucket)
              + "</Bucket>\n  <Location>"
              + Reply.escapeXml(location)
              + "</Location>\n  <Key>"
              + Reply.escapeXml(key)
              + "</Key>\n  <ETag>"
              + Reply.escapeXml(meta.etag())
              + "</ETag>\n</PostResponse>\n";
      return headers(Reply.xml(201, xml), meta);
    }
    return headers(Reply.status(status.equals("200") ? 200 : 204), meta);
  }

  /** OSS's answer to a write that {@code x-oss-forbid-overwrite: true} refuses. */
  Reply alreadyExists() {
    return replies.error(
        409,
        "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.");
  }

  Reply get(Request r, String bucket, String key) throws IOException {
    Optional<ObjectStore.Meta> meta = store.meta(bucket, key);
    if (meta.isEmpty()) {
      if (r.isHead()) {
        return replies.status(404).header("x-oss-ec", "0026-00000001");
      }
      return replies.error(
          404,
          "NoSuchKey",
          "The specified key does not exist.",
          Map.of("Key", key),
          "0026-00000001");
    }
    Path file = objects.file(bucket, key);
    Reply reply =
        overrides(
            r,
            headers(Reply.status(200), meta.get())
                .header("Content-Type", store.contentType(bucket, key)));
    Instant modified = Files.getLastModifiedTime(file).toInstant();
    reply.header("Last-Modified", OssReplies.HTTP_DATE.format(modified));
    if (meta.get().appendable()) {
      reply.header("x-oss-object-type", "Appendable");
      reply.header("x-oss-next-append-position", String.valueOf(meta.get().size()));
    }
    long size = meta.get().size();
    if (r.isHead()) {
      return reply.header("Content-Length", String.valueOf(size));
    }
    return reply.file(file, size).ranges();
  }

  Reply delete(String bucket, String key) {
    try {
      store.delete(bucket, key);
    } catch (IOException e) {
      return replies.error(500, "InternalError", e.getMessage());
    }
    return replies.status(204);
  }

  /**
   * Applies the {@code response-*} overrides of a GET's query (signed, or on a public-read bucket)
   * to the answer's headers.
   */
  static Reply overrides(Request r, Reply reply) {
    Map<String, String> q = r.query();
    Map<String, String> names =
        Map.of(
            "response-content-type", "Content-Type",
            "response-content-disposition", "Content-Disposition",
            "response-content-language", "Content-Language",
            "response-content-encoding", "Content-Encoding",
            "response-cache-control", "Cache-Control",
            "response-expires", "Expires");
    names.forEach(
        (param, header) -> {
          if (q.containsKey(param)) {
            reply.header(header, q.get(param));
          }
        });
    return reply;
  }

  /** Adds OSS's headers and the object's ETag and CRC-64. */
  Reply headers(Reply reply, ObjectStore.Meta meta) {
    return replies
        .common(reply)
        .header("ETag", meta.etag())
        .header("x-oss-hash-crc64ecma", Long.toUnsignedString(meta.crc()));
  }
}
