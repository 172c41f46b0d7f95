package dev.mediaflow.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;

/**
 * The parts of multipart uploads on disk, {@code <dir>/<uploadId>/<partNumber>}, written
 * atomically, so a fake never holds a large upload in memory. Thread-safe.
 */
public final class PartFiles {
  private final Path dir;

  /**
   * @param dir the folder the uploads' folders go in (created on first write)
   */
  public PartFiles(Path dir) {
    this.dir = dir;
  }

  /** Stores part {@code number} of {@code uploadId}, replacing a part sent before. */
  public void write(String uploadId, int number, byte[] data) {
    writeAtomically(file(uploadId, number), data);
  }

  /** Returns the file that holds part {@code number} of {@code uploadId}. */
  public Path file(String uploadId, int number) {
    return dir.resolve(uploadId).resolve(String.valueOf(number));
  }

  /** Appends part {@code number} to {@code out}; returns its length. */
  public long copy(String uploadId, int number, OutputStream out) throws IOException {
    return Files.copy(file(uploadId, number), out);
  }

  /** Removes every part of {@code uploadId}. */
  public void delete(String uploadId) {
    deleteTree(dir.resolve(uploadId));
  }

  /**
   * Writes {@code data} to {@code file} through a temporary file beside it, so readers see all or
   * nothing.
   */
  public static void writeAtomically(Path file, byte[] data) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".part-", ".tmp");
      Files.write(tmp, data);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Deletes {@code root} and everything under it, as far as it can. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
