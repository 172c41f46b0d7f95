package dev.mediaflow.upload;

import dev.mediaflow.MediaClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints as {@code <id>.json} files in one folder, written atomically (temporary file, then
 * rename). I/O failures are thrown as {@link MediaClientException}.
 */
final class FileCheckpointStore implements CheckpointStore {
  private final Path dir;

  FileCheckpointStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  @Override
  public Optional<String> load(String id) {
    try {
      return Optional.of(Files.readString(file(id), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot read the upload checkpoint " + file(id) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(String id, String json) {
    Path target = file(id);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + id, ".tmp");
      try {
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot write the upload checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String id) {
    try {
      Files.deleteIfExists(file(id));
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot delete the upload checkpoint " + file(id) + ": " + e.getMessage(), e);
    }
  }

  private Path file(String id) {
    if (!id.matches("[A-Za-z0-9_-]{1,128}")) {
      throw new IllegalArgumentException("not a checkpoint id: " + id);
    }
    return dir.resolve(id + ".json");
  }

  @Override
  public String toString() {
    return "CheckpointStore.inDirectory(" + dir + ")";
  }
}
