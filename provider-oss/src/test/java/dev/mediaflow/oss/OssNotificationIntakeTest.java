package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.internal.SharedHttp;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.NotificationIntake;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.oss.FakeOssServer.PushFormat;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OSS notification intake over real HTTP: the fake OSS pushes its tasks' topic messages as MNS
 * does, signed with its own certificate, to a JDK HTTP server in the test that hands them to {@code
 * MediaClient.notifications()}; forged, tampered, stale, truncated, oversized and malformed pushes
 * are refused with no event.
 */
class OssNotificationIntakeTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** One request the receiver got, and the intake's answer. */
  record Received(InboundRequest request, IntakeResult result) {}

  @TempDir Path dir;

  FakeOssServer oss;
  MediaClient media;
  HttpServer receiver;
  final AtomicReference<NotificationIntake> intake = new AtomicReference<>();
  final BlockingQueue<Received> received = new ArrayBlockingQueue<>(16);

  @BeforeEach
  void setUp() throws IOException {
    oss =
        FakeOssServer.builder()
            .credentials("AK", "SK")
            .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build())
            .build()
            .start();
    oss.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(oss.clientSettings(true))))
            .build();
    intake.set(media.notifications());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", this::handle);
    receiver.start();
  }

  @AfterEach
  void tearDown() {
    receiver.stop(0);
    media.close();
    oss.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    String uri =
        ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + ex.getRequestURI().getRawQuery());
    InboundRequest request =
        InboundRequest.of(
            ex.getRequestMethod(), uri, ex.getRequestHeaders(), ex.getRequestBody().readAllBytes());
    IntakeResult r = intake.get().receive(request);
    received.add(new Received(request, r));
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  JobId submit(String topic, String out) {
    return media
        .submit(
            Pipeline.from("media", "in/source.mp4")
                .then(Transcode.builder().container(Container.MP4).build())
                .saveAs("media", out)
                .notifyTopic(topic)
                .build())
        .id();
  }

  long getTaskCalls() {
    return oss.requests().stream().filter(l -> l.contains("TaskId=")).count();
  }

  /**
   * How often the certificate was fetched; the fake logs a request once answered, so wait for one.
   */
  long certificateFetches() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fetches() == 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    Thread.sleep(100);
    return fetches();
  }

  private long fetches() {
    return oss.requests().stream().filter(l -> l.contains("/mns/")).count();
  }

  Received next() throws InterruptedException {
    Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).as("a push").isNotNull();
    return r;
  }

  /** A genuine push from the fake, captured. */
  Received genuinePush() throws InterruptedException {
    oss.subscribe("captured", url("/notifications"));
    submit("captured", "out/captured.mp4");
    return next();
  }

  static InboundRequest with(InboundRequest r, String header, String value) {
    Map<String, List<String>> h = new HashMap<>(r.headers());
    h.remove(header);
    h.keySet().removeIf(k -> k.equalsIgnoreCase(header));
    if (value != null) {
      h.put(header, List.of(value));
    }
    return InboundRequest.of(r.method(), r.uri(), h, r.body());
  }

  static InboundRequest withBody(InboundRequest r, byte[] body) {
    return InboundRequest.of(r.method(), r.uri(), r.headers(), body);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  // ---- pushes from the fake

  @ParameterizedTest
  @EnumSource(PushFormat.class)
  void push_yieldsOneEventWithTheFinalState_withoutAnyStatusCall(PushFormat format)
      throws Exception {
    oss.subscribe("done-" + format, url("/notifications?f=" + format), format);
    JobId id = submit("done-" + format, "out/" + format + ".mp4");
    Received r = next();
    assertThat(r.result().status()).isEqualTo(204);
    assertThat(r.result().events()).hasSize(1);
    JobEvent e = r.result().events().get(0);
    assertThat(e.status().id()).isEqualTo(JobId.of("oss", id.vendorIds().get(0)));
    assertThat(e.status().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(e.status().outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/" + format + ".mp4"));
    assertThat(e.status().details()).containsEntry("verifiedBy", "mns-signature");
    // the message id is MNS's (32 hex digits), not IMM's event id inside the message
    assertThat(e.messageId()).matches("[0-9A-F]{32}");
    if (format == PushFormat.SIMPLIFIED) {
      assertThat(e.messageId()).isEqualTo(r.request().header("x-mns-message-id").orElseThrow());
    }
    assertThat(getTaskCalls()).isZero();
    long until = System.nanoTime() + WAIT.toNanos();
    while (oss.pushAnswers().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10); // the fake records the answer once it has read it
    }
    assertThat(oss.pushAnswers()).containsExactly(204);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void failedTask_isAFailedEvent() throws Exception {
    oss.close();
    oss =
        FakeOssServer.builder()
            .executor(
                SimulatedExecutor.builder()
                    .duration(Duration.ofMillis(50))
                    .failMatching(".*", "not a valid video")
                    .build())
            .build()
            .start();
    oss.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
    media.close();
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(oss.clientSettings(true))))
            .build();
    intake.set(media.notifications());
    oss.subscribe("failing", url("/notifications"));
    JobId id = submit("failing", "out/failed.mp4");
    JobEvent e = next().result().events().get(0);
    assertThat(e.status().id().vendorId()).isEqualTo(id.vendorIds().get(0));
    assertThat(e.status().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void theSamePushTwice_carriesTheSameMessageId() throws Exception {
    Received r = genuinePush();
    IntakeResult again = media.notifications().receive(r.request());
    assertThat(again.status()).isEqualTo(204);
    assertThat(again.events()).hasSize(1);
    assertThat(again.events().get(0).messageId()).isEqualTo(r.result().events().get(0).messageId());
  }

  // ---- refused

  @Test
  void forgedTamperedTruncatedAndStalePushes_are403_withoutEvent() throws Exception {
    InboundRequest genuine = genuinePush().request();
    byte[] body = genuine.body();
    String text = new String(body, StandardCharsets.UTF_8);

    byte[] tampered = text.replace("<TopicName>captured", "<TopicName>capturex").getBytes();
    byte[] truncated = java.util.Arrays.copyOf(body, body.length / 2);
    String otherMd5 =
        Base64.getEncoder()
            .encodeToString(
                java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5").digest(tampered))
                    .getBytes(StandardCharsets.US_ASCII));
    List<InboundRequest> refused =
        List.of(
            withBody(genuine, tampered),
            withBody(genuine, truncated),
            with(withBody(genuine, tampered), "Content-MD5", otherMd5),
            with(genuine, "Content-MD5", null),
            with(genuine, "Authorization", b64("not the signature")),
            with(genuine, "Authorization", null),
            with(genuine, "Date", "Wed, 25 May 2016 10:46:14 GMT"),
            with(genuine, "Date", null),
            with(genuine, "x-mns-request-id", "0000000000000000000000FF"),
            with(genuine, "x-mns-signing-cert-url", "%%%"),
            InboundRequest.of("POST", "/elsewhere", genuine.headers(), body));
    for (InboundRequest r : refused) {
      IntakeResult result = media.notifications().receive(r);
      assertThat(result.status()).as(r.toString()).isEqualTo(403);
      assertThat(result.events()).isEmpty();
    }
    // the genuine one still passes
    assertThat(media.notifications().receive(genuine).events()).hasSize(1);
  }

  @Test
  void stalePush_isRefused_byAClockMoreThan15MinutesOn() throws Exception {
    InboundRequest genuine = genuinePush().request();
    OssNotificationIntake later =
        new OssNotificationIntake(
            certificates(oss.mnsCertificateHost()),
            () -> OssCallbackVerifier.withKeys(u -> oss.callbackPublicKeyPem()),
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));
    IntakeResult r = later.receive(genuine);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("minutes");
    assertThat(r.events()).isEmpty();
  }

  @Test
  void certificateOutsideTheAllowedHosts_isRefused_withoutFetchingIt() throws Exception {
    InboundRequest genuine = genuinePush().request();
    assertThat(certificateFetches()).isEqualTo(1);
    for (String cert :
        List.of(
            "https://evil.example.com/x509_public_certificate.pem",
            "https://mns-cert.oss-cn-hangzhou.aliyuncs.com.evil.example.com/x.pem",
            "http://127.0.0.1:1/mns/x509_public_certificate.pem",
            oss.mnsCertificateHost().replace("http://", "https://") + "/mns/x.pem",
            "not a url")) {
      IntakeResult r =
          media.notifications().receive(with(genuine, "x-mns-signing-cert-url", b64(cert)));
      assertThat(r.status()).as(cert).isEqualTo(403);
      assertThat(r.events()).isEmpty();
    }
    assertThat(fetches()).isEqualTo(1);
    // a client that trusts only the vendor's hosts refuses the fake's own certificate
    OssNotificationIntake vendorOnly =
        new OssNotificationIntake(
            certificates(MnsCertificates.DEFAULT_HOSTS),
            () -> OssCallbackVerifier.withKeys(u -> oss.callbackPublicKeyPem()),
            Clock.systemUTC());
    assertThat(vendorOnly.receive(genuine).status()).isEqualTo(403);
  }

  @Test
  void certificateIsFetchedOnce() throws Exception {
    genuinePush();
    oss.subscribe("again", url("/notifications"));
    submit("again", "out/again.mp4");
    assertThat(next().result().events()).hasSize(1);
    assertThat(certificateFetches()).isEqualTo(1);
  }

  @Test
  void signedButMalformedMessages_are400_withoutEvent() throws Exception {
    for (String message :
        List.of("not json", "{\"hello\":1}", "[1,2]", "{\"content\":\"{\\\"Status\\\":1}\"}")) {
      for (PushFormat format : PushFormat.values()) {
        assertThat(oss.push("t", url("/notifications"), message, format))
            .as(message + " " + format)
            .isEqualTo(400);
        Received r = next();
        assertThat(r.result().events()).isEmpty();
      }
    }
  }

  @Test
  void aRunningTaskMessage_isAnswered_withoutEvent() throws Exception {
    String running =
        "{\"id\":\"1\",\"source\":\"acs.imm\",\"content\":\"{\\\"TaskId\\\":\\\"MediaConvert-1\\\","
            + "\\\"Status\\\":\\\"Running\\\"}\"}";
    assertThat(oss.push("t", url("/notifications"), running, PushFormat.SIMPLIFIED)).isEqualTo(204);
    assertThat(next().result().events()).isEmpty();
  }

  @Test
  void oversizedBodyAndWrongMethodAndUnknownSender_areRefused() {
    byte[] huge = new byte[OssNotificationIntake.MAX_BODY + 1];
    Map<String, List<String>> mns = Map.of("x-mns-signing-cert-url", List.of(b64("x")));
    IntakeResult oversized =
        media.notifications().receive(InboundRequest.of("POST", "/n", mns, huge));
    assertThat(oversized.status()).isEqualTo(413);
    IntakeResult get =
        media.notifications().receive(InboundRequest.of("GET", "/n", mns, new byte[0]));
    assertThat(get.status()).isEqualTo(405);
    IntakeResult anonymous =
        media
            .notifications()
            .receive(
                InboundRequest.of("POST", "/n", Map.of(), "{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(anonymous.status()).isEqualTo(400);
    for (IntakeResult r : List.of(oversized, get, anonymous)) {
      assertThat(r.events()).isEmpty();
    }
  }

  // ---- upload callbacks

  @Test
  void uploadCallback_genuineIsAnsweredWithoutEvent_forgedIs403() throws Exception {
    intake.set(
        new OssNotificationIntake(
            certificates(oss.mnsCertificateHost()),
            () -> OssCallbackVerifier.withKeys(u -> oss.callbackPublicKeyPem()),
            Clock.systemUTC()));
    Path f = Files.write(dir.resolve("in.bin"), new byte[] {1, 2, 3});
    var result =
        media.upload(
            UploadRequest.builder(UploadSource.ofFile(f), MediaObject.of("media", "up/in.bin"))
                .callback(UploadCallback.form(url("/callbacks/oss"), "object=${object}"))
                .build());
    Received r = next();
    assertThat(r.result().status()).isEqualTo(200);
    assertThat(r.result().events()).isEmpty();
    assertThat(result.callbackResponse()).contains("{\"Status\":\"OK\"}");

    IntakeResult forged =
        intake
            .get()
            .receive(withBody(r.request(), "object=other".getBytes(StandardCharsets.UTF_8)));
    assertThat(forged.status()).isEqualTo(403);
    IntakeResult foreignKey =
        intake
            .get()
            .receive(with(r.request(), "x-oss-pub-key-url", b64("https://evil.example.com/k.pem")));
    assertThat(foreignKey.status()).isEqualTo(403);
  }

  // ---- MNS's documented string to sign, and certificate hosts

  @Test
  void stringToSign_hasTheLayoutOfMnssDocumentedExample() {
    // https://help.aliyun.com/document_detail/27488.html (values as the page prints them)
    InboundRequest r =
        InboundRequest.of(
            "POST",
            "/notifications",
            Map.of(
                "Content-MD5", List.of("ZDgxNjY5ZjFlMDQ5MGM0YWMwMWE5ODlmZDVlYmQxYjI="),
                "Content-Type", List.of("text/xml;charset=utf-8"),
                "Date", List.of("Wed, 25 May 2016 10:46:14 GMT"),
                "x-mns-version", List.of("2015-06-06"),
                "X-Mns-Request-Id", List.of("57458276F0E3D56D7C00****"),
                "x-mns-signing-cert-url",
                    List.of(
                        "aHR0cDovL21uc3Rlc3Qub3NzLWNuLWhhbmd6aG91LmFsaXl1bmNzLmNvbS94NTA5X3B1YmxpY19jZXJ0aWZpY2F0ZS5w****"),
                "Authorization", List.of("ignored")),
            new byte[0]);
    assertThat(OssNotificationIntake.stringToSign(r))
        .isEqualTo(
            "POST\nZDgxNjY5ZjFlMDQ5MGM0YWMwMWE5ODlmZDVlYmQxYjI=\ntext/xml;charset=utf-8\n"
                + "Wed, 25 May 2016 10:46:14 GMT\nx-mns-request-id:57458276F0E3D56D7C00****\n"
                + "x-mns-signing-cert-url:aHR0cDovL21uc3Rlc3Qub3NzLWNuLWhhbmd6aG91LmFsaXl1bmNzLmNvbS94NTA5X3B1YmxpY19jZXJ0aWZpY2F0ZS5w****\n"
                + "x-mns-version:2015-06-06\n/notifications");
    // the example's Content-MD5 is Base64 of the hex digest
    assertThat(
            new String(Base64.getDecoder().decode("ZDgxNjY5ZjFlMDQ5MGM0YWMwMWE5ODlmZDVlYmQxYjI=")))
        .isEqualTo("d81669f1e0490c4ac01a989fd5ebd1b2");
  }

  @Test
  void contentMd5_isTheBodysDigest_asHexOrRaw() throws Exception {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(body);
    String hex = java.util.HexFormat.of().formatHex(digest);
    assertThat(OssNotificationIntake.matchesBody(b64(hex), body)).isTrue();
    assertThat(OssNotificationIntake.matchesBody(b64(hex.toUpperCase()), body)).isTrue();
    assertThat(OssNotificationIntake.matchesBody(Base64.getEncoder().encodeToString(digest), body))
        .isTrue();
    assertThat(OssNotificationIntake.matchesBody(b64(hex), "hellO".getBytes())).isFalse();
    assertThat(OssNotificationIntake.matchesBody("", body)).isFalse();
  }

  @Test
  void defaultHosts_areMnssOverHttps() {
    MnsCertificates vendor = certificates(MnsCertificates.DEFAULT_HOSTS);
    assertThat(
            vendor.trusted(
                HttpUrl.get(
                    "http://mnstest.oss-cn-hangzhou.aliyuncs.com/x509_public_certificate.pem")))
        .hasToString("https://mnstest.oss-cn-hangzhou.aliyuncs.com/x509_public_certificate.pem");
    assertThat(vendor.trusted(HttpUrl.get("https://mns-cert.oss-cn-shanghai.aliyuncs.com/c.pem")))
        .isNotNull();
    assertThat(
            vendor.trusted(HttpUrl.get("https://mns-cert.oss-ap-southeast-1.aliyuncs.com/c.pem")))
        .isNotNull();
    for (String bad :
        List.of(
            "https://mns-cert.oss-cn-shanghai.aliyuncs.com:8443/c.pem",
            "https://mns-cert.oss-cn-shanghai.aliyuncs.com.evil.com/c.pem",
            "https://evil.com/mns-cert.oss-cn-shanghai.aliyuncs.com/c.pem",
            "https://mns-cert.evil.oss-cn-shanghai.aliyuncs.com/c.pem",
            "https://x.mnstest.oss-cn-hangzhou.aliyuncs.com/c.pem")) {
      assertThat(vendor.trusted(HttpUrl.get(bad))).as(bad).isNull();
    }
    assertThatThrownBy(() -> certificates("https://a.example.com/path"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("mnsCertHosts");
    assertThatThrownBy(() -> certificates("a b")).isInstanceOf(MediaConfigException.class);
  }

  static MnsCertificates certificates(String hosts) {
    return MnsCertificates.from(
        ProviderConfig.of("oss", Map.of("mnsCertHosts", hosts)), SharedHttp.client());
  }
}
