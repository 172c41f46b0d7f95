package dev.mediaflow.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The object bookkeeping the S3-like fakes (OSS, COS) share: ETag, CRC-64/XZ (OSS's {@code
 * x-oss-hash-crc64ecma}, COS's {@code x-cos-hash-crc64ecma}) and appendability per object (computed
 * by streaming, cached), multipart uploads with their parts on disk, and appends. Large objects are
 * never held in memory. Each vendor's {@link Flavor} sets what differs. Thread-safe.
 */
public final class ObjectStore {
  /** A refusal: the HTTP status, the vendor's error code, its message, and extra headers. */
  public static final class StoreError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final Map<String, String> headers;

    StoreError(int status, String code, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.headers = headers;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    /** Returns the headers the answer carries (such as the next append position). */
    public Map<String, String> headers() {
      return headers;
    }
  }

  /**
   * What differs between vendors.
   *
   * @param upperCaseEtag whether ETags are upper-case hex (OSS) or lower-case (COS)
   * @param minPartSize the smallest size of a part that is not the last one
   * @param nextAppendHeader the header that tells the next append position
   */
  public record Flavor(boolean upperCaseEtag, long minPartSize, String nextAppendHeader) {}

  /** What the store knows about an object. */
  public record Meta(long size, String etag, long crc, boolean appendable) {}

  /** One uploaded part. */
  public record Part(int number, long size, String etag, long crc, byte[] md5) {}

  private record Upload(String bucket, String key, Map<Integer, Part> parts) {}

  private static final long[] TABLE = table();

  private final FakeObjects objects;
  private final PartFiles parts;
  private final Flavor flavor;

  /**
   * Cached metas, valid while the file keeps the size and modification time they were computed for.
   */
  private final Map<String, Cached> metas = new ConcurrentHashMap<>();

  private record Cached(Meta meta, long size, long modified) {}

  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /** The {@code Content-Type} each object was stored with, as OSS keeps it. */
  private final Map<String, String> contentTypes = new ConcurrentHashMap<>();

  public ObjectStore(FakeObjects objects, Flavor flavor) {
    this.flavor = flavor;
    this.objects = objects;
    this.parts = new PartFiles(objects.root().resolve(".uploads"));
  }

