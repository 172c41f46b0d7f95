package dev.mediaflow.oss;

import com.google.gson.JsonObject;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.internal.Crc64;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.NoSuchUploadException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import dev.mediaflow.upload.UploadCallback;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OSS uploads: PutObject, and multipart (InitiateMultipartUpload, UploadPart, ListParts,
 * CompleteMultipartUpload, AbortMultipartUpload), every answer checked against the CRC-64 of the
 * bytes sent ({@code x-oss-hash-crc64ecma}); the parts' CRCs are combined into the object's. Upload
 * callbacks go in {@code x-oss-callback}.
 */
final class OssUploads implements MultipartUploadProtocol {
  private static final Logger log = LoggerFactory.getLogger(OssUploads.class);
  static final String CRC_HEADER = "x-oss-hash-crc64ecma";

  private final OssObjects objects;
  private final HttpCalls http;

  OssUploads(OssObjects objects, HttpCalls http) {
    this.objects = objects;
    this.http = http;
  }

  @Override
  public String checksumAlgorithm() {
    return "crc64ecma";
  }

  @Override
  public long defaultPartSize() {
    return 8L << 20;
  }

  /** OSS: every part but the last is at least 100 KiB. */
  @Override
  public long minPartSize() {
    return 100L << 10;
  }

  @Override
  public long maxPartSize() {
    return 5L << 30;
  }

  @Override
  public int maxParts() {
    return 10_000;
  }

  @Override
  public PartHasher hasher() {
    Crc64 crc = new Crc64();
    return new PartHasher() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        crc.update(bytes, offset, length);
      }

