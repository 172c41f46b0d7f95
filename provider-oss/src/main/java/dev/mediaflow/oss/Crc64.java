package dev.mediaflow.oss;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC-64/XZ, the checksum OSS answers in {@code x-oss-hash-crc64ecma}: the ECMA-182 polynomial, reflected
 * ({@code 0xC96C5795D7870F42}), initial value and final XOR all ones. {@code "123456789"} gives
 * {@code 11051210869376104954}. Table-driven, eight bytes per step; {@link #combine} joins the CRCs of two
 * adjacent pieces without reading them again, which is how a multipart upload's parts become the whole
 * object's CRC. Not thread-safe.
 */
public final class Crc64 implements Checksum {
  /** The reflected ECMA-182 polynomial. */
  public static final long POLY = 0xC96C5795D7870F42L;

  private static final long[][] TABLES = tables();
  /**
   * x<sup>2<sup>k</sup></sup> modulo the polynomial, in the reflected bit order, for k = 0..65: a length in
   * bytes (below 2<sup>63</sup>) is x<sup>8n</sup>, so its bits reach k = 3 + 62.
   */
  private static final long[] X2N = x2n();
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long crc;

  public Crc64() {}

  /** Continues from {@code crc}, the CRC of the bytes before these (as an append does). */
  public Crc64(long crc) {
    this.crc = crc;
  }

  /** Returns the CRC of {@code bytes}. */
  public static long of(byte[] bytes) {
    Crc64 c = new Crc64();
    c.update(bytes, 0, bytes.length);
    return c.getValue();
  }

  @Override
  public void update(int b) {
    long c = ~crc;
    c = TABLES[0][(int) ((c ^ b) & 0xff)] ^ (c >>> 8);
    crc = ~c;
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long c = ~crc;
    int i = off;
    int end = off + len;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    for (; end - i >= 8; i += 8) {
      c ^= (long) LONGS.get(b, i);
      c = t7[(int) (c & 0xff)] ^ t6[(int) ((c >>> 8) & 0xff)] ^ t5[(int) ((c >>> 16) & 0xff)]
          ^ t4[(int) ((c >>> 24) & 0xff)] ^ t3[(int) ((c >>> 32) & 0xff)] ^ t2[(int) ((c >>> 40) & 0xff)]
          ^ t1[(int) ((c >>> 48) & 0xff)] ^ t0[(int) (c >>> 56)];
    }
    for (; i < end; i++) {
      c = t0[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
    }
    crc = ~c;
  }

  /** Returns the CRC as a signed long; print it with {@link Long#toUnsignedString(long)}, as OSS does. */
  @Override
  public long getValue() {
    return crc;
  }

  @Override
  public void reset() {
    crc = 0;
  }

  /**
   * Returns the CRC of {@code A ‖ B} from {@code crcA = CRC(A)}, {@code crcB = CRC(B)} and B's length: crcA
   * multiplied by x<sup>8·lengthB</sup> modulo the polynomial, then XORed with crcB (zlib 1.2.12's method, from a
   * table of x<sup>2<sup>k</sup></sup>; no allocation, at most 64 multiplications). This is how a multipart
   * upload's parts become the whole object's CRC.
   */
  public static long combine(long crcA, long crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    return multiply(xPow8n(lengthB), crcA) ^ crcB;
  }

  /** x<sup>8n</sup> modulo the polynomial (n bytes of zeros). */
  private static long xPow8n(long n) {
    long p = 1L << 63; // x^0
    for (int k = 3; n != 0; n >>>= 1, k++) {
      if ((n & 1) != 0) {
        p = multiply(X2N[k], p);
      }
    }
    return p;
  }

  /** a·b modulo the polynomial, reflected (bit 63 is x<sup>0</sup>). */
  private static long multiply(long a, long b) {
    long product = 0;
    for (long m = 1L << 63; m != 0; m >>>= 1) {
      if ((a & m) != 0) {
        product ^= b;
        if ((a & (m - 1)) == 0) {
          break;
        }
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
    }
    return product;
  }

  private static long[] x2n() {
    long[] t = new long[66];
    long p = 1L << 62; // x^1
    t[0] = p;
    for (int k = 1; k < t.length; k++) {
      t[k] = p = multiply(p, p);
    }
    return t;
  }

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
      }
      t[0][i] = c;
    }
    for (int i = 0; i < 256; i++) {
      for (int k = 1; k < 8; k++) {
        t[k][i] = (t[k - 1][i] >>> 8) ^ t[0][(int) (t[k - 1][i] & 0xff)];
      }
    }
    return t;
  }
}
