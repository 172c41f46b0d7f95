package dev.mediaflow.internal.upload;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadedPart;
import dev.mediaflow.upload.UploadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of one multipart upload: the part size, sending a part again after failures that
 * may pass, running parts in parallel on a pool of daemon threads that stops at the first part that
 * fails for good, completing (with the whole object's checksum verified) and aborting.
 */
final class PartRunner {
  private static final Logger log = LoggerFactory.getLogger(PartRunner.class);

  /** Rounds of re-sending a failed part, on top of the HTTP retries of each send. */
  static final int PART_RETRIES = 4;

  private final Upload upload;
  private final MultipartUploadProtocol protocol;

  PartRunner(Upload upload, MultipartUploadProtocol protocol) {
    this.upload = upload;
    this.protocol = protocol;
  }

  MultipartUploadProtocol protocol() {
    return protocol;
  }

  /**
   * Returns the part size: {@code asked}, else the protocol's default, within the protocol's
   * bounds, made larger (with a warning) when {@code size} bytes would need more parts than the
   * protocol allows.
   */
  long partSize(long asked, long size) {
    long ps = asked > 0 ? asked : protocol.defaultPartSize();
    if (ps < protocol.minPartSize() || ps > protocol.maxPartSize()) {
      throw new MediaValidationException(
          "partSize",
          "must be "
              + protocol.minPartSize()
              + ".."
              + protocol.maxPartSize()
              + " bytes for this provider, was "
              + ps);
    }
    if (size > 0 && (size + ps - 1) / ps > protocol.maxParts()) {
      long mib = 1 << 20;
      long fitted = ((size + protocol.maxParts() - 1) / protocol.maxParts() + mib - 1) / mib * mib;
      if (fitted > protocol.maxPartSize()) {
        throw new MediaValidationException(
            "source",
            size
                + " bytes do not fit in "
                + protocol.maxParts()
                + " parts of at most "
                + protocol.maxPartSize()
                + " bytes");
      }
      log.warn(
          "{} bytes need more than {} parts of {} bytes; using parts of {} bytes",
          size,
          protocol.maxParts(),
          ps,
          fitted);
      ps = fitted;
    }
    return ps;
  }

  /**
   * Sends one part, sending it again after failures that may pass (I/O, 429/5xx, a corrupted part).
   */
  UploadedPart send(String uploadId, PartBody body, int count) {
    for (int round = 0; ; round++) {
      try {
        return protocol.uploadPart(upload.target, uploadId, body);
      } catch (MediaIntegrityException | MediaClientException | MediaServiceException e) {
        boolean passing =
            e instanceof MediaIntegrityException
                || e instanceof MediaClientException
                || ((MediaServiceException) e).isRetryable();
        if (!passing || round >= PART_RETRIES || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        log.warn(
            "Part {}{} of {} failed; sending it again: {}",
            body.number(),
            count > 0 ? "/" + count : "",
            upload.target.object(),
            e.getMessage());
        sleep(100L << round);
      }
    }
  }

  /** Work on one part. */
  interface PartTask {
    void run(int number);
  }

  /**
   * Runs {@code task} for each part number of {@code todo}, {@code parallelism} at a time. Once a
   * part fails for good no more start; the others are interrupted, {@code onFailure} runs, and the
   * failure is thrown.
   */
  void runAll(List<Integer> todo, int parallelism, PartTask task, Runnable onFailure) {
    if (todo.isEmpty()) {
      return;
    }
    ExecutorService pool = pool(Math.min(parallelism, todo.size()));
    List<Future<?>> futures = new ArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    try {
      for (int n : todo) {
        futures.add(
            pool.submit(
                () -> {
                  if (failed.get()) {
                    return; // a part failed for good: start no more
                  }
                  try {
                    task.run(n);
                  } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                  }
                }));
      }
      for (Future<?> f : futures) {
        await(f);
      }
    } catch (RuntimeException e) {
      pool.shutdownNow();
      awaitTermination(pool);
      onFailure.run();
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Completes the upload from {@code parts} (sorted here, and checked to be 1..n), runs {@code
   * onStored} once the vendor has the object, and returns the verified result.
   */
  UploadResult complete(
      String uploadId, List<UploadedPart> parts, long size, int resumed, Runnable onStored) {
    parts.sort(Comparator.comparingInt(UploadedPart::number));
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).number() != i + 1) {
        throw new IllegalStateException("part " + (i + 1) + " is missing");
      }
    }
    String checksum = protocol.combine(parts);
    StoredObject stored = protocol.complete(upload.target, uploadId, parts, checksum);
    onStored.run();
    return upload.result(size, stored, checksum, parts.size(), resumed);
  }

  /** Aborts the upload, logging instead of throwing when the vendor cannot be reached. */
  void abortQuietly(String uploadId) {
    try {
      protocol.abort(upload.target, uploadId);
    } catch (MediaException e) {
      log.warn(
          "Could not abort the upload {} of {}; its parts stay until the vendor expires them: {}",
          uploadId,
          upload.target.object(),
          e.getMessage());
    }
  }

  static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, "mediaflow-upload-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Waits for {@code f}, throwing what it threw. */
  static void await(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaClientException("Interrupted while uploading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new MediaClientException("Upload failed: " + e.getCause(), e.getCause());
    }
  }

  /** Throws the failure of the first of {@code futures} that is done and failed. */
  static void failFast(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      if (f.isDone()) {
        await(f);
      }
    }
  }

  static void acquire(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaClientException("Interrupted while uploading", e);
    }
  }

  private static void awaitTermination(ExecutorService pool) {
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
