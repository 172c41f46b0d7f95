package dev.mediaflow.jobs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract and the many-instances guarantees on a real PostgreSQL server (see {@link
 * PostgresServer}): claims through {@code SELECT ... FOR UPDATE SKIP LOCKED}, by many threads and
 * by several processes, one of them killed.
 */
class PostgresJobStoreTest extends JobStoreContractTest {
  private static PostgresServer server;
  private static final AtomicInteger TABLES = new AtomicInteger();
  private String table;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  JobStore newStore() {
    table = "jobs_" + TABLES.incrementAndGet();
    return JdbcJobStore.create(server.dataSource(), table);
  }

  @Override
  JobStore sameStorage() {
    return JdbcJobStore.create(server.dataSource(), table);
  }

  @Test
  void manyThreads_claimingFrom1000Jobs_neverGetOneTwice_andAnExpiredLeaseIsTakenOver()
      throws Exception {
    JobStore store = newStore();
    int jobs = 1000;
    for (int i = 0; i < jobs; i++) {
      store.put(job("m" + i));
    }
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, String> holder = new ConcurrentHashMap<>();
    List<String> doubles = new ArrayList<>();
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        JobStore own = sameStorage();
        String owner = "thread-" + t;
        done.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (true) {
                    List<JobRecord> got = own.claim("qiniu", owner, T0, LEASE, 10);
                    if (got.isEmpty()) {
                      return n;
                    }
                    for (JobRecord r : got) {
                      String before = holder.putIfAbsent(r.key(), owner);
                      if (before != null) {
                        synchronized (doubles) {
                          doubles.add(r.key() + " by " + before + " and " + owner);
                        }
                      }
                    }
                    n += got.size();
                  }
                }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get(120, TimeUnit.SECONDS);
      }
      assertThat(doubles).isEmpty();
      assertThat(total).isEqualTo(jobs);
    } finally {
      pool.shutdownNow();
    }

    // Every lease expires at T0 + LEASE: then another owner takes every job over, once.
    Instant later = T0.plus(LEASE);
    List<JobRecord> taken = store.claim("qiniu", "late", later, LEASE, 2 * jobs);
    assertThat(taken).hasSize(jobs).allMatch(r -> r.owner().equals("late"));
    assertThat(store.claim("qiniu", "later", later, LEASE, jobs)).isEmpty();
  }

  @Test
  void aNotificationRecordedByOneInstance_endsTheJobForAll() {
    JobStore a = newStore();
    JobStore b = sameStorage();
    a.put(job("n"));
    assertThat(a.claim("qiniu", "instance-a", T0, LEASE, 10)).hasSize(1);
    // Instance b receives the vendor's notification and records the end.
    b.advance(id("n"), JobState.SUCCEEDED, T0.plusSeconds(1));
    b.delivered(id("n"), T0.plusSeconds(1));
    assertThat(a.get(id("n")).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(a.renew("instance-a", List.of(id("n")), T0.plusSeconds(2), LEASE)).isEmpty();
    assertThat(a.open()).isEmpty();
  }

  /**
   * Three processes share 1,000 jobs: each claims jobs with a short lease, "polls" each (a line in
   * its log), and ends it while it still holds the lease. One is killed with SIGKILL halfway; the
   * others take its jobs over once its leases expire. Every job ends, and no job is polled by two
   * processes during one lease.
   */
  @Test
  void threeProcesses_share1000Jobs_oneIsKilled_everyJobEnds_noneHeldByTwo() throws Exception {
    JdbcJobStore store = (JdbcJobStore) newStore();
    int jobs = 1000;
    for (int i = 0; i < jobs; i++) {
      store.put(job("w" + i));
    }
    List<Process> workers = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      Path log = tmp.resolve("worker-" + w + ".log");
      logs.add(log);
      workers.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Worker.class.getName(),
                  server.url(),
                  table,
                  "worker-" + w)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start());
    }
    Process victim = workers.get(0);
    // Kill the first worker once it has polled some jobs, while it holds others.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (countLines(logs.get(0), "poll ") < 50 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    victim.destroyForcibly();
    victim.waitFor(30, TimeUnit.SECONDS);
    for (Process p : workers.subList(1, 3)) {
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("a worker finishes").isTrue();
      assertThat(p.exitValue()).isZero();
    }

    // Every job ended and was delivered.
    assertThat(store.open()).isEmpty();
    for (int i = 0; i < jobs; i++) {
      assertThat(store.get(id("w" + i)).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    // Leases in the logs: "claim <key> <owner> <from ms> <until ms>", "poll <key> <owner> <ms>".
    Map<String, List<long[]>> leases = new HashMap<>();
    Map<String, List<String>> leaseOwners = new HashMap<>();
    List<String[]> polls = new ArrayList<>();
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f[0].equals("claim") && f.length == 5) {
          leases
              .computeIfAbsent(f[1], k -> new ArrayList<>())
              .add(new long[] {Long.parseLong(f[3]), Long.parseLong(f[4])});
          leaseOwners.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
        } else if (f[0].equals("poll") && f.length == 4) {
          polls.add(f);
        }
      }
    }
    Set<String> polled = new HashSet<>();
    int takenOver = 0;
    for (Map.Entry<String, List<long[]>> e : leases.entrySet()) {
      List<long[]> l = e.getValue();
      for (int i = 1; i < l.size(); i++) {
        takenOver++;
      }
      // Leases of one job never overlap, whoever the owners.
      List<long[]> sorted = new ArrayList<>(l);
      sorted.sort((x, y) -> Long.compare(x[0], y[0]));
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i)[0])
            .as("job %s claimed again before the lease ended", e.getKey())
            .isGreaterThanOrEqualTo(sorted.get(i - 1)[1]);
      }
    }
    for (String[] p : polls) {
      polled.add(p[1]);
      long at = Long.parseLong(p[3]);
      List<long[]> l = leases.get(p[1]);
      List<String> owners = leaseOwners.get(p[1]);
      boolean within = false;
      for (int i = 0; i < l.size(); i++) {
        within |= owners.get(i).equals(p[2]) && at >= l.get(i)[0] && at < l.get(i)[1];
      }
      assertThat(within).as("poll of %s by %s outside its lease", p[1], p[2]).isTrue();
    }
    assertThat(polled).hasSize(jobs);
    assertThat(takenOver).as("the killed worker's claimed jobs were taken over").isPositive();
  }

  /**
   * The cost of one job's life in the store, as the watcher writes it: submitted, claimed, running,
   * succeeded, delivered. Prints writes per job and the mean time per write, on one connection kept
   * open (as a pool gives it) and on a new connection per operation.
   */
  @Test
  void costPerJob_writesAndTimePerWrite() throws Exception {
    newStore();
    int jobs = 300;
    for (boolean pooled : new boolean[] {true, false}) {
      try (java.sql.Connection kept = server.dataSource().getConnection()) {
        javax.sql.DataSource ds = pooled ? oneConnection(kept) : server.dataSource();
        JdbcJobStore store = JdbcJobStore.create(ds, table + (pooled ? "_pooled" : "_plain"));
        long writesBefore = store.writes();
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
          store.put(job("cost" + i));
        }
        int claimed = 0;
        while (claimed < jobs) {
          claimed += store.claim("qiniu", "owner", T0, LEASE, 50).size();
        }
        for (int i = 0; i < jobs; i++) {
          store.advance(id("cost" + i), JobState.RUNNING, T0);
          store.advance(id("cost" + i), JobState.SUCCEEDED, T0);
          store.delivered(id("cost" + i), T0);
        }
        long elapsed = System.nanoTime() - start;
        long writes = store.writes() - writesBefore;
        assertThat(writes).isEqualTo(5L * jobs);
        assertThat(store.open()).isEmpty();
        System.out.printf(
            "PostgreSQL job store (%s, fsync off): %.1f row writes per job, %.2f ms per write"
                + " transaction (a put, an advance, a delivery; a claim of 50 rows is one)%n",
            pooled ? "one kept connection" : "a new connection per operation",
            (double) writes / jobs,
            elapsed / 1e6 / (4.0 * jobs + jobs / 50.0));
      }
    }
  }

  /** A data source handing out {@code c} each time; closing what it hands out keeps c open. */
  private static javax.sql.DataSource oneConnection(java.sql.Connection c) {
    java.sql.Connection kept =
        (java.sql.Connection)
            java.lang.reflect.Proxy.newProxyInstance(
                PostgresJobStoreTest.class.getClassLoader(),
                new Class<?>[] {java.sql.Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    c.setAutoCommit(true);
                    return null;
                  }
                  try {
                    return method.invoke(c, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    PGSimpleDataSource base = new PGSimpleDataSource();
    return (javax.sql.DataSource)
        java.lang.reflect.Proxy.newProxyInstance(
            PostgresJobStoreTest.class.getClassLoader(),
            new Class<?>[] {javax.sql.DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return kept;
              }
              return method.invoke(base, args);
            });
  }

  private static long countLines(Path log, String prefix) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> l.startsWith(prefix)).count();
    }
  }

  /**
   * One application instance: claims jobs with a 1.5 s lease, polls each (a log line, a few
   * milliseconds of work), and records its end while it holds the lease; exits when no job is open.
   * Instants are this machine's clock, shared by every worker.
   */
  static final class Worker {
    public static void main(String[] args) throws Exception {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(args[0]);
      ds.setUser("postgres");
      JobStore store = JdbcJobStore.create(ds, args[1]);
      String owner = args[2];
      Duration lease = Duration.ofMillis(1500);
      while (true) {
        Instant now = Instant.now();
        List<JobRecord> got = store.claim("qiniu", owner, now, lease, 20);
        if (got.isEmpty()) {
          if (store.open().isEmpty()) {
            return;
          }
          Thread.sleep(100);
          continue;
        }
        for (JobRecord r : got) {
          System.out.println(
              "claim "
                  + r.key()
                  + " "
                  + owner
                  + " "
                  + now.toEpochMilli()
                  + " "
                  + r.leaseExpiry().toEpochMilli());
        }
        for (JobRecord r : got) {
          Instant at = Instant.now();
          // Poll only while the lease holds, with a margin for the time the poll takes; a job
          // left is claimed again when its lease expires.
          if (!at.plusMillis(200).isBefore(r.leaseExpiry())) {
            continue;
          }
          System.out.println("poll " + r.key() + " " + owner + " " + at.toEpochMilli());
          Thread.sleep(5);
          store.advance(r.id(), JobState.SUCCEEDED, Instant.now());
          store.delivered(r.id(), Instant.now());
        }
        System.out.flush();
      }
    }
  }
}
