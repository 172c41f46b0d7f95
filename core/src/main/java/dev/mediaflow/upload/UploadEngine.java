package dev.mediaflow.upload;

import com.google.common.hash.Hashing;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs uploads over a provider's {@link UploadProtocol}: one request for what fits in a part, else a
 * multipart upload with parallel parts, per-part and whole-object integrity checks, retries of failed parts,
 * checkpoints after every part, and byte-accurate progress. {@code MediaClient.upload} uses it; providers
 * only implement the protocol. Thread-safe: uploads run independently.
 *
 * <p>Memory: a file is read from disk while each part is sent (16 KiB per part in flight); a stream is read
 * into at most {@code parallelism + 1} part buffers.
 */
public final class UploadEngine {
  private static final Logger log = LoggerFactory.getLogger(UploadEngine.class);
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final int CHECKPOINT_VERSION = 1;
  /** Rounds of re-sending a failed part, on top of the HTTP retries of each send. */
  static final int PART_RETRIES = 4;
  /** The largest part a stream is buffered in. */
  private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

  private final String instance;
  private final UploadProtocol protocol;
  private final CheckpointStore defaultStore;
  private final Clock clock;

  /**
   * @param instance the provider instance (such as {@code oss} or {@code media.archive}); checkpoints are per instance
   * @param protocol the provider's wire calls
   * @param defaultStore the checkpoint store of requests that set none
   */
  public UploadEngine(String instance, UploadProtocol protocol, CheckpointStore defaultStore, Clock clock) {
    this.instance = Objects.requireNonNull(instance, "instance");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.defaultStore = Objects.requireNonNull(defaultStore, "defaultStore");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Uploads as {@code request} asks and returns what the vendor stored, verified. */
  public UploadResult upload(UploadRequest request) {
    Objects.requireNonNull(request, "request");
    UploadTarget target = new UploadTarget(request.target(), request.contentType(),
        protocol.runsPipelineOnUpload() ? request.process() : Optional.empty(), request.callback());
    Progress progress = new Progress(request.listener(), request.source().length());
    if (request.source().file().isPresent()) {
      return fromFile(request, target, progress);
    }
    return fromStream(request, target, progress);
  }

  /**
   * Aborts the checkpointed upload to {@code target}, if there is one: the vendor deletes its stored parts and
   * the checkpoint is removed. Returns true when there was one.
   */
  public boolean abort(UploadTarget target, CheckpointStore store) {
    String id = checkpointId(target);
    Optional<Checkpoint> cp = load(store, id);
    cp.ifPresent(c -> protocol.abort(target, c.uploadId));
    store.delete(id);
    return cp.isPresent();
  }

  // ---- files

  private UploadResult fromFile(UploadRequest request, UploadTarget target, Progress progress) {
    UploadSource source = request.source();
    long size = source.length();
    long partSize = partSize(request.partSize(), size);
    MediaType type = type(target);
    try (FileChannel ch = FileChannel.open(source.file().orElseThrow(), StandardOpenOption.READ)) {
      if (protocol.maxParts() == 1 || size <= partSize) {
        PartBody body = PartBody.ofFile(1, ch, 0, size, protocol::hasher, progress::add, type);
        StoredObject stored = protocol.put(target, body);
        source.checkUnchanged();
        return single(target, size, stored, body.digest());
      }
      CheckpointStore store = request.checkpoints().orElse(defaultStore);
      return multipart(request, target, progress, store, size, partSize,
          (n, offset, length) -> PartBody.ofFile(n, ch, offset, length, protocol::hasher, progress::add, type));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source.file().orElseThrow(), e);
    }
  }

