package dev.mediaflow.jobs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobStore;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code media.jobs.store=jdbc}: the store found through {@link JobStore#configured}. */
class ConfiguredJdbcJobStoreTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @Test
  void jdbc_withAUrl_isAJdbcJobStore_sharingTheDatabase() {
    String url = "jdbc:h2:mem:configured-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    MediaConfig config =
        MediaConfig.fromMap(
            Map.of(
                "media.jobs.store", "jdbc",
                "media.jobs.jdbcUrl", url,
                "media.jobs.jdbcUser", "sa",
                "media.jobs.jdbcPassword", "s3cret-pw"));
    JobStore one = JobStore.configured(config);
    assertThat(one).isInstanceOf(JdbcJobStore.class);
    assertThat(one.toString()).doesNotContain("s3cret-pw");
    JobId id = JobId.of("qiniu", "configured");
    one.put(JobRecord.submitted(id, T0.plusSeconds(60), "", T0));
    assertThat(JobStore.configured(config).get(id)).isPresent();
  }

  @Test
  void jdbc_withoutAUrl_isAConfigErrorNamingTheKey() {
    MediaConfig config = MediaConfig.fromMap(Map.of("media.jobs.store", "jdbc"));
    assertThatThrownBy(() -> JobStore.configured(config))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.jobs.jdbcUrl");
  }
}
