package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The upload contract of a provider that uploads large files in parts over HTTP, on a fake service
 * that injects faults: parallel multipart with a combined checksum, random part faults, corrupted
 * parts, resume with the missing parts only, abort, and a lost completion answer settled by the
 * stored object. Extends {@link UploadContractTest}, so such a provider passes both.
 */
public abstract class MultipartUploadContractTest extends UploadContractTest {
  @Test
  public void aLargeFile_isAParallelMultipartUpload_whoseChecksumMatches() throws IOException {
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
    int part = fixture().partSize();
    Path f = file(3 * part + 1, 6);
    fixture().service().inject(fixture().completion(), WireFault.DROP_AFTER_PROCESSING, 1);
    UploadResult r = media.upload(request(f).build());
    byte[] data = Files.readAllBytes(f);
    assertThat(stored()).isEqualTo(data);
    assertThat(r.checksum()).isEqualTo(fixture().checksum(data, part));
    assertThat(fixture().service().openUploads()).isEmpty();
  }
}
