package dev.mediaflow.cos;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.w3c.dom.Element;

/**
 * Builds signed requests for the COS host (objects, uploads, synchronous processing) and the Cloud
 * Infinite host (media and document jobs), and reads COS's XML errors into {@link
 * MediaServiceException}. Shared by the job client, objects, uploads and delivery, so that none
 * calls another; it only builds requests, each caller sends them with its own {@link HttpCalls}.
 * Thread-safe.
 */
final class CosRequests {
  static final String ID = "cos";

  private final CosSettings settings;
  private final CosSigner signer;

  CosRequests(CosSettings settings, CosSigner signer) {
    this.settings = settings;
    this.signer = signer;
  }

  CosSettings settings() {
    return settings;
  }

  CosSigner signer() {
    return signer;
  }

  /**
   * Returns the URL of {@code path} (decoded, without a leading {@code /}: an object key, {@code
   * jobs/<id>}, or "" for the bucket) on {@code service}'s host for {@code bucket} (as written in
   * the pipeline, with or without its APPID), with {@code query} (decoded) encoded in the map's
   * order; a parameter whose value is "" is written as its name alone ({@code ?uploads}).
   */
  HttpUrl url(Service service, String bucket, String path, Map<String, String> query) {
    HttpUrl base = settings.base(service, settings.bucket(bucket));
    HttpUrl.Builder b =
        base.newBuilder().encodedPath(base.encodedPath() + CosSigner.encodePath(path));
    String q = encodeQuery(query);
    return q.isEmpty() ? b.build() : b.encodedQuery(q).build();
  }

  /**
   * Returns the decoded path the signature covers for {@code path}: {@code /<path>}, or {@code
   * /<bucket>/<path>} under a local endpoint.
   */
  String signedPath(Service service, String bucket, String path) {
    return settings.base(service, settings.bucket(bucket)).encodedPath() + path;
  }

  /**
   * Returns a signed request.
   *
   * @param service which host: objects ({@link Service#COS}) or jobs ({@link Service#CI})
   * @param method the HTTP method
   * @param bucket the bucket, with or without its APPID
   * @param path the decoded path below the bucket, without a leading {@code /}
   * @param query the decoded query; every parameter is signed
   * @param body the body, or null for none; its content type, if any, is sent and signed in place
   *     of a {@code Content-Type} in {@code headers}
   * @param headers more headers to send; those COS signs ({@code Content-Type}, {@code
   *     Content-MD5}, {@code x-cos-*}, {@code Pic-Operations}...) are signed
   */
  Request request(
      Service service,
      String method,
      String bucket,
      String path,
      Map<String, String> query,
      RequestBody body,
      Map<String, String> headers) {
    HttpUrl url = url(service, bucket, path, query);
    Map<String, String> send = new LinkedHashMap<>(headers);
    MediaType type = body == null ? null : body.contentType();
    if (type != null) {
      // OkHttp sends the body's own type, so that is the one to sign.
      send.keySet().removeIf(k -> k.equalsIgnoreCase("Content-Type"));
      send.put("Content-Type", type.toString());
    }
    String authorization =
        signer.sign(method, hostHeader(url), signedPath(service, bucket, path), send, query);
    Request.Builder r = new Request.Builder().url(url).method(method, body);
    send.forEach(r::header);
    r.header("Authorization", authorization);
    signer.securityToken().ifPresent(t -> r.header(service.tokenHeader, t.reveal()));
    return r.build();
  }

  /** Returns a signed request without a body (GET, HEAD, DELETE, or a POST or PUT with none). */
  Request request(
      Service service, String method, String bucket, String path, Map<String, String> query) {
    return request(service, method, bucket, path, query, (RequestBody) null, Map.of());
  }

  /**
   * Returns a signed request with a byte body (null for none), sent with its {@code Content-MD5}
   * and {@code contentType} (null for none), both signed.
   */
  Request request(
      Service service,
      String method,
      String bucket,
      String path,
      Map<String, String> query,
      byte[] body,
      String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (body != null) {
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
      headers.put("Content-MD5", contentMd5(body));
    }
    return request(
        service,
        method,
        bucket,
        path,
        query,
        body == null ? null : RequestBody.create(body, null),
        headers);
  }

