package dev.mediaflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real job (the bundled FFmpeg) and an upload on the local provider, recorded in Micrometer. */
class MicrometerLocalTest {
  @TempDir Path root;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TestObservationRegistry observations = TestObservationRegistry.create();
  private final Tagged tagged = new Tagged();
  private MediaClient media;

  @BeforeEach
  void setUp() throws Exception {
    observations.observationConfig().observationHandler(tagged);
    Path in = Files.createDirectories(root.resolve("media/in")).resolve("family-photo.png");
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    ImageIO.write(image, "png", in.toFile());
    media =
        MediaClient.builder()
            .config(
                MediaConfig.builder()
                    .put("media.provider", "local")
                    .put("media.local.root", root.toString())
                    .put("media.watch.initialDelay", "20ms")
                    .put("media.watch.maxDelay", "100ms")
                    .build())
            .jobStore(JobStore.none())
            .observer(new MicrometerMediaObserver(meters, observations))
            .build();
  }

  @AfterEach
  void tearDown() {
    media.close();
  }

  @Test
  void aLocalJobAndUpload_areRecorded_withTheLocalProvider() {
    Job job =
        media.submit(
            Pipeline.from("media", "in/family-photo.png")
                .then(ImageResize.builder().width(32).build())
                .saveAs("media", "out/family-photo-small.png")
                .build());
    assertThat(job.await(Duration.ofMinutes(2)).state()).isEqualTo(JobState.SUCCEEDED);
    media.upload(
        UploadRequest.builder(
                UploadSource.ofBytes(new byte[5_000]), MediaObject.of("media", "up/family.bin"))
            .build());

    assertThat(
            meters
                .get("mediaflow.jobs.submitted")
                .tags("provider", "local", "instance", "local", "outcome", "success")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.jobs.ended")
                .tags("provider", "local", "state", "succeeded")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("mediaflow.jobs.duration").tag("state", "succeeded").timer().count())
        .isEqualTo(1);
    assertThat(meters.get("mediaflow.jobs.polls").tag("provider", "local").counter().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            meters.get("mediaflow.upload.bytes").tag("provider", "local").summary().totalAmount())
        .isEqualTo(5_000);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.job.submit")
        .that()
        .hasLowCardinalityKeyValue("provider", "local")
        .hasBeenStopped();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.upload")
        .that()
        .hasLowCardinalityKeyValue("instance", "local")
        .hasBeenStopped();
    assertThat(tagged.values(meters))
        .isNotEmpty()
        .noneMatch(v -> v.contains("family"))
        .noneMatch(v -> v.contains(job.id().vendorId()))
        .noneMatch(v -> v.contains(root.toString()));
  }
}
