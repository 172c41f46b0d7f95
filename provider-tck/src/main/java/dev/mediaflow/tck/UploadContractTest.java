package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload contract every provider with an upload facet passes: one request and multipart with
 * verified checksums, random part faults, corrupted parts, resume, abort and streams. Vendor facts
 * come from the {@link UploadFixture}; tests that need multipart or injected faults are skipped
 * when the fixture declares it has none, and only then.
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

  private UploadRequest.Builder request(Path f) {
    return UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(fixture().partSize());
  }

  private byte[] stored() {
    return fixture().service().get(TARGET).orElseThrow();
  }

  private long parts(List<String> log) {
    return log.stream().map(FakeService::request).filter(fixture().part(0)).count();
  }

  private List<String> since(int start) {
    List<String> log = fixture().service().requests();
    return log.subList(start, log.size());
  }

  private void requireMultipart() {
    assumeTrue(fixture().multipart(), "the provider does not upload in parts");
  }

  private void requireFaults() {
    requireMultipart();
    assumeTrue(fixture().service().injectsFaults(), "the service injects no faults");
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
  public void aLargeFile_isAParallelMultipartUpload_whoseChecksumMatches() throws IOException {
    requireMultipart();
    int part = fixture().partSize();
    Path f = file(5 * part + 777, 2);
    int start = fixture().service().requests().size();
    AtomicLong last = new AtomicLong();
    UploadResult r =
        media.upload(
            request(f)
                .parallelism(3)
                .listener((s, t) -> last.accumulateAndGet(s, Math::max))
                .build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.parts()).isEqualTo(6);
    assertThat(parts(since(start))).isEqualTo(6);
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, part));
    assertThat(last.get()).isEqualTo(data.length);
    assertThat(fixture().service().openUploads()).isEmpty();
  }

  @Test
  public void randomPartFaults_stillStoreTheSource_withOneCompletion() throws IOException {
    requireFaults();
    int part = fixture().partSize();
    Path f = file(12 * part + 5, 3);
    int start = fixture().service().requests().size();
    fixture()
        .service()
        .injectRandomly(
            fixture().part(0),
            0.3,
            42,
            WireFault.UNAVAILABLE,
            WireFault.SERVER_ERROR,
            WireFault.DROP);
    UploadResult r = media.upload(request(f).parallelism(4).build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(r.parts()).isEqualTo(13);
    List<String> log = since(start);
    assertThat(log)
        .anyMatch(l -> fixture().part(0).test(FakeService.request(l)) && !l.endsWith(" 200"));
    assertThat(
            log.stream()
                .filter(
                    l -> fixture().completion().test(FakeService.request(l)) && l.endsWith(" 200")))
        .hasSize(1);
    assertThat(fixture().service().openUploads()).isEmpty();
  }

  @Test
  public void aPartCorruptedOnce_isSentAgain_andOneAlwaysCorrupted_isAnIntegrityError()
      throws IOException {
    requireFaults();
    Path f = file(3 * fixture().partSize(), 4);
    int start = fixture().service().requests().size();
    fixture().service().inject(fixture().part(2), WireFault.CORRUPT, 1);
    UploadResult r = media.upload(request(f).build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(since(start))
        .anyMatch(l -> fixture().part(2).test(FakeService.request(l)) && l.contains(" corrupted "));
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, fixture().partSize()));

    fixture().service().injectRandomly(fixture().part(2), 1.0, 1, WireFault.CORRUPT);
    assertThatThrownBy(() -> media.upload(request(f).checkpoints(CheckpointStore.none()).build()))
        .isInstanceOf(MediaIntegrityException.class)
        .hasMessageContaining("part 2 of " + TARGET)
        .hasMessageContaining(fixture().partChecksumAlgorithm());
    assertThat(fixture().service().openUploads()).isEmpty();
  }

  @Test
  public void anInterruptedUpload_resumesWithTheMissingPartsOnly_andAbortLeavesNothingOpen()
      throws IOException {
    requireFaults();
    int part = fixture().partSize();
    Path f = file(6 * part, 5);
    fixture().service().injectRandomly(fixture().part(4), 1.0, 1, WireFault.REFUSED);
    assertThatThrownBy(() -> media.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    assertThat(fixture().service().openUploads()).hasSize(1);
    fixture().service().clearFaults();

    int start = fixture().service().requests().size();
    UploadResult r = media.upload(request(f).parallelism(2).build());
    assertThat(parts(since(start))).isEqualTo(3);
    assertThat(r.partsResumed()).isEqualTo(3);
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, part));
    assertThat(fixture().service().openUploads()).isEmpty();

    fixture().service().injectRandomly(fixture().part(2), 1.0, 1, WireFault.REFUSED);
    assertThatThrownBy(() -> media.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    assertThat(fixture().service().openUploads()).hasSize(1);
    assertThat(media.abortUpload(TARGET)).isTrue();
    assertThat(fixture().service().openUploads()).isEmpty();
  }

  @Test
  public void aLostCompletionAnswer_isSettledByTheStoredObject() throws IOException {
    requireFaults();
    int part = fixture().partSize();
    Path f = file(3 * part + 1, 6);
    fixture().service().inject(fixture().completion(), WireFault.DROP_AFTER_PROCESSING, 1);
    UploadResult r = media.upload(request(f).build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, part));
    assertThat(fixture().service().openUploads()).isEmpty();
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
