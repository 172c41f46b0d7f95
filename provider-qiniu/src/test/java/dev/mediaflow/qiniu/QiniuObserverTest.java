package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.tck.RecordingObserver;
import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a Qiniu client reports to its observer against the fake Qiniu: each vendor request named by
 * its operation, the activities around submit, status, upload and URL signing, and a failed submit.
 */
class QiniuObserverTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK-observed", "SK-observed")
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build())
          .build();

  private static final Pipeline SNAPSHOT =
      Pipeline.from("media", "in/private-name.mp4")
          .then(Snapshot.at(Duration.ofSeconds(1)))
          .saveAs("media", "out/private-cover.jpg")
          .build();

  private final RecordingObserver observer = new RecordingObserver();
  private MediaClient media;

  @BeforeEach
  void setUp() {
    qiniu.objects().put("media", "in/private-name.mp4", "source".getBytes(StandardCharsets.UTF_8));
    Map<String, String> settings = new HashMap<>(qiniu.clientSettings());
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(settings))
            .retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(5), Duration.ofMillis(20)))
            .watchPolicy(
                WatchPolicy.defaults()
                    .withInitialDelay(Duration.ofMillis(50))
                    .withMaxDelay(Duration.ofMillis(200)))
            .jobStore(JobStore.none())
            .observer(observer)
            .build();
  }

  @AfterEach
  void tearDown() {
    qiniu.clearFaults();
    media.close();
  }

  private void assertNothingHighCardinality(String... more) {
    String all = String.join("\n", observer.events());
    assertThat(all)
        .doesNotContain("private-name")
        .doesNotContain("private-cover")
        .doesNotContain("AK-observed")
        .doesNotContain("SK-observed")
        .doesNotContain("127.0.0.1")
        .doesNotContain("http://");
    for (String s : more) {
      assertThat(all).doesNotContain(s);
    }
  }

  @Test
  void aJob_reportsItsRequestsByOperation() {
    Job job = media.submit(SNAPSHOT);
    assertThat(job.await(Duration.ofSeconds(20)).state()).isEqualTo(JobState.SUCCEEDED);

    assertThat(observer.events("http")).contains("http qiniu/qiniu submit POST 200 none");
    assertThat(observer.events("http"))
        .filteredOn(e -> !e.contains(" submit "))
        .isNotEmpty()
        .allMatch(e -> e.startsWith("http qiniu/qiniu status GET 200 none"));
    assertThat(observer.events("submitted")).containsExactly("submitted qiniu/qiniu none");
    assertThat(observer.events("ended")).containsExactly("ended qiniu/qiniu SUCCEEDED");
    // the vendor's status request runs inside the status activity, on the same thread
    int status = observer.events().indexOf("start status qiniu/qiniu");
    assertThat(observer.events().get(status + 1)).startsWith("http qiniu/qiniu status GET");
    assertNothingHighCardinality(job.id().vendorId());
  }

  @Test
  void aRefusedSubmit_isReportedWithItsError() {
    qiniu.inject("/pfop/", Fault.status(599), 1);

    assertThatThrownBy(() -> media.submit(SNAPSHOT)).isInstanceOf(MediaServiceException.class);

    assertThat(observer.events())
        .containsExactly(
            "start submit qiniu/qiniu",
            "http qiniu/qiniu submit POST 599 none",
            "error submit MediaServiceException",
            "close submit",
            "submitted qiniu/qiniu MediaServiceException");
  }

  @Test
  void anUpload_reportsItsBytes_andItsRequest() {
    byte[] data = new byte[12_345];
    UploadResult r =
        media.upload(
            UploadRequest.builder(
                    UploadSource.ofBytes(data), MediaObject.of("media", "up/private-name.bin"))
                .build());

    assertThat(r.size()).isEqualTo(12_345);
    assertThat(observer.events())
        .containsExactly(
            "start upload qiniu/qiniu",
            "http qiniu/qiniu put-object POST 200 none",
            "close upload",
            "uploaded qiniu/qiniu 12345");
    assertNothingHighCardinality();
  }

  @Test
  void aUrl_isOneActivity_withNoRequest() {
    media.url(MediaObject.of("media", "in/private-name.mp4"));

    assertThat(observer.events())
        .containsExactly(
            "start url.sign qiniu/qiniu", "tag url.sign signed=true", "close url.sign");
    assertNothingHighCardinality();
  }
}
