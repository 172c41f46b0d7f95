package dev.mediaflow.cos;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.cos.CosSettings.Service;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * COS uploads on the object host: PUT Object, and multipart (Initiate Multipart Upload, Upload
 * Part, List Parts, Complete Multipart Upload, Abort Multipart Upload,
 * https://cloud.tencent.com/document/product/436/7750 and its neighbours), every answer checked
 * against the CRC-64 of the bytes sent ({@code x-cos-hash-crc64ecma}, the same CRC-64 as OSS's);
 * the parts' CRCs are combined into the object's. Also APPEND Object. Thread-safe.
 */
final class CosUploads implements MultipartUploadProtocol {
  private static final Logger log = LoggerFactory.getLogger(CosUploads.class);
  private static final MediaType XML = MediaType.get("application/xml");

  private final CosRequests requests;
  private final CosObjects objects;
  private final HttpCalls http;

  /**
   * @param requests builds the signed requests
   * @param objects reads an object back when a completion's answer was lost
   * @param http sends the parts; it has no whole-call timeout, since a part may take long
   */
  CosUploads(CosRequests requests, CosObjects objects, HttpCalls http) {
    this.requests = requests;
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

  /** COS: every part but the last is at least 1 MB (Upload Part). */
  @Override
  public long minPartSize() {
    return 1L << 20;
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
    MediaObject o = checked(target);
    HttpCalls.Reply reply =
        http.read(
            "put-object",
            requests.request(
                Service.COS, "PUT", o.bucket(), o.key(), Map.of(), body, contentType(target)));
    check(o.toString(), body.digest(), reply);
    return StoredObject.of(header(reply, "ETag"), reply.headers().get(CosObjects.CRC_HEADER));
  }

  @Override
  public String initiate(UploadTarget target) {
    MediaObject o = checked(target);
    // The object's Content-Type is given at initiation.
    HttpCalls.Reply reply =
        http.submit(
            "initiate-upload",
            requests.request(
                Service.COS,
                "POST",
                o.bucket(),
                o.key(),
                Map.of("uploads", ""),
                RequestBody.create(new byte[0], null),
                contentType(target)));
    String id = CosXml.parse(reply.text()).map(root -> CosXml.text(root, "UploadId")).orElse("");
    if (id.isEmpty()) {
      throw new MediaClientException(
          "COS answered Initiate Multipart Upload for "
              + o
              + " without an UploadId: "
              + CosRequests.abbreviate(reply.text()),
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
            "upload-part",
            requests.request(Service.COS, "PUT", o.bucket(), o.key(), query, body, Map.of()));
    check("part " + body.number() + " of " + o, body.digest(), reply);
    return new UploadedPart(
        body.number(), body.contentLength(), header(reply, "ETag"), body.digest());
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
                "list-parts", requests.request(Service.COS, "GET", o.bucket(), o.key(), query));
      } catch (MediaServiceException e) {
        if (e.httpStatus() == 404) {
          throw new NoSuchUploadException(uploadId, e);
        }
        throw e;
      }
      Element root =
          CosXml.parse(reply.text())
              .orElseThrow(
                  () ->
                      new MediaClientException(
                          "COS answered List Parts for "
                              + o
                              + " with "
                              + CosRequests.abbreviate(reply.text()),
                          null));
      for (Element p : CosXml.children(root, "Part")) {
        parts.add(
            new UploadedPart(
                Integer.parseInt(CosXml.text(p, "PartNumber")),
                Long.parseLong(CosXml.text(p, "Size")),
                CosXml.text(p, "ETag"),
                null));
      }
      if (!"true".equalsIgnoreCase(CosXml.text(root, "IsTruncated"))) {
        return parts;
      }
      String next = CosXml.text(root, "NextPartNumberMarker");
      if (next.isEmpty() || next.equals(marker)) {
        return parts;
      }
      marker = next;
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
          .append(CosXml.escape(p.etag()))
          .append("</ETag></Part>");
    }
    byte[] body =
        xml.append("</CompleteMultipartUpload>").toString().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", XML.toString());
    headers.put("Content-MD5", CosRequests.contentMd5(body));
    HttpCalls.Reply reply;
    try {
      reply =
          http.submit(
              "complete-upload",
              requests.request(
                  Service.COS,
                  "POST",
                  o.bucket(),
                  o.key(),
                  Map.of("uploadId", uploadId),
                  RequestBody.create(body, null),
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
    // COS may answer 200 with an <Error> body when the completion failed late.
    Optional<Element> root = CosXml.parse(reply.text());
    if (root.isPresent() && root.get().getTagName().equals("Error")) {
      throw CosRequests.error(reply);
    }
    String etag =
        root.map(r -> CosXml.text(r, "ETag"))
            .filter(e -> !e.isEmpty())
            .orElse(header(reply, "ETag"));
    String crc = reply.headers().get(CosObjects.CRC_HEADER);
    if (crc != null && !crc.equals(expectedChecksum)) {
      throw new MediaIntegrityException(o.toString(), "crc64ecma", expectedChecksum, crc);
    }
    return StoredObject.of(etag, crc);
  }

  @Override
  public void abort(UploadTarget target, String uploadId) {
    MediaObject o = target.object();
    try {
      http.read(
          "abort-upload",
          requests.request(
              Service.COS, "DELETE", o.bucket(), o.key(), Map.of("uploadId", uploadId)));
    } catch (MediaServiceException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
    }
  }

  /**
   * APPEND Object at {@code before}'s position. COS's {@code x-cos-hash-crc64ecma} answer is taken
   * as the whole object's CRC-64 (as OSS answers it); an answer equal to the CRC of {@code data}
   * alone is accepted too, since COS does not document which it gives. Either way the result
   * carries the whole object's CRC-64.
   */
  CosAppend append(MediaObject o, CosAppend before, byte[] data) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(data, "data");
    CosRequests.check(o, "object");
    if (before.object().isPresent() && !before.object().get().equals(o)) {
      throw new MediaValidationException(
          "before", "is the state of " + before.object().get() + ", not " + o);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("append", "");
    query.put("position", String.valueOf(before.nextPosition()));
    HttpCalls.Reply reply =
        http.submit(
            "append-object",
            requests.request(Service.COS, "POST", o.bucket(), o.key(), query, data, null));
    long piece = Crc64.of(data);
    String whole =
        Long.toUnsignedString(
            Crc64.combine(Long.parseUnsignedLong(before.crc64()), piece, data.length));
    String answered = reply.headers().get(CosObjects.CRC_HEADER);
    if (answered != null
        && !answered.equals(whole)
        && !answered.equals(Long.toUnsignedString(piece))) {
      throw new MediaIntegrityException(
          "the append to " + o + " at " + before.nextPosition(), "crc64ecma", whole, answered);
    }
    String next = reply.headers().get("x-cos-next-append-position");
    return CosAppend.at(
        o, next != null ? Long.parseLong(next.trim()) : before.nextPosition() + data.length, whole);
  }

  /** The object as it is now, when its CRC-64 is {@code crc}. */
  private Optional<StoredObject> existing(MediaObject o, String crc) {
    try {
      return objects
          .head(o)
          .filter(h -> crc.equals(h.crc64()))
          .map(h -> StoredObject.of(h.etag(), crc));
    } catch (MediaException e) {
      log.debug("Cannot read {} back: {}", o, e.getMessage());
      return Optional.empty();
    }
  }

  /** The target, checked; COS makes no upload callback and runs no pipeline on upload. */
  private static MediaObject checked(UploadTarget target) {
    if (target.callback().isPresent()) {
      throw new UnsupportedMediaOperationException(
          CosRequests.ID,
          "upload",
          "callback",
          "COS calls no server when an upload ends; remove the callback and act on the upload's result");
    }
    MediaObject o = target.object();
    CosRequests.check(o, "target");
    return o;
  }

  private static Map<String, String> contentType(UploadTarget target) {
    return target.contentType().map(t -> Map.of("Content-Type", t)).orElse(Map.of());
  }

  private static void check(String what, String sent, HttpCalls.Reply reply) {
    String stored = reply.headers().get(CosObjects.CRC_HEADER);
    if (stored == null) {
      log.debug("COS answered no {} for {}; it cannot be checked", CosObjects.CRC_HEADER, what);
    } else if (!stored.equals(sent)) {
      throw new MediaIntegrityException(what, "crc64ecma", sent, stored);
    }
  }

  private static String header(HttpCalls.Reply reply, String name) {
    String v = reply.headers().get(name);
    return v == null ? "" : v;
  }

  @Override
  public String toString() {
    return "CosUploads{" + requests.settings() + "}";
  }
}
