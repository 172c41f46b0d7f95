package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
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

  /** The MIME type each upload stored its object with. */
  private final Map<String, String> mimeTypes = new ConcurrentHashMap<>();

  QiniuObjects(FakeObjects objects, QiniuReplies replies) {
    this.objects = objects;
    this.replies = replies;
  }

  /**
   * Remembers the hash an upload answered for an object just written, and its MIME type: the one
   * the upload gave, or for none (or {@code application/octet-stream}) the one its key's extension
   * names, as Qiniu detects it.
   */
  void stored(String bucket, String key, String hash, String mimeType) throws IOException {
    Path file = objects.file(bucket, key);
    hashes.put(
        bucket + "\n" + key,
        new StoredHash(hash, Files.size(file), Files.getLastModifiedTime(file)));
    if (mimeType == null
        || mimeType.isBlank()
        || mimeType.equalsIgnoreCase("application/octet-stream")) {
      mimeTypes.remove(bucket + "\n" + key);
    } else {
      mimeTypes.put(bucket + "\n" + key, mimeType.trim());
    }
  }

  /**
   * Returns an object's MIME type: the one its upload stored, else the one its key's extension
   * names, else {@code application/octet-stream}.
   */
  String mimeType(String bucket, String key) {
    String stored = mimeTypes.get(bucket + "\n" + key);
    if (stored != null) {
      return stored;
    }
    // by the extension alone: the JDK's guess cuts a name at '#'
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String guessed =
        dot < 0 ? null : java.net.URLConnection.guessContentTypeFromName("x" + name.substring(dot));
    return guessed == null ? "application/octet-stream" : guessed;
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
    out.put("mimeType", mimeType(bucket, key));
    out.put("putTime", modified.toMillis() * 10_000); // Qiniu counts 100 ns units
    out.put("type", 0);
    return replies.json(200, out);
  }

  /**
   * Resolves the path after {@code /dl/<bucket>/}: the object it names, else (for a style URL,
   * {@code <key><separator><name>}) the object before the separator, with the style's fops.
   */
  Optional<Target> resolve(
      String bucket, String rest, Map<String, String> styles, String separators) {
    if (exists(bucket, rest)) {
      return Optional.of(new Target(bucket, rest, Optional.empty()));
    }
    for (Map.Entry<String, String> style : styles.entrySet()) {
      for (char sep : separators.toCharArray()) {
        String suffix = sep + style.getKey();
        if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
          String key = rest.substring(0, rest.length() - suffix.length());
          if (exists(bucket, key)) {
            return Optional.of(new Target(bucket, key, Optional.of(style.getValue())));
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What a download URL names: an object, and the fops of the style it asked for.
   *
   * @param style the style's fops, when the URL named one
   */
  record Target(String bucket, String key, Optional<String> style) {}

  private boolean exists(String bucket, String key) {
    try {
      return objects.exists(bucket, key);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * {@code GET} or {@code HEAD} of an object on a download domain: its bytes with the MIME type it
   * was stored with, and {@code Content-Disposition: attachment} when the URL has {@code attname}.
   */
  Reply download(String bucket, String key, Optional<String> attname) throws IOException {
    Path file = objects.file(bucket, key);
    Reply reply = Reply.status(200).header("Content-Type", mimeType(bucket, key));
    attname.ifPresent(n -> reply.header("Content-Disposition", disposition(n)));
    return reply.file(file, Files.size(file)).ranges();
  }

  /**
   * {@code attachment} with an ASCII {@code filename} and the UTF-8 {@code filename*} (RFC 6266).
   */
  static String disposition(String name) {
    StringBuilder ascii = new StringBuilder();
    StringBuilder encoded = new StringBuilder();
    for (char c : name.toCharArray()) {
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append(String.format("%%%02X", c));
      }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
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
