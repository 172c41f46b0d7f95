package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming form reader, fed a byte at a time so that every delimiter straddles reads. */
class LocalMultipartTest {
  static final String FORM =
      "preamble\r\n--AaB03x\r\n"
          + "Content-Disposition: form-data; name=\"key\"\r\n\r\n"
          + "a/b.txt\r\n"
          + "--AaB03x\r\n"
          + "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\dir\\x %22y%22.txt\"\r\n"
          + "Content-Type: text/plain\r\n\r\n"
          + "line one\r\n--AaB03 not yet\r\n--AaB03x--\r\nepilogue";

  static InputStream trickle(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void parts_readAcrossTinyReads() throws Exception {
    LocalMultipart form =
        LocalMultipart.of("multipart/form-data; boundary=\"AaB03x\"", trickle(FORM));
    LocalMultipart.Part key = form.next();
    assertThat(key).isEqualTo(new LocalMultipart.Part("key", null, null));
    assertThat(form.readText(100)).isEqualTo("a/b.txt");
    LocalMultipart.Part file = form.next();
    assertThat(file.name()).isEqualTo("file");
    assertThat(file.fileName()).isEqualTo("C:\\dir\\x %22y%22.txt");
    assertThat(file.contentType()).isEqualTo("text/plain");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[3];
    for (int n; (n = form.read(buf, 0, buf.length)) >= 0; ) {
      out.write(buf, 0, n);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("line one\r\n--AaB03 not yet");
    LocalMultipart.Part empty = form.next();
    assertThat(empty).isNull();
  }

  @Test
  void truncatedBody_isMalformed() throws Exception {
    LocalMultipart form =
        LocalMultipart.of(
            "multipart/form-data; boundary=AaB03x",
            trickle(FORM.substring(0, FORM.indexOf("line one") + 4)));
    form.next();
    form.readText(100);
    form.next();
    byte[] buf = new byte[100];
    assertThatThrownBy(
            () -> {
              while (form.read(buf, 0, buf.length) >= 0) {
                // until the body ends
              }
            })
        .isInstanceOf(LocalMultipart.Malformed.class);
  }

  @Test
  void notAForm_isMalformed() {
    assertThatThrownBy(() -> LocalMultipart.of("application/json", trickle("")))
        .isInstanceOf(LocalMultipart.Malformed.class);
    assertThatThrownBy(() -> LocalMultipart.of("multipart/form-data", trickle("")))
        .isInstanceOf(LocalMultipart.Malformed.class);
  }
}
