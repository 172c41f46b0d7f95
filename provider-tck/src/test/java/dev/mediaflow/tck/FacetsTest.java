package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.UploadGrantRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider without a facet answers with {@link UnsupportedMediaOperationException}, naming the
 * operation.
 */
class FacetsTest {
  private final MediaClient media =
      MediaClient.create(MediaConfig.fromMap(Map.of("media.provider", "memory")));
  private final MediaObject object = MediaObject.of("media", "in/a.jpg");

  @Test
  void url_withoutTheFacet_isUnsupported() {
    assertThatThrownBy(() -> media.url(object, UrlOptions.defaults()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> {
              assertThat(e.providerId()).isEqualTo("memory");
              assertThat(e.operation()).isEqualTo("url");
            });
  }

  @Test
  void probe_withoutTheFacet_isUnsupported() {
    assertThatThrownBy(() -> media.probe(object))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.operation()).isEqualTo("probe"));
  }

  @Test
  void grantUpload_withoutTheFacet_isUnsupported() {
    assertThatThrownBy(() -> media.grantUpload(UploadGrantRequest.builder().key(object).build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.operation()).isEqualTo("grantUpload"));
  }

  @Test
  void notifications_withoutTheFacet_isUnsupported() {
    assertThatThrownBy(media::notifications)
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.operation()).isEqualTo("notifications"));
  }
}
