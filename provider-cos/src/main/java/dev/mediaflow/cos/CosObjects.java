package dev.mediaflow.cos;

import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.internal.Crc64;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Object calls on the COS host: PUT Object (CRC-64 checked), HEAD Object, GET Object and DELETE
 * Object (https://cloud.tencent.com/document/product/436/7749 and its neighbours). Thread-safe.
 */
final class CosObjects {
  /** The header COS answers the whole object's CRC-64 in: unsigned decimal. */
  static final String CRC_HEADER = "x-cos-hash-crc64ecma";

  private final CosRequests requests;
  private final HttpCalls http;

  CosObjects(CosRequests requests, HttpCalls http) {
    this.requests = requests;
    this.http = http;
  }

  /**
   * What a HEAD answers of an object.
   *
   * @param length its length in bytes ({@code Content-Length})
   * @param etag its ETag, quotes included, or ""
   * @param crc64 its CRC-64 as COS answers it, or "" when it answered none
   * @param contentType its Content-Type, or ""
   * @param appendable true for an object made by APPEND Object ({@code x-cos-object-type:
   *     appendable})
   */
  record Head(long length, String etag, String crc64, String contentType, boolean appendable) {}

  /**
   * Stores {@code data} as {@code o} with {@code contentType} (null to let COS pick), sending its
   * {@code Content-MD5}, and checks the CRC-64 COS answers; returns it.
   *
   * @throws MediaIntegrityException when COS's CRC-64 is not that of {@code data}
   */
  String put(MediaObject o, byte[] data, String contentType) {
    CosRequests.check(o, "object");
    HttpCalls.Reply reply =
        http.read(
            "put-object",
            requests.request(Service.COS, "PUT", o.bucket(), o.key(), Map.of(), data, contentType));
    String sent = Long.toUnsignedString(Crc64.of(data));
    String stored = reply.headers().get(CRC_HEADER);
    if (stored != null && !stored.equals(sent)) {
      throw new MediaIntegrityException(o.toString(), "crc64ecma", sent, stored);
    }
    return sent;
  }

  /** Returns what COS knows of {@code o}; empty when there is no such object (404). */
  Optional<Head> head(MediaObject o) {
    CosRequests.check(o, "object");
    HttpCalls.Reply reply;
    try {
      reply =
          http.read(
              "head-object", requests.request(Service.COS, "HEAD", o.bucket(), o.key(), Map.of()));
    } catch (MediaServiceException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(
        new Head(
            length(reply).orElse(-1),
            header(reply, "ETag"),
            header(reply, CRC_HEADER),
            header(reply, "Content-Type"),
            "appendable".equalsIgnoreCase(header(reply, "x-cos-object-type"))));
  }

  /**
   * Returns the bytes of {@code o}, checked against the CRC-64 COS answers with them.
   *
   * @throws MediaServiceException 404 {@code NoSuchKey} when there is no such object
   */
  byte[] get(MediaObject o) {
    CosRequests.check(o, "object");
    HttpCalls.Reply reply =
        http.read(
            "get-object", requests.request(Service.COS, "GET", o.bucket(), o.key(), Map.of()));
    String stored = reply.headers().get(CRC_HEADER);
    if (stored != null) {
      String got = Long.toUnsignedString(Crc64.of(reply.body()));
      if (!stored.equals(got)) {
        throw new MediaIntegrityException(o.toString(), "crc64ecma", stored, got);
      }
    }
    return reply.body();
  }

  /** Deletes {@code o}; deleting an object that is not there does nothing. */
  void delete(MediaObject o) {
    CosRequests.check(o, "object");
    try {
      http.read(
          "delete-object", requests.request(Service.COS, "DELETE", o.bucket(), o.key(), Map.of()));
    } catch (MediaServiceException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
    }
  }

  private static OptionalLong length(HttpCalls.Reply reply) {
    String v = reply.headers().get("Content-Length");
    try {
      return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String header(HttpCalls.Reply reply, String name) {
    String v = reply.headers().get(name);
    return v == null ? "" : v;
  }

  @Override
  public String toString() {
    return "CosObjects{" + requests.settings() + "}";
  }
}
