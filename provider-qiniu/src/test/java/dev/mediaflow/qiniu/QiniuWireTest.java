package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
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
import dev.mediaflow.pipeline.ProviderOptions;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real HTTP against the testkit's fake Qiniu server: submit, poll, notifications, faults, bad
 * input.
 */
class QiniuWireTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(50))
                  .failWhen(
                      cmd -> cmd.startsWith("avthumb/flv"),
                      "execute fop cmd failed: not a valid video")
                  .build())
          .build();

  MediaClient media;

  @BeforeEach
  void setUp() {
    media = client(Map.of());
    qiniu.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    qiniu.clearFaults();
    media.close();
  }

  MediaClient client(Map<String, String> overrides) {
    return client(overrides, Clock.systemUTC());
  }

  MediaClient client(Map<String, String> overrides, Clock clock) {
    Map<String, String> settings = new HashMap<>(qiniu.clientSettings());
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

  /** Waits for the end, failed or not. */
  static JobStatus end(Job job) {
    try {
      return job.future().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Pipeline.Builder from(String key) {
    return Pipeline.from("media", key);
  }

  @Test
  void multiOutputJob_submitPollDone_objectsSaved() {
    Pipeline p =
        from("in/source.mp4")
            .then(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .size(1280, 720)
                    .build())
            .saveAs("media", "out/720p.mp4")
            .then(Snapshot.at(Duration.ofSeconds(2)))
            .saveAs("media", "out/cover.jpg")
            .then(
                Snapshot.builder().every(Duration.ofSeconds(1), 3).format(ImageFormat.JPG).build())
            .saveAs("media", "out/frames/{index}.jpg")
            .build();
    Job job = media.submit(p);
    assertThat(job.id().provider()).isEqualTo("qiniu");
    assertThat(job.id().vendorId()).startsWith("z0.");
    JobStatus done = job.await(WAIT);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.outputs()).hasSize(3);
    assertThat(done.outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/720p.mp4"));
    assertThat(done.outputs().get(2).objects())
        .extracting(MediaObject::key)
        .containsExactly("out/frames/000001.jpg", "out/frames/000002.jpg", "out/frames/000003.jpg");
    assertThat(qiniu.objects().exists("media", "out/720p.mp4")).isTrue();
    assertThat(qiniu.objects().exists("media", "out/frames/000002.jpg")).isTrue();
    assertThat(done.details())
        .containsEntry("trackedBy", "prefop")
        .containsEntry("inputKey", "in/source.mp4");
  }

  static Stream<Arguments> everyOperation() {
    return Stream.of(
        Arguments.of(
            "transcode",
            Transcode.builder()
                .container(Container.M3U8)
                .videoCodec(VideoCodec.H265)
                .videoBitrate(2_000_000)
                .audioBitrate(128_000)
                .fps(30)
                .start(Duration.ofMillis(1500))
                .build()),
        Arguments.of(
            "audio",
            AudioTranscode.builder()
                .format(AudioFormat.MP3)
                .bitrate(192_000)
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
            "gif",
            Animation.builder()
                .format(AnimationFormat.GIF)
                .width(320)
                .fps(10)
                .duration(Duration.ofSeconds(3))
                .build()),
        Arguments.of(
            "webp", Animation.builder().format(AnimationFormat.WEBP).size(320, 180).build()),
        Arguments.of(
            "concat",
            Concat.builder()
                .inputs(List.of(MediaObject.of("media", "in/outro 2.mp4")))
                .encoding(Transcode.builder().container(Container.MP4).size(1280, 720).build())
                .build()),
        Arguments.of(
            "document",
            DocumentConversion.builder().to(DocumentTarget.PDF).from(DocumentType.DOCX).build()),
        Arguments.of(
            "resize",
            ImageResize.builder()
                .size(800, 600)
                .fit(FitMode.CROP)
                .format(ImageFormat.WEBP)
                .quality(80)
                .build()),
        Arguments.of("stretch", ImageResize.builder().size(100, 100).fit(FitMode.STRETCH).build()),
        Arguments.of(
            "image watermark",
            Watermark.image(MediaObject.of("media", "brand/logo.png"))
                .gravity(Gravity.NORTH_WEST)
                .offset(10, 10)
                .opacity(60)
                .build()),
        Arguments.of(
            "text watermark",
            Watermark.text("© 家 | a;b/c")
                .font("DejaVu Sans")
                .fontSize(24)
                .color("#FFFFFF")
                .build()),
        Arguments.of("raw", RawOperation.of("qiniu", "avthumb/mp4/stripmeta/1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOperation")
  void everyOperation_runsOnTheFakeServer(String name, Operation op) {
    JobStatus done =
        media
            .submit(
                from("in/source.mp4")
                    .then(op)
                    .saveAs("media", "out/" + name.replace(' ', '-'))
                    .build())
            .await(WAIT);
    assertThat(done.state()).as(done.summary()).isEqualTo(JobState.SUCCEEDED);
    assertThat(qiniu.objects().exists("media", "out/" + name.replace(' ', '-'))).isTrue();
  }

  @Test
  void everyOutputFailing_failsTheJob() {
    JobStatus end =
        end(
            media.submit(
                from("in/missing.mp4")
                    .then(Transcode.builder().container(Container.MP4).build())
                    .saveAs("media", "out/x.mp4")
                    .build()));
    assertThat(end.state()).isEqualTo(JobState.FAILED);
    assertThat(end.outputs().get(0).message()).contains("does not exist");
  }

  @Test
  void keysWithQiniusSeparators_andNonAscii_roundTrip() {
    String source = "in/a|b;c:d 家+%.mp4";
    qiniu.objects().put("media", source, new byte[] {1});
    String target = "out/x|y;z:w 视频 ?#.mp4";
    JobStatus done =
        media
            .submit(
                from(source)
                    .then(Transcode.builder().container(Container.MP4).build())
                    .saveAs("media", target)
                    .build())
            .await(WAIT);
    assertThat(done.outputs().get(0).objects()).containsExactly(MediaObject.of("media", target));
    assertThat(qiniu.objects().exists("media", target)).isTrue();
    assertThat(done.details()).containsEntry("inputKey", source);
  }

  // ---- faults

  @Test
  void statusReads_recoverFrom5xxDropsAndThrottling() {
    JobId id =
        media
            .submit(
                from("in/source.mp4")
                    .then(Snapshot.at(Duration.ofSeconds(1)))
                    .saveAs("media", "out/f.jpg")
                    .build())
            .id();
    qiniu.inject("/status/get/prefop", Fault.status(599), 1);
    qiniu.inject("/status/get/prefop", Fault.drop(), 1);
    qiniu.inject("/status/get/prefop", Fault.throttle(Duration.ZERO), 1);
    qiniu.inject("/status/get/prefop", Fault.delay(Duration.ofMillis(300)), 1);
    assertThat(media.status(id).state()).isNotNull();
    assertThat(qiniu.requests()).anyMatch(r -> r.contains("prefop") && r.endsWith("dropped"));
    assertThat(media.job(id).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void pfop5xx_isUnknown_butThrottling_isRetriedSafely() {
    Pipeline p =
        from("in/source.mp4")
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "out/t.jpg")
            .build();
    qiniu.inject("/pfop/", Fault.status(599), 1);
    assertThatThrownBy(() -> media.submit(p))
        .isInstanceOf(MediaServiceException.class)
        .satisfies(e -> assertThat(((MediaServiceException) e).isOutcomeUnknown()).isTrue());
    int before = qiniu.jobCount();
    qiniu.inject("/pfop/", Fault.throttle(Duration.ZERO), 2);
    assertThat(media.submit(p).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(qiniu.jobCount()).isEqualTo(before + 1);
  }

  // ---- signatures

  @Test
  void staleDate_isRefused_andQBoxScheme_works() {
    Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    try (MediaClient stale = client(Map.of(), hourAgo)) {
      assertThatThrownBy(
              () ->
                  stale.submit(
                      from("in/source.mp4")
                          .then(Snapshot.at(Duration.ZERO))
                          .saveAs("media", "o.jpg")
                          .build()))
          .isInstanceOf(MediaServiceException.class)
          .hasMessageContaining("X-Qiniu-Date");
    }
    try (MediaClient qbox = client(Map.of("media.qiniu.auth", "qbox"))) {
      JobId id =
          qbox.submit(
                  from("in/source.mp4")
                      .then(Snapshot.at(Duration.ZERO))
                      .saveAs("media", "o.jpg")
                      .build())
              .id();
      assertThat(qbox.job(id).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    }
  }

  @Test
  void unknownPersistentId_is612WithQiniusMessage() {
    assertThatThrownBy(() -> media.status(JobId.of("qiniu", "z0.nosuchjob")))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(612);
              assertThat(e.detail()).contains("no such id");
              assertThat(e.isRetryable()).isFalse();
            });
  }

  // ---- notifications

  @Test
  void notifyUrl_receivesTheResult_whichIsParsedAndConfirmed() throws Exception {
    BlockingQueue<byte[]> bodies = new ArrayBlockingQueue<>(4);
    HttpServer receiver = receiver(200, bodies);
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/qiniu?tenant=a";
      JobId id =
          media
              .submit(
                  from("in/source.mp4")
                      .then(Snapshot.at(Duration.ofSeconds(1)))
                      .saveAs("media", "out/n.jpg")
                      .notifyUrl(url)
                      .build())
              .id();
      byte[] body = bodies.poll(20, TimeUnit.SECONDS);
      assertThat(body).isNotNull();
      QiniuOperations ops = media.unwrap(QiniuOperations.class).orElseThrow();
      JobStatus hinted = ops.parseNotification(body);
      assertThat(hinted.id()).isEqualTo(id);
      assertThat(hinted.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(hinted.outputs().get(0).objects())
          .containsExactly(MediaObject.of("media", "out/n.jpg"));
      assertThat(ops.confirmNotification(body).state()).isEqualTo(JobState.SUCCEEDED);
      // a forged body naming a job Qiniu does not know is refused by the refetch
      byte[] forged =
          new String(body, StandardCharsets.UTF_8)
              .replace(id.vendorId(), "z0.forged")
              .getBytes(StandardCharsets.UTF_8);
      assertThat(ops.parseNotification(forged).state()).isEqualTo(JobState.SUCCEEDED);
      assertThatThrownBy(() -> ops.confirmNotification(forged))
          .isInstanceOf(MediaServiceException.class);
      assertThatThrownBy(() -> ops.parseNotification("not json".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(MediaValidationException.class);
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void failedNotification_isCode4_succeededWithAWarning() throws Exception {
    HttpServer receiver = receiver(500, new ArrayBlockingQueue<>(4));
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      JobStatus done =
          media
              .submit(
                  from("in/source.mp4")
                      .then(Snapshot.at(Duration.ofSeconds(1)))
                      .saveAs("media", "out/w.jpg")
                      .notifyUrl(url)
                      .build())
              .await(WAIT);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.details()).containsEntry("vendorCode", "4");
      assertThat(done.warnings()).anyMatch(w -> w.contains("notifyURL"));
    } finally {
      receiver.stop(0);
    }
  }

  static HttpServer receiver(int status, BlockingQueue<byte[]> bodies) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          bodies.add(ex.getRequestBody().readAllBytes());
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    s.start();
    return s;
  }

  // ---- options, workflow templates and upload tokens

  @Test
  void queueForceAndIdleTime_reachTheJob() {
    JobStatus done =
        media
            .submit(
                from("in/source.mp4")
                    .then(Snapshot.at(Duration.ZERO))
                    .saveAs("media", "out/o.jpg")
                    .options(
                        ProviderOptions.builder()
                            .queue("video-queue")
                            .force(true)
                            .idleTime(true)
                            .build())
                    .build())
            .await(WAIT);
    assertThat(done.details())
        .containsEntry("pipeline", "video-queue")
        .containsEntry("idleTime", "true");
  }

  @Test
  void existingResult_withoutForce_isReturnedOld() {
    qiniu.objects().put("media", "out/old.jpg", new byte[] {9});
    JobStatus done =
        media
            .submit(
                from("in/source.mp4")
                    .then(Snapshot.at(Duration.ZERO))
                    .saveAs("media", "out/old.jpg")
                    .build())
            .await(WAIT);
    assertThat(done.warnings()).anyMatch(w -> w.contains("returnOld"));
    assertThat(qiniu.objects().get("media", "out/old.jpg")).contains(new byte[] {9});
  }

  @Test
  void workflowTemplate_isSubmittedInsteadOfFops() {
    QiniuOperations ops = media.unwrap(QiniuOperations.class).orElseThrow();
    JobId id =
        ops.submitWorkflow(
            MediaObject.of("media", "in/source.mp4"), "tpl-1", null, ProviderOptions.none());
    JobStatus done = media.job(id).await(WAIT);
    assertThat(done.details()).containsEntry("taskFrom", "workflow:tpl-1");
    assertThatThrownBy(
            () ->
                ops.submitWorkflow(
                    MediaObject.of("media", "in/source.mp4"), "a/b", null, ProviderOptions.none()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("workflowTemplateID");
  }

  @Test
  void uploadToken_carriesThePipelineAsPersistentOps() {
    Pipeline p =
        from("in/new.mp4")
            .then(Transcode.builder().container(Container.MP4).build())
            .saveAs("media", "out/new.mp4")
            .notifyUrl("https://hooks.example.com/q")
            .queue("p1")
            .build();
    QiniuOperations ops = media.unwrap(QiniuOperations.class).orElseThrow();
    String token = ops.uploadToken(MediaObject.of("media", "in/new.mp4"), p, Duration.ofHours(1));
    String policy =
        new String(
            java.util.Base64.getUrlDecoder().decode(token.split(":")[2]), StandardCharsets.UTF_8);
    assertThat(policy)
        .contains("\"scope\":\"media:in/new.mp4\"")
        .contains("\"persistentOps\":\"" + media.render(p).get(0).processing() + "\"")
        .contains("\"persistentNotifyUrl\":\"https://hooks.example.com/q\"")
        .contains("\"persistentPipeline\":\"p1\"");
    assertThat(ops.auth().signWithData(policy.getBytes(StandardCharsets.UTF_8))).isEqualTo(token);
    assertThatThrownBy(
            () -> ops.uploadToken(MediaObject.of("media", "other.mp4"), p, Duration.ofHours(1)))
        .isInstanceOf(MediaValidationException.class);
  }

  // ---- bad input, before any request

  @Test
  void badInput_failsBeforeAnyRequest() {
    int requests = qiniu.requests().size();
    assertThatThrownBy(
            () ->
                media.submit(
                    Pipeline.from("bad:bucket", "a.mp4")
                        .then(Snapshot.at(Duration.ZERO))
                        .saveAs("media", "o.jpg")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("source.bucket");
    assertThatThrownBy(
            () ->
                media.submit(
                    from("a.mp4")
                        .then(Snapshot.at(Duration.ZERO))
                        .saveAs("out|bucket", "o.jpg")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("outputs[0].saveAs.bucket");
    assertThatThrownBy(
            () ->
                media.submit(
                    from("a.mp4")
                        .then(RawOperation.of("qiniu", "avthumb/mp4;vframe/jpg/offset/1"))
                        .saveAs("media", "o")
                        .build()))
        .hasMessageContaining("value");
    assertThat(qiniu.requests()).hasSize(requests);
  }

  @Test
  void badSettings_areTypedConfigErrors() {
    Map<String, String> noKeys = new HashMap<>(qiniu.clientSettings());
    noKeys.remove("media.qiniu.accessKey");
    assertThatThrownBy(() -> MediaClient.create(MediaConfig.fromMap(noKeys)))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.qiniu.accessKey")
        .hasMessageContaining("QINIU_ACCESS_KEY");
    Map<String, String> region = new HashMap<>(noKeys);
    region.put("media.qiniu.accessKey", "AK");
    region.remove("media.qiniu.apiHost");
    region.put("media.qiniu.region", "mars-1");
    assertThatThrownBy(() -> MediaClient.create(MediaConfig.fromMap(region)))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.qiniu.region")
        .hasMessageContaining("z0");
    region.put("media.qiniu.region", "z1");
    try (MediaClient z1 = MediaClient.create(MediaConfig.fromMap(region))) {
      assertThat(
              z1.render(
                      from("a.mp4")
                          .then(Snapshot.at(Duration.ZERO))
                          .saveAs("media", "o.jpg")
                          .build())
                  .get(0)
                  .url())
          .isEqualTo("https://api-z1.qiniuapi.com/pfop/");
    }
  }

  @Test
  void dryRun_showsTheExactForm_withoutCredentials() {
    var r =
        media
            .render(
                from("in key.mp4")
                    .then(
                        Transcode.builder()
                            .container(Container.MP4)
                            .size(640, 360)
                            .videoBitrate(1_250_000)
                            .build())
                    .saveAs("bucket", "out key+1.mp4")
                    .force(true)
                    .queue("p1")
                    .build())
            .get(0);
    // the form the official SDK (OkHttp FormBody) sends for the same fields (docs/vendor-notes.md,
    // "pfop form")
    assertThat(r.body())
        .isEqualTo(
            "bucket=media&key=in%20key.mp4&fops=avthumb%2Fmp4%2Fs%2F640x360%2Fvb%2F1.25m%7Csaveas"
                + "%2FYnVja2V0Om91dCBrZXkrMS5tcDQ%3D&force=1&pipeline=p1");
    assertThat(r.toString()).doesNotContain("SK");
  }
}
