package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobState;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A '%' in a key reaches FFmpeg as a name, never as a frame-number pattern ({@code a%d.jpg}). */
class PercentKeysTest {
  @TempDir Path root;

  @Test
  void stillImages_withPercentPatternsInTheirNames_areProcessedAndProbed() throws Exception {
    MediaConfig config = MediaConfig.builder().put("media.local.root", root.toString()).build();
    Path source = root.resolve("media/photos/frame%d.png");
    Files.createDirectories(source.getParent());
    ImageIO.write(new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB), "png", source.toFile());
    MediaObject photo = MediaObject.of("media", "photos/frame%d.png");
    try (MediaClient media = MediaClient.create(config)) {
      assertThat(
              media
                  .submit(
                      Pipeline.from(photo)
                          .then(ImageResize.builder().width(50).build())
                          .saveAs("media", "out/100%d.png")
                          .build())
                  .await(Duration.ofMinutes(1))
                  .state())
          .isEqualTo(JobState.SUCCEEDED);
      BufferedImage out = ImageIO.read(root.resolve("media/out/100%d.png").toFile());
      assertThat(out.getWidth()).isEqualTo(50);
      assertThat(media.probe(photo).image().orElseThrow().width()).isEqualTo(200);
    }
  }
}
