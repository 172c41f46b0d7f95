package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real execution: Mediaflow submits OSS styles to the fake server, and FFmpeg (through the local
 * provider) makes the files.
 */
class OssLocalExecutionTest {
  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder().executor(new LocalExecutor(Duration.ofMinutes(2))).build();

  @Test
  void stylesRunForReal() throws Exception {
    LocalProvider.writeSampleClip(
        MediaConfig.builder().put("media.local.root", oss.dataDir().toString()).build(),
        MediaObject.of("media", "in/clip.mp4"),
        320,
        240,
        Duration.ofSeconds(2));
    Pipeline p =
        Pipeline.from("media", "in/clip.mp4")
            .then(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .size(160, 120)
                    .videoBitrate(200_000)
                    .build())
            .saveAs("media", "out/small.mp4")
            .then(
                Snapshot.builder()
                    .at(Duration.ofSeconds(1))
                    .size(160, 120)
                    .format(ImageFormat.JPG)
                    .build())
            .saveAs("media", "out/frame.jpg")
            .then(AudioTranscode.builder().format(AudioFormat.MP3).bitrate(64_000).build())
            .saveAs("media", "out/a.mp3")
            .then(RawOperation.of("oss", "video/sprite,f_jpg,sw_100,sh_100,inter_10000"))
            .saveAs("media", "out/sprite.jpg")
            .build();
    try (MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(true)))) {
      JobStatus end = media.submit(p).future().get(2, TimeUnit.MINUTES);
      assertThat(end.outputs().get(0).state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs().get(1).state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs().get(2).state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs().get(3).state()).isEqualTo(JobState.FAILED);
      assertThat(end.outputs().get(3).message()).contains("video/sprite");
      assertThat(end.state()).isEqualTo(JobState.PARTIAL);
      byte[] mp4 = oss.objects().get("media", "out/small.mp4").orElseThrow();
      assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
      byte[] jpg = oss.objects().get("media", "out/frame.jpg").orElseThrow();
      assertThat(jpg[0] & 0xff).isEqualTo(0xFF);
      assertThat(jpg[1] & 0xff).isEqualTo(0xD8);
      assertThat(oss.objects().get("media", "out/a.mp3").orElseThrow().length).isGreaterThan(1000);

      JobStatus thumb =
          media
              .submit(
                  Pipeline.from("media", "out/frame.jpg")
                      .then(
                          ImageResize.builder()
                              .size(80, 60)
                              .fit(FitMode.CROP)
                              .format(ImageFormat.PNG)
                              .build())
                      .saveAs("media", "out/thumb.png")
                      .build())
              .await(Duration.ofMinutes(1));
      assertThat(thumb.state()).isEqualTo(JobState.SUCCEEDED);
      byte[] png = oss.objects().get("media", "out/thumb.png").orElseThrow();
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
  }
}
