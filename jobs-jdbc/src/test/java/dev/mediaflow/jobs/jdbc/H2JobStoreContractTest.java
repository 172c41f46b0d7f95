package dev.mediaflow.jobs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.job.JobStore;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The store contract on embedded H2 in its default mode: no {@code SKIP LOCKED}, so claims take the
 * conditional-update path.
 */
class H2JobStoreContractTest extends JobStoreContractTest {
  private JdbcDataSource dataSource;

  @Override
  JobStore newStore() {
    dataSource = new JdbcDataSource();
    // A named in-memory database, kept while the JVM runs; each test gets its own.
    dataSource.setURL("jdbc:h2:mem:jobs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return JdbcJobStore.create(dataSource);
  }

  @Override
  JobStore sameStorage() {
    return JdbcJobStore.create(dataSource);
  }

  @Test
  void createSchema_isIdempotent_andAStoreSeesTheRowsOfAnother() {
    JobStore one = newStore();
    one.put(job("s"));
    JdbcJobStore again = JdbcJobStore.create(dataSource);
    again.createSchema();
    assertThat(again.get(id("s"))).isPresent();
  }

  @Test
  void aDatabaseFailure_isAMediaClientException_withoutThePassword() {
    JdbcDataSource broken = new JdbcDataSource();
    broken.setURL("jdbc:h2:mem:jobs-" + UUID.randomUUID() + ";IFEXISTS=TRUE");
    broken.setUser("sa");
    broken.setPassword("s3cret-pw");
    assertThatThrownBy(() -> JdbcJobStore.create(broken))
        .isInstanceOf(MediaClientException.class)
        .hasMessageContaining("job table")
        .hasMessageNotContaining("s3cret-pw");
  }

  @Test
  void aTableName_mustBePlain() {
    newStore();
    assertThatThrownBy(() -> JdbcJobStore.create(dataSource, "jobs; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JdbcJobStore.create(dataSource, "other_jobs").open()).isEmpty();
  }
}
