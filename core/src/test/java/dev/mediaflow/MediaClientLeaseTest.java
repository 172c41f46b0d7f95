package dev.mediaflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code media.jobs.lease} must leave a status read time within the lease. */
class MediaClientLeaseTest {
  /** A provider that only builds: nothing here talks to a vendor. */
  static final class Stub implements MediaProvider, ProviderClient {
    @Override
    public String id() {
      return "stub";
    }

    @Override
    public List<Setting> settings() {
      return List.of();
    }

    @Override
    public ProviderClient create(ProviderContext context) {
      return this;
    }

    @Override
    public String providerId() {
      return "stub";
    }

    @Override
    public Capabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<VendorRequest> render(Pipeline pipeline) {
      throw new UnsupportedOperationException();
    }

    @Override
    public JobId submit(Pipeline pipeline) {
      throw new UnsupportedOperationException();
    }

    @Override
    public JobStatus status(JobId id) {
      throw new UnsupportedOperationException();
    }
  }

  private static MediaClient client(String lease) {
    return MediaClient.builder()
        .config(MediaConfig.fromMap(Map.of("media.jobs.lease", lease)))
        .provider(new Stub())
        .jobStore(JobStore.none())
        .build();
  }

  @Test
  void aLeaseUnderASecond_isAConfigErrorNamingTheSetting() {
    assertThatThrownBy(() -> client("500ms"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.jobs.lease must be at least 1s, was PT0.5S")
        .satisfies(e -> assertThat(((MediaConfigException) e).key()).isEqualTo("media.jobs.lease"));
  }

  @Test
  void aLeaseOfASecondOrMore_builds() {
    try (MediaClient media = client("1s")) {
      assertThat(media).isNotNull();
    }
  }
}
