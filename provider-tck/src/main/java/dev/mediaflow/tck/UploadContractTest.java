package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload contract every provider with an upload facet passes: a file in one request with the
 * vendor's checksum, and a stream of unknown length. A provider that uploads in parts over HTTP
 * passes {@link MultipartUploadContractTest} too. Vendor facts come from the {@link UploadFixture}.
 */
public abstract class UploadContractTest {
  /** Where the contract uploads to: a key that needs escaping. */
  protected static final MediaObject TARGET = MediaObject.of("media", "up/big file+1.bin");

  /** A folder for source files and checkpoints, new for each test. */
  @TempDir protected Path dir;

  /** A client pointed at the fixture's service, with checkpoints under {@link #dir}. */
  protected MediaClient media;

  /** Returns the fixture of the provider under test. */
  protected abstract UploadFixture fixture();

  @BeforeEach
  protected void openClient() {
    media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(fixture().service().clientSettings()))
            .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20)))
            .checkpoints(CheckpointStore.inDirectory(dir.resolve("checkpoints")))
            .build();
  }

  @AfterEach
  protected void closeClient() {
    if (fixture().service().injectsFaults()) {
      fixture().service().clearFaults();
    }
    media.close();
  }

  /** Writes {@code size} random bytes from {@code seed} to a file. */
  protected Path file(int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Path f = dir.resolve("source-" + size + "-" + seed + ".bin");
    Files.write(f, data);
    return f;
  }

  protected UploadRequest.Builder request(Path f) {
    return UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(fixture().partSize());
  }

  protected byte[] stored() {
    return fixture().service().get(TARGET).orElseThrow();
  }

  protected long parts(List<String> log) {
    return log.stream().map(FakeService::request).filter(fixture().part(0)).count();
  }

  protected List<String> since(int start) {
    List<String> log = fixture().service().requests();
    return log.subList(start, log.size());
  }

  @Test
  public void aSmallFile_isOneRequest_withTheVendorsChecksum() throws IOException {
    Path f = file(fixture().partSize() / 2, 1);
    int start = fixture().service().requests().size();
    UploadResult r = media.upload(request(f).contentType("application/octet-stream").build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.parts()).isEqualTo(1);
    assertThat(r.size()).isEqualTo(data.length);
    assertThat(r.checksumAlgorithm()).isEqualTo(fixture().checksumAlgorithm());
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, 0));
    assertThat(parts(since(start))).isZero();
  }

  @Test
  public void aStreamOfUnknownLength_isStored() {
    int part = fixture().partSize();
    byte[] data = new byte[3 * part + 10];
    new Random(7).nextBytes(data);
    UploadResult r =
        media.upload(
            UploadRequest.builder(UploadSource.ofStream(new ByteArrayInputStream(data)), TARGET)
                .partSize(part)
                .build());
    assertThat(stored()).isEqualTo(data);
    assertThat(r.size()).isEqualTo(data.length);
    assertThat(r.parts()).isEqualTo(fixture().multipart() ? 4 : 1);
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, fixture().multipart() ? part : 0));
  }
}
