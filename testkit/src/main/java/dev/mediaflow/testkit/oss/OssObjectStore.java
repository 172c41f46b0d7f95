package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.PartFiles;
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
 * The fake OSS server's object bookkeeping: ETag, CRC-64 and appendability per object (computed by
 * streaming, cached), multipart uploads with their parts on disk, and appends. Large objects are
 * never held in memory. Thread-safe.
 */
final class OssObjectStore {
  /** An OSS error: status, code, message, and extra headers. */
  static final class OssError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final Map<String, String> headers;

    OssError(int status, String code, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.headers = headers;
    }
  }

  /** What OSS answers about an object. */
  record Meta(long size, String etag, long crc, boolean appendable) {}

  record Part(int number, long size, String etag, long crc, byte[] md5) {}

  private record Upload(String bucket, String key, Map<Integer, Part> parts) {}

  private static final long[] TABLE = table();

  private final FakeObjects objects;
  private final PartFiles parts;

  /**
   * Cached metas, valid while the file keeps the size and modification time they were computed for.
   */
  private final Map<String, Cached> metas = new ConcurrentHashMap<>();

  private record Cached(Meta meta, long size, long modified) {}

  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /** The {@code Content-Type} each object was stored with, as OSS keeps it. */
  private final Map<String, String> contentTypes = new ConcurrentHashMap<>();

  OssObjectStore(FakeObjects objects) {
    this.objects = objects;
    this.parts = new PartFiles(objects.root().resolve(".uploads"));
  }

  Optional<Meta> meta(String bucket, String key) {
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

  Meta put(String bucket, String key, byte[] data) {
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
  Meta adopt(String bucket, String key, Path tmp, boolean replace) throws IOException {
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
  void contentType(String bucket, String key, String sent) {
    contentTypes.put(
        id(bucket, key), sent == null || sent.isBlank() ? guessType(key) : sent.trim());
  }

  /** Returns the {@code Content-Type} of a stored object. */
  String contentType(String bucket, String key) {
    return contentTypes.getOrDefault(id(bucket, key), guessType(key));
  }

  /** The type OSS gives an object stored without one, from its extension. */
  static String guessType(String key) {
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

  void delete(String bucket, String key) throws IOException {
    contentTypes.remove(id(bucket, key));
    metas.remove(id(bucket, key));
    Files.deleteIfExists(objects.file(bucket, key));
  }

  // ---- append

  synchronized Meta append(String bucket, String key, long position, byte[] data) throws OssError {
    Optional<Meta> now = meta(bucket, key);
    if (now.isPresent() && !now.get().appendable()) {
      throw new OssError(409, "ObjectNotAppendable", "The object is not appendable", Map.of());
    }
    long length = now.map(Meta::size).orElse(0L);
    if (position != length) {
      throw new OssError(
          409,
          "PositionNotEqualToLength",
          "Position is not equal to file length",
          Map.of("x-oss-next-append-position", String.valueOf(length)));
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

  String initiate(String bucket, String key) {
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    uploads.put(id, new Upload(bucket, key, new ConcurrentSkipListMap<>()));
    return id;
  }

  Part putPart(String bucket, String key, String uploadId, int number, byte[] data)
      throws OssError {
    Upload u = upload(bucket, key, uploadId);
    if (number < 1 || number > 10_000) {
      throw new OssError(
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

  List<Part> parts(String bucket, String key, String uploadId) throws OssError {
    return new ArrayList<>(upload(bucket, key, uploadId).parts.values());
  }

  /** Joins the listed parts (number and ETag, ascending) into the object. */
  Meta complete(String bucket, String key, String uploadId, List<Map.Entry<Integer, String>> listed)
      throws OssError {
    Upload u = upload(bucket, key, uploadId);
    List<Part> chosen = new ArrayList<>();
    int last = 0;
    for (Map.Entry<Integer, String> e : listed) {
      Part p = u.parts.get(e.getKey());
      if (p == null || !p.etag().equalsIgnoreCase(e.getValue().trim())) {
        throw new OssError(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found or the specified "
                + "entity tag might not have matched the part's entity tag.",
            Map.of());
      }
      if (e.getKey() <= last) {
        throw new OssError(
            400, "InvalidPartOrder", "The list of parts was not in ascending order.", Map.of());
      }
      if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).size() < 100 * 1024) {
        throw new OssError(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
            Map.of());
      }
      last = e.getKey();
      chosen.add(p);
    }
    if (uploads.remove(uploadId) == null) {
      throw new OssError(404, "NoSuchUpload", "The specified upload does not exist.", Map.of());
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
    String etag =
        "\"" + HexFormat.of().withUpperCase().formatHex(md5s.digest()) + "-" + chosen.size() + "\"";
    return remember(bucket, key, new Meta(size, etag, crc, false));
  }

  void abort(String bucket, String key, String uploadId) throws OssError {
    upload(bucket, key, uploadId);
    uploads.remove(uploadId);
    parts.delete(uploadId);
  }

  /** Returns the ids of the uploads started and neither completed nor aborted. */
  List<String> openUploads() {
    return List.copyOf(uploads.keySet());
  }

  private Upload upload(String bucket, String key, String uploadId) throws OssError {
    Upload u = uploads.get(uploadId);
    if (u == null || !u.bucket.equals(bucket) || !u.key.equals(key)) {
      throw new OssError(
          404,
          "NoSuchUpload",
          "The specified upload does not exist. The upload ID may be invalid, or the "
              + "upload may have been aborted or completed.",
          Map.of());
    }
    return u;
  }

  // ---- digests

  private static Meta scan(Path file, boolean appendable) {
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

  private static String etag(byte[] md5) {
    return "\"" + HexFormat.of().withUpperCase().formatHex(md5) + "\"";
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
  static long crc(long crc, byte[] data, int off, int len) {
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
