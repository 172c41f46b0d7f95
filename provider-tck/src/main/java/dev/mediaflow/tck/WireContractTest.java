package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire contract every provider with a fake service passes, over real HTTP: jobs submitted and
 * tracked, failed outputs, tracking from an id string, status reads through faults, submissions
 * that are retried only when the vendor cannot have processed them, signature errors, and bad input
 * refused before any request. Vendor facts come from the {@link WireFixture}; nothing here branches
 * on a provider.
 *
 * <pre>{@code
 * class AcmeWireContractTest extends WireContractTest {
 *   @RegisterExtension static final FakeAcmeServer acme = ...;
 *   protected WireFixture fixture() { return new AcmeWireFixture(acme); }
 * }
 * }</pre>
 */
public abstract class WireContractTest {
  /** The bucket the contract's objects live in. */
  public static final String BUCKET = "media";

  /** What the fake's failure of an FLV transcode says. */
  public static final String FAILURE_MESSAGE = "not a valid video";

  /** How long a job may take on the fake. */
  protected static final Duration WAIT = Duration.ofSeconds(20);

  /** The source object every job reads; put there before each test. */
  protected static final MediaObject SOURCE = MediaObject.of(BUCKET, "in/source.mp4");

  /** A client pointed at the fixture's service; closed after each test. */
  protected MediaClient media;

  /** Returns the fixture of the provider under test. */
  protected abstract WireFixture fixture();

