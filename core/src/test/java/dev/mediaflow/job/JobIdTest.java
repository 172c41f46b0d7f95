package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JobIdTest {
  @Test
  void simpleId_readsNaturally() {
    JobId id = JobId.of("qiniu", "z0.6637d2c5e3d0041bf0ba7a32");
    assertThat(id).hasToString("qiniu:z0.6637d2c5e3d0041bf0ba7a32");
    assertThat(JobId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void fullId_withInstanceIdsAndAttributes_roundTrips() {
    JobId id =
        JobId.of(
            "oss",
            "east",
            List.of("MediaConvert-abc", "MediaConvert-def"),
            Map.of("b", "media", "k0", "out/a b+c?.mp4", "k1", "视频/x,y"));
    String s = id.toString();
    assertThat(s)
        .startsWith("oss@east:MediaConvert-abc,MediaConvert-def?b=media&k0=out%2Fa%20b%2Bc%3F.mp4");
    assertThat(JobId.parse(s)).isEqualTo(id);
    assertThat(JobId.parse(s).instance()).contains("east");
    assertThat(JobId.parse(s).attribute("k1")).contains("视频/x,y");
  }

  @Test
  void randomIds_roundTripExactly() {
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      List<String> ids = new ArrayList<>();
      for (int j = 0; j <= r.nextInt(3); j++) {
        ids.add(randomText(r));
      }
      Map<String, String> attrs = new TreeMap<>();
      for (int j = 0; j < r.nextInt(3); j++) {
        attrs.put(randomText(r), r.nextBoolean() ? randomText(r) : "");
      }
      JobId id = JobId.of("p" + r.nextInt(10), r.nextBoolean() ? null : randomText(r), ids, attrs);
      assertThat(JobId.parse(id.toString())).isEqualTo(id);
    }
  }

  private static final int[] CODE_POINTS =
      "aZ09-._~:,?&=@%/ +#\u00e9\u4e2d\ud83d\ude00".codePoints().toArray();

  private static String randomText(Random r) {
    StringBuilder s = new StringBuilder();
    for (int n = 1 + r.nextInt(8); n > 0; n--) {
      s.appendCodePoint(CODE_POINTS[r.nextInt(CODE_POINTS.length)]);
    }
    return s.toString();
  }

  @Test
  void withInstance_ofProviderName_isTheDefault() {
    JobId id = JobId.of("oss", "T1");
    assertThat(id.withInstance("oss")).isEqualTo(id);
    assertThat(id.withInstance("east").instance()).contains("east");
  }

  @Test
  void parse_malformed_failsClearly() {
    for (String bad :
        new String[] {
          "", "z0.abc", ":abc", "OSS:abc", "oss:", "oss:a,,b", "oss:a b", "oss:a%2", "oss:a?x"
        }) {
      assertThatThrownBy(() -> JobId.parse(bad))
          .as(bad)
          .isInstanceOf(MediaValidationException.class);
    }
  }
}
