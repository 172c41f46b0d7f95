package dev.mediaflow.oss;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.spi.NotificationIntake;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * OSS's requests to the application: IMM task messages that MNS (SMQ) pushes from the job's topic
 * to an HTTP endpoint, and upload callbacks. A push is verified as MNS documents it
 * (https://help.aliyun.com/document_detail/27488.html): the certificate named Base64 in {@code
 * x-mns-signing-cert-url} must be on an MNS host, the {@code Authorization} must be its SHA1withRSA
 * signature over {@code METHOD\nContent-MD5\nContent-Type\nDate\n} + the {@code x-mns-*} headers
 * (lower case, sorted, {@code name:value\n}) + the request URI, the {@code Content-MD5} must be the
 * body's and the {@code Date} within 15 minutes. Its body may be MNS's XML {@code <Notification>},
 * its JSON form, or the bare message (SIMPLIFIED); the message raw or Base64. See {@code
 * docs/vendor-notes.md}, "MNS pushes".
 */
final class OssNotificationIntake implements NotificationIntake {
  /** MNS messages are at most 64 KiB; Base64 and the XML envelope stay below this. */
  static final int MAX_BODY = 256 * 1024;

  /** MNS's replay window for {@code Date}. */
  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private static final String TEXT = "text/plain; charset=utf-8";

  private final MnsCertificates certificates;
  private final Supplier<OssCallbackVerifier> callbacks;
  private final Clock clock;

