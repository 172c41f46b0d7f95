package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.spi.Secret;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qiniu notification intake over real HTTP: the fake Qiniu POSTs a job's result to a JDK HTTP
 * server in the test, which hands it to {@code MediaClient.notifications()}; forged, tampered,
 * malformed and oversized requests are refused with no event.
 */
class QiniuNotificationIntakeTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** What the receiver saw: the intake's answer, and the job's prefop code at that moment. */
  record Received(IntakeResult result, String prefopAtReceipt) {}

  @TempDir Path dir;

  FakeQiniuServer qiniu;
  MediaClient media;
  HttpServer receiver;
  final BlockingQueue<Received> received = new ArrayBlockingQueue<>(16);

  @BeforeEach
  void setUp() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", this::handle);
    receiver.start();
  }

  @AfterEach
  void tearDown() {
    receiver.stop(0);
    if (media != null) {
      media.close();
    }
    if (qiniu != null) {
      qiniu.close();
    }
  }

  void start(FakeQiniuServer.Builder b) {
    qiniu = b.credentials("AK", "SK").build().start();
    qiniu.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(qiniu.clientSettings())))
            .retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(5), Duration.ofMillis(20)))
            .build();
  }

  void start() {
    start(
        FakeQiniuServer.builder()
            .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build()));
  }

  private void handle(HttpExchange ex) throws IOException {
    String uri =
        ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + ex.getRequestURI().getRawQuery());
    IntakeResult r =
        media
            .notifications()
            .receive(
                InboundRequest.of(
                    ex.getRequestMethod(),
                    uri,
                    ex.getRequestHeaders(),
                    ex.getRequestBody().readAllBytes()));
    String prefop =
        r.events().isEmpty()
            ? ""
            : qiniu.prefopJson(r.events().get(0).status().id().vendorId()).orElse("");
    received.add(new Received(r, prefop));
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

  Pipeline snapshot(String out) {
    return Pipeline.from("media", "in/source.mp4")
        .then(Snapshot.at(Duration.ofSeconds(1)))
        .saveAs("media", out)
        .notifyUrl(url("/hooks/qiniu?tenant=a"))
        .build();
  }

  long prefopReads() {
    return qiniu.requests().stream().filter(l -> l.contains("/status/get/prefop")).count();
  }

  /** The fake logs a request once it has answered it: waits a little for the line. */
  long prefopReadsLogged(long expected) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (prefopReads() < expected && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    return prefopReads();
  }

  IntakeResult post(String path, Map<String, List<String>> headers, byte[] body) {
    Map<String, List<String>> h = new HashMap<>(headers);
    h.putIfAbsent("Host", List.of("127.0.0.1:" + receiver.getAddress().getPort()));
    return media.notifications().receive(InboundRequest.of("POST", path, h, body));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- pushes from the fake

  @Test
  void signedPush_yieldsOneEventWithTheFinalState_beforePrefopSaysSo_withoutARead()
      throws Exception {
    start();
    JobId id = media.submit(snapshot("out/signed.jpg")).id();
    Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.result().status()).isEqualTo(200);
    assertThat(r.result().events()).hasSize(1);
    JobEvent e = r.result().events().get(0);
    assertThat(e.status().id()).isEqualTo(id);
    assertThat(e.status().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(e.status().outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/signed.jpg"));
    assertThat(e.status().details()).containsEntry("verifiedBy", "signature");
    assertThat(e.messageId()).isEqualTo(id.vendorId() + ":0");
    // Qiniu's job stays "processing" (code 2) until its notification is answered
    assertThat(r.prefopAtReceipt()).contains("\"code\":2");
    assertThat(prefopReads()).isZero();
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void unsignedPush_isConfirmedByOnePrefopRead() throws Exception {
    start(
        FakeQiniuServer.builder()
            .signNotifications(false)
            .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build()));
    JobId id = media.submit(snapshot("out/unsigned.jpg")).id();
    Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.result().status()).isEqualTo(200);
    assertThat(r.result().events()).hasSize(1);
    JobEvent e = r.result().events().get(0);
    assertThat(e.status().id()).isEqualTo(id);
    assertThat(e.status().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(e.status().details()).containsEntry("verifiedBy", "prefop");
    assertThat(e.messageId()).isEqualTo(id.vendorId() + ":0");
    assertThat(r.prefopAtReceipt()).contains("\"code\":2");
    assertThat(prefopReadsLogged(1)).isEqualTo(1);
  }

  @Test
  void failedJob_isAFailedEvent() throws Exception {
    start(
        FakeQiniuServer.builder()
            .executor(
                SimulatedExecutor.builder()
                    .duration(Duration.ofMillis(50))
                    .failMatching(".*vframe.*", "not a valid video")
                    .build()));
    JobId id = media.submit(snapshot("out/failed.jpg")).id();
    Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    JobEvent e = r.result().events().get(0);
    assertThat(e.status().id()).isEqualTo(id);
    assertThat(e.status().state()).isEqualTo(JobState.FAILED);
    assertThat(e.messageId()).isEqualTo(id.vendorId() + ":3");
  }

  @Test
  void uploadCallback_namingAPersistentId_isAQueuedEventForTheUploadsJob() throws Exception {
    start();
    Path f = Files.write(dir.resolve("in.mp4"), new byte[] {1, 2, 3});
    MediaObject target = MediaObject.of("media", "up/in.mp4");
    media.upload(
        UploadRequest.builder(UploadSource.ofFile(f), target)
            .process(
                Pipeline.from(target)
                    .then(Snapshot.at(Duration.ofSeconds(1)))
                    .saveAs("media", "up/cover.jpg")
                    .build())
            .callback(
                UploadCallback.form(
                    url("/hooks/upload"), "key=$(key)&persistentId=$(persistentId)"))
            .build());
    Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.result().status()).isEqualTo(200);
    assertThat(r.result().events()).hasSize(1);
    JobEvent e = r.result().events().get(0);
    assertThat(e.status().state()).isEqualTo(JobState.QUEUED);
    assertThat(e.status().id().provider()).isEqualTo("qiniu");
    assertThat(e.status().details()).containsEntry("trigger", "upload");
    assertThat(e.messageId()).isEqualTo(e.status().id().vendorId() + ":upload");
    assertThat(qiniu.prefopJson(e.status().id().vendorId())).isPresent();
  }

  // ---- refused

  @Test
  void forgedSignature_is403_withoutEventOrRead() {
    start();
    byte[] body = utf8("{\"id\":\"z0.forged\",\"code\":0,\"items\":[{\"cmd\":\"x\",\"code\":0}]}");
    IntakeResult r =
        post(
            "/hooks/qiniu",
            Map.of(
                "Content-Type", List.of("application/json"),
                "Authorization", List.of("Qiniu AK:AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
            body);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.events()).isEmpty();
    assertThat(prefopReads()).isZero();
  }

  @Test
  void tamperedBody_orAnotherKeysSignature_is403() {
    start();
    String path = "/hooks/qiniu?tenant=a";
    String host = "127.0.0.1:" + receiver.getAddress().getPort();
    byte[] body = utf8("{\"id\":\"z0.job\",\"code\":3,\"items\":[{\"cmd\":\"x\",\"code\":3}]}");
    Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"));
    QiniuAuth ours = QiniuAuth.of("AK", Secret.of("SK"));
    String signed = "Qiniu " + ours.signQiniu("POST", "http://" + host + path, headers, body);
    Map<String, List<String>> withAuth = new HashMap<>(headers);
    withAuth.put("Authorization", List.of(signed));
    assertThat(post(path, withAuth, body).events()).hasSize(1); // the genuine one is taken

    byte[] tampered = utf8(new String(body, StandardCharsets.UTF_8).replace("3", "0"));
    IntakeResult r = post(path, withAuth, tampered);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.events()).isEmpty();

    QiniuAuth theirs = QiniuAuth.of("AK", Secret.of("another secret"));
    withAuth.put(
        "Authorization",
        List.of("Qiniu " + theirs.signQiniu("POST", "http://" + host + path, headers, body)));
    assertThat(post(path, withAuth, body).status()).isEqualTo(403);
    assertThat(prefopReads()).isZero();
  }

  @Test
  void unknownJob_unsigned_isAnswered200_withoutEvent() throws Exception {
    start();
    IntakeResult r =
        post(
            "/hooks/qiniu",
            Map.of("Content-Type", List.of("application/json")),
            utf8("{\"id\":\"z0.nosuchjob\",\"code\":0,\"items\":[]}"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.events()).isEmpty();
    assertThat(prefopReadsLogged(1)).isEqualTo(1);
  }

  @Test
  void unsignedClaimForAJobStillQueued_is409_withoutEvent() {
    start(FakeQiniuServer.builder().queueDelay(Duration.ofHours(1)));
    JobId id = media.submit(snapshot("out/later.jpg")).id();
    IntakeResult r =
        post(
            "/hooks/qiniu",
            Map.of("Content-Type", List.of("application/json")),
            utf8(
                "{\"id\":\""
                    + id.vendorId()
                    + "\",\"code\":0,\"items\":[{\"cmd\":\"vframe/jpg\",\"code\":0}]}"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void malformedTruncatedOversizedAndWrongMethod_areRefusedWithoutEvent() {
    start();
    Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
    IntakeResult malformed = post("/hooks/qiniu", json, utf8("not json"));
    assertThat(malformed.status()).isEqualTo(400);
    IntakeResult truncated = post("/hooks/qiniu", json, utf8("{\"id\":\"z0.a\",\"code\":0,\"ite"));
    assertThat(truncated.status()).isEqualTo(400);
    IntakeResult noId = post("/hooks/qiniu", json, utf8("{\"code\":0}"));
    assertThat(noId.status()).isEqualTo(400);
    IntakeResult badId = post("/hooks/qiniu", json, utf8("{\"id\":\"../x y\",\"code\":0}"));
    assertThat(badId.status()).isEqualTo(400);
    byte[] huge = new byte[QiniuNotificationIntake.MAX_BODY + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    IntakeResult oversized = post("/hooks/qiniu", json, huge);
    assertThat(oversized.status()).isEqualTo(413);
    IntakeResult get =
        media
            .notifications()
            .receive(InboundRequest.of("GET", "/hooks/qiniu", Map.of(), new byte[0]));
    assertThat(get.status()).isEqualTo(405);
    for (IntakeResult r : List.of(malformed, truncated, noId, badId, oversized, get)) {
      assertThat(r.events()).isEmpty();
      assertThat(r.isRefused()).isTrue();
    }
    assertThat(prefopReads()).isZero();
  }

  @Test
  void forgedUploadCallback_is403() {
    start();
    IntakeResult r =
        post(
            "/hooks/upload",
            Map.of(
                "Content-Type", List.of("application/x-www-form-urlencoded"),
                "Authorization", List.of("QBox AK:AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
            utf8("key=a&persistentId=z0.forged"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.events()).isEmpty();
  }
}
