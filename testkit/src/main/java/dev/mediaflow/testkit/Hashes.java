package dev.mediaflow.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests and MACs the fakes check signatures and answer ETags with, from the JDK alone.
 * Stateless.
 */
public final class Hashes {
  private Hashes() {}

  /**
   * Returns {@code algorithm} ({@code HmacSHA1}, {@code HmacSHA256}) of {@code data} under {@code
   * key}.
   */
  public static byte[] hmac(String algorithm, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code algorithm} of the UTF-8 bytes of {@code data} under {@code key}. */
  public static byte[] hmac(String algorithm, byte[] key, String data) {
    return hmac(algorithm, key, data.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a fresh {@code algorithm} ({@code MD5}, {@code SHA-1}, {@code SHA-256}) digest. */
  public static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code algorithm} of {@code data}. */
  public static byte[] digest(String algorithm, byte[] data) {
    return digest(algorithm).digest(data);
  }

  /** Returns the lower-case hex SHA-256 of {@code data}. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(digest("SHA-256", data));
  }

  /** Compares two texts in time independent of where they differ, as signature checks must. */
  public static boolean same(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8),
        (given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
  }
}
