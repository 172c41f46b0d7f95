package dev.mediaflow.testkit.cos;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Element;

/**
 * The fake COS's object API: PUT (Content-MD5 checked), GET (Range, {@code response-*} overrides),
 * HEAD, DELETE, multipart uploads (initiate, parts, complete with the whole object's CRC-64, list
 * parts, list uploads, abort) and APPEND, answered with COS's headers in lower case ({@code
 * x-cos-hash-crc64ecma}, {@code x-cos-next-append-position}) and its XML errors. Thread-safe.
 */
final class CosObjects {
  /** The largest object, part or append COS takes: 5 GiB. */
  static final long MAX_SIZE = 5L * 1024 * 1024 * 1024;

  private final FakeObjects objects;
  private final ObjectStore store;
  private final CosReplies replies;
  private final Map<String, Map<String, String>> userMeta = new ConcurrentHashMap<>();
  private final Map<String, String> uploadKeys = new ConcurrentHashMap<>();

  CosObjects(FakeObjects objects, ObjectStore store, CosReplies replies) {
    this.objects = objects;
    this.store = store;
    this.replies = replies;
  }

  /** Returns true for the requests the upload handlers answer. */
  static boolean isUpload(Map<String, String> query) {
    return query.containsKey("uploadId")
        || query.containsKey("uploads")
        || query.containsKey("append");
  }

  Reply handleUpload(Request r, String bucket, String key, Map<String, String> query) {
    try {
      return upload(r, bucket, key, query);
    } catch (ObjectStore.StoreError e) {
      return replies
          .error(e.status(), e.code(), e.getMessage(), resource(r))
          .headersIfAbsent(e.headers());
    } catch (CosXml.Malformed e) {
      return replies.error(400, "MalformedXML", e.getMessage(), resource(r));
    }
  }

