package dev.mediaflow.upload;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where resumable uploads keep their checkpoints: which upload the vendor holds and which parts it
 * has stored. A checkpoint is a small JSON document under an opaque id (derived from provider
 * instance, bucket and key); it records the source's fingerprint, so a changed source is never
 * resumed. Implementations must be thread-safe and should write atomically; a checkpoint that
 * cannot be read is discarded and the upload starts over. An implementation reports an I/O failure
 * as a {@link dev.mediaflow.MediaClientException} (an {@link java.io.UncheckedIOException} is
 * wrapped in one): one that cannot be saved fails the upload.
 */
public interface CheckpointStore {
  /** Returns the checkpoint saved under {@code id}, if any. */
  Optional<String> load(String id);

  /** Saves {@code json} under {@code id}, replacing what was there. */
  void save(String id, String json);

  /** Removes the checkpoint under {@code id}; removing a missing one does nothing. */
  void delete(String id);

  /** Keeps checkpoints as files in {@code dir}, created when first needed. */
  static CheckpointStore inDirectory(Path dir) {
    return new FileCheckpointStore(dir);
  }

  /** Keeps no checkpoints: an interrupted upload cannot be resumed, and its parts are aborted. */
  static CheckpointStore none() {
    return NoCheckpoints.INSTANCE;
  }

  /**
   * The default folder: {@code media.upload.checkpointDir}, else {@code ~/.mediaflow/checkpoints}.
   */
  static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".mediaflow", "checkpoints");
  }
}

enum NoCheckpoints implements CheckpointStore {
  INSTANCE;

  @Override
  public Optional<String> load(String id) {
    return Optional.empty();
  }

  @Override
  public void save(String id, String json) {}

  @Override
  public void delete(String id) {}

  @Override
  public String toString() {
    return "CheckpointStore.none()";
  }
}
