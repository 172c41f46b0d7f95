package dev.mediaflow.internal.upload;

import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.NoSuchUploadException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory vendor for engine tests: it stores what the bodies write, computes its own checksums
 * from the stored bytes, and fails or corrupts parts on demand. The digest of a part is its
 * SHA-256; the object's is the SHA-256 of the parts' digests joined.
 */
final class MemoryUploads implements MultipartUploadProtocol {
  final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
  final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  final List<Integer> sentParts = new CopyOnWriteArrayList<>();
  final List<String> aborted = new CopyOnWriteArrayList<>();
  final Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();
  final Map<Integer, AtomicInteger> flips = new ConcurrentHashMap<>();
  final Set<Integer> refuse = ConcurrentHashMap.newKeySet();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();
  long minPart = 1;
  int maxParts = 10_000;

  @Override
  public String checksumAlgorithm() {
    return "sha256-tree";
  }

  @Override
  public long defaultPartSize() {
    return 1024;
  }

  @Override
  public long minPartSize() {
    return minPart;
  }

  @Override
  public long maxPartSize() {
    return 1 << 30;
  }

  @Override
  public int maxParts() {
    return maxParts;
  }

  @Override
  public PartHasher hasher() {
    return new PartHasher() {
      final ByteArrayOutputStream all = new ByteArrayOutputStream();

      @Override
      public void update(byte[] bytes, int offset, int length) {
        all.write(bytes, offset, length);
      }

      @Override
      public String finish() {
        return sha(all.toByteArray());
      }
    };
  }

  @Override
  public String combine(List<UploadedPart> parts) {
    StringBuilder joined = new StringBuilder();
    parts.forEach(p -> joined.append(p.digest()));
    return sha(joined.toString().getBytes());
  }

  @Override
  public StoredObject put(UploadTarget target, PartBody body) {
    byte[] data = write(body);
    objects.put(target.object().toString(), data);
    return StoredObject.of("etag-" + sha(data), sha(sha(data).getBytes()));
  }

  @Override
  public String initiate(UploadTarget target) {
    String id = "u" + ids.incrementAndGet();
    uploads.put(id, new ConcurrentHashMap<>());
    return id;
  }

  @Override
  public UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body) {
    int n = body.number();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      sentParts.add(n);
      if (refuse.contains(n)) {
        throw new MediaServiceException("memory", 403, "AccessDenied", "r", "refused part " + n);
      }
      byte[] data = write(body);
      if (failures.getOrDefault(n, new AtomicInteger()).getAndDecrement() > 0) {
        throw new MediaServiceException(
            "memory", 500, "InternalError", "r", "part " + n + " failed");
      }
      if (flips.getOrDefault(n, new AtomicInteger()).getAndDecrement() > 0) {
        data[data.length / 2] ^= 1;
      }
      Map<Integer, byte[]> parts = uploads.get(uploadId);
      if (parts == null) {
        throw new MediaServiceException("memory", 404, "NoSuchUpload", "r", uploadId);
      }
      parts.put(n, data);
      String stored = sha(data);
      if (!stored.equals(body.digest())) {
        throw new MediaIntegrityException("part " + n, "sha256", body.digest(), stored);
      }
      return new UploadedPart(n, data.length, "\"" + stored.substring(0, 8) + "\"", body.digest());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public List<UploadedPart> listParts(UploadTarget target, String uploadId) {
    Map<Integer, byte[]> parts = uploads.get(uploadId);
    if (parts == null) {
      throw new NoSuchUploadException(uploadId, null);
    }
    List<UploadedPart> list = new ArrayList<>();
    new TreeMap<>(parts)
        .forEach(
            (n, d) ->
                list.add(
                    new UploadedPart(n, d.length, "\"" + sha(d).substring(0, 8) + "\"", null)));
    return list;
  }

  @Override
  public StoredObject complete(
      UploadTarget target, String uploadId, List<UploadedPart> parts, String expected) {
    Map<Integer, byte[]> stored = uploads.remove(uploadId);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    StringBuilder digests = new StringBuilder();
    for (UploadedPart p : parts) {
      byte[] d = stored.get(p.number());
      all.writeBytes(d);
      digests.append(sha(d));
    }
    objects.put(target.object().toString(), all.toByteArray());
    return StoredObject.of("etag-multipart", sha(digests.toString().getBytes()));
  }

  @Override
  public void abort(UploadTarget target, String uploadId) {
    aborted.add(uploadId);
    uploads.remove(uploadId);
  }

  /**
   * This vendor as a provider that stores objects in one request only (not multipart): the object's
   * checksum is its SHA-256.
   */
  UploadProtocol singleRequest() {
    return new UploadProtocol() {
      @Override
      public String checksumAlgorithm() {
        return "sha256";
      }

      @Override
      public PartHasher hasher() {
        return MemoryUploads.this.hasher();
      }

      @Override
      public StoredObject put(UploadTarget target, PartBody body) {
        byte[] data = write(body);
        objects.put(target.object().toString(), data);
        return StoredObject.of("etag-" + sha(data), sha(data));
      }
    };
  }

  private static byte[] write(PartBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      body.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
