package dev.mediaflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedUrlTest {
  private static final String URL =
      "https://media.oss-cn-hangzhou.aliyuncs.com/photos/cat.jpg?x-oss-process=image%2Fresize%2Cw_320"
          + "&x-oss-date=20240101T000000Z&x-oss-expires=3600&x-oss-signature=abc";
  private static final Instant AT = Instant.parse("2024-01-01T01:00:00Z");

  @Test
  void toString_isExactlyTheUrl() {
    SignedUrl u = SignedUrl.of(URL, AT);
    assertThat(u.toString()).isEqualTo(URL);
    assertThat(u.url()).isEqualTo(URL);
    assertThat("<img src=\"" + u + "\">").isEqualTo("<img src=\"" + URL + "\">");
  }

  @Test
  void of_isAGetWithoutHeaders_validUntilItsExpiry() {
    SignedUrl u = SignedUrl.of(URL, AT);
    assertThat(u.method()).isEqualTo("GET");
    assertThat(u.headers()).isEmpty();
    assertThat(u.expiresAt()).contains(AT);
    assertThat(u.isUnsigned()).isFalse();
  }

  @Test
  void unsigned_hasNoExpiry() {
    SignedUrl u = SignedUrl.unsigned("https://cdn.example.com/a.jpg");
    assertThat(u.expiresAt()).isEmpty();
    assertThat(u.isUnsigned()).isTrue();
    assertThat(u.method()).isEqualTo("GET");
  }

  @Test
  void toUri_parsesTheUrlOnce() {
    SignedUrl u = SignedUrl.of(URL, AT);
    URI uri = u.toUri();
    assertThat(uri).isEqualTo(URI.create(URL));
    assertThat(uri.getRawQuery()).startsWith("x-oss-process=image%2Fresize%2Cw_320&");
    assertThat(u.toUri()).isSameAs(uri);
  }

  @Test
  void headers_areCopiedInOrderAndReadOnly() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "image/jpeg");
    h.put("x-oss-meta-a", "1");
    SignedUrl u = SignedUrl.of("PUT", URL, h, AT);
    h.put("x-oss-meta-b", "2");
    assertThat(u.method()).isEqualTo("PUT");
    assertThat(u.headers())
        .containsExactly(Map.entry("Content-Type", "image/jpeg"), Map.entry("x-oss-meta-a", "1"));
    assertThatThrownBy(() -> u.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equality_coversEveryPart() {
    assertThat(SignedUrl.of(URL, AT)).isEqualTo(SignedUrl.of(URL, AT));
    assertThat(SignedUrl.of(URL, AT)).hasSameHashCodeAs(SignedUrl.of(URL, AT));
    assertThat(SignedUrl.of(URL, AT)).isNotEqualTo(SignedUrl.of(URL, AT.plusSeconds(1)));
    assertThat(SignedUrl.of(URL, AT)).isNotEqualTo(SignedUrl.unsigned(URL));
    assertThat(SignedUrl.of(URL, AT)).isNotEqualTo(SignedUrl.of("HEAD", URL, Map.of(), AT));
  }

  @Test
  void nulls_areRefused() {
    assertThatThrownBy(() -> SignedUrl.of(null, AT)).isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> SignedUrl.of(URL, null)).isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> SignedUrl.unsigned(null)).isInstanceOf(MediaValidationException.class);
  }
}
