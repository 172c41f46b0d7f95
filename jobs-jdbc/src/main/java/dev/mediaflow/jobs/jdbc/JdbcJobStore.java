package dev.mediaflow.jobs.jdbc;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link JobStore} in one SQL table, shared by every process that opens the same database: the
 * store for several instances of one application. Tested on PostgreSQL and H2.
 *
 * <p>How it keeps the guarantees of {@link JobStore}:
 *
 * <ul>
 *   <li>{@link #put} and {@link #update} read the row with {@code SELECT ... FOR UPDATE} and write
 *       it in the same transaction, so concurrent changes of one job queue up on the row lock; two
 *       first {@code put}s of one job race on the primary key, and the loser retries as an update;
 *   <li>{@link #claim} on PostgreSQL selects free rows with {@code FOR UPDATE SKIP LOCKED} and
 *       leases them in the same transaction, so concurrent claimers pass over each other's rows
 *       instead of waiting; on other databases each candidate is leased by a conditional {@code
 *       UPDATE ... WHERE lease_owner = '' OR lease_until <= ?}, which only one claimer can win;
 *   <li>{@link #renew} and {@link #release} are conditional updates on the owner;
 *   <li>every change is committed before the method returns, so every process sees it.
 * </ul>
 *
 * <p>Leases compare the callers' instants (their clocks), stored as nanoseconds since the epoch, so
 * the instances' clocks should agree to well under a lease. Each operation takes a connection from
 * the {@link DataSource} and gives it back; use a pooling data source in production. Every JDBC
 * failure is a {@link MediaClientException}. Thread-safe.
 */
public final class JdbcJobStore implements JobStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "mediaflow_jobs";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final String COLUMNS =
      "job_key, job_id, instance_name, state, delivered, notified, deadline, lease_owner,"
          + " lease_until, tag, updated";
  private static final int MAX_ATTEMPTS = 5;

  private final DataSource dataSource;
  private final String table;
  private final AtomicLong writes = new AtomicLong();
  private volatile Boolean skipLocked;

  private JdbcJobStore(DataSource dataSource, String table) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = Objects.requireNonNull(table, "table");
    if (!NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("not a plain SQL table name: " + table);
    }
  }

  /**
   * Returns a store in the table {@value #DEFAULT_TABLE} of {@code dataSource}, created when
   * missing.
   *
   * @throws MediaClientException when the database cannot be reached or the table not created
   */
  public static JdbcJobStore create(DataSource dataSource) {
    return create(dataSource, DEFAULT_TABLE);
  }

  /**
   * Returns a store in {@code table} (letters, digits and underscores) of {@code dataSource},
   * created when missing.
   *
   * @throws MediaClientException when the database cannot be reached or the table not created
   */
  public static JdbcJobStore create(DataSource dataSource, String table) {
    JdbcJobStore store = new JdbcJobStore(dataSource, table);
    store.createSchema();
    return store;
  }

  /**
   * Creates the table and its index when missing; safe to run again, and from several processes at
   * once.
   */
  public void createSchema() {
    String ddl =
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (job_key VARCHAR(2048) NOT NULL PRIMARY KEY,"
            + " job_id VARCHAR(4096) NOT NULL,"
            + " instance_name VARCHAR(255) NOT NULL,"
            + " state VARCHAR(32) NOT NULL,"
            + " delivered BOOLEAN NOT NULL,"
            + " notified BOOLEAN NOT NULL,"
            + " deadline VARCHAR(64) NOT NULL,"
            + " lease_owner VARCHAR(255) NOT NULL,"
            + " lease_until BIGINT NOT NULL,"
            + " tag VARCHAR(1024) NOT NULL,"
            + " updated BIGINT NOT NULL)";
    String index =
        "CREATE INDEX IF NOT EXISTS "
            + table
            + "_open ON "
            + table
            + " (instance_name, delivered, lease_until)";
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        c.setAutoCommit(true);
        s.execute(ddl);
        s.execute(index);
        return;
      } catch (SQLException e) {
        // Two processes creating the table at once: PostgreSQL may refuse the second one's
        // catalogue insert even with IF NOT EXISTS; the table exists on the next try.
        if (attempt >= MAX_ATTEMPTS || !isConstraintViolation(e)) {
          throw failure("create the job table " + table, e);
        }
      }
    }
  }

  /** Returns how many rows this store object has written (inserted, updated or deleted). */
  public long writes() {
    return writes.get();
  }

  @Override
  public JobRecord put(JobRecord record) {
    Objects.requireNonNull(record, "record");
    return retrying(
        "store job " + record.id(),
        c -> {
          Optional<JobRecord> old = selectForUpdate(c, record.key());
          if (old.isEmpty()) {
            insert(c, record);
            return record;
          }
          JobRecord merged = old.get().merge(record);
          if (!merged.equals(old.get())) {
            updateRow(c, merged);
          }
          return merged;
        });
  }

  @Override
  public Optional<JobRecord> get(JobId id) {
    Objects.requireNonNull(id, "id");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE job_key = ?")) {
      s.setString(1, JobRecord.key(id));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read job " + id, e);
    }
  }

  @Override
  public Optional<JobRecord> update(JobId id, UnaryOperator<JobRecord> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    return retrying(
        "update job " + id,
        c -> {
          Optional<JobRecord> old = selectForUpdate(c, JobRecord.key(id));
          if (old.isEmpty()) {
            return old;
          }
          JobRecord next = Objects.requireNonNull(change.apply(old.get()), "change returned null");
          if (!next.key().equals(old.get().key())) {
            throw new IllegalArgumentException("a change must keep the job: " + next.id());
          }
          if (!next.equals(old.get())) {
            updateRow(c, next);
          }
          return Optional.of(next);
        });
  }

  @Override
  public List<JobRecord> open() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM "
                    + table
                    + " WHERE delivered = FALSE ORDER BY updated, job_key")) {
      return rows(s);
    } catch (SQLException e) {
      throw failure("list the open jobs", e);
    }
  }

  @Override
  public List<JobRecord> claim(
      String instance, String owner, Instant now, Duration lease, int limit) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(lease, "lease");
    if (owner.isEmpty()) {
      throw new IllegalArgumentException("an owner is not empty");
    }
    if (limit <= 0) {
      return List.of();
    }
    return retrying(
        "claim jobs of " + instance,
        c ->
            supportsSkipLocked(c)
                ? claimSkipLocked(c, instance, owner, now, lease, limit)
                : claimConditional(c, instance, owner, now, lease, limit));
  }

  private String selectFree() {
    return "SELECT "
        + COLUMNS
        + " FROM "
        + table
        + " WHERE instance_name = ? AND delivered = FALSE AND (lease_owner = '' OR lease_until <= ?)"
        + " ORDER BY updated, job_key";
  }

  private List<JobRecord> claimSkipLocked(
      Connection c, String instance, String owner, Instant now, Duration lease, int limit)
      throws SQLException {
    List<JobRecord> free;
    try (PreparedStatement s =
        c.prepareStatement(selectFree() + " LIMIT " + limit + " FOR UPDATE SKIP LOCKED")) {
      s.setString(1, instance);
      s.setLong(2, nanos(now));
      free = rows(s);
    }
    List<JobRecord> taken = new ArrayList<>(free.size());
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET lease_owner = ?, lease_until = ?, updated = ? WHERE job_key = ?")) {
      for (JobRecord r : free) {
        JobRecord mine = r.withLease(owner, now, lease);
        u.setString(1, owner);
        u.setLong(2, nanos(mine.leaseExpiry()));
        u.setLong(3, nanos(now));
        u.setString(4, r.key());
        u.addBatch();
        taken.add(mine);
      }
      if (!taken.isEmpty()) {
        u.executeBatch();
        writes.addAndGet(taken.size());
      }
    }
    return taken;
  }

  private List<JobRecord> claimConditional(
      Connection c, String instance, String owner, Instant now, Duration lease, int limit)
      throws SQLException {
    List<JobRecord> taken = new ArrayList<>();
    // Reads more candidates than asked, as concurrent claimers may win some of them.
    List<JobRecord> candidates;
    try (PreparedStatement s =
        c.prepareStatement(
            selectFree() + " LIMIT " + Math.min(Integer.MAX_VALUE / 4L, limit * 4L))) {
      s.setString(1, instance);
      s.setLong(2, nanos(now));
      candidates = rows(s);
    }
    c.commit();
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET lease_owner = ?, lease_until = ?, updated = ?"
                + " WHERE job_key = ? AND delivered = FALSE AND (lease_owner = '' OR lease_until <= ?)")) {
      for (JobRecord r : candidates) {
        if (taken.size() >= limit) {
          break;
        }
        JobRecord mine = r.withLease(owner, now, lease);
        u.setString(1, owner);
        u.setLong(2, nanos(mine.leaseExpiry()));
        u.setLong(3, nanos(now));
        u.setString(4, r.key());
        u.setLong(5, nanos(now));
        if (u.executeUpdate() == 1) {
          writes.incrementAndGet();
          c.commit();
          taken.add(reread(c, r.key()).orElse(mine));
        } else {
          c.commit();
        }
      }
    }
    return taken;
  }

  @Override
  public List<JobId> renew(String owner, Collection<JobId> ids, Instant now, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(lease, "lease");
    if (ids.isEmpty()) {
      return List.of();
    }
    return retrying(
        "renew leases of " + owner,
        c -> {
          List<JobId> held = new ArrayList<>();
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + table
                      + " SET lease_owner = ?, lease_until = ?, updated = ? WHERE job_key = ?"
                      + " AND delivered = FALSE"
                      + " AND (lease_owner = ? OR lease_owner = '' OR lease_until <= ?)")) {
            for (JobId id : ids) {
              u.setString(1, owner);
              u.setLong(2, nanos(now.plus(lease)));
              u.setLong(3, nanos(now));
              u.setString(4, JobRecord.key(id));
              u.setString(5, owner);
              u.setLong(6, nanos(now));
              if (u.executeUpdate() == 1) {
                writes.incrementAndGet();
                held.add(id);
              }
            }
          }
          return held;
        });
  }

  @Override
  public void release(String owner, Collection<JobId> ids, Instant now) {
    Objects.requireNonNull(owner, "owner");
    if (ids.isEmpty()) {
      return;
    }
    retrying(
        "release leases of " + owner,
        c -> {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE "
                      + table
                      + " SET lease_owner = '', lease_until = 0, updated = ?"
                      + " WHERE job_key = ? AND lease_owner = ?")) {
            for (JobId id : ids) {
              u.setLong(1, nanos(now));
              u.setString(2, JobRecord.key(id));
              u.setString(3, owner);
              writes.addAndGet(u.executeUpdate());
            }
          }
          return null;
        });
  }

  @Override
  public int purge(Instant before) {
    Objects.requireNonNull(before, "before");
    return retrying(
        "remove old ended jobs",
        c -> {
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM " + table + " WHERE delivered = TRUE AND updated < ?")) {
            d.setLong(1, nanos(before));
            int n = d.executeUpdate();
            writes.addAndGet(n);
            return n;
          }
        });
  }

  @Override
  public Optional<JobRecord> advance(JobId id, JobState state, Instant now) {
    return update(id, r -> r.withState(state, now));
  }

  /** A unit of work run in one transaction. */
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction and commits it; retries it when the database refused it for
   * a conflict with a concurrent transaction (a duplicate first insert, a serialisation failure or
   * a deadlock).
   */
  private <T> T retrying(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
          throw failure(what, e);
        }
      }
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return isConstraintViolation(e)
        || "40001".equals(state) // serialization failure
        || "40P01".equals(state); // PostgreSQL: deadlock detected
  }

  private static boolean isConstraintViolation(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  private boolean supportsSkipLocked(Connection c) throws SQLException {
    Boolean known = skipLocked;
    if (known == null) {
      String product = c.getMetaData().getDatabaseProductName();
      known = product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
      skipLocked = known;
    }
    return known;
  }

  private Optional<JobRecord> selectForUpdate(Connection c, String key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM " + table + " WHERE job_key = ? FOR UPDATE")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private Optional<JobRecord> reread(Connection c, String key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE job_key = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private void insert(Connection c, JobRecord r) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, r.key());
      bind(s, 2, r);
      s.executeUpdate();
      writes.incrementAndGet();
    }
  }

  private void updateRow(Connection c, JobRecord r) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET job_id = ?, instance_name = ?, state = ?, delivered = ?, notified = ?,"
                + " deadline = ?, lease_owner = ?, lease_until = ?, tag = ?, updated = ?"
                + " WHERE job_key = ?")) {
      bind(s, 1, r);
      s.setString(11, r.key());
      s.executeUpdate();
      writes.incrementAndGet();
    }
  }

  /** Binds every column but the key, from parameter {@code from} on. */
  private static void bind(PreparedStatement s, int from, JobRecord r) throws SQLException {
    s.setString(from, r.id().toString());
    s.setString(from + 1, r.instance());
    s.setString(from + 2, r.state().name());
    s.setBoolean(from + 3, r.delivered());
    s.setBoolean(from + 4, r.notified());
    s.setString(from + 5, r.deadline().toString());
    s.setString(from + 6, r.owner());
    s.setLong(from + 7, nanos(r.leaseExpiry()));
    s.setString(from + 8, r.tag());
    s.setLong(from + 9, nanos(r.updated()));
  }

  private static List<JobRecord> rows(PreparedStatement s) throws SQLException {
    List<JobRecord> records = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        records.add(row(rs));
      }
    }
    return records;
  }

  private static JobRecord row(ResultSet rs) throws SQLException {
    JobId id = JobId.parse(rs.getString("job_id"));
    return new JobRecord(
        id,
        rs.getString("instance_name"),
        JobState.valueOf(rs.getString("state")),
        rs.getBoolean("delivered"),
        rs.getBoolean("notified"),
        Instant.parse(rs.getString("deadline")),
        rs.getString("lease_owner"),
        instant(rs.getLong("lease_until")),
        rs.getString("tag"),
        instant(rs.getLong("updated")));
  }

  /** Nanoseconds since the epoch, saturated to the range of a {@code long} (years 1677-2262). */
  static long nanos(Instant t) {
    if (t.isBefore(MIN)) {
      return Long.MIN_VALUE;
    }
    if (t.isAfter(MAX)) {
      return Long.MAX_VALUE;
    }
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static final Instant MIN = instant(Long.MIN_VALUE);
  private static final Instant MAX = instant(Long.MAX_VALUE);

  private MediaClientException failure(String what, SQLException e) {
    // The driver's message names the statement and the database, never the password.
    return new MediaClientException(
        "Cannot " + what + " in the job table " + table + ": " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "JdbcJobStore(" + table + ")";
  }
}
