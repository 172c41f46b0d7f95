package dev.mediaflow.jobs.jdbc;

import dev.mediaflow.job.JobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the file store, the reference the JDBC store mirrors. */
class FileJobStoreContractTest extends JobStoreContractTest {
  @TempDir Path dir;

  @Override
  JobStore newStore() {
    return JobStore.inDirectory(dir);
  }

  @Override
  JobStore sameStorage() {
    return JobStore.inDirectory(dir);
  }
}
