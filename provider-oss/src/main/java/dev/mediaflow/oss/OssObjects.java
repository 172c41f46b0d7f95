package dev.mediaflow.oss;

import com.google.gson.JsonObject;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Signed requests on OSS objects (PUT, GET, HEAD, DELETE, POST, with any query) and the reading of
 * OSS errors, shared by the job client and the uploads so that neither calls the other. Builds
 * requests only; the caller sends them with its own {@link HttpCalls}. Thread-safe.
 */
final class OssObjects {
  /**
   * OSS bucket names: 3 to 63 lowercase letters, digits and '-', starting and ending with a letter
   * or digit.
   */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

  private final OssSettings settings;
  private final OssSigner signer;

  OssObjects(OssSettings settings, OssSigner signer) {
    this.settings = settings;
    this.signer = signer;
  }

  /** The signature version requests are signed with ({@code signatureVersion}). */
  OssSigner.Version version() {
    return settings.v1() ? OssSigner.Version.V1 : OssSigner.Version.V4;
  }

  /** The object's URL with {@code query} (decoded) encoded after it, in the map's order. */
  HttpUrl url(String bucket, String key, Map<String, String> query) {
    HttpUrl.Builder b = settings.objectUrl(bucket, key).newBuilder();
    String q = OssSigner.encodeQuery(query);
    return q.isEmpty() ? b.build() : b.encodedQuery(q).build();
  }

  /**
   * A signed request. {@code query} is the decoded query (every parameter OSS signs); {@code body}
   * null for none (GET, HEAD). V4 adds {@code x-oss-date} and {@code x-oss-content-sha256}; both
   * add {@code Date}, and {@code Content-MD5} for a body.
   */
  Request request(
      String method, String bucket, String key, Map<String, String> query, byte[] body) {
    return request(
        method,
        bucket,
        key,
        query,
        body == null ? null : RequestBody.create(body, null),
        body == null ? Map.of() : Map.of("Content-MD5", contentMd5(body)));
  }

  /**
   * A signed request with a streamed {@code body} (null for none) and extra {@code headers} to send
   * and sign, such as {@code Content-Type}, {@code Content-MD5} or {@code x-oss-callback}.
   */
  Request request(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      RequestBody body,
      Map<String, String> headers) {
    Request.Builder r = new Request.Builder().url(url(bucket, key, query)).method(method, body);
    signer.sign(version(), method, bucket, key, query, headers).forEach(r::header);
    return r.build();
  }

  /**
   * Checks what OSS asks of an object beyond {@link MediaObject}'s own rules (a key of 1 to 1023
   * UTF-8 bytes, not starting with '/', without control characters), before anything is sent.
   */
  static void check(MediaObject o, String field) {
    if (!BUCKET.matcher(o.bucket()).matches()) {
      throw new MediaValidationException(
          field + ".bucket",
          "an OSS bucket name has 3 to 63 lowercase letters, digits "
              + "and '-', and starts and ends with a letter or digit, was \""
              + o.bucket()
              + "\"");
    }
    checkKey(o, field);
  }

  /** The key part of {@link #check}, for a bucket checked before. */
  static void checkKey(MediaObject o, String field) {
    String key = o.key();
    if (key.startsWith("\\")) {
      throw new MediaValidationException(
          field + ".key", "an OSS object key cannot start with '\\', was \"" + key + "\"");
    }
    if (dotSegment(key)) {
      throw new MediaValidationException(
          field + ".key",
          "'.' and '..' segments in \""
              + key
              + "\" would be resolved away by HTTP clients; rename the object");
    }
  }

  /** True when a {@code /}-separated segment of {@code key} is {@code .} or {@code ..}. */
  static boolean dotSegment(String key) {
    int n = key.length();
    for (int start = 0; start <= n; ) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      int length = end - start;
      if ((length == 1 || length == 2)
          && key.charAt(start) == '.'
          && (length == 1 || key.charAt(start + 1) == '.')) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  static String contentMd5(byte[] body) {
    return Base64.getEncoder().encodeToString(OssSigner.md5(body));
  }

  /**
   * OSS answers errors as XML ({@code Code}, {@code Message}, {@code RequestId}, {@code EC}); IMM
   * as JSON ({@code Code}, {@code Message}, {@code RequestId}). A HEAD has no body: its code is
   * inferred.
   */
  static MediaServiceException error(HttpCalls.Reply reply) {
    String text = reply.text().strip();
    String code = "";
    String message = "";
    String requestId = reply.headers().get("x-oss-request-id");
    String ec = reply.headers().get("x-oss-ec");
    if (text.startsWith("<")) {
      Map<String, String> f = OssStatus.xmlFields(text);
      code = f.getOrDefault("Code", "");
      message = f.getOrDefault("Message", "");
      requestId = f.getOrDefault("RequestId", requestId);
      ec = f.getOrDefault("EC", ec);
    } else if (text.startsWith("{")) {
      JsonObject o = reply.json().orElse(null);
      if (o != null) {
        code = OssStatus.string(o, "Code");
        message = OssStatus.string(o, "Message");
        requestId =
            OssStatus.string(o, "RequestId").isEmpty()
                ? requestId
                : OssStatus.string(o, "RequestId");
      }
    } else if (!text.isEmpty()) {
      message = abbreviate(text);
    }
    if (code.isEmpty()) {
      code =
          switch (reply.code()) {
            case 403 -> "AccessDenied";
            case 404 -> "NoSuchKey";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> String.valueOf(reply.code());
          };
    }
    if (code.equals("Imm Client") || message.contains("Attachment is not found")) {
      message +=
          " (the bucket has no IMM project attached, which OSS media and document processing needs: attach one"
              + " with IMM AttachOSSBucket or in the OSS console under Data Processing, then retry)";
    }
    String next = reply.headers().get("x-oss-next-append-position");
    if (next != null) {
      message += " (the object is " + next + " bytes long: append at position " + next + ")";
    }
    if (ec != null && !ec.isEmpty()) {
      message += " [EC " + ec + "]";
    }
    return new MediaServiceException(OssStyleRenderer.ID, reply.code(), code, requestId, message);
  }

  /** The text, stripped, cut to 300 characters. */
  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  @Override
  public String toString() {
    return "OssObjects{" + settings + "}";
  }
}
