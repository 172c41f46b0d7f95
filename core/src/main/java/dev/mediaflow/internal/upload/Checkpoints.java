package dev.mediaflow.internal.upload;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.upload.CheckpointStore;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes one provider instance's {@link Checkpoint}s in a {@link CheckpointStore}: a
 * checkpoint that cannot be read or is corrupt is discarded (the upload starts over); one that
 * cannot be written fails the upload with a {@link MediaClientException}.
 */
final class Checkpoints {
  private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final String instance;

  Checkpoints(String instance) {
    this.instance = instance;
  }

  String instance() {
    return instance;
  }

  /**
   * The checkpoint id of an upload to {@code target}: the first 40 hex digits of a SHA-256 of
   * instance, bucket and key.
   */
  String id(UploadTarget target) {
    String name = instance + "\n" + target.object().bucket() + "\n" + target.object().key();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Returns the valid checkpoint saved under {@code id}; one that cannot be read or parsed counts
   * as none.
   */
  Optional<Checkpoint> load(CheckpointStore store, String id) {
    Optional<String> json;
    try {
      json = store.load(id);
    } catch (MediaClientException | UncheckedIOException e) {
      log.warn("Cannot read the upload checkpoint {}; starting over: {}", id, e.getMessage());
      return Optional.empty();
    }
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      Checkpoint cp = GSON.fromJson(json.get(), Checkpoint.class);
      if (cp != null && cp.valid(instance)) {
        return Optional.of(cp);
      }
    } catch (JsonParseException | IllegalStateException e) {
      // corrupt: fall through
    }
    log.warn("The upload checkpoint {} is corrupt; discarding it and starting over", id);
    delete(store, id);
    return Optional.empty();
  }

  void save(CheckpointStore store, String id, Checkpoint checkpoint) {
    try {
      store.save(id, GSON.toJson(checkpoint));
    } catch (UncheckedIOException e) {
      throw new MediaClientException(
          "Cannot save the upload checkpoint " + id + ": " + e.getMessage(), e);
    }
  }

  void delete(CheckpointStore store, String id) {
    try {
      store.delete(id);
    } catch (UncheckedIOException e) {
      throw new MediaClientException(
          "Cannot delete the upload checkpoint " + id + ": " + e.getMessage(), e);
    }
  }
}
