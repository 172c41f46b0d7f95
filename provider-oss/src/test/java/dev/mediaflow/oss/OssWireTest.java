package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real HTTP against the testkit's fake OSS server: submit, track (IMM and output objects), faults,
 * bad input.
 */
class OssWireTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder()
          .credentials("AK", "SK")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(50))
                  .failWhen(
                      p -> p.contains("f_flv"),
                      "InvalidParameter.ResourceContent",
                      "the source is not a valid video")
                  .build())
          .build();

  MediaClient media;

  @BeforeEach
  void setUp() {
    media = client(true, Map.of());
    oss.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
    oss.objects().put("media", "in/outro.mp4", "outro".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    oss.clearFaults();
    media.close();
  }

  static MediaClient client(boolean imm, Map<String, String> overrides) {
    return client(imm, overrides, Clock.systemUTC());
  }

  static MediaClient client(boolean imm, Map<String, String> overrides, Clock clock) {
    Map<String, String> settings = new HashMap<>(oss.clientSettings(imm));
    settings.putAll(overrides);
    return MediaClient.builder()
        .config(MediaConfig.fromMap(settings))
        .clock(clock)
        .retryPolicy(RetryPolicy.exponential(4, Duration.ofMillis(10), Duration.ofMillis(50)))
        .watchPolicy(
            WatchPolicy.defaults()
                .withInitialDelay(Duration.ofMillis(50))
                .withMaxDelay(Duration.ofMillis(200)))
        .build();
  }

  static Pipeline.Builder from(String key) {
    return Pipeline.from("media", key);
  }

  @ParameterizedTest(name = "signature {0}, tracked by IMM: {1}")
  @CsvSource({"v4,true", "v4,false", "v1,true", "v1,false"})
  void multiOutputJob_submitTrackDone(String signature, boolean imm) {
    try (MediaClient c = client(imm, Map.of("media.oss.signatureVersion", signature))) {
      Pipeline p =
          from("in/source.mp4")
              .then(
                  Transcode.builder()
                      .container(Container.MP4)
                      .videoCodec(VideoCodec.H264)
                      .size(1280, 720)
                      .build())
              .saveAs("media", "out/" + signature + imm + "/720p.mp4")
              .then(Snapshot.at(Duration.ofSeconds(2)))
              .saveAs("media", "out/" + signature + imm + "/cover.jpg")
              .then(
                  ImageResize.builder()
                      .size(200, 200)
                      .fit(FitMode.CROP)
                      .format(ImageFormat.WEBP)
                      .build())
              .saveAs("media", "out/" + signature + imm + "/thumb.webp")
              .build();
      Job job = c.submit(p);
      assertThat(job.id().provider()).isEqualTo("oss");
      assertThat(job.id().vendorIds()).hasSize(3);
      assertThat(job.id().vendorIds().get(0)).startsWith("MediaConvert-");
      assertThat(job.id().vendorIds().get(2)).startsWith(OssJobClient.SYNC_PREFIX);
      JobStatus done = job.await(WAIT);
      assertThat(done.state()).as(done.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.details()).containsEntry("trackedBy", imm ? "imm-gettask" : "output-object");
      assertThat(done.outputs().get(0).objects())
          .containsExactly(MediaObject.of("media", "out/" + signature + imm + "/720p.mp4"));
      assertThat(oss.objects().exists("media", "out/" + signature + imm + "/cover.jpg")).isTrue();
      assertThat(oss.objects().exists("media", "out/" + signature + imm + "/thumb.webp")).isTrue();
    }
  }

  static Stream<Arguments> everyOperation() {
    return Stream.of(
        Arguments.of(
            "transcode",
            Transcode.builder()
                .container(Container.MKV)
                .videoCodec(VideoCodec.H265)
                .videoBitrate(2_000_000)
                .audioBitrate(128_000)
                .fps(29.97)
                .start(Duration.ofMillis(1500))
                .build()),
        Arguments.of(
            "audio",
            AudioTranscode.builder()
                .format(AudioFormat.OGG)
                .bitrate(96_000)
                .sampleRate(44100)
                .build()),
        Arguments.of(
            "snapshot",
            Snapshot.builder()
                .at(Duration.ofMillis(7250))
                .size(480, 360)
                .format(ImageFormat.PNG)
                .build()),
        Arguments.of(
            "frames",
            Snapshot.builder().every(Duration.ofSeconds(1), 3).format(ImageFormat.JPG).build()),
        Arguments.of(
            "gif",
            Animation.builder()
                .format(AnimationFormat.GIF)
                .width(320)
                .fps(10)
                .duration(Duration.ofSeconds(3))
                .build()),
        Arguments.of(
            "concat",
            Concat.builder()
                .inputs(List.of(MediaObject.of("media", "in/outro.mp4")))
                .position(ConcatPosition.BEFORE)
                .encoding(Transcode.builder().container(Container.MP4).size(1280, 720).build())
                .build()),
        Arguments.of(
            "audio concat",
            Concat.builder()
                .inputs(List.of(MediaObject.of("media", "in/outro.mp4")))
                .encoding(
                    Transcode.builder()
                        .container(Container.MP4)
                        .noVideo()
                        .audioCodec(AudioCodec.AAC)
                        .audioBitrate(96_000)
                        .build())
                .build()),
        Arguments.of(
            "document",
            DocumentConversion.builder().to(DocumentTarget.PNG).from(DocumentType.DOCX).build()),
        Arguments.of(
            "resize",
            ImageResize.builder()
                .size(800, 600)
                .fit(FitMode.PAD)
                .format(ImageFormat.JPG)
                .quality(80)
                .build()),
        Arguments.of(
            "text watermark",
            Watermark.text("© 家 | a,b/c_d")
                .fontSize(24)
                .color("#FFFFFF")
                .gravity(Gravity.SOUTH_EAST)
                .build()),
        Arguments.of(
            "raw",
            RawOperation.of("oss", "video/sprite,f_jpg,sw_100,sh_100,inter_10000,tw_10,th_10")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOperation")
  void everyOperation_runsOnTheFakeServer(String name, Operation op) {
    String key = "ops/" + name.replace(' ', '-') + (name.equals("frames") ? "/{index}.jpg" : "");
    JobStatus done =
        media.submit(from("in/source.mp4").then(op).saveAs("media", key).build()).await(WAIT);
    assertThat(done.state()).as(done.summary()).isEqualTo(JobState.SUCCEEDED);
    assertThat(oss.objects().exists("media", key.replace("{index}", "1"))).isTrue();
  }

  @Test
  void trackedByObjects_aTaskThatNeverWritesFailsAtTheDeadline() {
    String id =
        media
            .submit(
                from("in/source.mp4")
                    .then(Transcode.builder().container(Container.FLV).build())
                    .saveAs("media", "out/never.flv")
                    .build())
            .id()
            .toString();
    try (MediaClient patient = client(false, Map.of());
        MediaClient strict = client(false, Map.of("media.oss.trackTimeout", "1ms"))) {
      JobStatus running = patient.status(JobId.parse(id));
      assertThat(running.state()).isEqualTo(JobState.RUNNING);
      assertThat(running.warnings()).anyMatch(w -> w.contains("immProject"));
      JobStatus failed = strict.status(JobId.parse(id));
      assertThat(failed.state()).isEqualTo(JobState.FAILED);
      assertThat(failed.outputs().get(0).vendorCode()).isEqualTo("OutputNotFound");
      assertThat(failed.summary()).contains("did not appear within");
    }
  }

  @Test
  void trackedByObjects_anOlderObjectAtTheTargetIsNotTakenForTheResult() throws Exception {
    oss.objects().put("media", "out/stale.mp4", "old".getBytes(StandardCharsets.UTF_8));
    java.nio.file.Files.setLastModifiedTime(
        oss.objects().file("media", "out/stale.mp4"),
        java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    try (MediaClient c = client(false, Map.of())) {
      String id =
          c.submit(
                  from("in/source.mp4")
                      .then(Transcode.builder().container(Container.FLV).build())
                      .saveAs("media", "out/stale.mp4")
                      .build())
              .id()
              .toString();
      Thread.sleep(400); // the task has failed by now; the day-old object is still there
      assertThat(c.status(JobId.parse(id)).state()).isEqualTo(JobState.RUNNING);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "in/with space.mp4|out/a b+c.mp4",
        "in/plus+sign.mp4|out/q?x=1#y.mp4",
        "in/中文/视频.mp4|out/结果 (1).mp4",
        "in/a%2Fb.mp4|out/100%.mp4"
      })
  void awkwardKeys_roundTrip(String source, String target) {
    oss.objects().put("media", source, "x".getBytes(StandardCharsets.UTF_8));
    for (String signature : List.of("v4", "v1")) {
      try (MediaClient c = client(false, Map.of("media.oss.signatureVersion", signature))) {
        JobStatus done =
            c.submit(
                    from(source)
                        .then(Transcode.builder().container(Container.MP4).build())
                        .saveAs("media", target)
                        .build())
                .await(WAIT);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(
                new String(
                    oss.objects().get("media", target).orElseThrow(), StandardCharsets.UTF_8))
            .contains(source);
      }
    }
  }

  @Test
  void secondOutputRefused_saysTheFirstWasSubmitted_andHowToTrackIt() {
    oss.objects().put("half", "in.jpg", "x".getBytes(StandardCharsets.UTF_8));
    oss.detachImm("half"); // image calls still work there; media tasks are refused
    Pipeline p =
        Pipeline.from("half", "in.jpg")
            .then(ImageResize.builder().size(100, 100).build())
            .saveAs("half", "small.jpg")
            .then(Transcode.builder().container(Container.MP4).build())
            .saveAs("half", "out.mp4")
            .build();
    assertThatThrownBy(() -> media.submit(p))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("Imm Client");
              assertThat(e.getMessage())
                  .contains("outputs 0..0 were already submitted as job oss:sync.")
                  .contains("output 1 and later were not");
            });
    assertThat(oss.objects().exists("half", "small.jpg")).isTrue();
  }

  @Test
  void wrongSecret_isRefusedWithOssError_andNoSecretInTheMessage() {
    for (String signature : List.of("v4", "v1")) {
      try (MediaClient c =
          client(
              true,
              Map.of(
                  "media.oss.accessKeySecret",
                  "not-the-secret",
                  "media.oss.signatureVersion",
                  signature))) {
        assertThatThrownBy(
                () ->
                    c.submit(
                        from("in/source.mp4")
                            .then(Transcode.builder().container(Container.MP4).build())
                            .saveAs("media", "out/x.mp4")
                            .build()))
            .isInstanceOfSatisfying(
                MediaServiceException.class,
                e -> {
                  assertThat(e.httpStatus()).isEqualTo(403);
                  assertThat(e.errorCode()).isEqualTo("SignatureDoesNotMatch");
                  assertThat(e.requestId()).isNotEmpty();
                  assertThat(e.isOutcomeUnknown()).isFalse();
                  assertThat(e.getMessage())
                      .doesNotContain("not-the-secret")
                      .contains("EC 0002-00000040");
                });
      }
    }
  }

  @Test
  void staleClock_isRequestTimeTooSkewed() {
    try (MediaClient c =
        client(
            true,
            Map.of(),
            Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC))) {
      assertThatThrownBy(
              () ->
                  c.submit(
                      from("in/source.mp4")
                          .then(Transcode.builder().container(Container.MP4).build())
                          .saveAs("media", "out/x.mp4")
                          .build()))
          .isInstanceOfSatisfying(
              MediaServiceException.class,
              e -> assertThat(e.errorCode()).isEqualTo("RequestTimeTooSkewed"));
    }
  }

  @Test
  void bucketWithoutImmProject_saysHowToAttachOne() {
    oss.objects().put("bare", "in.mp4", "x".getBytes(StandardCharsets.UTF_8));
    oss.detachImm("bare");
    assertThatThrownBy(
            () ->
                media.submit(
                    Pipeline.from("bare", "in.mp4")
                        .then(Transcode.builder().container(Container.MP4).build())
                        .saveAs("bare", "out.mp4")
                        .build()))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("Imm Client");
              assertThat(e.getMessage()).contains("AttachOSSBucket");
            });
  }

  @Test
  void topicMessage_isParsedAndConfirmed() throws Exception {
    Job job =
        media.submit(
            from("in/source.mp4")
                .then(Transcode.builder().container(Container.MP4).build())
                .saveAs("media", "out/n.mp4")
                .notifyTopic("media-done")
                .build());
    job.await(WAIT);
    String message =
        oss.topicMessages("media-done").get(oss.topicMessages("media-done").size() - 1);
    OssOperations ops = media.unwrap(OssOperations.class).orElseThrow();
    JobStatus parsed = ops.parseNotification(message.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.id().vendorId()).isEqualTo(job.id().vendorId());
    assertThat(parsed.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(parsed.outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/n.mp4"));
    byte[] base64 = java.util.Base64.getEncoder().encode(message.getBytes(StandardCharsets.UTF_8));
    assertThat(ops.parseNotification(base64).id()).isEqualTo(parsed.id());
    assertThat(ops.confirmNotification(base64).state()).isEqualTo(JobState.SUCCEEDED);
    String forged =
        message.replace(job.id().vendorId(), "MediaConvert-00000000-0000-0000-0000-000000000000");
    assertThatThrownBy(() -> ops.confirmNotification(forged.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> assertThat(e.errorCode()).isEqualTo("ResourceNotFound"));
    assertThatThrownBy(
            () -> ops.parseNotification("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("TaskId");
  }

  @Test
  void blindWatermarkDecode_notifiesWithoutSaving() {
    Job job =
        media.submit(
            from("in/source.mp4").then(BlindWatermarkDecode.defaults()).notifyTopic("wm").build());
    assertThat(job.id().vendorId()).startsWith("DecodeBlindWatermark-");
    assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(oss.topicMessages("wm")).isNotEmpty();
  }

  @Test
  void badInput_isRefusedBeforeAnyRequest() {
    int before = oss.requests().size();
    assertThatThrownBy(
            () ->
                media.submit(
                    Pipeline.from("Bad_Bucket", "in.mp4")
                        .then(Transcode.builder().container(Container.MP4).build())
                        .saveAs("media", "o.mp4")
                        .build()))
        .isInstanceOfSatisfying(
            MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("source.bucket"));
    assertThatThrownBy(
            () ->
                media.submit(
                    from("in/source.mp4")
                        .then(
                            Concat.builder()
                                .inputs(List.of(MediaObject.of("other", "x.mp4")))
                                .encoding(Transcode.builder().container(Container.MP4).build())
                                .build())
                        .saveAs("media", "o.mp4")
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("copy it there first");
    assertThatThrownBy(
            () ->
                media.submit(
                    from("in/source.mp4")
                        .then(Transcode.builder().container(Container.MP4).build())
                        .saveAs("media", "a/../b.mp4")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("'..'");
    assertThat(oss.requests()).hasSize(before);
  }

  @Test
  void missingRegion_isAConfigError() {
    Map<String, String> s = new HashMap<>(oss.clientSettings(false));
    s.remove("media.oss.region");
    assertThatThrownBy(
            () ->
                MediaClient.create(MediaConfig.fromMap(s))
                    .submit(
                        from("in/source.mp4")
                            .then(Transcode.builder().container(Container.MP4).build())
                            .saveAs("media", "x.mp4")
                            .build()))
        .isInstanceOfSatisfying(
            MediaConfigException.class,
            e -> assertThat(e.getMessage()).contains("media.oss.region"));
  }
}