  @BeforeEach
  protected void openClient() {
    media = client(Map.of());
    fixture().service().put(SOURCE, "source".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  protected void closeClient() {
    fixture().service().clearFaults();
    media.close();
  }

  /**
   * Returns a client with the fixture's settings and {@code overrides}, with fast retries and
   * polling.
   */
  protected MediaClient client(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(fixture().service().clientSettings());
    settings.putAll(overrides);
    return MediaClient.builder()
        .config(MediaConfig.fromMap(settings))
        .retryPolicy(RetryPolicy.exponential(4, Duration.ofMillis(10), Duration.ofMillis(50)))
        .watchPolicy(
            WatchPolicy.defaults()
                .withInitialDelay(Duration.ofMillis(50))
                .withMaxDelay(Duration.ofMillis(200)))
        .build();
  }

  private static Pipeline snapshot(String key) {
    return Pipeline.from(SOURCE)
        .then(Snapshot.at(Duration.ofSeconds(1)))
        .saveAs(BUCKET, key)
        .build();
  }

  /** Waits for the end, failed or not. */
  private static JobStatus end(Job job) {
    try {
      return job.future().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long count(Predicate<String> request) {
    return fixture().service().requests().stream()
        .map(FakeService::request)
        .filter(request)
        .count();
  }

  @Test
  public void multiOutputJob_submitAwaitSuccess_objectsSaved() {
    Pipeline p =
        Pipeline.from(SOURCE)
            .then(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .size(1280, 720)
                    .build())
            .saveAs(BUCKET, "out/wire/720p.mp4")
            .then(Snapshot.at(Duration.ofSeconds(2)))
            .saveAs(BUCKET, "out/wire/cover.jpg")
            .build();
    Job job = media.submit(p);
    assertThat(job.id().provider()).isEqualTo(media.providerId());
    JobStatus done = job.await(WAIT);
    assertThat(done.state()).as(done.summary()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.outputs()).hasSize(2);
    assertThat(done.outputs().get(0).objects())
        .containsExactly(MediaObject.of(BUCKET, "out/wire/720p.mp4"));
    assertThat(done.outputs().get(1).objects())
        .containsExactly(MediaObject.of(BUCKET, "out/wire/cover.jpg"));
    assertThat(fixture().service().get(MediaObject.of(BUCKET, "out/wire/720p.mp4"))).isPresent();
    assertThat(fixture().service().get(MediaObject.of(BUCKET, "out/wire/cover.jpg"))).isPresent();
  }

  @Test
  public void failedOutput_makesAPartialJob_withTheVendorsCodeAndMessage() {
    Pipeline p =
        Pipeline.from(SOURCE)
            .then(Transcode.builder().container(Container.FLV).build())
            .saveAs(BUCKET, "out/wire/a.flv")
            .then(Transcode.builder().container(Container.MP4).build())
            .saveAs(BUCKET, "out/wire/a.mp4")
            .build();
    JobStatus end = end(media.job(media.submit(p).id()));
    assertThat(end.state()).isEqualTo(JobState.PARTIAL);
    assertThat(end.outputs().get(0).state()).isEqualTo(JobState.FAILED);
    assertThat(end.outputs().get(0).vendorCode()).isEqualTo(fixture().failedOutputCode());
    assertThat(end.outputs().get(0).message()).contains(FAILURE_MESSAGE);
    assertThat(end.summary()).contains(FAILURE_MESSAGE);
    assertThat(end.outputs().get(1).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  public void anotherClient_tracksAJobFromItsIdString() {
    String id = media.submit(snapshot("out/wire/c.jpg")).id().toString();
    try (MediaClient other = client(Map.of())) {
      assertThat(other.job(id).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  public void statusReads_recoverFrom5xxDropsAndThrottling() {
    FakeService service = fixture().service();
    JobId id = media.submit(snapshot("out/wire/f.jpg")).id();
    Predicate<String> status = fixture().statusRead();
    service.inject(status, WireFault.SERVER_ERROR, 1);
    service.inject(status, WireFault.DROP, 1);
    service.inject(status, WireFault.THROTTLED, 1);
    service.inject(status, WireFault.DELAY, 1);
    assertThat(media.status(id).state()).isNotNull();
    assertThat(service.requests())
        .anyMatch(l -> status.test(FakeService.request(l)) && l.endsWith(" dropped"));
    assertThat(media.job(id).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  public void submissionRefusedUnprocessed_isRetried_andMakesExactlyOneJob() {
    FakeService service = fixture().service();
    Predicate<String> submission = fixture().submission(SOURCE);
    int jobs = service.jobCount();
    long sent = count(submission);
    service.inject(submission, WireFault.UNAVAILABLE, 1);
    service.inject(submission, WireFault.THROTTLED, 1);
    assertThat(media.submit(snapshot("out/wire/t.jpg")).await(WAIT).state())
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(service.jobCount()).isEqualTo(jobs + 1);
    assertThat(count(submission)).isEqualTo(sent + 3);
  }

  @Test
  public void droppedAnswer_afterProcessing_isAnUnknownOutcome_neverResent() {
    FakeService service = fixture().service();
    Predicate<String> submission = fixture().submission(SOURCE);
    int jobs = service.jobCount();
    long sent = count(submission);
    service.inject(submission, WireFault.DROP_AFTER_PROCESSING, 1);
    assertThatThrownBy(() -> media.submit(snapshot("out/wire/u.jpg")))
        .isInstanceOfSatisfying(
            MediaException.class, e -> assertThat(e.isOutcomeUnknown()).isTrue());
    assertThat(service.jobCount()).isEqualTo(jobs + 1); // it was submitted, exactly once
    assertThat(count(submission)).isEqualTo(sent + 1);
  }

  @Test
  public void serverError_afterSending_isAnUnknownOutcome_neverResent() {
    FakeService service = fixture().service();
    Predicate<String> submission = fixture().submission(SOURCE);
    long sent = count(submission);
    service.inject(submission, WireFault.SERVER_ERROR, 1);
    assertThatThrownBy(() -> media.submit(snapshot("out/wire/e.jpg")))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.isOutcomeUnknown()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(500);
              assertThat(e.errorCode()).isEqualTo(fixture().serverErrorCode());
            });
    assertThat(count(submission)).isEqualTo(sent + 1);
  }

  @Test
  public void wrongSecret_isTheVendorsError_withNoSecretInTheMessage() {
    Map<String, String> wrong = fixture().wrongSecret();
    try (MediaClient bad = client(wrong)) {
      assertThatThrownBy(() -> bad.submit(snapshot("out/wire/x.jpg")))
          .isInstanceOfSatisfying(
              MediaServiceException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(fixture().badSignatureStatus());
                assertThat(e.errorCode()).isEqualTo(fixture().badSignatureCode());
                assertThat(e.requestId()).isNotEmpty();
                assertThat(e.isOutcomeUnknown()).isFalse();
                for (String secret : wrong.values()) {
                  assertThat(e.getMessage()).doesNotContain(secret);
                  assertThat(e.toString()).doesNotContain(secret);
                }
              });
    }
  }

  @Test
  public void badInput_failsBeforeAnyRequest() {
    int before = fixture().service().requests().size();
    assertThatThrownBy(
            () ->
                media.submit(
                    Pipeline.from("bad:bucket", "in.mp4")
                        .then(Snapshot.at(Duration.ZERO))
                        .saveAs(BUCKET, "o.jpg")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("source.bucket");
    assertThatThrownBy(
            () ->
                media.submit(
                    Pipeline.from(SOURCE)
                        .then(Snapshot.at(Duration.ZERO))
                        .saveAs("out|bucket", "o.jpg")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("outputs[0].saveAs.bucket");
    assertThat(fixture().service().requests()).hasSize(before);
  }
}