  OssNotificationIntake(
      MnsCertificates certificates, Supplier<OssCallbackVerifier> callbacks, Clock clock) {
    this.certificates = certificates;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  /**
   * Recognises an MNS push ({@code x-mns-signing-cert-url}) or an OSS callback ({@code
   * x-oss-pub-key-url}).
   */
  @Override
  public boolean accepts(InboundRequest request) {
    return request.header("x-mns-signing-cert-url").isPresent()
        || request.header("x-oss-pub-key-url").isPresent();
  }

  @Override
  public IntakeResult receive(InboundRequest request) {
    if (!request.method().equals("POST")) {
      return refuse(405, "MNS and OSS POST their notifications and callbacks");
    }
    byte[] body = request.body();
    if (body.length > MAX_BODY) {
      return refuse(413, "the body is larger than " + MAX_BODY + " bytes");
    }
    if (request.header("x-mns-signing-cert-url").isPresent()) {
      return push(request, body);
    }
    if (request.header("x-oss-pub-key-url").isPresent()) {
      return uploadCallback(request, body);
    }
    return refuse(400, "neither an MNS push (x-mns-signing-cert-url) nor an OSS callback");
  }

  // ---- MNS pushes

  private IntakeResult push(InboundRequest request, byte[] body) {
    String authorization = request.header("Authorization").orElse("").strip();
    if (authorization.isEmpty()) {
      return refuse(403, "the push carries no signature");
    }
    String date = request.header("Date").orElse("");
    Instant sent;
    try {
      sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return refuse(403, "the push carries no valid Date");
    }
    if (Duration.between(sent, clock.instant()).abs().compareTo(MAX_AGE) > 0) {
      return refuse(403, "the push's Date is more than " + MAX_AGE.toMinutes() + " minutes off");
    }
    String md5 = request.header("Content-MD5").orElse("");
    if (!matchesBody(md5, body)) {
      return refuse(
          403,
          md5.isEmpty()
              ? "the push carries no Content-MD5, so its body is not signed"
              : "the body is not the one signed (Content-MD5)");
    }
    String certUrl;
    try {
      certUrl =
          new String(
              Base64.getDecoder().decode(request.header("x-mns-signing-cert-url").get().strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return refuse(403, "x-mns-signing-cert-url is not Base64");
    }
    PublicKey key;
    try {
      key = certificates.key(certUrl);
    } catch (MnsCertificates.Refused e) {
      return refuse(e.status, e.getMessage());
    }
    if (!verify(key, stringToSign(request), authorization)) {
      return refuse(403, "the signature is not MNS's");
    }
    return message(request, body);
  }

  /** Reads the verified body: the envelope, then IMM's task message inside. */
  private IntakeResult message(InboundRequest request, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    String messageId = request.header("x-mns-message-id").orElse("");
    String message = text;
    if (text.startsWith("<")) {
      Map<String, String> fields = OssStatus.xmlFields(text);
      if (!fields.containsKey("Message")) {
        return refuse(400, "an XML body without a Notification Message");
      }
      message = fields.get("Message");
      messageId = fields.getOrDefault("MessageId", messageId);
    } else if (text.startsWith("{")) {
      JsonObject o;
      try {
        JsonElement e = JsonParser.parseString(text);
        if (!e.isJsonObject()) {
          return refuse(400, "a JSON body that is no object");
        }
        o = e.getAsJsonObject();
      } catch (RuntimeException e) {
        return refuse(400, "a body that is not valid JSON");
      }
      // NotifyContentFormat=JSON: MNS's fields around the message; else the message itself
      if (o.has("Message") && o.has("MessageId") && !o.has("content") && !o.has("TaskId")) {
        message = OssStatus.string(o, "Message");
        messageId = OssStatus.string(o, "MessageId");
      }
    }
    OssStatus.Task task;
    try {
      task = OssStatus.notification(message.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return refuse(400, "not an IMM task message");
    }
    if (task.taskId().isEmpty()) {
      return refuse(400, "an IMM task message without a TaskId");
    }
    if (messageId.isBlank()) {
      messageId = request.header("x-mns-request-id").orElse("");
    }
    if (messageId.isBlank()) {
      return refuse(400, "the push names no message id");
    }
    JobStatus status =
        OssStatus.status(task, clock.instant()).toBuilder()
            .detail("verifiedBy", "mns-signature")
            .build();
    if (!status.isTerminal()) {
      return new IntakeResult(204, TEXT, "", List.of()); // IMM publishes ends only
    }
    return new IntakeResult(204, TEXT, "", List.of(new JobEvent(messageId.strip(), status)));
  }

  /**
   * MNS's string to sign: method, Content-MD5, Content-Type and Date lines (empty when absent),
   * every {@code x-mns-*} header as {@code name:value\n} with the name in lower case, sorted, then
   * the request URI.
   */
  static String stringToSign(InboundRequest request) {
    StringBuilder s = new StringBuilder();
    s.append(request.method()).append('\n');
    s.append(request.header("Content-MD5").orElse("")).append('\n');
    s.append(request.header("Content-Type").orElse("")).append('\n');
    s.append(request.header("Date").orElse("")).append('\n');
    Map<String, String> mns = new TreeMap<>();
    request
        .headers()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.startsWith("x-mns-") && !values.isEmpty()) {
                mns.put(lower, values.get(0).strip());
              }
            });
    mns.forEach((k, v) -> s.append(k).append(':').append(v).append('\n'));
    s.append(request.uri());
    return s.toString();
  }

  private static boolean verify(PublicKey key, String stringToSign, String authorization) {
    try {
      Signature s = Signature.getInstance("SHA1withRSA");
      s.initVerify(key);
      s.update(stringToSign.getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getDecoder().decode(authorization));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Whether {@code contentMd5} is the body's MD5: MNS's example carries Base64 of the hex digest;
   * Base64 of the digest itself (RFC 1864) is accepted too.
   */
  static boolean matchesBody(String contentMd5, byte[] body) {
    if (contentMd5.isBlank()) {
      return false;
    }
    byte[] digest;
    byte[] claimed;
    try {
      digest = MessageDigest.getInstance("MD5").digest(body);
      claimed = Base64.getDecoder().decode(contentMd5.strip());
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
    if (MessageDigest.isEqual(claimed, digest)) {
      return true;
    }
    String hex = new String(claimed, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII),
        HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII));
  }

  // ---- upload callbacks

  /**
   * An upload callback names an object, not a job (OSS starts no processing on upload), so a
   * genuine one is answered and carries no event; read its body with {@link OssCallbackVerifier}.
   */
  private IntakeResult uploadCallback(InboundRequest request, byte[] body) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    boolean genuine;
    try {
      genuine =
          callbacks
              .get()
              .verify(
                  request.header("Authorization").orElse(null),
                  request.header("x-oss-pub-key-url").orElse(null),
                  q < 0 ? uri : uri.substring(0, q),
                  q < 0 ? null : uri.substring(q + 1),
                  body);
    } catch (MediaValidationException e) {
      return refuse(403, "the callback's key is not OSS's");
    } catch (MediaException e) {
      return refuse(503, "cannot fetch OSS's callback key now");
    }
    if (!genuine) {
      return refuse(403, "the signature is not OSS's");
    }
    return new IntakeResult(200, "application/json", "{\"Status\":\"OK\"}", List.of());
  }

  private static IntakeResult refuse(int status, String why) {
    return new IntakeResult(status, TEXT, why, List.of());
  }
}
