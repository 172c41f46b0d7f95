package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import dev.mediaflow.internal.Crc64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our CRC-64 against the official SDK's ({@code aliyun-sdk-oss} {@code CRC64}) and the CRC-64/XZ
 * check value, which the SDK's {@code CRC64UtilTest} asserts too.
 */
class Crc64OracleTest {
  @Test
  void checkValueFromTheReference() {
    long crc = Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(Long.toUnsignedString(crc)).isEqualTo("11051210869376104954");
    assertThat(crc).isEqualTo(-7395533204333446662L);
    assertThat(Crc64.of(new byte[0])).isZero();
  }

  @Test
  void matchesTheOfficialSdkOverRandomInputsAndOffsets() {
    Random random = new Random(64);
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[random.nextInt(5000)];
      random.nextBytes(data);
      int off = data.length == 0 ? 0 : random.nextInt(data.length);
      int len = data.length - off == 0 ? 0 : random.nextInt(data.length - off);
      CRC64 sdk = new CRC64();
      sdk.update(data, off, len);
      Crc64 ours = new Crc64();
      ours.update(data, off, len);
      assertThat(ours.getValue()).as("length %d offset %d", len, off).isEqualTo(sdk.getValue());
    }
  }

  @Test
  void matchesTheOfficialSdkOverLongInputsRunInLanes() {
    // long updates run three 4 KiB lanes side by side: sizes around multiples of 12 KiB, at every
    // alignment
    Random random = new Random(63);
    List<Integer> sizes =
        new ArrayList<>(
            List.of(
                12 * 1024 - 1,
                12 * 1024,
                12 * 1024 + 1,
                12 * 1024 + 8,
                24 * 1024 + 7,
                16 * 1024,
                1 << 20));
    for (int i = 0; i < 40; i++) {
      sizes.add(random.nextInt(200_000));
    }
    for (int size : sizes) {
      byte[] data = new byte[size + 8];
      random.nextBytes(data);
      for (int off = 0; off < 8; off++) {
        CRC64 sdk = new CRC64();
        sdk.update(data, off, size);
        Crc64 ours = new Crc64(0x0123456789abcdefL); // continuing from an earlier CRC too
        ours.update(data, off, size);
        Crc64 fresh = new Crc64();
        fresh.update(data, off, size);
        assertThat(fresh.getValue()).as("size %d offset %d", size, off).isEqualTo(sdk.getValue());
        assertThat(ours.getValue())
            .as("continued, size %d offset %d", size, off)
            .isEqualTo(Crc64.combine(0x0123456789abcdefL, sdk.getValue(), size));
      }
    }
  }

  @Test
  void combiningPartsMatchesTheSdkAndTheWholeAtPartBoundaries() {
    Random random = new Random(65);
    int part = 100 * 1024;
    for (int size : new int[] {1, part - 1, part, part + 1, 2 * part, 3 * part, 3 * part + 7}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      long folded = 0;
      long sdkFolded = 0;
      for (int off = 0; off < size; off += part) {
        int len = Math.min(part, size - off);
        Crc64 c = new Crc64();
        c.update(data, off, len);
        CRC64 s = new CRC64();
        s.update(data, off, len);
        folded = Crc64.combine(folded, c.getValue(), len);
        sdkFolded = CRC64.combine(sdkFolded, s.getValue(), len);
      }
      CRC64 whole = new CRC64();
      whole.update(data, size);
      assertThat(folded).as("size %d", size).isEqualTo(whole.getValue()).isEqualTo(sdkFolded);
    }
  }

  @Test
  void combiningMatchesTheSdkForLengthsUpToTheLargestObject() {
    Random random = new Random(66);
    List<Long> lengths =
        new ArrayList<>(
            List.of(1L, 7L, 8L, 4096L, 5L << 30, 48_800L << 30, (1L << 62) + 1, Long.MAX_VALUE));
    for (int i = 0; i < 200; i++) {
      lengths.add((random.nextLong() >>> (1 + random.nextInt(63))) | 1);
    }
    for (long length : lengths) {
      long a = random.nextLong();
      long b = random.nextLong();
      assertThat(Crc64.combine(a, b, length))
          .as("length %d", length)
          .isEqualTo(CRC64.combine(a, b, length));
    }
  }

  @Test
  void continuingFromAPreviousCrcIsAnAppend() {
    byte[] a = "hello ".getBytes(StandardCharsets.US_ASCII);
    byte[] b = "world".getBytes(StandardCharsets.US_ASCII);
    Crc64 c = new Crc64(Crc64.of(a));
    c.update(b, 0, b.length);
    assertThat(c.getValue()).isEqualTo(Crc64.of("hello world".getBytes(StandardCharsets.US_ASCII)));
  }
}