  private Reply upload(Request r, String bucket, String key, Map<String, String> query)
      throws ObjectStore.StoreError, CosXml.Malformed {
    String method = r.method();
    if (query.containsKey("append")) {
      if (!method.equals("POST")) {
        return notAllowed(r);
      }
      long position;
      try {
        position = Long.parseLong(query.getOrDefault("position", ""));
      } catch (NumberFormatException e) {
        return replies.error(
            400, "InvalidArgument", "position must be a non-negative number.", resource(r));
      }
      Optional<ObjectStore.Meta> now = store.meta(bucket, key);
      if (now.map(ObjectStore.Meta::size).orElse(0L) + r.body().length > MAX_SIZE) {
        return replies.error(
            400, "EntityTooLarge", "An appendable object cannot exceed 5 GB.", resource(r));
      }
      ObjectStore.Meta m = store.append(bucket, key, position, r.body());
      if (position == 0) {
        store.contentType(bucket, key, r.header("Content-Type"));
      }
      return headers(replies.status(200), m)
          .header("x-cos-next-append-position", String.valueOf(m.size()));
    }
    if (query.containsKey("uploads") && method.equals("POST")) {
      String id = store.initiate(bucket, key);
      uploadKeys.put(id, bucket + "/" + key);
      store.contentType(bucket, key, r.header("Content-Type"));
      return replies.xml(
          200,
          "<InitiateMultipartUploadResult>"
              + CosXml.el("Bucket", bucket)
              + CosXml.el("Key", key)
              + CosXml.el("UploadId", id)
              + "</InitiateMultipartUploadResult>");
    }
    String uploadId = query.get("uploadId");
    if (uploadId == null) {
      return notAllowed(r);
    }
    switch (method) {
      case "PUT" -> {
        int number;
        try {
          number = Integer.parseInt(query.getOrDefault("partNumber", ""));
        } catch (NumberFormatException e) {
          number = 0;
        }
        if (r.body().length > MAX_SIZE) {
          return replies.error(
              400, "EntityTooLarge", "A part cannot be larger than 5 GB.", resource(r));
        }
        ObjectStore.Part p = store.putPart(bucket, key, uploadId, number, r.body());
        return replies
            .status(200)
            .header("ETag", p.etag())
            .header("x-cos-hash-crc64ecma", Long.toUnsignedString(p.crc()));
      }
      case "POST" -> {
        Element root = CosXml.parse(r.body());
        if (!root.getTagName().equals("CompleteMultipartUpload")) {
          return replies.error(
              400,
              "MalformedXML",
              "The root element must be CompleteMultipartUpload.",
              resource(r));
        }
        List<Map.Entry<Integer, String>> listed = new ArrayList<>();
        for (Element part : CosXml.children(root, "Part")) {
          Optional<String> n = CosXml.text(part, "PartNumber");
          Optional<String> etag = CosXml.text(part, "ETag");
          if (n.isEmpty() || etag.isEmpty() || !n.get().matches("\\d{1,5}")) {
            return replies.error(
                400, "MalformedXML", "Each Part needs a PartNumber and an ETag.", resource(r));
          }
          String e = etag.get();
          listed.add(
              Map.entry(Integer.parseInt(n.get()), e.startsWith("\"") ? e : "\"" + e + "\""));
        }
        if (listed.isEmpty()) {
          return replies.error(
              400, "MalformedXML", "The XML you provided lists no part.", resource(r));
        }
        Optional<Reply> kept =
            keepsExisting(
                r.header("x-cos-forbid-overwrite"), store, replies, bucket, key, resource(r));
        if (kept.isPresent()) {
          return kept.get();
        }
        ObjectStore.Meta meta = store.complete(bucket, key, uploadId, listed);
        uploadKeys.remove(uploadId);
        return headers(replies.status(200), meta)
            .header("Content-Type", "application/xml")
            .body(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult>"
                        + CosXml.el("Location", r.header("Host") + "/" + key)
                        + CosXml.el("Bucket", bucket)
                        + CosXml.el("Key", key)
                        + CosXml.el("ETag", meta.etag())
                        + "</CompleteMultipartUploadResult>")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      case "GET" -> {
        return listParts(bucket, key, uploadId, query);
      }
      case "DELETE" -> {
        store.abort(bucket, key, uploadId);
        uploadKeys.remove(uploadId);
        return replies.status(204);
      }
      default -> {
        return notAllowed(r);
      }
    }
  }

  private Reply listParts(String bucket, String key, String uploadId, Map<String, String> query)
      throws ObjectStore.StoreError {
    int marker = number(query.get("part-number-marker"), 0);
    int max = number(query.get("max-parts"), 1000);
    List<ObjectStore.Part> all =
        store.parts(bucket, key, uploadId).stream().filter(p -> p.number() > marker).toList();
    List<ObjectStore.Part> page = all.subList(0, Math.min(max, all.size()));
    StringBuilder x =
        new StringBuilder("<ListPartsResult>")
            .append(CosXml.el("Bucket", bucket))
            .append(CosXml.el("Encoding-type", "url"))
            .append(CosXml.el("Key", key))
            .append(CosXml.el("UploadId", uploadId))
            .append(CosXml.el("StorageClass", "STANDARD"))
            .append(CosXml.el("PartNumberMarker", marker))
            .append(
                CosXml.el(
                    "NextPartNumberMarker",
                    page.isEmpty() ? marker : page.get(page.size() - 1).number()))
            .append(CosXml.el("MaxParts", max))
            .append(CosXml.el("IsTruncated", all.size() > page.size()));
    for (ObjectStore.Part p : page) {
      x.append("<Part>")
          .append(CosXml.el("PartNumber", p.number()))
          .append(CosXml.el("LastModified", java.time.Instant.now().toString()))
          .append(CosXml.el("ETag", p.etag()))
          .append(CosXml.el("Size", p.size()))
          .append("</Part>");
    }
    return replies.xml(200, x.append("</ListPartsResult>").toString());
  }

  /** {@code GET /?uploads}: the bucket's open multipart uploads. */
  Reply listUploads(String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    StringBuilder x =
        new StringBuilder("<ListMultipartUploadsResult>")
            .append(CosXml.el("Bucket", bucket))
            .append(CosXml.el("Encoding-Type", "url"))
            .append(CosXml.el("Prefix", prefix))
            .append(CosXml.el("MaxUploads", 1000))
            .append(CosXml.el("IsTruncated", false));
    for (String id : store.openUploads()) {
      String where = uploadKeys.get(id);
      if (where == null || !where.startsWith(bucket + "/")) {
        continue;
      }
      String key = where.substring(bucket.length() + 1);
      if (!key.startsWith(prefix)) {
        continue;
      }
      x.append("<Upload>")
          .append(CosXml.el("Key", key))
          .append(CosXml.el("UploadId", id))
          .append(CosXml.el("StorageClass", "STANDARD"))
          .append(CosXml.el("Initiated", java.time.Instant.now().toString()))
          .append("</Upload>");
    }
    return replies.xml(200, x.append("</ListMultipartUploadsResult>").toString());
  }

  /** {@code PUT /<key>}: the body stored, after its Content-MD5 is checked. */
  /**
   * COS's {@code x-cos-forbid-overwrite: true} on PUT Object, Complete Multipart Upload and POST
   * Object: an existing object is kept and the write answered 409 FileAlreadyExists
   * (https://cloud.tencent.com/document/product/436/7749).
   */
  static Optional<Reply> keepsExisting(
      String forbid,
      ObjectStore store,
      CosReplies replies,
      String bucket,
      String key,
      String resource) {
    if (forbid == null
        || !forbid.trim().equalsIgnoreCase("true")
        || store.meta(bucket, key).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        replies.error(409, "FileAlreadyExists", "The object already exists.", resource));
  }

  Reply put(Request r, String bucket, String key) {
    Optional<Reply> bad = checkMd5(r);
    if (bad.isPresent()) {
      return bad.get();
    }
    Optional<Reply> kept =
        keepsExisting(r.header("x-cos-forbid-overwrite"), store, replies, bucket, key, resource(r));
    if (kept.isPresent()) {
      return kept.get();
    }
    if (r.body().length > MAX_SIZE) {
      return replies.error(
          400,
          "EntityTooLarge",
          "Your proposed upload exceeds the maximum allowed object size.",
          resource(r));
    }
    ObjectStore.Meta meta = store.put(bucket, key, r.body());
    store.contentType(bucket, key, r.header("Content-Type"));
    Map<String, String> meta2 = new java.util.TreeMap<>();
    r.lowerCaseHeaders()
        .forEach(
            (k, v) -> {
              if (k.startsWith("x-cos-meta-")) {
                meta2.put(k, v);
              }
            });
    userMeta.put(bucket + "/" + key, meta2);
    return headers(replies.status(200), meta);
  }

  /** Returns COS's BadDigest answer when a Content-MD5 is sent and the body does not match. */
  Optional<Reply> checkMd5(Request r) {
    String md5 = r.header("Content-MD5");
    if (md5 != null
        && !md5.trim().equals(Base64.getEncoder().encodeToString(Hashes.digest("MD5", r.body())))) {
      return Optional.of(
          replies.error(
              400,
              "BadDigest",
              "The Content-MD5 you specified did not match what we received.",
              resource(r)));
    }
    return Optional.empty();
  }

  /** {@code GET} or {@code HEAD /<key>}. */
  Reply get(Request r, String bucket, String key) throws IOException {
    Optional<ObjectStore.Meta> meta = store.meta(bucket, key);
    if (meta.isEmpty()) {
      if (r.isHead()) {
        return replies.status(404);
      }
      return replies.error(404, "NoSuchKey", "The specified key does not exist.", resource(r));
    }
    Path file = objects.file(bucket, key);
    Reply reply =
        overrides(
            r,
            headers(Reply.status(200), meta.get())
                .header("Content-Type", store.contentType(bucket, key)));
    reply.header(
        "Last-Modified", CosReplies.HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant()));
    reply.header("x-cos-storage-class", "STANDARD");
    reply.header("x-cos-object-type", meta.get().appendable() ? "appendable" : "normal");
    if (meta.get().appendable()) {
      reply.header("x-cos-next-append-position", String.valueOf(meta.get().size()));
    }
    userMeta.getOrDefault(bucket + "/" + key, Map.of()).forEach(reply::header);
    long size = meta.get().size();
    if (r.isHead()) {
      return reply.header("Content-Length", String.valueOf(size));
    }
    return reply.file(file, size).ranges();
  }

  Reply delete(String bucket, String key) {
    try {
      store.delete(bucket, key);
      userMeta.remove(bucket + "/" + key);
    } catch (IOException e) {
      return replies.error(500, "InternalError", e.getMessage(), key);
    }
    return replies.status(204);
  }

  /** Applies a GET's {@code response-*} overrides to the answer's headers. */
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

  /** Adds COS's headers and the object's ETag and CRC-64. */
  Reply headers(Reply reply, ObjectStore.Meta meta) {
    return replies
        .common(reply)
        .header("ETag", meta.etag())
        .header("x-cos-hash-crc64ecma", Long.toUnsignedString(meta.crc()));
  }

  Reply notAllowed(Request r) {
    return replies.error(
        405, "MethodNotAllowed", "The specified method is not allowed.", resource(r));
  }

  static String resource(Request r) {
    String host = r.header("Host");
    return (host == null ? "" : host.toLowerCase(Locale.ROOT)) + r.rawPath();
  }

  private static int number(String text, int otherwise) {
    try {
      return text == null ? otherwise : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
