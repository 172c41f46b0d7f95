package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake Qiniu's objects: {@code stat} on the rs host, downloads at {@code /dl/<bucket>/<key>},
 * and the hash each upload answered, with the qetag computed independently of the provider's.
 * Thread-safe.
 */
final class QiniuObjects {
  private record StoredHash(String hash, long size, FileTime modified) {}

  private final FakeObjects objects;
  private final QiniuReplies replies;

  /**
   * The hash Qiniu answered for each object an upload stored, with the file's size and time then.
   */
  private final Map<String, StoredHash> hashes = new ConcurrentHashMap<>();

  QiniuObjects(FakeObjects objects, QiniuReplies replies) {
    this.objects = objects;
    this.replies = replies;
  }

  /** Remembers the hash an upload answered for an object just written, as Qiniu keeps it. */
  void stored(String bucket, String key, String hash) throws IOException {
    Path file = objects.file(bucket, key);
    hashes.put(
        bucket + "\n" + key,
        new StoredHash(hash, Files.size(file), Files.getLastModifiedTime(file)));
  }

  /**
   * {@code /stat/<EncodedEntryURI>} on the rs host: the object's size, hash, MIME type and put
   * time, or 612. The hash is the one its upload answered (for parts that are not 4 MiB, the v2
   * etag of the parts), else the qetag of its bytes.
   */
  Reply stat(String encodedEntry) throws IOException {
    String entry;
    try {
      entry = QiniuFops.b64("EncodedEntryURI", encodedEntry);
    } catch (QiniuFops.Invalid e) {
      return replies.error(400, e.getMessage());
    }
    int colon = entry.indexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      return replies.error(400, "invalid EncodedEntryURI: expected <bucket>:<key>");
    }
    String bucket = entry.substring(0, colon);
    String key = entry.substring(colon + 1);
    Path file;
    try {
      file = objects.file(bucket, key);
    } catch (IllegalArgumentException e) {
      return replies.error(400, "invalid EncodedEntryURI: " + e.getMessage());
    }
    if (!Files.isRegularFile(file)) {
      return replies.error(612, "no such file or directory");
    }
    long size = Files.size(file);
    FileTime modified = Files.getLastModifiedTime(file);
    StoredHash known = hashes.get(bucket + "\n" + key);
    String hash =
        known != null && known.size() == size && known.modified().equals(modified)
            ? known.hash()
            : etag(Files.readAllBytes(file));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fsize", size);
    out.put("hash", hash);
    out.put("mimeType", "application/octet-stream");
    out.put("putTime", modified.toMillis() * 10_000); // Qiniu counts 100 ns units
    out.put("type", 0);
    return replies.json(200, out);
  }

  /**
   * {@code GET} or {@code HEAD /dl/<bucket>/<key>}: the object's bytes, as a download domain serves
   * them.
   */
  Reply download(Request r) {
    String rest = r.path().substring("/dl/".length());
    int slash = rest.indexOf('/');
    Optional<byte[]> data = Optional.empty();
    if (slash > 0) {
      try {
        data = objects.get(rest.substring(0, slash), rest.substring(slash + 1));
      } catch (IllegalArgumentException e) {
        data = Optional.empty();
      }
    }
    if (data.isEmpty()) {
      return replies.error(404, "no such file or directory");
    }
    return Reply.body(200, "application/octet-stream", data.get());
  }

  // ---- qetag, computed independently of the provider's

  /**
   * Returns the qetag of {@code data}: SHA-1 of one block, or of the blocks' SHA-1s for more than 4
   * MiB.
   */
  static String etag(byte[] data) {
    ByteArrayOutputStream blocks = new ByteArrayOutputStream();
    int block = 4 << 20;
    if (data.length <= block) {
      return encode(0x16, Hashes.digest("SHA-1", data));
    }
    for (int off = 0; off < data.length; off += block) {
      MessageDigest d = Hashes.digest("SHA-1");
      d.update(data, off, Math.min(block, data.length - off));
      blocks.writeBytes(d.digest());
    }
    return encode(0x96, Hashes.digest("SHA-1", blocks.toByteArray()));
  }

  /**
   * Returns the etag of an object joined from parts with etags {@code partEtags} and sizes {@code
   * sizes}.
   */
  static String partsEtag(List<String> partEtags, List<Long> sizes) {
    if (partEtags.size() == 1) {
      return partEtags.get(0);
    }
    boolean fourMiB = true;
    for (int i = 0; i < sizes.size(); i++) {
      long s = sizes.get(i);
      fourMiB &= i < sizes.size() - 1 ? s == 4 << 20 : s <= 4 << 20;
    }
    MessageDigest d = Hashes.digest("SHA-1");
    for (String etag : partEtags) {
      byte[] raw = Base64.getUrlDecoder().decode(etag);
      d.update(raw, 1, 20);
    }
    return encode(fourMiB ? 0x96 : 0x9e, d.digest());
  }

  private static String encode(int prefix, byte[] sha1) {
    byte[] out = new byte[21];
    out[0] = (byte) prefix;
    System.arraycopy(sha1, 0, out, 1, 20);
    return Base64.getUrlEncoder().encodeToString(out);
  }
}
