package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The fake's MNS: pushes each message published to a topic to the HTTP endpoints subscribed to it,
 * as MNS pushes (https://help.aliyun.com/document_detail/27498.html): {@code POST} to the
 * endpoint's URI, the body in the subscription's {@link FakeOssServer.PushFormat} ({@code XML} and
 * {@code JSON} carry the message Base64-encoded, {@code SIMPLIFIED} carries it raw with {@code
 * x-mns-message-id}), {@code Content-MD5} (Base64 of the hex MD5, as in MNS's example), {@code
 * Date}, {@code x-mns-request-id}, {@code x-mns-version}, {@code x-mns-signing-cert-url} (Base64 of
 * the URL where this fake serves its certificate) and {@code Authorization}: Base64 of a
 * SHA1withRSA signature over {@code POST\nContent-MD5\nContent-Type\nDate\n} + the {@code x-mns-*}
 * headers sorted + the URI (https://help.aliyun.com/document_detail/27488.html). A push that is not
 * answered with a 2xx is tried twice more. Thread-safe.
 */
final class MnsPush {
  /** Where the fake serves its signing certificate. */
  static final String CERTIFICATE_PATH = "/mns/x509_public_certificate.pem";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(java.time.ZoneOffset.UTC);

  private record Subscription(String endpoint, FakeOssServer.PushFormat format, String name) {}

  private final Clock clock;
  private final Supplier<String> baseUrl;
  private final SelfSignedCertificate certificate;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger names = new AtomicInteger();
  private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();
  private final List<Integer> answers = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MnsPush(Clock clock, Supplier<String> baseUrl) {
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.certificate = SelfSignedCertificate.create("fake-mns", clock.instant());
  }

  String certificatePem() {
    return certificate.pem();
  }

  void subscribe(String topic, String endpoint, FakeOssServer.PushFormat format) {
    URI.create(endpoint); // fails early on a bad URL
    subscriptions
        .computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>())
        .add(new Subscription(endpoint, format, "sub-" + names.incrementAndGet()));
  }

  /** The HTTP statuses the endpoints answered, in order (-1: unreachable). */
  List<Integer> answers() {
    return List.copyOf(answers);
  }

  /** Pushes {@code message} to every endpoint subscribed to {@code topic}. */
  void push(String topic, String message) {
    for (Subscription s : subscriptions.getOrDefault(topic, List.of())) {
      String messageId = HexFormat.of().withUpperCase().formatHex(bytes(16));
      for (int attempt = 0; attempt < 3; attempt++) {
        int status = send(topic, message, messageId, s);
        answers.add(status);
        if (status >= 200 && status < 300) {
          break;
        }
      }
    }
  }

  /** Pushes {@code message} once to {@code endpoint}; returns the status it answered. */
  int pushOnce(String topic, String endpoint, String message, FakeOssServer.PushFormat format) {
    String messageId = HexFormat.of().withUpperCase().formatHex(bytes(16));
    return send(topic, message, messageId, new Subscription(endpoint, format, "sub-once"));
  }

  private int send(String topic, String message, String messageId, Subscription s) {
    URI uri = URI.create(s.endpoint());
    String base64 = Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("TopicOwner", "1000000000000000");
    fields.put("TopicName", topic);
    fields.put("Subscriber", "1000000000000000");
    fields.put("SubscriptionName", s.name());
    fields.put("MessageId", messageId);
    fields.put("Message", base64);
    fields.put("MessageMD5", md5Hex(base64).toUpperCase(Locale.ROOT));
    fields.put("MessageTag", "");
    fields.put("PublishTime", String.valueOf(clock.millis()));
    String body;
    String contentType;
    Map<String, String> mns = new TreeMap<>();
    switch (s.format()) {
      case XML -> {
        StringBuilder xml =
            new StringBuilder(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                    + "<Notification xmlns=\"http://mns.aliyuncs.com/doc/v1/\">");
        fields.forEach(
            (k, v) ->
                xml.append('<')
                    .append(k)
                    .append('>')
                    .append(Reply.escapeXml(String.valueOf(v)))
                    .append("</")
                    .append(k)
                    .append('>'));
        body = xml.append("</Notification>").toString();
        contentType = "text/xml;charset=utf-8";
      }
      case JSON -> {
        body = Reply.toJson(fields);
        contentType = "application/json;charset=utf-8";
      }
      case SIMPLIFIED -> {
        body = message;
        contentType = "text/plain;charset=utf-8";
        mns.put("x-mns-message-id", messageId);
      }
      default -> throw new IllegalStateException(s.format().toString());
    }
    String contentMd5 =
        Base64.getEncoder().encodeToString(md5Hex(body).getBytes(StandardCharsets.US_ASCII));
    String date = HTTP_DATE.format(clock.instant());
    mns.put("x-mns-request-id", HexFormat.of().withUpperCase().formatHex(bytes(12)));
    mns.put(
        "x-mns-signing-cert-url",
        Base64.getEncoder()
            .encodeToString((baseUrl.get() + CERTIFICATE_PATH).getBytes(StandardCharsets.UTF_8)));
    mns.put("x-mns-version", "2015-06-06");
    StringBuilder toSign =
        new StringBuilder("POST\n")
            .append(contentMd5)
            .append('\n')
            .append(contentType)
            .append('\n')
            .append(date)
            .append('\n');
    mns.forEach((k, v) -> toSign.append(k).append(':').append(v).append('\n'));
    toSign
        .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    try {
      Signature signer = Signature.getInstance("SHA1withRSA");
      signer.initSign(certificate.privateKey());
      signer.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
      HttpRequest.Builder r =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(5))
              .header("Authorization", Base64.getEncoder().encodeToString(signer.sign()))
              .header("Content-MD5", contentMd5)
              .header("Content-Type", contentType)
              .header("Date", date)
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      mns.forEach(r::header);
      return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String md5Hex(String text) {
    return HexFormat.of().formatHex(Hashes.digest("MD5", text.getBytes(StandardCharsets.UTF_8)));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
