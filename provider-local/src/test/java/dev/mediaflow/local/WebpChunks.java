package dev.mediaflow.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the chunks of a RIFF/WebP file (per the WebP container specification: FourCC,
 * little-endian size, padding).
 */
final class WebpChunks {
  private WebpChunks() {}

  static Map<String, Integer> count(byte[] file) {
    Map<String, Integer> counts = new TreeMap<>();
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int riffSize = b.getInt(4);
    if (riffSize + 8 != file.length) {
      throw new IllegalArgumentException(
          "RIFF size " + riffSize + " does not match the file length " + file.length);
    }
    int pos = 12;
    while (pos + 8 <= file.length) {
      String fourCc = new String(file, pos, 4, StandardCharsets.US_ASCII);
      int size = b.getInt(pos + 4);
      counts.merge(fourCc, 1, Integer::sum);
      if (fourCc.equals("ANMF")) {
        // An ANMF frame holds its own sub-chunks after a 16-byte header; count the image data too.
        int inner = pos + 8 + 16;
        counts.merge(
            new String(file, inner, 4, StandardCharsets.US_ASCII) + "(frame)", 1, Integer::sum);
      }
      pos += 8 + size + (size & 1);
    }
    return counts;
  }
}
