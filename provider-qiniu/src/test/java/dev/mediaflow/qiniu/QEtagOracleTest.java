package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.util.Etag;
import com.qiniu.util.EtagV2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our qetag against the official Java SDK's {@code Etag} and {@code EtagV2}, and the vectors in
 * {@code docs/vendor-notes.md}.
 */
class QEtagOracleTest {
  static final int MIB = 1 << 20;

  @Test
  void vectorsFromTheReference() {
    assertThat(QEtag.of(new byte[0])).isEqualTo("Fto5o-5ea0sNMlW_75VgGJCv2AcJ");
    assertThat(QEtag.of("hello".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("Fqr0xh3cxeii2r7eDztILNmuqUNN");
    byte[] d = new byte[4 * MIB + 1];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (i % 251);
    }
    assertThat(QEtag.of(d)).isEqualTo("lgV4TNEnA2AXSRVyDqVW4bohMKad");
  }

  @Test
  void matchesTheSdkAtAndAroundBlockBoundariesFedInRandomChunks() {
    Random random = new Random(6);
    for (int size :
        new int[] {1, 4 * MIB - 1, 4 * MIB, 4 * MIB + 1, 8 * MIB, 8 * MIB + 3, 12 * MIB - 5}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      QEtag e = new QEtag();
      for (int off = 0; off < size; ) {
        int n = Math.min(size - off, 1 + random.nextInt(3 * MIB));
        e.update(data, off, n);
        off += n;
      }
      assertThat(e.finish()).as("size %d", size).isEqualTo(Etag.data(data));
    }
  }

  @Test
  void partsCombineAsTheSdksEtagV2AndAsTheClassicEtagForFourMiBParts() {
    Random random = new Random(7);
    // EtagV2 throws when the size is an exact multiple of the part size (docs/vendor-notes.md,
    // "qetag"): those
    // sizes are checked against the classic etag (4 MiB parts) or skipped for other part sizes.
    int[][] cases = {
      {3 * MIB + 5, MIB},
      {5 * MIB + 1, 2 * MIB},
      {9 * MIB + 7, 4 * MIB},
      {8 * MIB, 4 * MIB},
      {4 * MIB + 1, 4 * MIB},
      {11 * MIB + 3, 5 * MIB},
      {2 * MIB + 1, MIB}
    };
    for (int[] c : cases) {
      int size = c[0];
      int part = c[1];
      byte[] data = new byte[size];
      random.nextBytes(data);
      List<String> etags = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (int off = 0; off < size; off += part) {
        int n = Math.min(part, size - off);
        QEtag e = new QEtag();
        e.update(data, off, n);
        etags.add(e.finish());
        sizes.add((long) n);
      }
      String ours = QEtag.ofParts(etags, sizes);
      if (part == 4 * MIB) {
        assertThat(ours).as("size %d in 4 MiB parts", size).isEqualTo(Etag.data(data));
      }
      if (size % part != 0) {
        assertThat(ours)
            .as("size %d in parts of %d", size, part)
            .isEqualTo(EtagV2.data(data, part));
      }
    }
  }
}
