package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.JobFailedException;
import dev.mediaflow.JobTimeoutException;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MediaClient through a provider found by id: the reference in-memory provider. */
class MediaClientTest {
  private static final WatchPolicy FAST =
      WatchPolicy.defaults()
          .withInitialDelay(Duration.ofMillis(5))
          .withMaxDelay(Duration.ofMillis(20));
  private final Pipeline twoOutputs =
      Pipeline.from("media", "in.mov")
          .then(Transcode.builder().container(Container.MP4).build())
          .saveAs("media", "out/a.mp4")
          .then(AudioTranscode.to(AudioFormat.MP3))
          .saveAs("media", "out/a.mp3")
          .build();
  private MediaClient client;

  private MediaClient client(Map<String, String> settings) {
    client = MediaClient.builder().config(MediaConfig.fromMap(settings)).watchPolicy(FAST).build();
    return client;
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void configPicksTheProviderById() {
    MediaClient c = client(Map.of("media.provider", "memory"));
    assertThat(c.providerId()).isEqualTo("memory");
    assertThat(c.instance()).isEqualTo("memory");
  }

  @Test
  void unknownProvider_failsFastListingWhatWasFound() {
    assertThatThrownBy(() -> client(Map.of("media.provider", "qiniu")))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("No media provider with id 'qiniu'")
        .hasMessageContaining("memory")
        .hasMessageContaining("mediaflow-provider-qiniu");
  }

  @Test
  void explicitProvider_winsOverConfiguration() {
    client =
        MediaClient.builder()
            .config(MediaConfig.fromMap(Map.of("media.provider", "qiniu")))
            .provider(new InMemoryProvider())
            .build();
    assertThat(client.providerId()).isEqualTo("memory");
  }

  @Test
  void submit_thenAwait_returnsTheSuccessfulStatus() {
    Job job = client(Map.of("media.provider", "memory")).submit(twoOutputs);

    JobStatus done = job.await(Duration.ofSeconds(10));

    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.outputs())
        .extracting(o -> o.objects().get(0).key())
        .containsExactly("out/a.mp4", "out/a.mp3");
    assertThat(done.details()).containsEntry("trackedBy", "memory");
  }

  @Test
  void await_ofAPartlyFailedJob_throwsWithTheVendorDetails() {
    Pipeline p =
        twoOutputs.toBuilder()
            .then(AudioTranscode.to(AudioFormat.AAC))
            .saveAs("media", "out/fail.aac")
            .build();
    Job job = client(Map.of("media.provider", "memory")).submit(p);

    assertThatThrownBy(() -> job.await(Duration.ofSeconds(10)))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("PARTIAL")
        .hasMessageContaining("output 2 FAILED [E42]: simulated failure")
        .satisfies(
            e -> assertThat(((JobFailedException) e).status().state()).isEqualTo(JobState.PARTIAL));
  }

  @Test
  void future_reportsEveryChange() throws Exception {
    MediaClient c = client(Map.of("media.provider", "memory", "media.memory.polls", "4"));
    List<String> seen = new CopyOnWriteArrayList<>();
    JobStatus done =
        c.submit(twoOutputs)
            .future((prev, cur) -> seen.add(cur.state() + ""))
            .get(10, TimeUnit.SECONDS);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(seen).startsWith("QUEUED", "RUNNING").endsWith("SUCCEEDED");
  }

  @Test
  void unsupportedOperation_isRejectedBeforeAnythingIsSent() {
    MediaClient c = client(Map.of("media.provider", "memory"));
    int before = InMemoryProvider.SUBMITS.get();
    Pipeline decode =
        Pipeline.from("media", "in.jpg").then(BlindWatermarkDecode.defaults()).build();

    assertThatThrownBy(() -> c.submit(decode))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining(
            "Provider 'memory' does not support the operation 'decodeBlindWatermark'");
    assertThatThrownBy(() -> c.submit(twoOutputs.toBuilder().notifyTopic("done").build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("notify");
    assertThatThrownBy(
            () ->
                c.render(
                    Pipeline.from("m", "k")
                        .then(RawOperation.of("oss", "video/x"))
                        .saveAs("m", "o")
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("written for 'oss'");
    assertThat(InMemoryProvider.SUBMITS.get()).isEqualTo(before);
  }

  @Test
  void render_isADryRun() {
    MediaClient c = client(Map.of("media.provider", "memory"));
    int before = InMemoryProvider.SUBMITS.get();
    List<VendorRequest> requests = c.render(twoOutputs);
    assertThat(requests)
        .extracting(VendorRequest::processing)
        .containsExactly("transcode|save:media/out/a.mp4", "audio|save:media/out/a.mp3");
    assertThat(InMemoryProvider.SUBMITS.get()).isEqualTo(before);
  }

  @Test
  void namedInstance_isRecordedInTheJobId_andAnotherClientTracksIt() {
    MediaConfig cfg =
        MediaConfig.fromMap(
            Map.of(
                "media.provider",
                "fast",
                "media.fast.provider",
                "memory",
                "media.fast.polls",
                "2"));
    client = MediaClient.builder().config(cfg).watchPolicy(FAST).build();
    String id = client.submit(twoOutputs).id().toString();
    assertThat(id).startsWith("memory@fast:");

    try (MediaClient other = MediaClient.forJob(cfg, JobId.parse(id))) {
      assertThat(other.instance()).isEqualTo("fast");
      assertThat(other.job(id).await(Duration.ofSeconds(10)).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void jobOfAnotherProvider_isRefused() {
    MediaClient c = client(Map.of("media.provider", "memory"));
    assertThatThrownBy(() -> c.job("qiniu:z0.abc"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("belongs to provider 'qiniu'");
  }

  @Test
  void statusOfAnUnknownJob_isAServiceError() {
    MediaClient c = client(Map.of("media.provider", "memory"));
    assertThatThrownBy(() -> c.status(JobId.of("memory", "nope")))
        .isInstanceOf(MediaServiceException.class)
        .satisfies(e -> assertThat(((MediaServiceException) e).errorCode()).isEqualTo("NoSuchJob"));
  }

  @Test
  void cancel_endsTheJobCancelled() {
    MediaClient c = client(Map.of("media.provider", "memory", "media.memory.polls", "50"));
    Job job = c.submit(twoOutputs);
    job.cancel();
    assertThatThrownBy(() -> job.await(Duration.ofSeconds(10)))
        .isInstanceOf(JobFailedException.class)
        .satisfies(
            e ->
                assertThat(((JobFailedException) e).status().state())
                    .isEqualTo(JobState.CANCELLED));
  }

  @Test
  void await_timeout_saysTheJobGoesOn() {
    MediaClient c = client(Map.of("media.provider", "memory", "media.memory.polls", "100000"));
    Job job = c.submit(twoOutputs);
    assertThatThrownBy(() -> job.await(Duration.ofMillis(100)))
        .isInstanceOf(JobTimeoutException.class)
        .hasMessageContaining("It goes on");
  }

  @Test
  void badHttpSettings_areConfigErrors() {
    assertThatThrownBy(
            () -> client(Map.of("media.provider", "memory", "media.http.readTimeout", "fast")))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.http.readTimeout");
  }
}
