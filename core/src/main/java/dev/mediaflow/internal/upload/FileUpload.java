package dev.mediaflow.internal.upload;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.NoSuchUploadException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload of a file, read in place: one request when it fits in a part (or when the protocol is
 * not multipart), else parts sent in parallel from their ranges of the file, checkpointed after
 * each, so a later upload of the same file to the same target resumes. The file must not change
 * meanwhile: its fingerprint is checked again before the upload completes.
 */
final class FileUpload {
  private static final Logger log = LoggerFactory.getLogger(FileUpload.class);

  private final Upload upload;
  private final MultipartUploadProtocol multipart;
  private final Checkpoints checkpoints;
  private final CheckpointStore store;
  private final Clock clock;

  /** {@code multipart} is null for a protocol that stores objects in one request only. */
  FileUpload(
      Upload upload,
      MultipartUploadProtocol multipart,
      Checkpoints checkpoints,
      CheckpointStore store,
      Clock clock) {
    this.upload = upload;
    this.multipart = multipart;
    this.checkpoints = checkpoints;
    this.store = store;
    this.clock = clock;
  }

  UploadResult run() {
    Path file = upload.source().file().orElseThrow();
    long size = upload.source().length();
    PartRunner runner = multipart == null ? null : new PartRunner(upload, multipart);
    long partSize = runner == null ? size : runner.partSize(upload.request.partSize(), size);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (runner == null || size <= partSize) {
        PartBody body =
            PartBody.ofFile(
                1, ch, 0, size, upload.protocol::hasher, upload.progress::add, upload.type);
        StoredObject stored = upload.protocol.put(upload.target, body);
        upload.checkUnchanged();
        return upload.single(size, stored, body.digest());
      }
      return multipart(runner, size, partSize, ch);
    } catch (IOException e) {
      throw new MediaClientException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private UploadResult multipart(PartRunner runner, long size, long partSize, FileChannel ch) {
    UploadTarget target = upload.target;
    String id = checkpoints.id(target);
    String fingerprint = upload.source().fingerprint().orElseThrow();
    Checkpoint cp = resumable(runner, id, fingerprint, size);
    long ps = cp != null ? cp.partSize : partSize;
    if (cp == null) {
      cp =
          new Checkpoint(
              Checkpoint.VERSION,
              checkpoints.instance(),
              target.object().bucket(),
              target.object().key(),
              fingerprint,
              size,
              ps,
              multipart.initiate(target),
              clock.millis(),
              new ArrayList<>());
      checkpoints.save(store, id, cp);
    } else if (ps != partSize && upload.request.partSize() > 0) {
      log.info(
          "Resuming {} with the checkpoint's part size {} (not {})", target.object(), ps, partSize);
    }
    int count = (int) ((size + ps - 1) / ps);
    Map<Integer, UploadedPart> done = new TreeMap<>();
    cp.parts.forEach(p -> done.put(p.number(), p));
    int resumed = done.size();
    upload.progress.add(done.values().stream().mapToLong(UploadedPart::size).sum());
    List<Integer> todo = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      if (!done.containsKey(n)) {
        todo.add(n);
      }
    }
    if (resumed > 0) {
      log.info(
          "Resuming the upload of {}: {} of {} parts already stored",
          target.object(),
          resumed,
          count);
    }
    Checkpoint checkpoint = cp;
    runner.runAll(
        todo,
        upload.request.parallelism(),
        n -> {
          long offset = (n - 1) * ps;
          PartBody body =
              PartBody.ofFile(
                  n,
                  ch,
                  offset,
                  Math.min(ps, size - offset),
                  multipart::hasher,
                  upload.progress::add,
                  upload.type);
          UploadedPart part = runner.send(checkpoint.uploadId, body, count);
          synchronized (done) {
            done.put(n, part);
            if (store != CheckpointStore.none()) {
              checkpoint.parts.clear();
              checkpoint.parts.addAll(done.values());
              checkpoints.save(store, id, checkpoint);
            }
          }
        },
        () -> {
          if (store == CheckpointStore.none()) {
            runner.abortQuietly(checkpoint.uploadId);
          } else {
            log.warn(
                "The upload of {} stopped with {} of {} parts stored; its checkpoint is kept: upload the same file "
                    + "again to resume, or abort it",
                target.object(),
                done.size(),
                count);
          }
        });
    upload.checkUnchanged();
    return runner.complete(
        checkpoint.uploadId,
        new ArrayList<>(done.values()),
        size,
        resumed,
        () -> checkpoints.delete(store, id));
  }

  /** Returns the checkpoint to resume, or null to start over (aborting what cannot be resumed). */
  private Checkpoint resumable(PartRunner runner, String id, String fingerprint, long size) {
    UploadTarget target = upload.target;
    Optional<Checkpoint> found = checkpoints.load(store, id);
    if (found.isEmpty()) {
      return null;
    }
    Checkpoint cp = found.get();
    if (!cp.bucket.equals(target.object().bucket()) || !cp.key.equals(target.object().key())) {
      log.warn(
          "The upload checkpoint {} is for {}/{}, not {}; discarding it",
          id,
          cp.bucket,
          cp.key,
          target.object());
      checkpoints.delete(store, id);
      return null;
    }
    if (!upload.request.resume()) {
      log.info(
          "Starting the upload of {} over: aborting the checkpointed upload {}",
          target.object(),
          cp.uploadId);
    } else if (!fingerprint.equals(cp.fingerprint) || size != cp.size) {
      log.warn(
          "The source of {} changed since its checkpoint was saved; aborting that upload and starting over",
          target.object());
    } else {
      List<UploadedPart> listed;
      try {
        listed = multipart.listParts(target, cp.uploadId);
      } catch (NoSuchUploadException e) {
        log.warn(
            "The vendor no longer has the checkpointed upload of {} (expired or aborted); starting over",
            target.object());
        checkpoints.delete(store, id);
        return null;
      }
      Map<Integer, UploadedPart> onServer = new TreeMap<>();
      listed.forEach(p -> onServer.put(p.number(), p));
      List<UploadedPart> kept = new ArrayList<>();
      for (UploadedPart p : cp.parts) {
        UploadedPart s = onServer.get(p.number());
        if (s != null
            && s.size() == p.size()
            && Objects.equals(stripQuotes(s.etag()), stripQuotes(p.etag()))) {
          kept.add(p);
        }
      }
      cp.parts.clear();
      cp.parts.addAll(kept);
      return cp;
    }
    runner.abortQuietly(cp.uploadId);
    checkpoints.delete(store, id);
    return null;
  }

  private static String stripQuotes(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }
}
