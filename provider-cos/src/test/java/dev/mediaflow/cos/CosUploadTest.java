package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.internal.Crc64;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through Mediaflow's engine to a COS-speaking MockWebServer ({@link CosWire}), every
 * request's signature checked with the official SDK: PUT Object, multipart with combined CRC-64,
 * resume after an interruption, appends. Faults, a lost completion answer, corrupted parts and
 * streams of unknown length are the upload contract's ({@link CosUploadContractTest}).
 */
class CosUploadTest {
  static final int PART = 1 << 20;
  static final String BUCKET = "media-1250000000";
  static final MediaObject TARGET = MediaObject.of(BUCKET, "up/big file+1.bin");

  @TempDir Path dir;
  final MockWebServer server = new MockWebServer();
  final CosWire cos = new CosWire("AKIDupload", "upload-secret");
  MediaClient media;

  @BeforeEach
  void setUp() throws IOException {
    server.setDispatcher(cos);
    server.start();
    media = client(Map.of());
  }

  @AfterEach
  void tearDown() {
    media.close();
    server.close();
    assertThat(cos.signatureErrors)
        .as("requests whose signature the SDK did not reproduce")
        .isEmpty();
  }

  MediaClient client(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("media.provider", "cos");
    settings.put("media.cos.region", "ap-guangzhou");
    settings.put("media.cos.secretId", "AKIDupload");
    settings.put("media.cos.secretKey", "upload-secret");
    settings.put("media.cos.endpoint", "http://127.0.0.1:" + server.getPort());
    settings.putAll(extra);
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
    return cos.objects.get(TARGET.key());
  }

  @Test
  void aSmallFile_isOnePut_withItsCrc64Checked() throws IOException {
    Path f = file(50_000, 1);
    UploadResult r = media.upload(request(f).contentType("video/mp4").build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.parts()).isEqualTo(1);
    assertThat(r.checksumAlgorithm()).isEqualTo("crc64ecma");
    assertThat(r.checksum()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
    assertThat(r.etag()).isEqualTo(CosWire.etag(data));
    assertThat(cos.requests).containsExactly("PUT /media-1250000000/up/big%20file%2B1.bin");
  }

  @Test
  void aLargeFile_isAParallelMultipartUpload_whoseCombinedCrcMatches() throws IOException {
    Path f = file(5 * PART + 777, 2);
    UploadResult r = media.upload(request(f).parallelism(3).build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.parts()).isEqualTo(6);
    assertThat(cos.count("PUT /media-1250000000/up/big%20file%2B1.bin?partNumber=")).isEqualTo(6);
    assertThat(cos.count("POST /media-1250000000/up/big%20file%2B1.bin?uploads")).isEqualTo(1);
    assertThat(r.checksum()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
    assertThat(r.etag()).endsWith("-6\"");
    assertThat(cos.uploads).isEmpty();
  }

  @Test
  void anInterruptedUpload_resumesWithTheMissingPartsOnly() throws IOException {
    Path f = file(4 * PART + 5, 3);
    cos.failingParts.add(3);
    assertThatThrownBy(() -> media.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    assertThat(cos.uploads).hasSize(1);
    long sentBefore = cos.count("PUT /media-1250000000/up/big%20file%2B1.bin?partNumber=");

    cos.failingParts.clear();
    UploadResult r = media.upload(request(f).parallelism(1).build());

    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.checksum()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
    assertThat(cos.count("GET /media-1250000000/up/big%20file%2B1.bin?max-parts=1000"))
        .isEqualTo(1);
    // Parts 1 and 2 were stored before the failure; 3, 4 and 5 are sent after it.
    assertThat(cos.count("PUT /media-1250000000/up/big%20file%2B1.bin?partNumber=") - sentBefore)
        .isEqualTo(3);
    assertThat(cos.count("POST /media-1250000000/up/big%20file%2B1.bin?uploads")).isEqualTo(1);
    assertThat(cos.uploads).isEmpty();
  }

  @Test
  void aCallback_isRefused_beforeAnythingIsSent() throws IOException {
    Path f = file(1000, 9);
    assertThatThrownBy(
            () ->
                media.upload(
                    request(f)
                        .callback(UploadCallback.json("https://hooks.example.com/up", "{}"))
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("callback");
    assertThat(cos.requests).isEmpty();
  }

  @Test
  void stsCredentials_sendTheirTokenWithEveryUploadRequest() throws IOException {
    try (MediaClient sts = client(Map.of("media.cos.securityToken", "sts-token-1"))) {
      sts.upload(request(file(2 * PART + 1, 10)).build());
    }
    assertThat(cos.tokens).hasSize(cos.requests.size());
    assertThat(cos.tokens.values()).containsOnly("sts-token-1");
  }

  @Test
  void appends_continueTheCrc_andAWrongPositionIsACosError() {
    CosOperations ops = media.unwrap(CosOperations.class).orElseThrow();
    MediaObject log = MediaObject.of(BUCKET, "logs/append.txt");
    CosAppend a = ops.append(log, CosAppend.START, "hello ".getBytes(StandardCharsets.UTF_8));
    CosAppend b = ops.append(a, "world".getBytes(StandardCharsets.UTF_8));
    assertThat(b.nextPosition()).isEqualTo(11);
    assertThat(b.crc64())
        .isEqualTo(Long.toUnsignedString(Crc64.of("hello world".getBytes(StandardCharsets.UTF_8))));
    assertThat(cos.requests).contains("POST /media-1250000000/logs/append.txt?append&position=6");

    assertThatThrownBy(() -> ops.append(a, "again".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo("PositionNotEqualToLength");
              assertThat(e.detail()).contains("append at position 11");
            });
  }
}
