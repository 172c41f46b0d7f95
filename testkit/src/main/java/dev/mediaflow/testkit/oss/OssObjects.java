package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The fake OSS's objects: PUT, GET, HEAD and DELETE, with ETag, CRC-64 and upload callbacks.
 * Thread-safe.
 */
final class OssObjects {
  private final FakeObjects objects;
  private final OssObjectStore store;
  private final OssNotifications notifications;
  private final OssReplies replies;

  OssObjects(
      FakeObjects objects,
      OssObjectStore store,
      OssNotifications notifications,
      OssReplies replies) {
    this.objects = objects;
    this.store = store;
    this.notifications = notifications;
    this.replies = replies;
  }

  Reply put(Request r, String bucket, String key) {
    OssObjectStore.Meta meta = store.put(bucket, key, r.body());
    store.contentType(bucket, key, r.header("Content-Type"));
    return stored(r, bucket, key, meta);
  }

  /**
   * Answers a stored object: its headers, or the callback server's answer when the request asked
   * for a callback.
   */
  Reply stored(Request r, String bucket, String key, OssObjectStore.Meta meta) {
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

  Reply get(Request r, String bucket, String key) throws IOException {
    Optional<OssObjectStore.Meta> meta = store.meta(bucket, key);
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
  Reply headers(Reply reply, OssObjectStore.Meta meta) {
    return replies
        .common(reply)
        .header("ETag", meta.etag())
        .header("x-oss-hash-crc64ecma", Long.toUnsignedString(meta.crc()));
  }
}
