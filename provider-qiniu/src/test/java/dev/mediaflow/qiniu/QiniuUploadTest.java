package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiniu.util.Etag;
import com.qiniu.util.EtagV2;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads over real HTTP to the fake Qiniu server: form, resumable v2, qetag, resume, faults, pfop
 * on upload.
 */
class QiniuUploadTest {
  static final int MIB = 1 << 20;
  static final MediaObject TARGET = MediaObject.of("media", "up/big file+1.bin");

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build())
          .build();

  @TempDir Path dir;
  MediaClient media;

  @BeforeEach
  void setUp() {
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(qiniu.clientSettings())))
            .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20)))
            .watchPolicy(
                WatchPolicy.defaults()
                    .withInitialDelay(Duration.ofMillis(50))
                    .withMaxDelay(Duration.ofMillis(200)))
            .checkpoints(CheckpointStore.inDirectory(dir.resolve("checkpoints")))
            .build();
  }

  @AfterEach
  void tearDown() {
    qiniu.clearFaults();
    media.close();
  }

  Path file(int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Path f = dir.resolve("source-" + size + "-" + seed + ".bin");
    Files.write(f, data);
    return f;
  }

  byte[] stored() {
    return qiniu.objects().get(TARGET.bucket(), TARGET.key()).orElseThrow();
  }

  long partPuts(List<String> log) {
    return log.stream().filter(r -> r.startsWith("PUT /buckets/")).count();
  }

  @Test
  void aSmallFileIsAFormUploadWhoseHashIsTheSdksEtag() throws IOException {
    Path f = file(300_000, 1);
    UploadResult r = media.upload(UploadRequest.builder(UploadSource.ofFile(f), TARGET).build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.checksumAlgorithm()).isEqualTo("qetag");
    assertThat(r.checksum()).isEqualTo(Etag.data(data)).isEqualTo(r.etag());
    assertThat(qiniu.requests()).anyMatch(l -> l.startsWith("POST / "));
  }

  @Test
  void fourMiBPartsGiveTheClassicEtagAndOtherSizesTheV2One() throws IOException {
    Path f = file(9 * MIB + 5, 2);
    byte[] data = Files.readAllBytes(f);
    UploadResult classic =
        media.upload(UploadRequest.builder(UploadSource.ofFile(f), TARGET).parallelism(3).build());
    assertThat(stored()).isEqualTo(data);
    assertThat(classic.parts()).isEqualTo(3);
    assertThat(classic.checksum()).isEqualTo(Etag.data(data));

    UploadResult v2 =
        media.upload(
            UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(2 * MIB).build());
    assertThat(v2.parts()).isEqualTo(5);
    assertThat(v2.checksum()).isEqualTo(EtagV2.data(data, 2 * MIB));
    assertThat(stored()).isEqualTo(data);
    assertThat(qiniu.openUploads()).isEmpty();
  }

  @Test
  void thirtyPercentOfPartsFailingStillStoresTheSourceAndACorruptedPartIsCaught()
      throws IOException {
    Path f = file(12 * MIB + 1, 3);
    int start = qiniu.requests().size();
    qiniu.injectRandomly(
        r -> r.startsWith("PUT /buckets/"),
        0.3,
        7,
        Fault.status(503),
        Fault.status(599),
        Fault.drop());
    UploadResult r =
        media.upload(
            UploadRequest.builder(UploadSource.ofFile(f), TARGET)
                .partSize(MIB)
                .parallelism(4)
                .build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(r.parts()).isEqualTo(13);
    List<String> log = qiniu.requests().subList(start, qiniu.requests().size());
    assertThat(log).anyMatch(l -> l.startsWith("PUT /buckets/") && !l.endsWith(" 200"));
    qiniu.clearFaults();

    qiniu.injectRandomly(
        r2 -> r2.startsWith("PUT /buckets/") && r2.endsWith("/2"), 1.0, 1, Fault.corrupt());
    assertThatThrownBy(
            () ->
                media.upload(
                    UploadRequest.builder(UploadSource.ofFile(f), TARGET)
                        .partSize(MIB)
                        .checkpoints(CheckpointStore.none())
                        .build()))
        .isInstanceOf(MediaIntegrityException.class)
        .hasMessageContaining("part 2 of " + TARGET)
        .hasMessageContaining("md5");
    assertThat(qiniu.openUploads()).isEmpty();
  }

  @Test
  void aPipelineRunsOnUploadThroughTheTokensPersistentOps() throws IOException {
    Path f = file(1000, 5);
    MediaObject video = MediaObject.of("media", "raw/in.mp4");
    Pipeline cover =
        Pipeline.from(video)
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "out/cover.jpg")
            .build();
    int jobs = qiniu.jobCount();
    UploadResult r =
        media.upload(UploadRequest.builder(UploadSource.ofFile(f), video).process(cover).build());
    assertThat(r.job()).isPresent();
    assertThat(qiniu.jobCount()).isEqualTo(jobs + 1);
    assertThat(qiniu.requests()).noneMatch(l -> l.startsWith("POST /pfop"));
    assertThat(media.job(r.job().get()).await(Duration.ofSeconds(20)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  /** The completion: {@code POST /buckets/…/uploads/<id>} (initiation ends in {@code /uploads}). */
  static boolean completion(String request) {
    return request.startsWith("POST /buckets/") && !request.endsWith("/uploads");
  }

  @Test
  void aLostCompletionAnswerIsSettledByTheObjectsStat() throws IOException {
    Path f = file(5 * MIB + 9, 11);
    byte[] data = Files.readAllBytes(f);
    qiniu.injectRandomly(QiniuUploadTest::completion, 1.0, 1, Fault.dropAfterProcessing());
    int before = qiniu.requests().size();
    UploadResult r =
        media.upload(
            UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(2 * MIB).build());
    assertThat(stored()).isEqualTo(data);
    // 2 MiB parts: the stored hash is the v2 etag of the parts, which stat answers as the upload
    // did
    assertThat(r.checksum()).isEqualTo(EtagV2.data(data, 2 * MIB)).isEqualTo(r.etag());
    assertThat(qiniu.requests().subList(before, qiniu.requests().size()))
        .anyMatch(l -> l.startsWith("POST /stat/"));
    assertThat(qiniu.openUploads()).isEmpty();
  }

  @Test
  void aLostCompletionThatStoredNothingStaysUnknownAndAResumeFinishesIt() throws IOException {
    Path f = file(3 * MIB, 12);
    MediaObject target = MediaObject.of("media", "lost/none.bin");
    UploadRequest request =
        UploadRequest.builder(UploadSource.ofFile(f), target).partSize(MIB).build();
    qiniu.injectRandomly(QiniuUploadTest::completion, 1.0, 1, Fault.drop());
    assertThatThrownBy(() -> media.upload(request))
        .isInstanceOfSatisfying(
            dev.mediaflow.MediaException.class, e -> assertThat(e.isOutcomeUnknown()).isTrue());
    assertThat(qiniu.objects().exists("media", "lost/none.bin")).isFalse();
    assertThat(qiniu.openUploads()).hasSize(1); // kept, not aborted: its outcome was unknown
    qiniu.clearFaults();
    int before = qiniu.requests().size();
    UploadResult r = media.upload(request);
    assertThat(r.partsResumed()).isEqualTo(3);
    assertThat(partPuts(qiniu.requests().subList(before, qiniu.requests().size()))).isZero();
    assertThat(qiniu.objects().get("media", "lost/none.bin").orElseThrow())
        .isEqualTo(Files.readAllBytes(f));
    assertThat(qiniu.openUploads()).isEmpty();
  }

  @Test
  void aLostCompletionWithAPipelineSaysTheObjectIsStoredButTheJobUnknown() throws IOException {
    Path f = file(3 * MIB, 13);
    MediaObject video = MediaObject.of("media", "lost/in.mp4");
    Pipeline cover =
        Pipeline.from(video)
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "lost/cover.jpg")
            .build();
    qiniu.injectRandomly(QiniuUploadTest::completion, 1.0, 1, Fault.dropAfterProcessing());
    assertThatThrownBy(
            () ->
                media.upload(
                    UploadRequest.builder(UploadSource.ofFile(f), video)
                        .partSize(MIB)
                        .process(cover)
                        .build()))
        .isInstanceOfSatisfying(
            dev.mediaflow.MediaException.class,
            e -> {
              assertThat(e.isOutcomeUnknown()).isTrue();
              assertThat(e.getMessage()).contains("Qiniu stored " + video).contains("persistentId");
            });
    assertThat(qiniu.objects().get("media", "lost/in.mp4").orElseThrow())
        .isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void callbacksAreSignedAndTheirAnswerReturned() throws Exception {
    try (MockWebServer app = new MockWebServer()) {
      app.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":1}").build());
      app.start();
      String url = app.url("/qiniu/cb").toString();
      UploadResult r =
          media.upload(
              UploadRequest.builder(UploadSource.ofFile(file(2000, 6)), TARGET)
                  .callback(UploadCallback.form(url, "key=$(key)&size=$(fsize)"))
                  .build());
      assertThat(r.callbackResponse()).contains("{\"ok\":1}");
      RecordedRequest cb = app.takeRequest();
      String body = cb.getBody().utf8();
      assertThat(body).isEqualTo("key=" + TARGET.key() + "&size=2000");
      QiniuAuth auth = media.unwrap(QiniuOperations.class).orElseThrow().auth();
      assertThat(
              auth.isValidCallback(
                  cb.getHeaders().get("Authorization"),
                  "POST",
                  url,
                  Map.of("Content-Type", List.of("application/x-www-form-urlencoded")),
                  body.getBytes()))
          .isTrue();
    }
  }

  @Test
  void aTokenForAnotherKeyIsRefused() throws IOException {
    // The fake checks tokens as Qiniu does: here a token of another key cannot complete this
    // upload.
    Path f = file(100, 7);
    String token =
        media
            .unwrap(QiniuOperations.class)
            .orElseThrow()
            .uploadToken(MediaObject.of("media", "other.bin"), Duration.ofMinutes(5));
    okhttp3.RequestBody form =
        new okhttp3.MultipartBody.Builder()
            .setType(okhttp3.MultipartBody.FORM)
            .addFormDataPart("token", token)
            .addFormDataPart("key", "mine.bin")
            .addFormDataPart(
                "file", "mine.bin", okhttp3.RequestBody.create(Files.readAllBytes(f), null))
            .build();
    try (okhttp3.Response resp =
        new okhttp3.OkHttpClient()
            .newCall(new okhttp3.Request.Builder().url(qiniu.baseUrl() + "/").post(form).build())
            .execute()) {
      // Qiniu's answer: 403 {"error":"key doesn't match with scope"}
      // (https://github.com/qiniu/python-sdk/issues/259)
      assertThat(resp.code()).isEqualTo(403);
      assertThat(resp.body().string()).contains("key doesn't match with scope");
    }
  }
}
