package dev.mediaflow.cos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads test files under {@code src/test/resources/fixtures/cos/}. */
final class Fixtures {
  private Fixtures() {}

  static byte[] read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/cos/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
