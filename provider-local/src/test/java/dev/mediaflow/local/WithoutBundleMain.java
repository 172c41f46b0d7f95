package dev.mediaflow.local;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.time.Duration;

/**
 * Run by {@link WithoutBundleTest} in a JVM whose class path has no {@code org.bytedeco} jar: uses
 * the local provider through the public API only, with {@code media.local.ffmpeg} set when a second
 * argument is given. Prints one line: {@code bytedeco-absent}, then {@code SUCCEEDED ...} or {@code
 * CONFIG <key>: <message>}.
 */
public final class WithoutBundleMain {
  private WithoutBundleMain() {}

  public static void main(String[] args) throws Exception {
    boolean classes =
        WithoutBundleMain.class.getClassLoader().getResource("org/bytedeco/javacpp/Loader.class")
            != null;
    boolean bundle =
        WithoutBundleMain.class
                .getClassLoader()
                .getResource("org/bytedeco/ffmpeg/linux-x86_64-gpl/ffmpeg")
            != null;
    System.out.println(classes || bundle ? "bytedeco-present" : "bytedeco-absent");
    MediaConfig.Builder builder =
        MediaConfig.builder()
            .put("media.provider", "local")
            .put("media.local.root", args[0])
            .put("media.watch.initialDelay", "20ms")
            .put("media.watch.maxDelay", "100ms");
    if (args.length > 1) {
      builder.put("media.local.ffmpeg", args[1]);
    }
    MediaConfig config = builder.build();
    try {
      LocalProvider.writeSampleClip(
          config, MediaObject.of("media", "in/clip.mp4"), 320, 240, Duration.ofSeconds(1));
      try (MediaClient client = MediaClient.create(config)) {
        JobStatus done =
            client
                .submit(
                    Pipeline.from("media", "in/clip.mp4")
                        .then(
                            Snapshot.builder()
                                .at(Duration.ofMillis(500))
                                .format(ImageFormat.JPG)
                                .build())
                        .saveAs("media", "out/frame.jpg")
                        .build())
                .await(Duration.ofMinutes(1));
        System.out.println(done.state() + " " + done.outputs().get(0).objects());
      }
    } catch (MediaConfigException e) {
      System.out.println("CONFIG " + e.getMessage());
    }
  }
}
