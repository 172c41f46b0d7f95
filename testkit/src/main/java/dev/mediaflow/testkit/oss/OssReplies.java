package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.Reply;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake OSS's answers: the headers OSS puts on every reply, its XML errors and IMM's JSON
 * errors. Thread-safe.
 */
final class OssReplies {
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String JSON = "application/json;charset=utf-8";

  private final Clock clock;
  private final String region;
  private final AtomicLong requestIds = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  OssReplies(Clock clock, String region) {
    this.clock = clock;
    this.region = region;
  }

  /** Returns a fresh {@code x-oss-request-id}. */
  String requestId() {
    return String.format("%024X", requestIds.incrementAndGet())
        + HexFormat.of().withUpperCase().formatHex(bytes(4));
  }

  /** Returns an IMM event id. */
  String eventId() {
    return "1B" + Long.toString(requestIds.get(), 36) + "-" + HexFormat.of().formatHex(bytes(8));
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Adds the headers OSS sends with every answer. */
  Reply common(Reply reply) {
    return reply
        .header("x-oss-request-id", requestId())
        .header("Date", HTTP_DATE.format(clock.instant()))
        .header("Server", "AliyunOSS");
  }

  /** Returns a bodiless answer with OSS's headers. */
  Reply status(int status) {
    return common(Reply.status(status));
  }

  Reply xml(String body) {
    return common(Reply.xml(200, body));
  }

  Reply json(int status, Object body) {
    return common(Reply.json(status, JSON, body));
  }

  Reply error(int status, String code, String message) {
    return error(status, code, message, Map.of(), "0000-00000000");
  }

  Reply error(int status, String code, String message, Map<String, String> extra) {
    return error(status, code, message, extra, "0000-00000000");
  }

  /**
   * Returns OSS's XML error: code, message, request id, the extra elements, and the error code
   * {@code ec}.
   */
  Reply error(int status, String code, String message, Map<String, String> extra, String ec) {
    Reply reply = Reply.status(status);
    common(reply);
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
    element(x, "Code", code);
    element(x, "Message", message);
    element(x, "RequestId", reply.header("x-oss-request-id"));
    element(x, "HostId", "127.0.0.1");
    extra.forEach((k, v) -> element(x, k, v));
    element(x, "EC", ec);
    x.append("</Error>\n");
    return reply
        .errorCode(code)
        .header("Content-Type", "application/xml")
        .header("x-oss-ec", ec)
        .body(x.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void element(StringBuilder x, String name, String value) {
    x.append("  <")
        .append(name)
        .append('>')
        .append(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        .append("</")
        .append(name)
        .append(">\n");
  }

  /** Returns an IMM (ACS) JSON error. */
  Reply acsError(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("RequestId", UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
    body.put("HostId", "imm." + region + ".aliyuncs.com");
    body.put("Code", code);
    body.put("Message", message);
    return json(status, body);
  }
}