  /** The {@code Host} header OkHttp sends for {@code url}. */
  static String hostHeader(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }

  /** Encodes a decoded query in the map's order; "" values are written as the name alone. */
  static String encodeQuery(Map<String, String> query) {
    StringBuilder s = new StringBuilder();
    query.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append('&');
          }
          s.append(CosSigner.encode(k));
          if (v != null && !v.isEmpty()) {
            s.append('=').append(CosSigner.encode(v));
          }
        });
    return s.toString();
  }

  static String contentMd5(byte[] body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }

  /**
   * Checks what COS asks of an object key beyond {@link MediaObject}'s own rules, before anything
   * is sent: no {@code .} or {@code ..} segment, which HTTP clients resolve away.
   */
  static void check(MediaObject o, String field) {
    String key = o.key();
    int n = key.length();
    for (int start = 0; start <= n; ) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      String segment = key.substring(start, end);
      if (segment.equals(".") || segment.equals("..")) {
        throw new MediaValidationException(
            field + ".key",
            "'.' and '..' segments in \""
                + key
                + "\" would be resolved away by HTTP clients; rename the object");
      }
      start = end + 1;
    }
  }

  /**
   * Reads a COS or Cloud Infinite error: XML {@code
   * <Error><Code/><Message/><Resource/><RequestId/><TraceId/></Error>}
   * (https://cloud.tencent.com/document/product/436/7730), or JSON with {@code Code} and {@code
   * Message}; the request id from the body, else {@code x-cos-request-id} / {@code
   * x-ci-request-id}. A HEAD has no body: its code is inferred from the status.
   */
  static MediaServiceException error(HttpCalls.Reply reply) {
    String text = reply.text().strip();
    String code = "";
    String message = "";
    String requestId =
        Optional.ofNullable(reply.headers().get("x-cos-request-id"))
            .orElse(Optional.ofNullable(reply.headers().get("x-ci-request-id")).orElse(""));
    String traceId = Optional.ofNullable(reply.headers().get("x-cos-trace-id")).orElse("");
    if (text.startsWith("<")) {
      Optional<Element> root = CosXml.parse(text);
      if (root.isPresent()) {
        Map<String, String> f = CosXml.fields(root.get());
        code = f.getOrDefault("Code", "");
        message = f.getOrDefault("Message", "");
        if (!f.getOrDefault("RequestId", "").isEmpty()) {
          requestId = f.get("RequestId");
        }
        if (!f.getOrDefault("TraceId", "").isEmpty()) {
          traceId = f.get("TraceId");
        }
      } else {
        message = abbreviate(text);
      }
    } else if (text.startsWith("{")) {
      var o = reply.json().orElse(null);
      if (o != null) {
        code = string(o, "Code");
        message = string(o, "Message");
        if (!string(o, "RequestId").isEmpty()) {
          requestId = string(o, "RequestId");
        }
      } else {
        message = abbreviate(text);
      }
    } else if (!text.isEmpty()) {
      message = abbreviate(text);
    }
    if (code.isEmpty()) {
      code =
          switch (reply.code()) {
            case 403 -> "AccessDenied";
            case 404 -> "NoSuchKey";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> String.valueOf(reply.code());
          };
    }
    String next = reply.headers().get("x-cos-next-append-position");
    if (next != null) {
      message += " (the object is " + next + " bytes long: append at position " + next + ")";
    }
    if (code.equals("RequestTimeTooSkewed")
        || (code.equals("AccessDenied") && message.contains("expired"))) {
      message += " (check this machine's clock: COS signatures are dated by it)";
    }
    if (!traceId.isEmpty()) {
      message += " [trace " + traceId + "]";
    }
    return new MediaServiceException(ID, reply.code(), code, requestId, message.strip());
  }

  private static String string(com.google.gson.JsonObject o, String name) {
    var e = o.get(name);
    return e == null || !e.isJsonPrimitive() ? "" : e.getAsString();
  }

  /** The text, stripped, cut to 300 characters. */
  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  @Override
  public String toString() {
    return "CosRequests{" + settings + "}";
  }
}