  private UploadResult multipart(UploadRequest request, UploadTarget target, Progress progress, CheckpointStore store,
      long size, long partSize, Bodies parts) {
    String id = checkpointId(target);
    String fingerprint = request.source().fingerprint().orElseThrow();
    Checkpoint cp = resumable(request, target, store, id, fingerprint, size);
    long ps = cp != null ? cp.partSize : partSize;
    if (cp == null) {
      cp = new Checkpoint(CHECKPOINT_VERSION, instance, target.object().bucket(), target.object().key(), fingerprint, size,
          ps, protocol.initiate(target), clock.millis(), new ArrayList<>());
      store.save(id, GSON.toJson(cp));
    } else if (ps != partSize && request.partSize() > 0) {
      log.info("Resuming {} with the checkpoint's part size {} (not {})", target.object(), ps, partSize);
    }
    int count = (int) ((size + ps - 1) / ps);
    Map<Integer, UploadedPart> done = new TreeMap<>();
    cp.parts.forEach(p -> done.put(p.number(), p));
    int resumed = done.size();
    progress.add(done.values().stream().mapToLong(UploadedPart::size).sum());
    List<Integer> todo = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      if (!done.containsKey(n)) {
        todo.add(n);
      }
    }
    if (resumed > 0) {
      log.info("Resuming the upload of {}: {} of {} parts already stored", target.object(), resumed, count);
    }
    Checkpoint checkpoint = cp;
    runParts(todo, request.parallelism(), n -> {
      long offset = (n - 1) * ps;
      UploadedPart part = sendPart(target, checkpoint.uploadId, parts.part(n, offset, Math.min(ps, size - offset)), count);
      synchronized (done) {
        done.put(n, part);
        if (store != CheckpointStore.none()) {
          checkpoint.parts.clear();
          checkpoint.parts.addAll(done.values());
          store.save(id, GSON.toJson(checkpoint));
        }
      }
    }, () -> {
      if (store == CheckpointStore.none()) {
        abortQuietly(target, checkpoint.uploadId);
      } else {
        log.warn("The upload of {} stopped with {} of {} parts stored; its checkpoint is kept: upload the same file "
            + "again to resume, or abort it", target.object(), done.size(), count);
      }
    });
    request.source().checkUnchanged();
    return complete(target, checkpoint.uploadId, new ArrayList<>(done.values()), size, resumed, () -> store.delete(id));
  }

  /** Returns the checkpoint to resume, or null to start over (aborting what cannot be resumed). */
  private Checkpoint resumable(UploadRequest request, UploadTarget target, CheckpointStore store, String id,
      String fingerprint, long size) {
    Optional<Checkpoint> found = load(store, id);
    if (found.isEmpty()) {
      return null;
    }
    Checkpoint cp = found.get();
    if (!cp.bucket.equals(target.object().bucket()) || !cp.key.equals(target.object().key())) {
      log.warn("The upload checkpoint {} is for {}/{}, not {}; discarding it", id, cp.bucket, cp.key, target.object());
      store.delete(id);
      return null;
    }
    if (!request.resume()) {
      log.info("Starting the upload of {} over: aborting the checkpointed upload {}", target.object(), cp.uploadId);
    } else if (!fingerprint.equals(cp.fingerprint) || size != cp.size) {
      log.warn("The source of {} changed since its checkpoint was saved; aborting that upload and starting over",
          target.object());
    } else {
      Optional<List<UploadedPart>> listed = protocol.listParts(target, cp.uploadId);
      if (listed.isEmpty()) {
        log.warn("The vendor no longer has the checkpointed upload of {} (expired or aborted); starting over",
            target.object());
        store.delete(id);
        return null;
      }
      Map<Integer, UploadedPart> onServer = new TreeMap<>();
      listed.get().forEach(p -> onServer.put(p.number(), p));
      List<UploadedPart> kept = new ArrayList<>();
      for (UploadedPart p : cp.parts) {
        UploadedPart s = onServer.get(p.number());
        if (s != null && s.size() == p.size() && Objects.equals(stripQuotes(s.etag()), stripQuotes(p.etag()))) {
          kept.add(p);
        }
      }
      cp.parts.clear();
      cp.parts.addAll(kept);
      return cp;
    }
    abortQuietly(target, cp.uploadId);
    store.delete(id);
    return null;
  }

  private Optional<Checkpoint> load(CheckpointStore store, String id) {
    Optional<String> json;
    try {
      json = store.load(id);
    } catch (UncheckedIOException e) {
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
    store.delete(id);
    return Optional.empty();
  }

  // ---- streams

  private UploadResult fromStream(UploadRequest request, UploadTarget target, Progress progress) {
    UploadSource source = request.source();
    InputStream in = source.stream().orElseThrow();
    long length = source.length();
    long partSize = partSize(request.partSize(), length);
    MediaType type = type(target);
    if (protocol.maxParts() == 1) {
      // One request whatever the length: stream it through, nothing buffered.
      PartBody body = PartBody.ofStream(1, in, length, protocol::hasher, progress::add, type);
      StoredObject stored = protocol.put(target, body);
      progress.total(body.sent());
      return single(target, body.sent(), stored, body.digest());
    }
    if (partSize > MAX_BUFFER) {
      throw new MediaValidationException("partSize", "a stream is held in memory one part at a time, so its parts are at "
          + "most " + MAX_BUFFER + " bytes, was " + partSize + "; use a smaller part size, or upload a file");
    }
    boolean one = length >= 0 && length <= partSize;
    byte[] first = new byte[(int) (one ? length : partSize)];
    int n = readFully(in, first);
    if (length >= 0 && n < Math.min(length, first.length)) {
      throw new MediaValidationException("source", "the stream ended after " + n + " bytes, but its length was given as "
          + length);
    }
    if (one || n < first.length) {
      progress.total(n);
      PartBody body = PartBody.ofBytes(1, first, n, protocol::hasher, progress::add, type);
      return single(target, n, protocol.put(target, body), body.digest());
    }
    String uploadId = protocol.initiate(target);
    Map<Integer, UploadedPart> done = new TreeMap<>();
    AtomicLong total = new AtomicLong();
    Semaphore buffers = new Semaphore(request.parallelism());
    ExecutorService pool = pool(request.parallelism());
    List<Future<?>> futures = new ArrayList<>();
    try {
      byte[] buf = first;
      int len = n;
      for (int number = 1; ; number++) {
        total.addAndGet(len);
        if (number > protocol.maxParts()) {
          throw new MediaValidationException("source", "the stream is longer than " + protocol.maxParts() + " parts of "
              + partSize + " bytes; set a larger partSize");
        }
        PartBody body = PartBody.ofBytes(number, buf, len, protocol::hasher, progress::add, type);
        acquire(buffers);
        futures.add(pool.submit(() -> {
          try {
            UploadedPart part = sendPart(target, uploadId, body, -1);
            synchronized (done) {
              done.put(part.number(), part);
            }
          } finally {
            buffers.release();
          }
        }));
        failFast(futures);
        buf = new byte[(int) partSize];
        len = readFully(in, buf);
        if (len == 0) {
          break;
        }
      }
      for (Future<?> f : futures) {
        await(f);
      }
    } catch (RuntimeException e) {
      pool.shutdownNow();
      abortQuietly(target, uploadId);
      throw e;
    } finally {
      pool.shutdownNow();
    }
    if (length >= 0 && total.get() != length) {
      abortQuietly(target, uploadId);
      throw new MediaValidationException("source", "the stream had " + total.get() + " bytes, but its length was given as "
          + length);
    }
    progress.total(total.get());
    return complete(target, uploadId, new ArrayList<>(done.values()), total.get(), 0, () -> {});
  }

  // ---- shared

  private UploadResult single(UploadTarget target, long size, StoredObject stored, String digest) {
    String checksum = protocol.combine(List.of(new UploadedPart(1, size, stored.etag(), digest)));
    verify(target.object().toString(), checksum, stored);
    return new UploadResult(target.object(), size, stored.etag(), protocol.checksumAlgorithm(), checksum, 1, 0,
        stored.job(), stored.callbackResponse());
  }

  private UploadResult complete(UploadTarget target, String uploadId, List<UploadedPart> parts, long size, int resumed,
      Runnable onStored) {
    parts.sort(Comparator.comparingInt(UploadedPart::number));
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).number() != i + 1) {
        throw new IllegalStateException("part " + (i + 1) + " is missing");
      }
    }
    String checksum = protocol.combine(parts);
    StoredObject stored = protocol.complete(target, uploadId, parts, checksum);
    onStored.run();
    verify(target.object().toString(), checksum, stored);
    return new UploadResult(target.object(), size, stored.etag(), protocol.checksumAlgorithm(), checksum, parts.size(),
        resumed, stored.job(), stored.callbackResponse());
  }

  private void verify(String what, String expected, StoredObject stored) {
    if (stored.checksum().isPresent() && !stored.checksum().get().equals(expected)) {
      throw new MediaIntegrityException(what, protocol.checksumAlgorithm(), expected, stored.checksum().get());
    }
  }

  /** Sends one part, sending it again after failures that may pass (I/O, 429/5xx, a corrupted part). */
  private UploadedPart sendPart(UploadTarget target, String uploadId, PartBody body, int count) {
    for (int round = 0; ; round++) {
      try {
        return protocol.uploadPart(target, uploadId, body);
      } catch (MediaIntegrityException | MediaClientException | MediaServiceException e) {
        boolean passing = e instanceof MediaIntegrityException || e instanceof MediaClientException
            || ((MediaServiceException) e).isRetryable();
        if (!passing || round >= PART_RETRIES || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        log.warn("Part {}{} of {} failed; sending it again: {}", body.number(), count > 0 ? "/" + count : "",
            target.object(), e.getMessage());
        sleep(100L << round);
      }
    }
  }

  private interface Bodies {
    PartBody part(int number, long offset, long length);
  }

  private interface PartTask {
    void run(int number);
  }

  private void runParts(List<Integer> todo, int parallelism, PartTask task, Runnable onFailure) {
    if (todo.isEmpty()) {
      return;
    }
    ExecutorService pool = pool(Math.min(parallelism, todo.size()));
    List<Future<?>> futures = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      for (int n : todo) {
        futures.add(pool.submit(() -> {
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

  private static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mediaflow-upload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  private static void await(Future<?> f) {
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

  private static void failFast(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      if (f.isDone()) {
        await(f);
      }
    }
  }

  private static void awaitTermination(ExecutorService pool) {
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void acquire(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaClientException("Interrupted while uploading", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void abortQuietly(UploadTarget target, String uploadId) {
    try {
      protocol.abort(target, uploadId);
    } catch (MediaException e) {
      log.warn("Could not abort the upload {} of {}; its parts stay until the vendor expires them: {}", uploadId,
          target.object(), e.getMessage());
    }
  }

  private long partSize(long asked, long size) {
    long ps = asked > 0 ? asked : protocol.defaultPartSize();
    if (ps < protocol.minPartSize() || ps > protocol.maxPartSize()) {
      throw new MediaValidationException("partSize", "must be " + protocol.minPartSize() + ".." + protocol.maxPartSize()
          + " bytes for this provider, was " + ps);
    }
    if (size > 0 && protocol.maxParts() > 1 && (size + ps - 1) / ps > protocol.maxParts()) {
      long mib = 1 << 20;
      long fitted = ((size + protocol.maxParts() - 1) / protocol.maxParts() + mib - 1) / mib * mib;
      if (fitted > protocol.maxPartSize()) {
        throw new MediaValidationException("source", size + " bytes do not fit in " + protocol.maxParts() + " parts of at most "
            + protocol.maxPartSize() + " bytes");
      }
      log.warn("{} bytes need more than {} parts of {} bytes; using parts of {} bytes", size, protocol.maxParts(), ps, fitted);
      ps = fitted;
    }
    return ps;
  }

  private static MediaType type(UploadTarget target) {
    return target.contentType().map(MediaType::get).orElse(null);
  }

  private String checkpointId(UploadTarget target) {
    String name = instance + "\n" + target.object().bucket() + "\n" + target.object().key();
    return Hashing.sha256().hashString(name, StandardCharsets.UTF_8).toString().substring(0, 40);
  }

  private static int readFully(InputStream in, byte[] buf) {
    try {
      return in.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the upload stream", e);
    }
  }

  private static String stripQuotes(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }

  /** Sums the bytes sent across parts and tells the listener. */
  private static final class Progress {
    private final UploadListener listener;
    private final AtomicLong sent = new AtomicLong();
    private volatile long total;

    Progress(UploadListener listener, long total) {
      this.listener = listener;
      this.total = total;
    }

    void add(long bytes) {
      if (bytes != 0) {
        listener.onProgress(sent.addAndGet(bytes), total);
      }
    }

    void total(long total) {
      this.total = total;
      listener.onProgress(sent.get(), total);
    }
  }

  /** What is saved after every part: enough for another process to resume. */
  private static final class Checkpoint {
    int version;
    String instance;
    String bucket;
    String key;
    String fingerprint;
    long size;
    long partSize;
    String uploadId;
    long createdAt;
    List<UploadedPart> parts;

    Checkpoint(int version, String instance, String bucket, String key, String fingerprint, long size, long partSize,
        String uploadId, long createdAt, List<UploadedPart> parts) {
      this.version = version;
      this.instance = instance;
      this.bucket = bucket;
      this.key = key;
      this.fingerprint = fingerprint;
      this.size = size;
      this.partSize = partSize;
      this.uploadId = uploadId;
      this.createdAt = createdAt;
      this.parts = parts;
    }

    boolean valid(String instance) {
      if (version != CHECKPOINT_VERSION || !instance.equals(this.instance) || bucket == null || key == null
          || fingerprint == null || uploadId == null || uploadId.isEmpty() || partSize <= 0 || size <= 0 || parts == null) {
        return false;
      }
      for (UploadedPart p : parts) {
        if (p == null || p.number() < 1 || p.size() <= 0 || p.etag() == null || p.digest() == null) {
          return false;
        }
      }
      return true;
    }
  }
}
