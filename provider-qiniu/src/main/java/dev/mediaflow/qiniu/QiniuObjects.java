package dev.mediaflow.qiniu;

import com.google.gson.JsonObject;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Signed Qiniu management requests ({@code Qiniu} or {@code QBox}, as configured), the object calls
 * both the job client and the uploads need ({@code stat}), and the reading of Qiniu errors, so that
 * neither calls the other. Thread-safe.
 */
final class QiniuObjects {
  static final String ID = QiniuFopRenderer.ID;
  static final MediaType FORM = MediaType.get(QiniuSigner.FORM);

  private final QiniuSettings settings;
  private final QiniuSigner signer;
  private final HttpCalls http;

  QiniuObjects(QiniuSettings settings, QiniuSigner signer, HttpCalls http) {
    this.settings = settings;
    this.signer = signer;
    this.http = http;
  }

  /**
   * {@code b} signed as configured ({@code auth}, {@code signDate}), or as it is when not {@code
   * sign}.
   *
   * @param contentType the Content-Type of the body, or null
   * @param body the exact body bytes, or null
   */
  Request signed(
      Request.Builder b,
      String method,
      HttpUrl url,
      String contentType,
      byte[] body,
      boolean sign) {
    if (sign) {
      (settings.qbox()
              ? signer.qboxHeaders(url, contentType, body)
              : signer.qiniuHeaders(method, url, contentType, body, settings.timestamp()))
          .forEach(b::header);
    }
    return b.build();
  }

  /**
   * Qiniu's {@code stat} of {@code o}: {@code POST /stat/<EncodedEntryURI>} on the rs host, signed
   * as pfop is (java-sdk {@code BucketManager.stat}). Returns its {@code fsize}, {@code hash},
   * {@code mimeType} and {@code putTime}, or empty when there is no such object (612). Read-only,
   * so retried like a status read.
   */
  Optional<JsonObject> stat(MediaObject o) {
    HttpUrl url =
        settings
            .rs()
            .newBuilder()
            .addPathSegment("stat")
            .addPathSegment(QiniuFopRenderer.entry(o))
            .build();
    byte[] body = new byte[0];
    Request request =
        signed(
            new Request.Builder().url(url).post(RequestBody.create(body, FORM)),
            "POST",
            url,
            QiniuSigner.FORM,
            body,
            true);
    try {
      HttpCalls.Reply reply = http.read("head-object", request);
      return Optional.of(
          reply
              .json()
              .orElseThrow(
                  () ->
                      new MediaServiceException(
                          ID,
                          reply.code(),
                          "BadResponse",
                          reply.headers().get("X-Reqid"),
                          "stat answered no JSON object: " + abbreviate(reply.text()))));
    } catch (MediaServiceException e) {
      if (e.httpStatus() == 612) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Qiniu's error body is {@code {"error":"..."}}; its request id is the {@code X-Reqid} header.
   */
  static MediaServiceException error(HttpCalls.Reply reply) {
    String message = jsonString(reply, "error");
    if (message == null) {
      message = abbreviate(reply.text());
    }
    return new MediaServiceException(
        ID, reply.code(), code(reply.code()), reply.headers().get("X-Reqid"), message);
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 401 -> "BadToken";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 429 -> "TooManyRequests";
      case 599 -> "ServerError";
      case 612 -> "NoSuchEntry";
      case 614 -> "EntryExists";
      case 631 -> "NoSuchBucket";
      default -> String.valueOf(status);
    };
  }

  /** A string field of the reply's JSON object, or null. */
  static String jsonString(HttpCalls.Reply reply, String field) {
    return reply
        .json()
        .filter(o -> o.has(field) && o.get(field).isJsonPrimitive())
        .map(o -> o.get(field).getAsString())
        .orElse(null);
  }

  /** The text, stripped, cut to 300 characters. */
  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  @Override
  public String toString() {
    return "QiniuObjects{" + settings + "}";
  }
}
