package dev.mediaflow.internal.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadEngineTest {
  private static final MediaObject TARGET = MediaObject.of("media", "raw/in.bin");

  @TempDir Path dir;
  MemoryUploads vendor;
  CheckpointStore store;
  UploadEngine engine;

  @BeforeEach
  void setUp() {
    vendor = new MemoryUploads();
    store = CheckpointStore.inDirectory(dir.resolve("checkpoints"));
    engine = new UploadEngine("memory", vendor, store, Clock.systemUTC());
  }

  private Path file(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Path f = dir.resolve("src-" + size + ".bin");
    Files.write(f, data);
    return f;
  }

  private UploadRequest.Builder request(Path f) {
    return UploadRequest.builder(UploadSource.ofFile(f), TARGET).partSize(1000);
  }

  private byte[] stored() {
    return vendor.objects.get(TARGET.toString());
  }

  private List<Path> checkpoints() throws IOException {
    Path d = dir.resolve("checkpoints");
    if (!Files.exists(d)) {
      return List.of();
    }
    try (var s = Files.list(d)) {
      return s.toList();
    }
  }

  @Test
  void aFileThatFitsInOnePartIsOneRequest() throws IOException {
    Path f = file(1000);
    UploadResult r = engine.upload(request(f).build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(r.parts()).isEqualTo(1);
    assertThat(r.size()).isEqualTo(1000);
    assertThat(vendor.sentParts).isEmpty();
    assertThat(checkpoints()).isEmpty();
  }

  @Test
  void aLargerFileGoesInParallelPartsWithExactProgressAndNoCheckpointLeft() throws IOException {
    Path f = file(10_500);
    List<long[]> seen = new CopyOnWriteArrayList<>();
    UploadResult r =
        engine.upload(
            request(f)
                .parallelism(3)
                .listener((sent, total) -> seen.add(new long[] {sent, total}))
                .build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(r.parts()).isEqualTo(11);
    assertThat(vendor.sentParts).hasSize(11).doesNotHaveDuplicates();
    assertThat(vendor.maxInFlight.get()).isLessThanOrEqualTo(3);
    assertThat(seen).allSatisfy(p -> assertThat(p[1]).isEqualTo(10_500));
    assertThat(seen.stream().mapToLong(p -> p[0]).max().orElseThrow()).isEqualTo(10_500);
    assertThat(checkpoints()).isEmpty();
  }

  @Test
  void transientPartFailuresAreSentAgainAndProgressTakesBackTheirBytes() throws IOException {
    Path f = file(5000);
    vendor.failures.put(2, new AtomicInteger(2));
    vendor.failures.put(5, new AtomicInteger(1));
    AtomicLong last = new AtomicLong();
    UploadResult r =
        engine.upload(request(f).listener((sent, total) -> last.set(sent)).parallelism(1).build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(vendor.sentParts).filteredOn(n -> n == 2).hasSize(3);
    assertThat(last.get()).isEqualTo(5000);
    assertThat(r.checksum()).isNotEmpty();
  }

  @Test
  void anInterruptedUploadResumesWithOnlyTheMissingParts() throws IOException {
    Path f = file(8000);
    vendor.refuse.add(6);
    assertThatThrownBy(() -> engine.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class)
        .hasMessageContaining("refused part 6");
    assertThat(checkpoints()).hasSize(1);
    assertThat(vendor.aborted).isEmpty();

    vendor.refuse.clear();
    vendor.sentParts.clear();
    AtomicLong first = new AtomicLong(-1);
    UploadResult r =
        engine.upload(request(f).listener((sent, total) -> first.compareAndSet(-1, sent)).build());
    assertThat(vendor.sentParts).containsExactlyInAnyOrder(6, 7, 8);
    assertThat(r.partsResumed()).isEqualTo(5);
    assertThat(first.get()).isGreaterThanOrEqualTo(5000);
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(checkpoints()).isEmpty();
  }

  @Test
  void aChangedSourceAbortsTheOldUploadAndStartsOver() throws IOException {
    Path f = file(8000);
    vendor.refuse.add(4);
    assertThatThrownBy(() -> engine.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    vendor.refuse.clear();
    byte[] changed = Files.readAllBytes(f);
    changed[0] ^= 1;
    Files.write(f, changed);
    Files.setLastModifiedTime(
        f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    vendor.sentParts.clear();
    UploadResult r = engine.upload(request(f).build());
    assertThat(vendor.aborted).containsExactly("u1");
    assertThat(r.partsResumed()).isZero();
    assertThat(vendor.sentParts).hasSize(8);
    assertThat(stored()).isEqualTo(changed);
  }

  @Test
  void aCorruptCheckpointIsDiscardedAndTheUploadStartsOver() throws IOException {
    Path f = file(3000);
    vendor.refuse.add(2);
    assertThatThrownBy(() -> engine.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    Path cp = checkpoints().get(0);
    Files.writeString(cp, "{\"version\":1,\"uploadId\":");
    vendor.refuse.clear();
    vendor.sentParts.clear();
    UploadResult r = engine.upload(request(f).build());
    assertThat(r.partsResumed()).isZero();
    assertThat(vendor.sentParts).hasSize(3);
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void resumeFalseAbortsTheCheckpointedUpload() throws IOException {
    Path f = file(3000);
    vendor.refuse.add(3);
    assertThatThrownBy(() -> engine.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    vendor.refuse.clear();
    UploadResult r = engine.upload(request(f).resume(false).build());
    assertThat(vendor.aborted).containsExactly("u1");
    assertThat(r.partsResumed()).isZero();
  }

  @Test
  void abortRemovesTheVendorsPartsAndTheCheckpoint() throws IOException {
    Path f = file(3000);
    vendor.refuse.add(3);
    assertThatThrownBy(() -> engine.upload(request(f).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    assertThat(engine.abort(TARGET, store)).isTrue();
    assertThat(vendor.aborted).containsExactly("u1");
    assertThat(vendor.uploads).isEmpty();
    assertThat(checkpoints()).isEmpty();
    assertThat(engine.abort(TARGET, store)).isFalse();
  }

  @Test
  void withoutCheckpointsAFailedUploadIsAborted() throws IOException {
    Path f = file(3000);
    vendor.refuse.add(2);
    assertThatThrownBy(
            () ->
                engine.upload(
                    request(f).checkpoints(CheckpointStore.none()).parallelism(1).build()))
        .isInstanceOf(MediaServiceException.class);
    assertThat(vendor.aborted).containsExactly("u1");
  }

  @Test
  void aCorruptedPartIsSentAgainAndPersistentCorruptionIsReported() throws IOException {
    Path f = file(3000);
    vendor.flips.put(2, new AtomicInteger(1));
    engine.upload(request(f).build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(vendor.sentParts).filteredOn(n -> n == 2).hasSize(2);

    vendor.flips.put(3, new AtomicInteger(100));
    assertThatThrownBy(() -> engine.upload(request(f).resume(false).build()))
        .isInstanceOf(MediaIntegrityException.class)
        .hasMessageContaining("part 3")
        .satisfies(
            e ->
                assertThat(((MediaIntegrityException) e).expected())
                    .isNotEqualTo(((MediaIntegrityException) e).actual()));
  }

  @Test
  void streamsOfUnknownLengthGoInPartsWithBoundedBuffers() {
    byte[] data = new byte[9_999];
    new Random(7).nextBytes(data);
    List<long[]> seen = new ArrayList<>();
    UploadResult r =
        engine.upload(
            UploadRequest.builder(UploadSource.ofStream(new ByteArrayInputStream(data)), TARGET)
                .partSize(1000)
                .parallelism(2)
                .listener(
                    (s, t) -> {
                      synchronized (seen) {
                        seen.add(new long[] {s, t});
                      }
                    })
                .build());
    assertThat(stored()).isEqualTo(data);
    assertThat(r.parts()).isEqualTo(10);
    assertThat(r.size()).isEqualTo(9_999);
    assertThat(vendor.maxInFlight.get()).isLessThanOrEqualTo(2);
    assertThat(seen.get(seen.size() - 1)).containsExactly(9_999, 9_999);
  }

  @Test
  void aShortStreamIsOneRequestAndAStreamShorterThanItsLengthIsRefused() {
    engine.upload(
        UploadRequest.builder(UploadSource.ofStream(new ByteArrayInputStream(new byte[10])), TARGET)
            .build());
    assertThat(stored()).hasSize(10);
    assertThatThrownBy(
            () ->
                engine.upload(
                    UploadRequest.builder(
                            UploadSource.ofStream(new ByteArrayInputStream(new byte[10]), 20),
                            TARGET)
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("ended after 10 bytes");
  }

  @Test
  void aSingleRequestProviderStreamsAStreamOfUnknownLengthWithoutBufferingIt() {
    engine = new UploadEngine("memory", vendor.singleRequest(), store, Clock.systemUTC());
    byte[] data = new byte[300_000];
    new Random(9).nextBytes(data);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    AtomicLong total = new AtomicLong();
    UploadResult r =
        engine.upload(
            UploadRequest.builder(UploadSource.ofStream(new ByteArrayInputStream(data)), TARGET)
                .listener((s, t) -> total.set(t))
                .build());
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(stored()).isEqualTo(data);
    assertThat(r.size()).isEqualTo(data.length);
    assertThat(total.get()).isEqualTo(data.length);
    // The vendor's own copies are a few times the data; a buffer for the largest possible request
    // is 2 GiB.
    assertThat(allocated).isLessThan(64L << 20);

    assertThatThrownBy(
            () ->
                engine.upload(
                    UploadRequest.builder(
                            UploadSource.ofStream(new ByteArrayInputStream(new byte[10]), 20),
                            TARGET)
                        .build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("ended after 10 bytes");
  }

  @Test
  void partSizesOutsideTheProvidersBoundsAreRefusedAndTooManyPartsGrowThePartSize()
      throws IOException {
    vendor.minPart = 500;
    Path f = file(5000);
    assertThatThrownBy(() -> engine.upload(request(f).partSize(100).build()))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("partSize");
    vendor.minPart = 1;
    vendor.maxParts = 3;
    UploadResult r = engine.upload(request(f).partSize(1000).build());
    assertThat(r.parts()).isEqualTo(1); // grown to a 1 MiB part
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
  }

  @Test
  void aSingleRequestProviderGetsAFileLargerThanAPartInOneRequest() throws IOException {
    engine = new UploadEngine("memory", vendor.singleRequest(), store, Clock.systemUTC());
    Path f = file(5000);
    UploadResult r = engine.upload(request(f).partSize(1000).build());
    assertThat(stored()).isEqualTo(Files.readAllBytes(f));
    assertThat(r.parts()).isEqualTo(1);
    assertThat(r.checksumAlgorithm()).isEqualTo("sha256");
    assertThat(r.checksum()).isEqualTo(MemoryUploads.sha(Files.readAllBytes(f)));
    assertThat(vendor.uploads).isEmpty();
    assertThat(vendor.sentParts).isEmpty();
    assertThat(checkpoints()).isEmpty();
    assertThat(engine.abort(TARGET, store)).isFalse();
  }

  @Test
  void aCheckpointThatCannotBeSaved_failsTheUploadWithAMediaClientException() throws IOException {
    Path f = file(5000);
    Path notADirectory = file(10);
    assertThatThrownBy(
            () ->
                engine.upload(
                    request(f).checkpoints(CheckpointStore.inDirectory(notADirectory)).build()))
        .isInstanceOf(MediaClientException.class)
        .hasMessageContaining("checkpoint");

    CheckpointStore broken =
        new CheckpointStore() {
          @Override
          public Optional<String> load(String id) {
            return Optional.empty();
          }

          @Override
          public void save(String id, String json) {
            throw new UncheckedIOException(new IOException("disk full"));
          }

          @Override
          public void delete(String id) {}
        };
    assertThatThrownBy(() -> engine.upload(request(f).checkpoints(broken).build()))
        .isInstanceOf(MediaClientException.class)
        .hasMessageContaining("disk full")
        .hasCauseInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aStreamThatFailsToRead_failsWithAMediaClientException() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    assertThatThrownBy(
            () ->
                engine.upload(
                    UploadRequest.builder(UploadSource.ofStream(failing), TARGET).build()))
        .isInstanceOf(MediaClientException.class)
        .hasMessageContaining("connection reset")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aMissingFileIsAValidationError() {
    assertThatThrownBy(() -> UploadSource.ofFile(dir.resolve("nope.bin")))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("nope.bin");
  }
}
