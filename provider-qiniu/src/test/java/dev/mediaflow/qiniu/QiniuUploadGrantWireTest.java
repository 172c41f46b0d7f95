package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Grants from {@code MediaClient.grantUpload} used as a browser would use them: a hand-built
 * multipart/form-data POST (java.net.http) of the grant's fields and the file, to the fake Qiniu,
 * which checks the token and every limit as Qiniu does.
 */
class QiniuUploadGrantWireTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build())
          .build();

  static final HttpClient HTTP = HttpClient.newHttpClient();

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
            .build();
  }

  @AfterEach
  void tearDown() {
    media.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Sends the grant's fields (the key completed when {@code key} is given), then the file. */
  static HttpResponse<String> send(
      UploadGrant grant, String key, String fileName, String type, byte[] data) throws Exception {
    assertThat(grant.method()).isEqualTo("POST");
    String boundary = "----browser" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Map<String, String> fields = new java.util.LinkedHashMap<>(grant.fields());
    if (key != null) {
      fields.put("key", key);
    }
    for (Map.Entry<String, String> f : fields.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + f.getKey()
                  + "\"\r\n\r\n"
                  + f.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + grant.fileField()
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: "
                + type
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(data);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(grant.url())
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    grant.headers().forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
  }

  @Test
  void aGrantForAKey_storesTheFile_andHoldsItsLimits() throws Exception {
    MediaObject target = MediaObject.of("media", "grants/avatar 1.jpg");
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .key(target)
                .size(10, 1000)
                .contentTypes("image/*")
                .build());
    assertThat(grant.url().toString()).isEqualTo(qiniu.baseUrl() + "/");

    assertThat(send(grant, null, "a.jpg", "image/jpeg", bytes(1001, 1)).statusCode())
        .isEqualTo(413);
    assertThat(send(grant, null, "a.jpg", "image/jpeg", bytes(9, 1)).statusCode()).isEqualTo(403);
    HttpResponse<String> wrongType = send(grant, null, "a.pdf", "application/pdf", bytes(50, 1));
    assertThat(wrongType.statusCode()).isEqualTo(403);
    assertThat(error(wrongType)).startsWith("limited mimeType");
    HttpResponse<String> otherKey =
        send(grant, "grants/other.jpg", "a.jpg", "image/jpeg", bytes(50, 1));
    assertThat(otherKey.statusCode()).isEqualTo(403);
    assertThat(qiniu.objects().exists("media", target.key())).isFalse();

    byte[] data = bytes(500, 2);
    HttpResponse<String> ok = send(grant, null, "a.jpg", "image/jpeg", data);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(qiniu.objects().get("media", target.key())).contains(data);
    JsonObject answer = JsonParser.parseString(ok.body()).getAsJsonObject();
    assertThat(answer.get("key").getAsString()).isEqualTo(target.key());
    assertThat(answer.get("fsize").getAsLong()).isEqualTo(500);
    assertThat(answer.get("mimeType").getAsString()).isEqualTo("image/jpeg");
    assertThat(answer.get("hash").getAsString()).isEqualTo(com.qiniu.util.Etag.data(data));

    // overwrite was not granted: Qiniu's 614, the first file kept
    HttpResponse<String> again = send(grant, null, "b.jpg", "image/jpeg", bytes(400, 3));
    assertThat(again.statusCode()).isEqualTo(614);
    assertThat(error(again)).isEqualTo("file exists");
    assertThat(qiniu.objects().get("media", target.key())).contains(data);
  }

  @Test
  void aGrantOverAPrefix_letsTheUploaderNameTheKeyUnderIt_orQiniuNameIt() throws Exception {
    UploadGrant chosen =
        media.grantUpload(UploadGrantRequest.builder().keyPrefix("media", "users/42/").build());
    HttpResponse<String> outside =
        send(chosen, "users/43/x.png", "x.png", "image/png", bytes(5, 4));
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(error(outside)).isEqualTo("key doesn't match with scope");
    assertThat(send(chosen, "users/42/x.png", "x.png", "image/png", bytes(5, 4)).statusCode())
        .isEqualTo(200);
    assertThat(qiniu.objects().get("media", "users/42/x.png")).contains(bytes(5, 4));

    UploadGrant byName =
        media.grantUpload(
            UploadGrantRequest.builder().keyPrefix("media", "named/", KeyName.FILE_NAME).build());
    HttpResponse<String> named = send(byName, null, "holiday photo.png", "image/png", bytes(6, 5));
    assertThat(named.statusCode()).isEqualTo(200);
    assertThat(qiniu.objects().get("media", "named/holiday photo.png")).contains(bytes(6, 5));

    UploadGrant byHash =
        media.grantUpload(
            UploadGrantRequest.builder()
                .keyPrefix("media", "hashed/", KeyName.CONTENT_HASH)
                .build());
    byte[] data = bytes(7, 6);
    assertThat(send(byHash, null, "x.bin", "application/octet-stream", data).statusCode())
        .isEqualTo(200);
    assertThat(qiniu.objects().get("media", "hashed/" + com.qiniu.util.Etag.data(data)))
        .contains(data);
  }

  @Test
  void anExpiredGrantIsRefused() throws Exception {
    MediaObject target = MediaObject.of("media", "grants/late.bin");
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder().key(target).expiry(Duration.ofSeconds(1)).build());
    Thread.sleep(2100);
    HttpResponse<String> late = send(grant, null, "late.bin", "text/plain", bytes(3, 7));
    assertThat(late.statusCode()).isEqualTo(401);
    assertThat(error(late)).isEqualTo("expired token");
    assertThat(qiniu.objects().exists("media", target.key())).isFalse();
  }

  @Test
  void aPipelineInTheGrant_runsOnTheStoredObject() throws Exception {
    MediaObject video = MediaObject.of("media", "grants/in.mp4");
    Pipeline cover =
        Pipeline.from(video)
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "grants/cover.jpg")
            .build();
    int jobs = qiniu.jobCount();
    UploadGrant grant =
        media.grantUpload(UploadGrantRequest.builder().key(video).process(cover).build());
    byte[] data = bytes(2000, 8);
    HttpResponse<String> ok = send(grant, null, "in.mp4", "video/mp4", data);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(qiniu.objects().get("media", video.key())).contains(data);
    assertThat(qiniu.jobCount()).isEqualTo(jobs + 1);
    String persistentId =
        JsonParser.parseString(ok.body()).getAsJsonObject().get("persistentId").getAsString();
    assertThat(media.job(JobId.of("qiniu", persistentId)).await(Duration.ofSeconds(20)).state())
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(qiniu.objects().exists("media", "grants/cover.jpg")).isTrue();
  }
}
