package dev.mediaflow.cos;

import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.auth.COSSigner;
import com.qcloud.cos.http.HttpMethodName;
import dev.mediaflow.internal.Crc64;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A MockWebServer dispatcher that answers the COS object and multipart calls the uploads make,
 * path-style ({@code /<bucket>/<key>}), as COS documents them, and checks every request's signature
 * with the official Java SDK's {@code COSSigner} over the headers and parameters it lists. For the
 * wire tests of this module only.
 */
final class CosWire extends Dispatcher {
  private final String secretId;
  private final String secretKey;

  final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  final List<String> signatureErrors = Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> tokens = new ConcurrentHashMap<>();

  /** Part numbers answered 500 every time. */
  final Set<Integer> failingParts = ConcurrentHashMap.newKeySet();

  /** Part numbers answered with a wrong CRC-64 this many more times. */
  final Map<Integer, Integer> corruptParts = new ConcurrentHashMap<>();

  /** When true, completions are carried out and then the connection is dropped unanswered. */
  volatile boolean dropCompletionAnswer;

  private final AtomicInteger ids = new AtomicInteger();

  CosWire(String secretId, String secretKey) {
    this.secretId = secretId;
    this.secretKey = secretKey;
  }

  long count(String prefix) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest r) {
    String line = r.getMethod() + " " + r.getTarget();
    requests.add(line);
    String token = r.getHeaders().get("x-cos-security-token");
    if (token != null) {
      tokens.put(line, token);
    }
    if (!signatureValid(r)) {
      signatureErrors.add(line);
      return error(403, "SignatureDoesNotMatch", "The Signature you specified is invalid.");
    }
    HttpUrl url = r.getUrl();
    List<String> segments = url.pathSegments();
    String key = String.join("/", segments.subList(1, segments.size()));
    byte[] body = r.getBody() == null ? new byte[0] : r.getBody().toByteArray();
    String method = r.getMethod();
    String uploadId = url.queryParameter("uploadId");
    if (method.equals("PUT") && url.queryParameter("partNumber") != null) {
      int n = Integer.parseInt(url.queryParameter("partNumber"));
      Map<Integer, byte[]> parts = uploads.get(uploadId);
      if (parts == null) {
        return error(404, "NoSuchUpload", "The specified upload does not exist.");
      }
      if (failingParts.contains(n)) {
        return error(500, "InternalError", "part " + n + " failed");
      }
      parts.put(n, body);
      long crc = Crc64.of(body);
      if (corruptParts.getOrDefault(n, 0) > 0) {
        corruptParts.merge(n, -1, Integer::sum);
        crc ^= 1;
      }
      return ok().addHeader("ETag", etag(body))
          .addHeader(CosObjects.CRC_HEADER, Long.toUnsignedString(crc))
          .build();
    }
    if (method.equals("PUT")) {
      objects.put(key, body);
      return ok().addHeader("ETag", etag(body))
          .addHeader(CosObjects.CRC_HEADER, Long.toUnsignedString(Crc64.of(body)))
          .build();
    }
    if (method.equals("POST") && url.queryParameterNames().contains("uploads")) {
      String id = "upload-" + ids.incrementAndGet();
      uploads.put(id, new ConcurrentHashMap<>());
      return ok().body(
              "<InitiateMultipartUploadResult><Bucket>"
                  + segments.get(0)
                  + "</Bucket><Key>"
                  + key
                  + "</Key><UploadId>"
                  + id
                  + "</UploadId></InitiateMultipartUploadResult>")
          .build();
    }
    if (method.equals("POST") && uploadId != null) {
      Map<Integer, byte[]> parts = uploads.remove(uploadId);
      if (parts == null) {
        return error(404, "NoSuchUpload", "The specified upload does not exist.");
      }
      Matcher m =
          Pattern.compile("<Part><PartNumber>(\\d+)</PartNumber><ETag>([^<]*)</ETag></Part>")
              .matcher(new String(body, StandardCharsets.UTF_8));
      java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
      int count = 0;
      while (m.find()) {
        byte[] part = parts.get(Integer.parseInt(m.group(1)));
        if (part == null || !m.group(2).replace("&quot;", "\"").equals(etag(part))) {
          return error(400, "InvalidPart", "part " + m.group(1) + " is not the one uploaded");
        }
        whole.writeBytes(part);
        count++;
      }
      byte[] data = whole.toByteArray();
      objects.put(key, data);
      MockResponse.Builder b =
          ok().addHeader(CosObjects.CRC_HEADER, Long.toUnsignedString(Crc64.of(data)))
              .body(
                  "<CompleteMultipartUploadResult><Location>"
                      + url.host()
                      + "/"
                      + key
                      + "</Location><Key>"
                      + key
                      + "</Key><ETag>&quot;"
                      + md5(data)
                      + "-"
                      + count
                      + "&quot;</ETag></CompleteMultipartUploadResult>");
      if (dropCompletionAnswer) {
        b.onResponseStart(new SocketEffect.CloseSocket(true, false, false));
      }
      return b.build();
    }
    if (method.equals("POST") && url.queryParameterNames().contains("append")) {
      long position = Long.parseLong(url.queryParameter("position"));
      byte[] before = objects.getOrDefault(key, new byte[0]);
      if (position != before.length) {
        return new MockResponse.Builder()
            .code(409)
            .addHeader("x-cos-next-append-position", String.valueOf(before.length))
            .body(errorXml("PositionNotEqualToLength", "Position is not equal to the length"))
            .build();
      }
      byte[] after = new byte[before.length + body.length];
      System.arraycopy(before, 0, after, 0, before.length);
      System.arraycopy(body, 0, after, before.length, body.length);
      objects.put(key, after);
      return ok().addHeader("x-cos-next-append-position", String.valueOf(after.length))
          .addHeader(CosObjects.CRC_HEADER, Long.toUnsignedString(Crc64.of(after)))
          .build();
    }
    if (method.equals("GET") && uploadId != null) {
      Map<Integer, byte[]> parts = uploads.get(uploadId);
      if (parts == null) {
        return error(404, "NoSuchUpload", "The specified upload does not exist.");
      }
      StringBuilder xml =
          new StringBuilder("<ListPartsResult><UploadId>" + uploadId + "</UploadId>");
      new TreeMap<>(parts)
          .forEach(
              (n, p) ->
                  xml.append("<Part><PartNumber>")
                      .append(n)
                      .append("</PartNumber><ETag>&quot;")
                      .append(md5(p))
                      .append("&quot;</ETag><Size>")
                      .append(p.length)
                      .append("</Size></Part>"));
      return ok().body(xml.append("<IsTruncated>false</IsTruncated></ListPartsResult>").toString())
          .build();
    }
    if (method.equals("GET") || method.equals("HEAD")) {
      byte[] data = objects.get(key);
      if (data == null) {
        // A HEAD answer has no body.
        return method.equals("HEAD")
            ? new MockResponse.Builder().code(404).addHeader("x-cos-request-id", "req-404").build()
            : error(404, "NoSuchKey", "The specified key does not exist.");
      }
      MockResponse.Builder b =
          ok().addHeader("ETag", etag(data))
              .addHeader(CosObjects.CRC_HEADER, Long.toUnsignedString(Crc64.of(data)));
      return method.equals("GET") ? b.body(new okio.Buffer().write(data)).build() : b.build();
    }
    if (method.equals("DELETE") && uploadId != null) {
      return uploads.remove(uploadId) == null
          ? error(404, "NoSuchUpload", "The specified upload does not exist.")
          : new MockResponse.Builder().code(204).build();
    }
    if (method.equals("DELETE")) {
      objects.remove(key);
      return new MockResponse.Builder().code(204).build();
    }
    return error(400, "InvalidRequest", "not handled: " + line);
  }

  /** Recomputes the signature with the official SDK over what the request lists. */
  private boolean signatureValid(RecordedRequest r) {
    String auth = r.getHeaders().get("Authorization");
    if (auth == null) {
      return false;
    }
    Map<String, String> fields = new HashMap<>();
    for (String pair : auth.split("&")) {
      int eq = pair.indexOf('=');
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    Map<String, String> headers = new HashMap<>();
    for (String name : fields.getOrDefault("q-header-list", "").split(";")) {
      if (!name.isEmpty()) {
        headers.put(name, r.getHeaders().get(name));
      }
    }
    HttpUrl url = r.getUrl();
    Map<String, String> params = new HashMap<>();
    for (String name : url.queryParameterNames()) {
      String v = url.queryParameter(name);
      params.put(name, v == null ? "" : v);
    }
    String[] times = fields.getOrDefault("q-sign-time", "0;0").split(";");
    String expected =
        new COSSigner()
            .buildAuthorizationStr(
                HttpMethodName.valueOf(r.getMethod()),
                "/" + String.join("/", url.pathSegments()),
                headers,
                params,
                new BasicCOSCredentials(secretId, secretKey),
                new Date(Long.parseLong(times[0]) * 1000),
                new Date(Long.parseLong(times[1]) * 1000),
                true);
    return expected.equals(auth);
  }

  private static MockResponse.Builder ok() {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("x-cos-request-id", "NWQ1ZjYxYzZfMjBiNDU4NjRfNjc4Nl8xYzE4");
  }

  static MockResponse error(int status, String code, String message) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/xml")
        .body(errorXml(code, message))
        .build();
  }

  private static String errorXml(String code, String message) {
    return "<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message><RequestId>req-"
        + code
        + "</RequestId></Error>";
  }

  static String etag(byte[] data) {
    return "\"" + md5(data) + "\"";
  }

  static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
