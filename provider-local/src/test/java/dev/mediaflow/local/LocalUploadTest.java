package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload API on the local provider: atomic writes, SHA-256, progress, processing after the
 * upload.
 */
class LocalUploadTest {
  @TempDir Path root;
  @TempDir Path src;

  @Test
  void filesAndStreamsAreStoredAtomicallyWithTheirSha256() throws Exception {
    byte[] data = new byte[3_000_000];
    new Random(1).nextBytes(data);
    Path f = src.resolve("in.bin");
    Files.write(f, data);
    try (MediaClient media = LocalProviderTest.client(root, Map.of())) {
      AtomicLong sent = new AtomicLong();
      UploadResult r =
          media.upload(
              UploadRequest.builder(UploadSource.ofFile(f), MediaObject.of("media", "raw/in.bin"))
                  .listener((s, t) -> sent.set(s))
                  .build());
      assertThat(Files.readAllBytes(root.resolve("media/raw/in.bin"))).isEqualTo(data);
      assertThat(r.checksumAlgorithm()).isEqualTo("sha256");
      assertThat(r.checksum())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
      assertThat(sent.get()).isEqualTo(data.length);
      try (var work = Files.list(root.resolve(LocalStore.WORK_DIR).resolve("work"))) {
        assertThat(work).isEmpty();
      }

      UploadResult s =
          media.upload(
              UploadRequest.builder(
                      UploadSource.ofStream(new ByteArrayInputStream("hi".getBytes())),
                      MediaObject.of("media", "raw/hi.txt"))
                  .build());
      assertThat(Files.readString(root.resolve("media/raw/hi.txt"))).isEqualTo("hi");
      assertThat(s.size()).isEqualTo(2);

      UploadResult unknown =
          media.upload(
              UploadRequest.builder(
                      UploadSource.ofStream(new ByteArrayInputStream(data)),
                      MediaObject.of("media", "raw/stream.bin"))
                  .build());
      assertThat(Files.readAllBytes(root.resolve("media/raw/stream.bin"))).isEqualTo(data);
      assertThat(unknown.size()).isEqualTo(data.length);
      assertThat(unknown.checksum()).isEqualTo(r.checksum());
      assertThatThrownBy(
              () ->
                  media.upload(
                      UploadRequest.builder(
                              UploadSource.ofStream(
                                  new ByteArrayInputStream(data), data.length + 1L),
                              MediaObject.of("media", "raw/short.bin"))
                          .build()))
          .isInstanceOf(MediaValidationException.class)
          .hasMessageContaining("ended after " + data.length + " bytes");
      assertThat(root.resolve("media/raw/short.bin")).doesNotExist();

      assertThatThrownBy(
              () ->
                  media.upload(
                      UploadRequest.builder(
                              UploadSource.ofBytes(new byte[1]),
                              MediaObject.of("media", "../escape"))
                          .build()))
          .isInstanceOf(MediaValidationException.class);
    }
  }

  @Test
  void aPipelineAskedForRunsOnTheUploadedObject() throws Exception {
    Path clip = Media.clip(src.resolve("clip.mp4"), 320, 240, 2, false);
    MediaObject target = MediaObject.of("media", "raw/clip.mp4");
    Pipeline cover =
        Pipeline.from(target)
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "out/cover.jpg")
            .build();
    try (MediaClient media = LocalProviderTest.client(root, Map.of())) {
      UploadResult r =
          media.upload(
              UploadRequest.builder(UploadSource.ofFile(clip), target).process(cover).build());
      assertThat(r.job()).isPresent();
      assertThat(media.job(r.job().get()).await(Duration.ofSeconds(60)).state())
          .isEqualTo(JobState.SUCCEEDED);
      assertThat(Files.size(root.resolve("media/out/cover.jpg"))).isPositive();
    }
  }
}