      @Override
      public String finish() {
        return Long.toUnsignedString(crc.getValue());
      }
    };
  }

  @Override
  public String combine(List<UploadedPart> parts) {
    long crc = 0;
    for (UploadedPart p : parts) {
      crc = Crc64.combine(crc, Long.parseUnsignedLong(p.digest()), p.size());
    }
    return Long.toUnsignedString(crc);
  }

  @Override
  public StoredObject put(UploadTarget target, PartBody body) {
    MediaObject o = target.object();
    Map<String, String> headers = headers(target, true);
    Request request = objects.request("PUT", o.bucket(), o.key(), Map.of(), body, headers);
    // A callback fires once per stored request: do not send one twice.
    HttpCalls.Reply reply =
        target.callback().isPresent()
            ? http.submit("put-object", request)
            : http.read("put-object", request);
    callbackFailed(reply, o);
    check(o.toString(), body.digest(), reply);
    return stored(reply, target, Optional.ofNullable(reply.headers().get("ETag")).orElse(""));
  }

  @Override
  public String initiate(UploadTarget target) {
    MediaObject o = target.object();
    // The object's Content-Type is given at initiation; a callback only on completion.
    Map<String, String> headers = headers(target, false);
    byte[] empty = new byte[0];
    headers.put("Content-MD5", OssObjects.contentMd5(empty));
    HttpCalls.Reply reply =
        http.submit(
            "initiate-upload",
            objects.request(
                "POST",
                o.bucket(),
                o.key(),
                Map.of("uploads", ""),
                RequestBody.create(empty, null),
                headers));
    String id = OssStatus.xmlFields(reply.text()).getOrDefault("UploadId", "");
    if (id.isEmpty()) {
      throw new dev.mediaflow.MediaClientException(
          "OSS answered InitiateMultipartUpload for "
              + o
              + " without an UploadId: "
              + OssObjects.abbreviate(reply.text()),
          null);
    }
    return id;
  }

  @Override
  public UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body) {
    MediaObject o = target.object();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("partNumber", String.valueOf(body.number()));
    query.put("uploadId", uploadId);
    HttpCalls.Reply reply =
        http.read(
            "upload-part", objects.request("PUT", o.bucket(), o.key(), query, body, Map.of()));
    check("part " + body.number() + " of " + o, body.digest(), reply);
    return new UploadedPart(
        body.number(), body.contentLength(), reply.headers().get("ETag"), body.digest());
  }

  @Override
  public List<UploadedPart> listParts(UploadTarget target, String uploadId) {
    MediaObject o = target.object();
    List<UploadedPart> parts = new ArrayList<>();
    String marker = "0";
    while (true) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("max-parts", "1000");
      query.put("part-number-marker", marker);
      query.put("uploadId", uploadId);
      HttpCalls.Reply reply;
      try {
        reply =
            http.read(
                "list-parts", objects.request("GET", o.bucket(), o.key(), query, null, Map.of()));
      } catch (MediaServiceException e) {
        if (e.httpStatus() == 404) {
          throw new NoSuchUploadException(uploadId, e);
        }
        throw e;
      }
      for (Map<String, String> p : OssStatus.xmlElements(reply.text(), "Part")) {
        parts.add(
            new UploadedPart(
                Integer.parseInt(p.get("PartNumber").trim()),
                Long.parseLong(p.get("Size").trim()),
                p.get("ETag"),
                null));
      }
      Map<String, String> page = OssStatus.xmlFields(reply.text());
      if (!"true".equalsIgnoreCase(page.getOrDefault("IsTruncated", "false").trim())) {
        return parts;
      }
      marker = page.getOrDefault("NextPartNumberMarker", "").trim();
    }
  }

  @Override
  public StoredObject complete(
      UploadTarget target, String uploadId, List<UploadedPart> parts, String expectedChecksum) {
    MediaObject o = target.object();
    StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
    for (UploadedPart p : parts) {
      xml.append("<Part><PartNumber>")
          .append(p.number())
          .append("</PartNumber><ETag>")
          .append(p.etag().replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;"))
          .append("</ETag></Part>");
    }
    byte[] body =
        xml.append("</CompleteMultipartUpload>").toString().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/xml");
    headers.put("Content-MD5", OssObjects.contentMd5(body));
    target.callback().ifPresent(c -> headers.put("x-oss-callback", callbackHeader(c)));
    Map<String, String> query = Map.of("uploadId", uploadId);
    HttpCalls.Reply reply;
    try {
      reply =
          http.submit(
              "complete-upload",
              objects.request(
                  "POST",
                  o.bucket(),
                  o.key(),
                  query,
                  RequestBody.create(body, okhttp3.MediaType.get("application/xml")),
                  headers));
    } catch (MediaException e) {
      if (!e.isOutcomeUnknown()) {
        throw e;
      }
      // The answer was lost: the object may be complete. Its CRC says whether it is this upload's.
      Optional<StoredObject> existing = existing(o, expectedChecksum);
      if (existing.isPresent()) {
        log.info(
            "The completion answer for {} was lost, but the object has this upload's CRC-64; it is stored",
            o);
        return existing.get();
      }
      throw e;
    }
    callbackFailed(reply, o);
    String etag =
        target.callback().isPresent()
            ? reply.headers().get("ETag")
            : OssStatus.xmlFields(reply.text()).getOrDefault("ETag", reply.headers().get("ETag"));
    return stored(reply, target, etag == null ? "" : etag);
  }

  @Override
  public void abort(UploadTarget target, String uploadId) {
    MediaObject o = target.object();
    Map<String, String> query = Map.of("uploadId", uploadId);
    try {
      http.read(
          "abort-upload", objects.request("DELETE", o.bucket(), o.key(), query, null, Map.of()));
    } catch (MediaServiceException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
    }
  }

  OssAppend append(MediaObject o, OssAppend before, byte[] data) {
    java.util.Objects.requireNonNull(before, "before");
    if (before.object().isPresent() && !before.object().get().equals(o)) {
      throw new dev.mediaflow.MediaValidationException(
          "before", "is the state of " + before.object().get() + ", not " + o);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("append", "");
    query.put("position", String.valueOf(before.nextPosition()));
    HttpCalls.Reply reply =
        http.submit("append-object", objects.request("POST", o.bucket(), o.key(), query, data));
    Crc64 crc = new Crc64();
    crc.update(data, 0, data.length);
    String expected =
        Long.toUnsignedString(
            Crc64.combine(Long.parseUnsignedLong(before.crc64()), crc.getValue(), data.length));
    String answered = reply.headers().get(CRC_HEADER);
    if (answered != null && !answered.equals(expected)) {
      throw new MediaIntegrityException(
          "the append to " + o + " at " + before.nextPosition(), "crc64ecma", expected, answered);
    }
    String next = reply.headers().get("x-oss-next-append-position");
    return OssAppend.at(
        o,
        next != null ? Long.parseLong(next) : before.nextPosition() + data.length,
        answered != null ? answered : expected);
  }

  /** The object as it is now, when its CRC-64 is {@code crc}. */
  private Optional<StoredObject> existing(MediaObject o, String crc) {
    try {
      HttpCalls.Reply head =
          http.read(
              "head-object",
              objects.request("HEAD", o.bucket(), o.key(), Map.of(), null, Map.of()));
      if (crc.equals(head.headers().get(CRC_HEADER))) {
        return Optional.of(
            StoredObject.of(Optional.ofNullable(head.headers().get("ETag")).orElse(""), crc));
      }
    } catch (MediaException e) {
      log.debug("Cannot read {} back: {}", o, e.getMessage());
    }
    return Optional.empty();
  }

  private static StoredObject stored(HttpCalls.Reply reply, UploadTarget target, String etag) {
    return StoredObject.of(
        etag,
        reply.headers().get(CRC_HEADER),
        null,
        target.callback().isPresent() ? reply.text() : null);
  }

  private static void check(String what, String sent, HttpCalls.Reply reply) {
    String stored = reply.headers().get(CRC_HEADER);
    if (stored == null) {
      log.debug("OSS answered no {} for {}; it cannot be checked", CRC_HEADER, what);
    } else if (!stored.equals(sent)) {
      throw new MediaIntegrityException(what, "crc64ecma", sent, stored);
    }
  }

  /**
   * OSS answers 203 CallbackFailed when the object is stored but the callback server did not answer
   * 200.
   */
  private static void callbackFailed(HttpCalls.Reply reply, MediaObject o) {
    if (reply.code() == 203) {
      MediaServiceException e = OssObjects.error(reply);
      throw new MediaServiceException(
          "oss",
          203,
          e.errorCode().isEmpty() ? "CallbackFailed" : e.errorCode(),
          e.requestId(),
          o + " was stored, but the upload callback failed: " + e.detail());
    }
  }

  /** The object's Content-Type, and its callback when {@code callback}. */
  private static Map<String, String> headers(UploadTarget target, boolean callback) {
    Map<String, String> h = new LinkedHashMap<>();
    target.contentType().ifPresent(t -> h.put("Content-Type", t));
    if (callback) {
      target.callback().ifPresent(c -> h.put("x-oss-callback", callbackHeader(c)));
    }
    return h;
  }

  /** {@code x-oss-callback}: Base64 of the callback JSON. */
  static String callbackHeader(UploadCallback c) {
    JsonObject j = new JsonObject();
    j.addProperty("callbackUrl", c.url());
    c.host().ifPresent(h -> j.addProperty("callbackHost", h));
    j.addProperty("callbackBody", c.body());
    j.addProperty(
        "callbackBodyType", c.json() ? "application/json" : "application/x-www-form-urlencoded");
    return Base64.getEncoder().encodeToString(j.toString().getBytes(StandardCharsets.UTF_8));
  }
}
