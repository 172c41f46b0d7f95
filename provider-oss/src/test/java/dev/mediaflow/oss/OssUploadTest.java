package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.internal.Crc64;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Uploads over real HTTP to the fake OSS server: single, multipart, resume, faults, corruption,
 * append, callbacks.
 */
class OssUploadTest {
  static final int PART = 128 * 1024;
  static final MediaObject TARGET = MediaObject.of("media", "up/big file+1.bin");

  @RegisterExtension
  static final FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build();

  @TempDir Path dir;
  MediaClient media;

  @BeforeEach
  void setUp() {
    media = client("v4");
  }

  @AfterEach
  void tearDown() {
    oss.clearFaults();
    media.close();
  }

  MediaClient client(String signature) {
    Map<String, String> settings = new HashMap<>(oss.clientSettings(false));
    settings.put("media.oss.signatureVersion", signature);
    return MediaClient.builder()
        .config(MediaConfig.fromMap(settings))
        .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20)))
        .checkpoints(CheckpointStore.inDirectory(dir.resolve("checkpoints")))
        .build();
  }

  Path file(int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Path f = dir.resolve("source-" + size + "-" + seed + ".bin");
    Files.write(f, data);
    return f;
  }

  UploadRequest.Builder request(Path f) {
    return UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(PART);
  }

  byte[] stored() {
    return oss.objects().get(TARGET.bucket(), TARGET.key()).orElseThrow();
  }

  long partPuts() {
    return oss.requests().stream()
        .filter(r -> r.startsWith("PUT ") && r.contains("partNumber="))
        .count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v4", "v1"})
  void aSmallFileIsOnePutWithItsCrc64Checked(String signature) throws IOException {
    try (MediaClient c = client(signature)) {
      Path f = file(50_000, 1);
      UploadResult r = c.upload(request(f).contentType("application/octet-stream").build());
      byte[] data = Files.readAllBytes(f);
      assertThat(stored()).isEqualTo(data);
      assertThat(r.parts()).isEqualTo(1);
      assertThat(r.checksumAlgorithm()).isEqualTo("crc64ecma");
      assertThat(r.checksum()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
      assertThat(r.etag()).startsWith("\"");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v4", "v1"})
  void aLargeFileIsAParallelMultipartUploadWhoseCombinedCrcMatches(String signature)
      throws IOException {
    try (MediaClient c = client(signature)) {
      Path f = file(5 * PART + 777, 2);
      long before = partPuts();
      AtomicLong last = new AtomicLong();
      UploadResult r =
          c.upload(
              request(f)
                  .parallelism(3)
                  .listener((s, t) -> last.accumulateAndGet(s, Math::max))
                  .build());
      byte[] data = Files.readAllBytes(f);
      assertThat(stored()).isEqualTo(data);
      assertThat(r.parts()).isEqualTo(6);
      assertThat(partPuts() - before).isEqualTo(6);
      assertThat(r.checksum()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
      assertThat(r.etag()).endsWith("-6\"");
      assertThat(last.get()).isEqualTo(data.length);
      assertThat(oss.openUploads()).isEmpty();
    }
  }

  @Test
  void appendsContinueTheCrcAndWrongPositionsGetOssErrors() {
    OssOperations ops = media.unwrap(OssOperations.class).orElseThrow();
    MediaObject log = MediaObject.of("media", "logs/append.txt");
    OssAppend a = ops.append(log, OssAppend.START, "hello ".getBytes());
    OssAppend b = ops.append(a, "world".getBytes());
    assertThat(b.nextPosition()).isEqualTo(11);
    assertThat(b.crc64()).isEqualTo(Long.toUnsignedString(Crc64.of("hello world".getBytes())));
    assertThat(oss.objects().get("media", "logs/append.txt").orElseThrow())
        .isEqualTo("hello world".getBytes());

    assertThatThrownBy(() -> ops.append(a, "again".getBytes()))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo("PositionNotEqualToLength");
              assertThat(e.getMessage()).contains("append at position 11");
            });
    oss.objects().put("media", "plain.txt", "x".getBytes());
    assertThatThrownBy(
            () ->
                ops.append(
                    MediaObject.of("media", "plain.txt"),
                    OssAppend.at(MediaObject.of("media", "plain.txt"), 1, "0"),
                    "y".getBytes()))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> assertThat(e.errorCode()).isEqualTo("ObjectNotAppendable"));
  }

  @Test
  void callbacksAreMadeSignedAndTheirAnswerReturned() throws Exception {
    try (MockWebServer app = new MockWebServer()) {
      app.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());
      app.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":\"multipart\"}").build());
      app.start();
      String url = app.url("/oss/callback?from=test").toString();
      Path f = file(1000, 8);
      UploadResult r =
          media.upload(
              request(f)
                  .callback(
                      UploadCallback.form(url, "bucket=${bucket}&object=${object}&size=${size}"))
                  .build());
      assertThat(r.callbackResponse()).contains("{\"ok\":true}");
      RecordedRequest cb = app.takeRequest();
      String body = cb.getBody().utf8();
      assertThat(body).isEqualTo("bucket=media&object=" + TARGET.key() + "&size=1000");

      OssCallbackVerifier verifier = OssCallbackVerifier.withKeys(u -> oss.callbackPublicKeyPem());
      String auth = cb.getHeaders().get("Authorization");
      String keyUrl = cb.getHeaders().get("x-oss-pub-key-url");
      assertThat(verifier.verify(auth, keyUrl, "/oss/callback", "from=test", body.getBytes()))
          .isTrue();
      assertThat(
              verifier.verify(
                  auth, keyUrl, "/oss/callback", "from=test", (body + "&forged=1").getBytes()))
          .isFalse();
      String evil =
          java.util.Base64.getEncoder().encodeToString("https://evil.example/key.pem".getBytes());
      assertThatThrownBy(
              () -> verifier.verify(auth, evil, "/oss/callback", "from=test", body.getBytes()))
          .hasMessageContaining("gosspublic.alicdn.com");

      Path big = file(2 * PART + 3, 9);
      UploadResult m =
          media.upload(request(big).callback(UploadCallback.form(url, "object=${object}")).build());
      assertThat(m.callbackResponse()).contains("{\"ok\":\"multipart\"}");
      assertThat(stored()).isEqualTo(Files.readAllBytes(big));
    }
  }

  @Test
  void aFailingCallbackIsReportedWithTheObjectStored() throws Exception {
    try (MockWebServer app = new MockWebServer()) {
      app.enqueue(new MockResponse.Builder().code(500).build());
      app.start();
      Path f = file(1000, 10);
      assertThatThrownBy(
              () ->
                  media.upload(
                      request(f)
                          .callback(UploadCallback.form(app.url("/cb").toString(), "k=${object}"))
                          .build()))
          .isInstanceOfSatisfying(
              MediaServiceException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(203);
                assertThat(e.errorCode()).isEqualTo("CallbackFailed");
                assertThat(e.getMessage()).contains("was stored");
              });
    }
  }

  @Test
  void badPartSizesAreRefusedBeforeAnyRequest() throws IOException {
    Path f = file(1000, 11);
    int before = oss.requests().size();
    assertThatThrownBy(
            () ->
                media.upload(
                    UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(1000).build()))
        .hasMessageContaining("partSize")
        .hasMessageContaining("102400");
    assertThat(oss.requests()).hasSize(before);
  }
}
