package dev.mediaflow.internal.upload;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadedPart;
import dev.mediaflow.upload.UploadResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upload of a stream, read once in order. A protocol that is not multipart gets it streamed
 * through in one request, nothing buffered. Otherwise a stream that fits in one part goes in one
 * request, and a longer one as a multipart upload: each part is read into a buffer and sent while
 * the next is read, at most {@code parallelism} parts in flight. Streams cannot be resumed, so no
 * checkpoints are kept and a failed upload is aborted.
 */
final class StreamUpload {
  /** The largest part a stream is buffered in. */
  private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

  private final Upload upload;
  private final MultipartUploadProtocol multipart;

  /** {@code multipart} is null for a protocol that stores objects in one request only. */
  StreamUpload(Upload upload, MultipartUploadProtocol multipart) {
    this.upload = upload;
    this.multipart = multipart;
  }

  UploadResult run() {
    InputStream in = upload.source().stream().orElseThrow();
    long length = upload.source().length();
    if (multipart == null) {
      // One request whatever the length: stream it through, nothing buffered.
      PartBody body =
          PartBody.ofStream(
              1, in, length, upload.protocol::hasher, upload.progress::add, upload.type);
      StoredObject stored = upload.protocol.put(upload.target, body);
      upload.progress.total(body.sent());
      return upload.single(body.sent(), stored, body.digest());
    }
    PartRunner runner = new PartRunner(upload, multipart);
    long partSize = runner.partSize(upload.request.partSize(), length);
    if (partSize > MAX_BUFFER) {
      throw new MediaValidationException(
          "partSize",
          "a stream is held in memory one part at a time, so its parts are at "
              + "most "
              + MAX_BUFFER
              + " bytes, was "
              + partSize
              + "; use a smaller part size, or upload a file");
    }
    boolean one = length >= 0 && length <= partSize;
    byte[] first = new byte[(int) (one ? length : partSize)];
    int n = readFully(in, first);
    if (length >= 0 && n < Math.min(length, first.length)) {
      throw new MediaValidationException(
          "source",
          "the stream ended after " + n + " bytes, but its length was given as " + length);
    }
    if (one || n < first.length) {
      upload.progress.total(n);
      PartBody body =
          PartBody.ofBytes(1, first, n, multipart::hasher, upload.progress::add, upload.type);
      return upload.single(n, multipart.put(upload.target, body), body.digest());
    }
    return parts(runner, in, length, partSize, first, n);
  }

  private UploadResult parts(
      PartRunner runner, InputStream in, long length, long partSize, byte[] first, int n) {
    String uploadId = multipart.initiate(upload.target);
    Map<Integer, UploadedPart> done = new TreeMap<>();
    AtomicLong total = new AtomicLong();
    int parallelism = upload.request.parallelism();
    Semaphore buffers = new Semaphore(parallelism);
    ExecutorService pool = PartRunner.pool(parallelism);
    List<Future<?>> futures = new ArrayList<>();
    try {
      byte[] buf = first;
      int len = n;
      for (int number = 1; ; number++) {
        total.addAndGet(len);
        if (number > multipart.maxParts()) {
          throw new MediaValidationException(
              "source",
              "the stream is longer than "
                  + multipart.maxParts()
                  + " parts of "
                  + partSize
                  + " bytes; set a larger partSize");
        }
        PartBody body =
            PartBody.ofBytes(
                number, buf, len, multipart::hasher, upload.progress::add, upload.type);
        PartRunner.acquire(buffers);
        futures.add(
            pool.submit(
                () -> {
                  try {
                    UploadedPart part = runner.send(uploadId, body, -1);
                    synchronized (done) {
                      done.put(part.number(), part);
                    }
                  } finally {
                    buffers.release();
                  }
                }));
        PartRunner.failFast(futures);
        buf = new byte[(int) partSize];
        len = readFully(in, buf);
        if (len == 0) {
          break;
        }
      }
      for (Future<?> f : futures) {
        PartRunner.await(f);
      }
    } catch (RuntimeException e) {
      pool.shutdownNow();
      runner.abortQuietly(uploadId);
      throw e;
    } finally {
      pool.shutdownNow();
    }
    if (length >= 0 && total.get() != length) {
      runner.abortQuietly(uploadId);
      throw new MediaValidationException(
          "source",
          "the stream had " + total.get() + " bytes, but its length was given as " + length);
    }
    upload.progress.total(total.get());
    return runner.complete(uploadId, new ArrayList<>(done.values()), total.get(), 0, () -> {});
  }

  private static int readFully(InputStream in, byte[] buf) {
    try {
      return in.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      throw new MediaClientException("Cannot read the upload stream: " + e.getMessage(), e);
    }
  }
}
