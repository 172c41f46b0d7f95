package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mediaflow.JobFailedException;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.op.WatermarkKind;
import dev.mediaflow.op.WatermarkStrength;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs real pipelines with the bundled FFmpeg and checks each result with ffprobe. */
class LocalProviderTest {
  static final Duration WAIT = Duration.ofMinutes(2);

  @TempDir static Path samples;
  static Path clip;
  static Path silentSmallClip;
  static Path png;

  @TempDir Path root;
  MediaClient client;

  @BeforeAll
  static void makeSamples() throws Exception {
    clip = Media.clip(samples.resolve("clip.mp4"), 640, 360, 3, true);
    silentSmallClip = Media.clip(samples.resolve("small.mp4"), 320, 240, 2, false);
    png = Media.image(samples.resolve("logo.png"), 64, 32);
  }

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("media/in"));
    Files.copy(clip, root.resolve("media/in/clip.mp4"));
    Files.copy(silentSmallClip, root.resolve("media/in/small.mp4"));
    Files.copy(png, root.resolve("media/in/logo.png"));
    client = client(root, Map.of());
  }

  static MediaClient client(Path root, Map<String, String> extra) {
    MediaConfig.Builder config =
        MediaConfig.builder()
            .put("media.provider", "local")
            .put("media.local.root", root.toString())
            .put("media.watch.initialDelay", "20ms")
            .put("media.watch.maxDelay", "100ms");
    extra.forEach(config::put);
    return MediaClient.create(config.build());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  Path file(String key) {
    return root.resolve("media").resolve(key);
  }

  Pipeline.Builder fromClip() {
    return Pipeline.from("media", "in/clip.mp4");
  }

  /** Nothing but buckets and the finished-job records remain: no work files, no partial objects. */
  void assertNoLeftovers() throws Exception {
    try (Stream<Path> s = Files.walk(root.resolve(".mediaflow"))) {
      assertThat(
              s.filter(Files::isRegularFile)
                  .filter(p -> !p.getParent().getFileName().toString().equals("jobs"))
                  .filter(p -> !p.toString().contains("/office/")))
          .isEmpty();
    }
    try (Stream<Path> s = Files.walk(root)) {
      assertThat(s.map(Path::toString))
          .noneMatch(n -> n.contains("mediaflow-part") || n.contains(".tmp-"));
    }
  }

  @Test
  void transcode_720pH264Mp4_hasTheAskedCodecsSizeAndDuration() throws Exception {
    JobStatus done =
        client
            .submit(
                fromClip()
                    .then(
                        Transcode.builder()
                            .container(Container.MP4)
                            .videoCodec(VideoCodec.H264)
                            .size(1280, 720)
                            .audioBitrate(96_000)
                            .build())
                    .saveAs("media", "out/720p.mp4")
                    .build())
            .await(WAIT);

    assertThat(done.outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/720p.mp4"));
    Media.Probe p = Media.probe(file("out/720p.mp4"));
    assertThat(p.videoCodec()).isEqualTo("h264");
    assertThat(p.audioCodec()).isEqualTo("aac");
    assertThat(p.width()).isEqualTo(1280);
    assertThat(p.height()).isEqualTo(720);
    assertThat(p.duration()).isCloseTo(3.0, within(0.15));
    assertNoLeftovers();
  }

  @Test
  void transcode_trimsScalesByWidthAndDropsAudio_inOtherContainers() throws Exception {
    client
        .submit(
            fromClip()
                .then(
                    Transcode.builder()
                        .container(Container.MKV)
                        .videoCodec(VideoCodec.H265)
                        .width(320)
                        .start(Duration.ofMillis(500))
                        .duration(Duration.ofSeconds(2))
                        .noAudio()
                        .build())
                .saveAs("media", "out/a.mkv")
                .then(Transcode.builder().container(Container.WEBM).width(160).fps(10).build())
                .saveAs("media", "out/b.webm")
                .build())
        .await(WAIT);

    Media.Probe mkv = Media.probe(file("out/a.mkv"));
    assertThat(mkv.videoCodec()).isEqualTo("hevc");
    assertThat(mkv.audioCodec()).isEmpty();
    assertThat(mkv.width()).isEqualTo(320);
    assertThat(mkv.height()).isEqualTo(180);
    assertThat(mkv.duration()).isCloseTo(2.0, within(0.15));
    Media.Probe webm = Media.probe(file("out/b.webm"));
    assertThat(webm.videoCodec()).isEqualTo("vp9");
    assertThat(webm.audioCodec()).isEqualTo("opus");
    assertThat(webm.width()).isEqualTo(160);
    assertThat(webm.height()).isEqualTo(90);
    assertThat(webm.frameRate()).isEqualTo("10/1");
  }

  @ParameterizedTest
  @EnumSource(AudioFormat.class)
  void audio_everyFormat_isReadableWithItsCodec(AudioFormat format) throws Exception {
    String key = "out/sound." + format.token();
    client
        .submit(
            fromClip()
                .then(
                    AudioTranscode.builder().format(format).duration(Duration.ofSeconds(2)).build())
                .saveAs("media", key)
                .build())
        .await(WAIT);

    Media.Probe p = Media.probe(file(key));
    String expected =
        switch (format) {
          case MP3 -> "mp3";
          case AAC, M4A -> "aac";
          case FLAC -> "flac";
          case OGG -> "vorbis";
          case OPUS -> "opus";
          case WAV -> "pcm_s16le";
          case AMR -> "amr_nb";
          case AC3 -> "ac3";
        };
    assertThat(p.audioCodec()).isEqualTo(expected);
    assertThat(p.videoCodec()).isEmpty();
    assertThat(p.duration()).isCloseTo(2.0, within(0.2));
  }

  @Test
  void snapshot_oneFrame_andIntervalFrames_areImagesOfTheAskedSize() throws Exception {
    JobStatus done =
        client
            .submit(
                fromClip()
                    .then(
                        Snapshot.builder()
                            .at(Duration.ofSeconds(1))
                            .format(ImageFormat.JPG)
                            .size(320, 240)
                            .build())
                    .saveAs("media", "out/cover.jpg")
                    .then(
                        Snapshot.builder()
                            .every(Duration.ofSeconds(1), 5)
                            .format(ImageFormat.PNG)
                            .size(100, 100)
                            .fit(FitMode.CROP)
                            .build())
                    .saveAs("media", "out/frames/f-{index}.png")
                    .build())
            .await(WAIT);

    Media.Probe cover = Media.probe(file("out/cover.jpg"));
    assertThat(cover.videoCodec()).isEqualTo("mjpeg");
    assertThat(List.of(cover.width(), cover.height())).containsExactly(320, 240);
    // a 3 s clip holds frames at 0, 1 and 2 s: three of the five asked for
    assertThat(done.outputs().get(1).objects())
        .extracting(MediaObject::key)
        .containsExactly("out/frames/f-1.png", "out/frames/f-2.png", "out/frames/f-3.png");
    for (int i = 1; i <= 3; i++) {
      Media.Probe f = Media.probe(file("out/frames/f-" + i + ".png"));
      assertThat(f.videoCodec()).isEqualTo("png");
      assertThat(List.of(f.width(), f.height())).containsExactly(100, 100);
    }
  }

  @Test
  void animation_gifAndAnimatedWebp() throws Exception {
    client
        .submit(
            fromClip()
                .then(
                    Animation.builder()
                        .format(AnimationFormat.GIF)
                        .width(160)
                        .duration(Duration.ofSeconds(2))
                        .fps(5)
                        .build())
                .saveAs("media", "out/a.gif")
                .then(
                    Animation.builder()
                        .format(AnimationFormat.WEBP)
                        .size(160, 90)
                        .duration(Duration.ofSeconds(1))
                        .interval(Duration.ofMillis(250))
                        .build())
                .saveAs("media", "out/a.webp")
                .build())
        .await(WAIT);

    Media.Probe gif = Media.probe(file("out/a.gif"));
    assertThat(gif.videoCodec()).isEqualTo("gif");
    assertThat(List.of(gif.width(), gif.height())).containsExactly(160, 90);
    assertThat(gif.frames()).isBetween(9, 11);
    // FFmpeg cannot decode animated WebP: read its RIFF chunks instead.
    byte[] webp = Files.readAllBytes(file("out/a.webp"));
    assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(new String(webp, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
    Map<String, Integer> chunks = WebpChunks.count(webp);
    assertThat(chunks).containsKeys("VP8X", "ANIM");
    assertThat(chunks.get("ANMF")).isBetween(3, 5);
  }

  @Test
  void concat_silentInputBeforeTheSource_joinsDurationsAtTheEncodingSize() throws Exception {
    client
        .submit(
            fromClip()
                .then(
                    Concat.builder()
                        .inputs(List.of(MediaObject.of("media", "in/small.mp4")))
                        .position(ConcatPosition.BEFORE)
                        .encoding(
                            Transcode.builder().container(Container.MP4).size(640, 360).build())
                        .build())
                .saveAs("media", "out/joined.mp4")
                .build())
        .await(WAIT);

    Media.Probe p = Media.probe(file("out/joined.mp4"));
    assertThat(p.duration()).isCloseTo(5.0, within(0.2));
    assertThat(List.of(p.width(), p.height())).containsExactly(640, 360);
    assertThat(p.audioCodec()).isEqualTo("aac");
  }

  @Test
  void resizeAndWatermark_onImages_andTextWatermarkOnVideo() throws Exception {
    JobStatus done =
        client
            .submit(
                Pipeline.from("media", "in/logo.png")
                    .then(
                        ImageResize.builder()
                            .size(40, 40)
                            .fit(FitMode.PAD)
                            .format(ImageFormat.WEBP)
                            .quality(70)
                            .build())
                    .saveAs("media", "out/logo.webp")
                    .then(ImageResize.builder().width(32).build())
                    .then(
                        Watermark.text("© Mediaflow: 'quoted', [brackets]; 100%")
                            .fontSize(8)
                            .color("#FF0000")
                            .gravity(Gravity.CENTER)
                            .opacity(50)
                            .build())
                    .saveAs("media", "out/logo-marked.png")
                    .build())
            .await(WAIT);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    Media.Probe webp = Media.probe(file("out/logo.webp"));
    assertThat(webp.videoCodec()).isEqualTo("webp");
    assertThat(List.of(webp.width(), webp.height())).containsExactly(40, 40);
    Media.Probe marked = Media.probe(file("out/logo-marked.png"));
    assertThat(List.of(marked.videoCodec(), marked.width(), marked.height()))
        .containsExactly("png", 32, 16);

    // an odd side survives a crop to JPEG, whose chroma is subsampled
    JobStatus cropped =
        client
            .submit(
                Pipeline.from("media", "in/logo.png")
                    .then(
                        ImageResize.builder()
                            .size(24, 13)
                            .fit(FitMode.CROP)
                            .format(ImageFormat.JPG)
                            .build())
                    .saveAs("media", "out/logo-odd.jpg")
                    .build())
            .await(WAIT);
    assertThat(cropped.state()).isEqualTo(JobState.SUCCEEDED);
    Media.Probe odd = Media.probe(file("out/logo-odd.jpg"));
    assertThat(List.of(odd.width(), odd.height())).containsExactly(24, 13);

    client
        .submit(
            fromClip()
                .then(Watermark.text("Mediaflow").gravity(Gravity.SOUTH_EAST).build())
                .saveAs("media", "out/text.mp4")
                .then(
                    Watermark.image(MediaObject.of("media", "in/logo.png"))
                        .gravity(Gravity.NORTH_WEST)
                        .opacity(60)
                        .build())
                .saveAs("media", "out/logo.mp4")
                .build())
        .await(WAIT);
    for (String key : List.of("out/text.mp4", "out/logo.mp4")) {
      Media.Probe p = Media.probe(file(key));
      assertThat(List.of(p.videoCodec(), p.audioCodec(), p.width()))
          .as(key)
          .containsExactly("h264", "aac", 640);
      assertThat(p.duration()).as(key).isCloseTo(3.0, within(0.15));
    }
  }

  @Test
  void hls_writesThePlaylistAndItsSegmentsBesideIt() throws Exception {
    JobStatus done =
        client
            .submit(
                fromClip()
                    .then(Transcode.builder().container(Container.M3U8).build())
                    .saveAs("media", "out/hls/index.m3u8")
                    .build())
            .await(WAIT);

    List<String> keys = done.outputs().get(0).objects().stream().map(MediaObject::key).toList();
    assertThat(keys).last().isEqualTo("out/hls/index.m3u8");
    assertThat(keys).contains("out/hls/index-1.ts");
    String playlist = Files.readString(file("out/hls/index.m3u8"));
    assertThat(playlist).contains("#EXT-X-ENDLIST").contains("index-1.ts");
    assertThat(Media.probe(file("out/hls/index.m3u8")).duration()).isCloseTo(3.0, within(0.2));
  }

  @Test
  void chainedSteps_passIntermediateResults_withoutLeavingFiles() throws Exception {
    client
        .submit(
            fromClip()
                .then(Transcode.builder().container(Container.MOV).width(320).build())
                .then(Snapshot.builder().at(Duration.ofSeconds(2)).format(ImageFormat.PNG).build())
                .then(ImageResize.builder().size(64, 64).fit(FitMode.STRETCH).build())
                .saveAs("media", "out/thumb.png")
                .build())
        .await(WAIT);

    Media.Probe p = Media.probe(file("out/thumb.png"));
    assertThat(List.of(p.videoCodec(), p.width(), p.height())).containsExactly("png", 64, 64);
    assertNoLeftovers();
    try (Stream<Path> s = Files.list(root.resolve("media/out"))) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("thumb.png");
    }
  }

  @Test
  void progress_isReportedWhileRunning() throws Exception {
    Files.copy(
        Media.clip(root.resolve("long.mp4"), 1280, 720, 20, true),
        root.resolve("media/in/long.mp4"));
    Job job =
        client.submit(
            Pipeline.from("media", "in/long.mp4")
                .then(
                    Transcode.builder()
                        .container(Container.MP4)
                        .videoCodec(VideoCodec.H265)
                        .build())
                .saveAs("media", "out/long.mp4")
                .build());
    java.util.Set<Integer> seen = new java.util.TreeSet<>();
    JobStatus s;
    do {
      s = job.status();
      if (s.state() == JobState.RUNNING) {
        s.progress().ifPresent(seen::add);
      }
      Thread.sleep(50);
    } while (!s.isTerminal());
    assertThat(s.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(seen).anyMatch(p -> p > 0 && p < 100);
  }

  @Test
  void cancel_stopsFfmpeg_andLeavesNoPartialOutput() throws Exception {
    Files.copy(
        Media.clip(root.resolve("long.mp4"), 1280, 720, 30, true),
        root.resolve("media/in/long.mp4"));
    Job job =
        client.submit(
            Pipeline.from("media", "in/long.mp4")
                .then(
                    Transcode.builder()
                        .container(Container.MP4)
                        .videoCodec(VideoCodec.H265)
                        .build())
                .saveAs("media", "out/long.mp4")
                .then(AudioTranscode.to(AudioFormat.MP3))
                .saveAs("media", "out/long.mp3")
                .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (job.status().progress().orElse(0) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().orElse("").endsWith("ffmpeg")))
        .isNotEmpty();

    job.cancel();

    JobStatus s = job.status();
    assertThat(s.outputs().get(0).state()).isEqualTo(JobState.CANCELLED);
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(file("out/long.mp4")).doesNotExist();
    assertThat(job.status().state()).isIn(JobState.CANCELLED, JobState.PARTIAL);
    assertNoLeftovers();
  }

  @Test
  void failingStep_failsItsOutputWithFfmpegsMessage_andTheOtherOutputSucceeds() throws Exception {
    Job job =
        client.submit(
            fromClip()
                .then(
                    Transcode.builder()
                        .container(Container.WEBM)
                        .videoCodec(VideoCodec.H265)
                        .build())
                .saveAs("media", "out/bad.webm")
                .then(AudioTranscode.to(AudioFormat.MP3))
                .saveAs("media", "out/good.mp3")
                .build());

    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(JobFailedException.class);
    JobStatus s = job.status();
    assertThat(s.state()).isEqualTo(JobState.PARTIAL);
    OutputResult bad = s.outputs().get(0);
    assertThat(bad.state()).isEqualTo(JobState.FAILED);
    assertThat(bad.vendorCode()).isEqualTo("ProcessingFailed");
    assertThat(bad.message()).contains("ffmpeg exited with code").containsIgnoringCase("webm");
    assertThat(file("out/bad.webm")).doesNotExist();
    assertThat(file("out/good.mp3")).exists();
    assertNoLeftovers();
  }

  @Test
  void missingInput_failsTheJobCleanly() throws Exception {
    Job job =
        client.submit(
            Pipeline.from("media", "in/nothing.mp4")
                .then(AudioTranscode.to(AudioFormat.MP3))
                .saveAs("media", "out/x.mp3")
                .build());

    assertThatThrownBy(() -> job.await(WAIT)).isInstanceOf(JobFailedException.class);
    OutputResult r = job.status().outputs().get(0);
    assertThat(r.vendorCode()).isEqualTo("NoSuchKey");
    assertThat(r.message()).contains("media/in/nothing.mp4");
    assertThat(file("out/x.mp3")).doesNotExist();
  }

  @Test
  void keysThatEscapeTheirBucket_areRefusedBeforeAnythingRuns() throws Exception {
    for (String key : List.of("a/../../escape.mp3", "../escape.mp3", "a//b.mp3", "./x.mp3")) {
      assertThatThrownBy(
              () ->
                  client.submit(
                      fromClip()
                          .then(AudioTranscode.to(AudioFormat.MP3))
                          .saveAs("media", key)
                          .build()))
          .as(key)
          .isInstanceOf(MediaValidationException.class)
          .hasMessageContaining("outputs[0].saveAs.key");
    }
    Path outside = Files.createDirectories(root.resolveSibling(root.getFileName() + "-outside"));
    Files.createSymbolicLink(root.resolve("media/link"), outside);
    assertThatThrownBy(
            () ->
                client.submit(
                    fromClip()
                        .then(AudioTranscode.to(AudioFormat.MP3))
                        .saveAs("media", "link/x.mp3")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(
            () ->
                client.submit(
                    Pipeline.from("media", "../in/clip.mp4")
                        .then(AudioTranscode.to(AudioFormat.MP3))
                        .saveAs("media", "x.mp3")
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("source.key");
    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s).isEmpty();
    } finally {
      Files.delete(outside);
    }
    assertThat(root.resolve(".mediaflow/jobs")).doesNotExist();
  }

  @Test
  void writeError_whenMovingResultsIntoPlace_failsCleanlyAndRemovesWhatWasMoved() throws Exception {
    LocalSettings settings =
        LocalSettings.from(
            dev.mediaflow.spi.ProviderConfig.of("local", Map.of("root", root.toString())));
    LocalStore fullDisk =
        new LocalStore(settings.root()) {
          int commits;

          @Override
          void commit(Path workFile, Path target) throws java.io.IOException {
            if (++commits == 2) {
              throw new java.io.IOException("No space left on device");
            }
            super.commit(workFile, target);
          }
        };
    try (LocalJobClient local =
        new LocalJobClient(settings, fullDisk, java.time.Clock.systemUTC())) {
      var id =
          local.submit(
              fromClip()
                  .then(Snapshot.every(Duration.ofSeconds(1), 3))
                  .saveAs("media", "out/s.jpg")
                  .build());
      JobStatus s;
      do {
        Thread.sleep(50);
        s = local.status(id);
      } while (!s.isTerminal());
      assertThat(s.state()).isEqualTo(JobState.FAILED);
      assertThat(s.outputs().get(0).vendorCode()).isEqualTo("IOError");
      assertThat(s.outputs().get(0).message()).contains("No space left on device");
    }
    assertThat(root.resolve("media/out"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    assertNoLeftovers();
  }

  @Test
  void blindWatermarkDecode_isUnsupported_beforeAnythingRuns() {
    assertThatThrownBy(
            () ->
                client.submit(
                    fromClip()
                        .then(BlindWatermarkDecode.of(WatermarkStrength.LOW, WatermarkKind.TEXT))
                        .saveAs("media", "out/x.txt")
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("local");
  }

  @Test
  void finishedJob_isReadableFromAnotherClient() throws Exception {
    JobStatus done =
        client
            .submit(
                fromClip()
                    .then(AudioTranscode.to(AudioFormat.WAV))
                    .saveAs("media", "out/x.wav")
                    .build())
            .await(WAIT);

    try (MediaClient other = client(root, Map.of())) {
      JobStatus again = other.status(done.id());
      assertThat(again.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(again.outputs().get(0).objects())
          .containsExactly(MediaObject.of("media", "out/x.wav"));
    }
  }

  @Test
  void ffmpegSetting_thatCannotRun_isAConfigErrorNamingTheKey_beforeAnyJob() throws Exception {
    Path notFfmpeg =
        Files.writeString(root.resolve("fake-ffmpeg"), "#!/bin/sh\necho broken >&2\nexit 3\n");
    notFfmpeg.toFile().setExecutable(true);
    for (String value : List.of(root.resolve("missing").toString(), notFfmpeg.toString())) {
      try (MediaClient bad = client(root, Map.of("media.local.ffmpeg", value))) {
        assertThatThrownBy(
                () ->
                    bad.submit(
                        fromClip()
                            .then(AudioTranscode.to(AudioFormat.MP3))
                            .saveAs("media", "out/x.mp3")
                            .build()))
            .as(value)
            .isInstanceOf(dev.mediaflow.MediaConfigException.class)
            .hasMessageContaining("media.local.ffmpeg");
      }
    }
    assertThat(root.resolve(".mediaflow/jobs")).doesNotExist();
  }
}
