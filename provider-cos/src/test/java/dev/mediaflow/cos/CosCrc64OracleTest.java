package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.utils.CRC64;
import dev.mediaflow.internal.Crc64;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CRC-64 shared with OSS against the COS Java SDK's own ({@code com.qcloud.cos.utils.CRC64}),
 * which it uses for {@code x-cos-hash-crc64ecma}, and the combination of parts against the SDK over
 * the whole.
 */
class CosCrc64OracleTest {
  @Test
  void matchesTheCosSdk_overRandomInputs_andCombinesParts() {
    Random random = new Random(19);
    for (int i = 0; i < 200; i++) {
      byte[] data = new byte[random.nextInt(20_000)];
      random.nextBytes(data);
      CRC64 sdk = new CRC64();
      sdk.update(data, data.length);
      assertThat(Crc64.of(data)).isEqualTo(sdk.getValue());

      int cut = data.length == 0 ? 0 : random.nextInt(data.length);
      long a = Crc64.of(Arrays.copyOfRange(data, 0, cut));
      long b = Crc64.of(Arrays.copyOfRange(data, cut, data.length));
      assertThat(Crc64.combine(a, b, data.length - cut)).isEqualTo(sdk.getValue());
    }
  }

  @Test
  void checkValue_isCrc64Xz() {
    CRC64 sdk = new CRC64();
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    sdk.update(check, check.length);
    assertThat(Long.toUnsignedString(sdk.getValue())).isEqualTo("11051210869376104954");
    assertThat(Crc64.of(check)).isEqualTo(sdk.getValue());
  }
}
