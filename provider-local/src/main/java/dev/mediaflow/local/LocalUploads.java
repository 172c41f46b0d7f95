package dev.mediaflow.local;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Local uploads: the source is streamed into a work file while its SHA-256 is computed, then moved
 * into place atomically, so a reader never sees a partial object. One request per object, so this
 * is not a multipart protocol (no parts to resume: a local copy is as fast as reading the source).
 * The SHA-256 is read back from the stored file.
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
  public PartHasher hasher() {
    MessageDigest md = sha256();
    return new PartHasher() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        md.update(bytes, offset, length);
      }

      @Override
      public String finish() {
        return HexFormat.of().formatHex(md.digest());
      }
    };
  }

  @Override
  public StoredObject put(UploadTarget target, PartBody body) {
    if (target.callback().isPresent()) {
      throw new UnsupportedMediaOperationException(
          "local", "upload", "callback", "the local provider makes no upload callbacks");
    }
    Path file = store.resolve(target.object(), "target");
    try {
      Files.createDirectories(store.workRoot());
      Path work = Files.createTempFile(store.workRoot(), "upload-", ".part");
      try {
        try (OutputStream out = Files.newOutputStream(work)) {
          body.writeTo(out);
        }
        String stored = sha256(work);
        store.commit(work, file);
        return StoredObject.of("\"" + stored + "\"", stored);
      } finally {
        Files.deleteIfExists(work);
      }
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot store " + target.object() + " in " + file + ": " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The SHA-256 of {@code file}, read back from disk. */
  private static String sha256(Path file) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
