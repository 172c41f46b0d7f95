package dev.mediaflow.local;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Local uploads: the source is streamed into a work file while its SHA-256 is computed, then moved into
 * place atomically, so a reader never sees a partial object. One request per object (no parts to resume:
 * a local copy is as fast as reading the source). The SHA-256 is read back from the stored file.
 */
final class LocalUploads implements UploadProtocol {
  private final LocalStore store;

  LocalUploads(LocalStore store) {
    this.store = store;
  }

  @Override
  public String checksumAlgorithm() {
    return "sha256";
  }

  @Override
  public long defaultPartSize() {
    return Long.MAX_VALUE / 2;
  }

  @Override
  public long minPartSize() {
    return 1;
  }

  @Override
  public long maxPartSize() {
    return Long.MAX_VALUE;
  }

  @Override
  public int maxParts() {
    return 1;
  }

  @Override
  public PartHasher hasher() {
    Hasher h = Hashing.sha256().newHasher();
    return new PartHasher() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        h.putBytes(bytes, offset, length);
      }

      @Override
      public String finish() {
        return h.hash().toString();
      }
    };
  }

  @Override
  public String combine(List<UploadedPart> parts) {
    if (parts.size() != 1) {
      throw new IllegalArgumentException("local uploads have one part");
    }
    return parts.get(0).digest();
  }

  @Override
  public StoredObject put(UploadTarget target, PartBody body) {
    if (target.callback().isPresent()) {
      throw new UnsupportedMediaOperationException("local", "upload", "callback", "the local provider makes no upload callbacks");
    }
    Path file = store.resolve(target.object(), "target");
    try {
      Files.createDirectories(store.workRoot());
      Path work = Files.createTempFile(store.workRoot(), "upload-", ".part");
      try {
        try (OutputStream out = Files.newOutputStream(work)) {
          body.writeTo(out);
        }
        String stored = com.google.common.io.MoreFiles.asByteSource(work).hash(Hashing.sha256()).toString();
        store.commit(work, file);
        return new StoredObject("\"" + stored + "\"", Optional.of(stored), Optional.empty(), Optional.empty());
      } finally {
        Files.deleteIfExists(work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + target.object() + " in " + file, e);
    }
  }

  @Override
  public String initiate(UploadTarget target) {
    throw new IllegalStateException("local uploads are single requests");
  }

  @Override
  public UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body) {
    throw new IllegalStateException("local uploads are single requests");
  }

  @Override
  public Optional<List<UploadedPart>> listParts(UploadTarget target, String uploadId) {
    return Optional.empty();
  }

  @Override
  public StoredObject complete(UploadTarget target, String uploadId, List<UploadedPart> parts, String expectedChecksum) {
    throw new IllegalStateException("local uploads are single requests");
  }

  @Override
  public void abort(UploadTarget target, String uploadId) {}
}
