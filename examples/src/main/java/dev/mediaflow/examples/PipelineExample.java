package dev.mediaflow.examples;

import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import java.time.Duration;

/**
 * Builds the README's pipeline with the fluent API and prints its JSON spec, which {@code mediaflow
 * render} and {@code mediaflow submit} take. Uses the public API only.
 */
public final class PipelineExample {
  private PipelineExample() {}

  public static void main(String[] args) {
    Pipeline pipeline =
        Pipeline.from("media", "raw/intro.mov")
            .then(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .size(1280, 720)
                    .videoBitrate(2_000_000)
                    .fps(30)
                    .audioCodec(AudioCodec.AAC)
                    .audioBitrate(128_000)
                    .build())
            .saveAs("media", "out/intro-720p.mp4")
            .then(
                Snapshot.builder()
                    .at(Duration.ofSeconds(10))
                    .format(ImageFormat.JPG)
                    .size(320, 240)
                    .build())
            .saveAs("media", "out/cover.jpg")
            .notifyUrl("https://hooks.example.com/media")
            .queue("video-pipeline")
            .force(true)
            .build();
    System.out.println(PipelineSpec.toJson(pipeline));
  }
}
