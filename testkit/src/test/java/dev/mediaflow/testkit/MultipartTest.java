package dev.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {
  @TempDir Path temp;

  private static byte[] body(String boundary, byte[] file) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(
        ("preamble\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nin/a b.jpg\r\n--"
                + boundary
                + "\r\ncontent-disposition: form-data; name=\"empty\"\r\n\r\n\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    b.write(file);
    b.write(("\r\n--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  @Test
  void read_keepsFieldsInOrder_andStreamsTheFileToDisk_evenWhenItLooksLikeTheDelimiter()
      throws Exception {
    String boundary = "XyZ";
    byte[] file = new byte[300_000];
    new Random(5).nextBytes(file);
    // Near-delimiters inside the content: a prefix of the delimiter, and a CRLF-- run.
    byte[] tricky = "\r\n--Xy\r\n\r\n--XyQ\r\r\n-\r\n--X".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tricky, 0, file, 1000, tricky.length);
    System.arraycopy(tricky, 0, file, file.length - tricky.length, tricky.length);
    try (Multipart form =
        Multipart.read(new ByteArrayInputStream(body(boundary, file)), boundary, temp)) {
      assertThat(form.parts())
          .extracting(Multipart.Part::name)
          .containsExactly("key", "empty", "file");
      assertThat(form.field("key")).hasValue("in/a b.jpg");
      assertThat(form.field("empty")).hasValue("");
      Multipart.Part part = form.part("file").orElseThrow();
      assertThat(part.isFile()).isTrue();
      assertThat(part.filename()).isEqualTo("a.jpg");
      assertThat(part.contentType()).isEqualTo("image/jpeg");
      assertThat(part.size()).isEqualTo(file.length);
      assertThat(Files.readAllBytes(part.file())).isEqualTo(file);
      form.close();
      assertThat(Files.exists(part.file())).isFalse();
    }
  }

  @Test
  void boundary_readsQuotedAndBareValues_andOnlyForFormData() {
    assertThat(Multipart.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""))
        .isEqualTo("a b");
    assertThat(Multipart.boundary("application/json")).isNull();
    assertThat(Multipart.boundary(null)).isNull();
  }

  @Test
  void truncatedBody_isMalformed_andLeavesNoFileBehind() throws Exception {
    byte[] whole = body("b", new byte[5000]);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 20);
    assertThatThrownBy(() -> Multipart.read(new ByteArrayInputStream(cut), "b", temp))
        .isInstanceOf(Multipart.MalformedException.class);
    try (var files = Files.list(temp)) {
      assertThat(files).isEmpty();
    }
    assertThatThrownBy(
            () ->
                Multipart.read(
                    new ByteArrayInputStream("no delimiter".getBytes(StandardCharsets.UTF_8)),
                    "b",
                    temp))
        .isInstanceOf(Multipart.MalformedException.class);
  }
}
