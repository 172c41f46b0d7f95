package dev.mediaflow.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadTarget;
import org.junit.jupiter.api.Test;

/** The upload value types: absent parts are null when made and empty Optionals when read. */
class UploadValuesTest {
  private static final MediaObject O = MediaObject.of("media", "raw/in.bin");

  @Test
  void callback_hasNoHostUntilOneIsSet_andRefusesNonsense() {
    UploadCallback c = UploadCallback.json("https://app.example.com/cb", "{\"k\":\"${object}\"}");
    assertThat(c.host()).isEmpty();
    assertThat(c.json()).isTrue();
    UploadCallback h = c.withHost("app.example.com");
    assertThat(h.host()).contains("app.example.com");
    assertThat(h.url()).isEqualTo(c.url());
    assertThat(h).isNotEqualTo(c).isEqualTo(c.withHost("app.example.com"));
    assertThat(UploadCallback.form("http://a/cb", "k=1").json()).isFalse();
    assertThatThrownBy(() -> UploadCallback.form("ftp://a/cb", "k=1"))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> UploadCallback.form("http://a/cb", ""))
        .isInstanceOf(MediaValidationException.class);
  }

  @Test
  void targetAndStoredObject_readNullsAsEmpty() {
    UploadTarget t = UploadTarget.of(O, null, null, null);
    assertThat(t).isEqualTo(UploadTarget.of(O));
    assertThat(t.contentType()).isEmpty();
    assertThat(t.process()).isEmpty();
    assertThat(t.callback()).isEmpty();
    assertThat(UploadTarget.of(O, "video/mp4", null, null).contentType()).contains("video/mp4");

    StoredObject s = StoredObject.of("\"e\"", null);
    assertThat(s.checksum()).isEmpty();
    assertThat(s.job()).isEmpty();
    assertThat(s.callbackResponse()).isEmpty();
    StoredObject full = StoredObject.of("\"e\"", "123", JobId.of("oss", "j1"), "OK");
    assertThat(full.checksum()).contains("123");
    assertThat(full.job()).contains(JobId.of("oss", "j1"));
    assertThat(full.callbackResponse()).contains("OK");
  }

  @Test
  void result_withJob_keepsTheRest() {
    UploadResult r = new UploadResult(O, 10, "\"e\"", "crc64ecma", "123", 1, 0, null, null);
    assertThat(r.job()).isEmpty();
    assertThat(r.callbackResponse()).isEmpty();
    UploadResult j = r.withJob(JobId.of("oss", "j1"));
    assertThat(j.job()).contains(JobId.of("oss", "j1"));
    assertThat(j)
        .isEqualTo(
            new UploadResult(
                O, 10, "\"e\"", "crc64ecma", "123", 1, 0, JobId.of("oss", "j1"), null));
    assertThat(j.toString()).contains("raw/in.bin").contains("crc64ecma=123");
  }
}