  public Optional<Meta> meta(String bucket, String key) {
    Path file = objects.file(bucket, key);
    if (!Files.isRegularFile(file)) {
      metas.remove(id(bucket, key));
      return Optional.empty();
    }
    Cached c = metas.get(id(bucket, key));
    try {
      if (c != null
          && c.size == Files.size(file)
          && c.modified == Files.getLastModifiedTime(file).toMillis()) {
        return Optional.of(c.meta);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(remember(bucket, key, scan(file, false)));
  }

  private Meta remember(String bucket, String key, Meta meta) {
    Path file = objects.file(bucket, key);
    try {
      metas.put(
          id(bucket, key),
          new Cached(meta, Files.size(file), Files.getLastModifiedTime(file).toMillis()));
    } catch (IOException e) {
      metas.remove(id(bucket, key));
    }
    return meta;
  }

  public Meta put(String bucket, String key, byte[] data) {
    objects.put(bucket, key, data);
    return remember(
        bucket,
        key,
        new Meta(
            data.length, etag(md5(data, 0, data.length)), crc(0, data, 0, data.length), false));
  }

  /**
   * Stores the file {@code tmp} (on the same file system) as the object in one step, and returns
   * its metadata; with {@code replace} false, an object already there stays and this throws.
   */
  public Meta adopt(String bucket, String key, Path tmp, boolean replace) throws IOException {
    Path file = objects.file(bucket, key);
    Files.createDirectories(file.getParent());
    if (replace) {
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } else {
      // A hard link is made only where no file is: two racing uploads cannot both win.
      Files.createLink(file, tmp);
      Files.delete(tmp);
    }
    return remember(bucket, key, scan(file, false));
  }

  /**
   * Remembers the {@code Content-Type} an object was stored with: the one sent, else OSS's guess
   * from the key's extension, else {@code application/octet-stream}.
   */
  public void contentType(String bucket, String key, String sent) {
    contentTypes.put(
        id(bucket, key), sent == null || sent.isBlank() ? guessType(key) : sent.trim());
  }

  /** Returns the {@code Content-Type} of a stored object. */
  public String contentType(String bucket, String key) {
    return contentTypes.getOrDefault(id(bucket, key), guessType(key));
  }

  /** The type OSS gives an object stored without one, from its extension. */
  public static String guessType(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    String ext = k.contains(".") ? k.substring(k.lastIndexOf('.') + 1) : "";
    return switch (ext) {
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "gif" -> "image/gif";
      case "webp" -> "image/webp";
      case "bmp" -> "image/bmp";
      case "tif", "tiff" -> "image/tiff";
      case "heic" -> "image/heic";
      case "avif" -> "image/avif";
      case "mp4", "m4v" -> "video/mp4";
      case "mov" -> "video/quicktime";
      case "webm" -> "video/webm";
      case "mkv" -> "video/x-matroska";
      case "flv" -> "video/x-flv";
      case "ts" -> "video/mp2t";
      case "avi" -> "video/x-msvideo";
      case "mp3" -> "audio/mpeg";
      case "m4a" -> "audio/mp4";
      case "aac" -> "audio/aac";
      case "wav" -> "audio/wav";
      case "flac" -> "audio/flac";
      case "ogg", "oga" -> "audio/ogg";
      case "opus" -> "audio/opus";
      case "txt" -> "text/plain";
      case "html", "htm" -> "text/html";
      case "json" -> "application/json";
      case "pdf" -> "application/pdf";
      default -> "application/octet-stream";
    };
  }

  public void delete(String bucket, String key) throws IOException {
    contentTypes.remove(id(bucket, key));
    metas.remove(id(bucket, key));
    Files.deleteIfExists(objects.file(bucket, key));
  }

  // ---- append

  public synchronized Meta append(String bucket, String key, long position, byte[] data)
      throws StoreError {
    Optional<Meta> now = meta(bucket, key);
    if (now.isPresent() && !now.get().appendable()) {
      throw new StoreError(409, "ObjectNotAppendable", "The object is not appendable", Map.of());
    }
    long length = now.map(Meta::size).orElse(0L);
    if (position != length) {
      throw new StoreError(
          409,
          "PositionNotEqualToLength",
          "Position is not equal to file length",
          Map.of(flavor.nextAppendHeader(), String.valueOf(length)));
    }
    Path file = objects.file(bucket, key);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".append-", ".tmp");
      if (now.isPresent()) {
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.write(tmp, data, java.nio.file.StandardOpenOption.APPEND);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return remember(bucket, key, scan(file, true));
  }

  // ---- multipart

  public String initiate(String bucket, String key) {
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    uploads.put(id, new Upload(bucket, key, new ConcurrentSkipListMap<>()));
    return id;
  }

  public Part putPart(String bucket, String key, String uploadId, int number, byte[] data)
      throws StoreError {
    Upload u = upload(bucket, key, uploadId);
    if (number < 1 || number > 10_000) {
      throw new StoreError(
          400,
          "InvalidArgument",
          "Part number must be an integer between 1 and 10000, inclusive.",
          Map.of());
    }
    parts.write(uploadId, number, data);
    byte[] md5 = md5(data, 0, data.length);
    Part p = new Part(number, data.length, etag(md5), crc(0, data, 0, data.length), md5);
    u.parts.put(number, p);
    return p;
  }

  public List<Part> parts(String bucket, String key, String uploadId) throws StoreError {
    return new ArrayList<>(upload(bucket, key, uploadId).parts.values());
  }

  /** Joins the listed parts (number and ETag, ascending) into the object. */
  public Meta complete(
      String bucket, String key, String uploadId, List<Map.Entry<Integer, String>> listed)
      throws StoreError {
    Upload u = upload(bucket, key, uploadId);
    List<Part> chosen = new ArrayList<>();
    int last = 0;
    for (Map.Entry<Integer, String> e : listed) {
      Part p = u.parts.get(e.getKey());
      if (p == null || !p.etag().equalsIgnoreCase(e.getValue().trim())) {
        throw new StoreError(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found or the specified "
                + "entity tag might not have matched the part's entity tag.",
            Map.of());
      }
      if (e.getKey() <= last) {
        throw new StoreError(
            400, "InvalidPartOrder", "The list of parts was not in ascending order.", Map.of());
      }
      if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).size() < flavor.minPartSize()) {
        throw new StoreError(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
            Map.of());
      }
      last = e.getKey();
      chosen.add(p);
    }
    if (uploads.remove(uploadId) == null) {
      throw new StoreError(404, "NoSuchUpload", "The specified upload does not exist.", Map.of());
    }
    Path file = objects.file(bucket, key);
    MessageDigest md5s = md5();
    long crc = 0;
    long size = 0;
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".complete-", ".tmp");
      byte[] buf = new byte[1 << 16];
      try (OutputStream out = Files.newOutputStream(tmp)) {
        for (Part p : chosen) {
          md5s.update(p.md5());
          try (InputStream in = Files.newInputStream(parts.file(uploadId, p.number()))) {
            for (int n; (n = in.read(buf)) > 0; ) {
              crc = crc(crc, buf, 0, n);
              out.write(buf, 0, n);
              size += n;
            }
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    parts.delete(uploadId);
    String etag = "\"" + hex(md5s.digest()) + "-" + chosen.size() + "\"";
    return remember(bucket, key, new Meta(size, etag, crc, false));
  }

  public void abort(String bucket, String key, String uploadId) throws StoreError {
    upload(bucket, key, uploadId);
    uploads.remove(uploadId);
    parts.delete(uploadId);
  }

  /** Returns the ids of the uploads started and neither completed nor aborted. */
  public List<String> openUploads() {
    return List.copyOf(uploads.keySet());
  }

  private Upload upload(String bucket, String key, String uploadId) throws StoreError {
    Upload u = uploads.get(uploadId);
    if (u == null || !u.bucket.equals(bucket) || !u.key.equals(key)) {
      throw new StoreError(
          404,
          "NoSuchUpload",
          "The specified upload does not exist. The upload ID may be invalid, or the "
              + "upload may have been aborted or completed.",
          Map.of());
    }
    return u;
  }

  // ---- digests

  private Meta scan(Path file, boolean appendable) {
    MessageDigest md5 = md5();
    long crc = 0;
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md5.update(buf, 0, n);
        crc = crc(crc, buf, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Meta(size, etag(md5.digest()), crc, appendable);
  }

  private String etag(byte[] md5) {
    return "\"" + hex(md5) + "\"";
  }

  private String hex(byte[] bytes) {
    return flavor.upperCaseEtag()
        ? HexFormat.of().withUpperCase().formatHex(bytes)
        : HexFormat.of().formatHex(bytes);
  }

  private static byte[] md5(byte[] data, int off, int len) {
    MessageDigest d = md5();
    d.update(data, off, len);
    return d.digest();
  }

  private static MessageDigest md5() {
    return Hashes.digest("MD5");
  }

  /** CRC-64/XZ continued from {@code crc} (0 for none), a byte at a time. */
  public static long crc(long crc, byte[] data, int off, int len) {
    long c = ~crc;
    for (int i = off; i < off + len; i++) {
      c = TABLE[(int) ((c ^ data[i]) & 0xff)] ^ (c >>> 8);
    }
    return ~c;
  }

  private static long[] table() {
    long[] t = new long[256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xC96C5795D7870F42L : c >>> 1;
      }
      t[i] = c;
    }
    return t;
  }

  private static String id(String bucket, String key) {
    return bucket + "/" + key;
  }
}
