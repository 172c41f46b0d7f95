package dev.mediaflow.testkit.cos;

import dev.mediaflow.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake COS's answers: the headers COS puts on every reply ({@code x-cos-request-id}, written in
 * lower case as COS writes it) and its XML errors
 * (https://intl.cloud.tencent.com/document/api/436/7730). Thread-safe.
 */
final class CosReplies {
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  CosReplies(Clock clock) {
    this.clock = clock;
  }

  /** Returns a fresh request id, Base64 like COS's. */
  String requestId() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    String text = Long.toHexString(clock.millis()) + "_" + ids.incrementAndGet() + "_";
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(
            (text + Base64.getEncoder().encodeToString(b)).getBytes(StandardCharsets.US_ASCII));
  }

  /** Adds the headers COS sends with every answer. */
  Reply common(Reply reply) {
    return reply
        .header("x-cos-request-id", requestId())
        .header("Date", HTTP_DATE.format(clock.instant()))
        .header("Server", "tencent-cos");
  }

  Reply status(int status) {
    return common(Reply.status(status));
  }

  /** Returns an XML document with COS's headers. */
  Reply xml(int status, String xml) {
    Reply r = Reply.xml(status, xml);
    return common(r);
  }

  /** Returns COS's XML error: Code, Message, Resource, RequestId and TraceId. */
  Reply error(int status, String code, String message, String resource) {
    String id = requestId();
    String trace = Base64.getEncoder().withoutPadding().encodeToString(bytes(24));
    String xml =
        "<Error><Code>"
            + Reply.escapeXml(code)
            + "</Code><Message>"
            + Reply.escapeXml(message)
            + "</Message><Resource>"
            + Reply.escapeXml(resource == null ? "" : resource)
            + "</Resource><RequestId>"
            + id
            + "</RequestId><TraceId>"
            + trace
            + "</TraceId></Error>";
    return Reply.body(
            status,
            "application/xml",
            ("<?xml version='1.0' encoding='utf-8' ?>\n" + xml).getBytes(StandardCharsets.UTF_8))
        .header("x-cos-request-id", id)
        .header("x-cos-trace-id", trace)
        .header("Date", HTTP_DATE.format(clock.instant()))
        .header("Server", "tencent-cos")
        .errorCode(code);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
