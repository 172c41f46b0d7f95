package dev.mediaflow.qiniu;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Qiniu's etag ("qetag"), the {@code hash} Kodo answers for an object: for at most 4 MiB, {@code
 * urlsafe_b64(0x16 ‖ sha1(data))}; beyond, {@code urlsafe_b64(0x96 ‖ sha1(sha1(block1) ‖
 * sha1(block2) ‖ …))} over 4 MiB blocks. A resumable (v2) upload whose parts are not 4 MiB gets
 * {@code urlsafe_b64(0x9e ‖ sha1(etag(part1)[1:] ‖ etag(part2)[1:] ‖ …))} ({@link #ofParts}).
 * Streaming: never holds more than one SHA-1 state. Not thread-safe.
 */
final class QEtag {
  /** The block size of the classic etag. */
  public static final int BLOCK = 4 << 20;

  private final ByteArrayOutputStream blockDigests = new ByteArrayOutputStream();
  private MessageDigest block = sha1();
  private long inBlock;
  private long total;

  public void update(byte[] bytes, int offset, int length) {
    int at = offset;
    int end = offset + length;
    while (at < end) {
      int n = (int) Math.min(end - at, BLOCK - inBlock);
      block.update(bytes, at, n);
      inBlock += n;
      total += n;
      at += n;
      if (inBlock == BLOCK) {
        blockDigests.writeBytes(block.digest());
        block = sha1();
        inBlock = 0;
      }
    }
  }

  /** Returns the etag of the bytes so far; call once. */
  public String finish() {
    if (inBlock > 0 || total == 0) {
      blockDigests.writeBytes(block.digest());
    }
    byte[] digests = blockDigests.toByteArray();
    if (digests.length == 20) {
      return encode((byte) 0x16, digests);
    }
    return encode((byte) 0x96, sha1().digest(digests));
  }

  /** Returns the etag of {@code data}. */
  public static String of(byte[] data) {
    QEtag e = new QEtag();
    e.update(data, 0, data.length);
    return e.finish();
  }

  /**
   * Returns the etag of an object stored from parts, given each part's etag and size in order: the
   * classic etag when every part but the last is 4 MiB (the blocks are the parts), else Qiniu's v2
   * form.
   */
  public static String ofParts(List<String> partEtags, List<Long> sizes) {
    if (partEtags.size() == 1) {
      return partEtags.get(0);
    }
    boolean blocks = true;
    for (int i = 0; i < sizes.size() - 1; i++) {
      blocks &= sizes.get(i) == BLOCK;
    }
    blocks &= sizes.get(sizes.size() - 1) <= BLOCK;
    MessageDigest joined = sha1();
    for (String etag : partEtags) {
      byte[] raw = Base64.getUrlDecoder().decode(etag);
      joined.update(raw, 1, raw.length - 1);
    }
    return encode(blocks ? (byte) 0x96 : (byte) 0x9e, joined.digest());
  }

  private static String encode(byte prefix, byte[] sha1) {
    byte[] out = new byte[21];
    out[0] = prefix;
    System.arraycopy(sha1, 0, out, 1, 20);
    return Base64.getUrlEncoder().encodeToString(out);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
