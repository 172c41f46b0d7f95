package dev.mediaflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.ImageResize;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UrlOptionsTest {
  @Test
  void defaults_areASignedUrlOfTheOriginalForAnHour() {
    UrlOptions o = UrlOptions.defaults();
    assertThat(o.expiry()).isEqualTo(Duration.ofHours(1));
    assertThat(o.isUnsigned()).isFalse();
    assertThat(o.steps()).isEmpty();
    assertThat(o.style()).isEmpty();
    assertThat(o.downloadName()).isEmpty();
  }

  @Test
  void stepsAndStyle_together_areRefused() {
    assertThatThrownBy(
            () ->
                UrlOptions.builder()
                    .style("thumb")
                    .process(ImageResize.builder().width(10).build())
                    .build())
        .isInstanceOfSatisfying(
            MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("style"));
  }

  @Test
  void styleNames_thatCouldChangeTheUrl_areRefused() {
    for (String bad :
        new String[] {"a/b", "a&x-oss-process=video", "a?b", "", "a b", "a%2F", "../x"}) {
      assertThatThrownBy(() -> UrlOptions.builder().style(bad))
          .as(bad)
          .isInstanceOf(MediaValidationException.class);
    }
    assertThat(UrlOptions.builder().style("thumb_320.v2-x").build().style())
        .contains("thumb_320.v2-x");
  }

  @Test
  void downloadNames_takeAnyUnicode_butNoPathOrControlCharacters() {
    assertThat(
            UrlOptions.builder().downloadName("报告 2026 \"final\"; a=b.pdf").build().downloadName())
        .contains("报告 2026 \"final\"; a=b.pdf");
    for (String bad : new String[] {"a/b.pdf", "a\\b.pdf", "a\r\nSet-Cookie: x", "a\u0000b", ""}) {
      assertThatThrownBy(() -> UrlOptions.builder().downloadName(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("downloadName"));
    }
  }

  @Test
  void expiry_isWholePositiveSeconds_andContentType_aMediaType() {
    assertThatThrownBy(() -> UrlOptions.builder().expiry(Duration.ZERO))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> UrlOptions.builder().expiry(Duration.ofMillis(1500)))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> UrlOptions.builder().contentType("text/html\r\nX: y"))
        .isInstanceOf(MediaValidationException.class);
    assertThat(
            UrlOptions.builder()
                .contentType("image/webp")
                .expiry(Duration.ofDays(7))
                .build()
                .contentType())
        .contains("image/webp");
  }
}
