package dev.mediaflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A fake server's objects: files under {@code <root>/<bucket>/<key>}, the layout the local provider
 * reads, so a fake server and {@code media.local.root} can share a folder. Writes are atomic.
 * Thread-safe.
 */
public final class FakeObjects {
  private final Path root;

  FakeObjects(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Returns the folder whose sub-folders are buckets. */
  public Path root() {
    return root;
  }

  /** Stores {@code data} as {@code key} in {@code bucket}, replacing what was there. */
  public void put(String bucket, String key, byte[] data) {
    Path file = file(bucket, key);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".upload-", ".tmp");
      Files.write(tmp, data);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + bucket + "/" + key, e);
    }
  }

  /** Returns the object's bytes, or empty when there is none. */
  public Optional<byte[]> get(String bucket, String key) {
    Path file = file(bucket, key);
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + bucket + "/" + key, e);
    }
  }

  public boolean exists(String bucket, String key) {
    return Files.isRegularFile(file(bucket, key));
  }

  /**
   * Returns the file that holds {@code key}.
   *
   * @throws IllegalArgumentException for a bucket or key that cannot be a file under the root
   *     (empty, "." or ".." segments, NUL)
   */
  public Path file(String bucket, String key) {
    if (bucket == null || !bucket.matches("[A-Za-z0-9_-]{1,63}")) {
      throw new IllegalArgumentException("not a bucket name: " + bucket);
    }
    if (key == null || key.isEmpty() || key.startsWith("/") || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "this fake server cannot store the key \"" + key + "\" as a file");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "this fake server cannot store the key \"" + key + "\" as a file");
      }
    }
    Path file = root.resolve(bucket).resolve(key).normalize();
    if (!file.startsWith(root.resolve(bucket))) {
      throw new IllegalArgumentException("key escapes its bucket: " + key);
    }
    return file;
  }
}
