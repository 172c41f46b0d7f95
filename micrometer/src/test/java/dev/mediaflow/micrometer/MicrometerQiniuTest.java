package dev.mediaflow.micrometer;

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
import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real jobs, uploads and URLs on the fake Qiniu, recorded in a {@link SimpleMeterRegistry} and a
 * {@link TestObservationRegistry}: the documented names and tags appear (docs/metrics.md), and no
 * tag holds a key, a job id, a URL or a secret.
 */
class MicrometerQiniuTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK-metrics", "SK-metrics")
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(50)).build())
          .build();

  private static final Pipeline SNAPSHOT =
      Pipeline.from("media", "in/holiday-secret.mp4")
          .then(Snapshot.at(Duration.ofSeconds(1)))
          .saveAs("media", "out/holiday-cover.jpg")
          .build();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TestObservationRegistry observations = TestObservationRegistry.create();
  private final Tagged tagged = new Tagged();
  private MediaClient media;

  @BeforeEach
  void setUp() {
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    observations.observationConfig().observationHandler(tagged);
    qiniu.objects().put("media", "in/holiday-secret.mp4", "video".getBytes(StandardCharsets.UTF_8));
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(qiniu.clientSettings())))
            .retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(5), Duration.ofMillis(20)))
            .watchPolicy(
                WatchPolicy.defaults()
                    .withInitialDelay(Duration.ofMillis(50))
                    .withMaxDelay(Duration.ofMillis(200)))
            .jobStore(JobStore.none())
            .observer(new MicrometerMediaObserver(meters, observations))
            .build();
  }

  @AfterEach
  void tearDown() {
    qiniu.clearFaults();
    media.close();
  }

  @Test
  void aJob_isCountedTimedAndTraced() {
    Job job = media.submit(SNAPSHOT);
    assertThat(job.await(Duration.ofSeconds(20)).state()).isEqualTo(JobState.SUCCEEDED);

    Map<String, String> qiniuTags = Map.of("provider", "qiniu", "instance", "qiniu");
    assertThat(
            meters
                .get("mediaflow.jobs.submitted")
                .tags("provider", "qiniu", "instance", "qiniu")
                .tags("outcome", "success", "exception", "none")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("mediaflow.jobs.ended").tag("state", "succeeded").counter().count())
        .isEqualTo(1);
    Timer duration = meters.get("mediaflow.jobs.duration").tag("state", "succeeded").timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(meters.get("mediaflow.jobs.polls").tag("outcome", "success").counter().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags(
                    "operation", "submit", "method", "POST", "status", "200", "outcome", "SUCCESS")
                .tag("exception", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags("operation", "status", "method", "GET", "status", "200")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(1);
    qiniuTags.forEach(
        (k, v) ->
            assertThat(meters.get("mediaflow.http.client.requests").meters())
                .allMatch(m -> v.equals(m.getId().getTag(k))));

    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.job.submit")
        .that()
        .hasContextualNameEqualTo("mediaflow submit")
        .hasLowCardinalityKeyValue("provider", "qiniu")
        .hasLowCardinalityKeyValue("instance", "qiniu")
        .hasBeenStarted()
        .hasBeenStopped()
        .doesNotHaveError();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.job.status")
        .that()
        .hasLowCardinalityKeyValue("provider", "qiniu")
        .hasBeenStopped();
    assertThat(tagged.named("mediaflow.job.status"))
        .anySatisfy(
            c ->
                assertThat(c.getLowCardinalityKeyValue("state").getValue()).isEqualTo("succeeded"));
    // the observation registry's meter handler times each observation too
    assertThat(meters.get("mediaflow.job.submit").tag("error", "none").timer().count())
        .isEqualTo(1);

    assertThat(tagged.values(meters))
        .isNotEmpty()
        .noneMatch(v -> v.contains("holiday"))
        .noneMatch(v -> v.contains(job.id().vendorId()))
        .noneMatch(v -> v.contains("AK-metrics") || v.contains("SK-metrics"))
        .noneMatch(v -> v.contains("127.0.0.1") || v.contains("://"));
  }

  @Test
  void aRefusedSubmit_isCountedWithItsError() {
    qiniu.inject("/pfop/", Fault.status(599), 1);

    assertThatThrownBy(() -> media.submit(SNAPSHOT)).isInstanceOf(MediaServiceException.class);

    assertThat(
            meters
                .get("mediaflow.jobs.submitted")
                .tags("outcome", "error", "exception", "MediaServiceException")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags("operation", "submit", "status", "599", "outcome", "SERVER_ERROR")
                .timer()
                .count())
        .isEqualTo(1);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.job.submit")
        .that()
        .hasError()
        .hasBeenStopped();
    assertThat(meters.get("mediaflow.job.submit").tag("error", "MediaServiceException").timer())
        .isNotNull();
  }

  @Test
  void anUpload_recordsItsBytes_andAUrlIsTraced() {
    media.upload(
        UploadRequest.builder(
                UploadSource.ofBytes(new byte[40_000]),
                MediaObject.of("media", "up/holiday-secret.bin"))
            .build());
    media.url(MediaObject.of("media", "up/holiday-secret.bin"));

    DistributionSummary bytes =
        meters.get("mediaflow.upload.bytes").tags("provider", "qiniu").summary();
    assertThat(bytes.count()).isEqualTo(1);
    assertThat(bytes.totalAmount()).isEqualTo(40_000);
    assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
    DistributionSummary throughput = meters.get("mediaflow.upload.throughput").summary();
    assertThat(throughput.count()).isEqualTo(1);
    assertThat(throughput.totalAmount()).isPositive();
    assertThat(throughput.getId().getBaseUnit()).isEqualTo("bytes.per.second");
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags("operation", "put-object", "method", "POST", "status", "200")
                .timer()
                .count())
        .isEqualTo(1);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.upload")
        .that()
        .hasLowCardinalityKeyValue("provider", "qiniu")
        .hasBeenStopped();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.url.sign")
        .that()
        .hasLowCardinalityKeyValue("signed", "true")
        .hasBeenStopped();
    assertThat(tagged.values(meters))
        .noneMatch(v -> v.contains("holiday"))
        .noneMatch(v -> v.contains("://"));
  }

  @Test
  void withoutAnObservationRegistry_onlyMetersAreRecorded() {
    media.close();
    SimpleMeterRegistry only = new SimpleMeterRegistry();
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(new HashMap<>(qiniu.clientSettings())))
            .jobStore(JobStore.none())
            .observer(new MicrometerMediaObserver(only))
            .build();

    media.url(MediaObject.of("media", "in/holiday-secret.mp4"));
    media.submit(SNAPSHOT);

    assertThat(only.get("mediaflow.jobs.submitted").counter().count()).isEqualTo(1);
    assertThat(only.find("mediaflow.job.submit").meters()).isEmpty();
    TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();
  }
}
