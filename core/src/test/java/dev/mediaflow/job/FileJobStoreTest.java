package dev.mediaflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJobStoreTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(2);

  @TempDir Path dir;

  private static JobRecord job(String vendorId) {
    return JobRecord.submitted(JobId.of("qiniu", vendorId), T0.plusSeconds(3600), "", T0);
  }

  @Test
  void put_get_andStatesOnlyMoveForward() {
    JobStore store = JobStore.inDirectory(dir);
    JobId id = JobId.of("oss", "east", List.of("T1", "T2"), Map.of("b", "media"));
    store.put(JobRecord.submitted(id, T0.plusSeconds(60), "order-1", T0));

    assertThat(store.advance(id, JobState.SUCCEEDED, T0).orElseThrow().state())
        .isEqualTo(JobState.SUCCEEDED);
    assertThat(store.advance(id, JobState.RUNNING, T0).orElseThrow().state())
        .as("running after succeeded changes nothing")
        .isEqualTo(JobState.SUCCEEDED);
    // Found by its vendor ids alone, as a notification names it.
    JobRecord r = store.get(JobId.of("oss", "east", List.of("T1", "T2"), Map.of())).orElseThrow();
    assertThat(r.id()).isEqualTo(id);
    assertThat(r.tag()).isEqualTo("order-1");
    assertThat(r.instance()).isEqualTo("east");
    assertThat(store.open()).hasSize(1);

    store.delivered(id, T0);
    assertThat(store.open()).isEmpty();
    assertThat(store.purge(T0.plusSeconds(1))).isEqualTo(1);
    assertThat(store.get(id)).isEmpty();
    assertThat(store.advance(id, JobState.FAILED, T0)).as("unknown job").isEmpty();
  }

  @Test
  void writes_areAtomic_noTemporaryFilesStay_andEachFileIsWholeJson() throws IOException {
    JobStore store = JobStore.inDirectory(dir);
    for (int i = 0; i < 20; i++) {
      store.put(job("j" + i));
      store.advance(JobId.of("qiniu", "j" + i), JobState.RUNNING, T0);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(f -> !f.getFileName().toString().equals(".lock")).toList();
      assertThat(all).hasSize(20).allMatch(f -> f.toString().endsWith(".job"));
      for (Path f : all) {
        assertThat(Files.readString(f)).startsWith("{").endsWith("}").contains("\"RUNNING\"");
      }
    }
  }

  @Test
  void aCorruptRecord_isIgnored_andTheOthersStillRead() throws IOException {
    JobStore store = JobStore.inDirectory(dir);
    store.put(job("good"));
    Files.writeString(dir.resolve("0123456789abcdef0123456789abcdef.job"), "{\"id\": \"qin");
    Files.writeString(dir.resolve("fedcba9876543210fedcba9876543210.job"), "{\"id\":\"nonsense\"}");

    assertThat(store.open()).extracting(r -> r.id().vendorId()).containsExactly("good");
    assertThat(store.claim("qiniu", "me", T0, LEASE, 10)).hasSize(1);
  }

  @Test
  void leases_oneOwnerAtATime_untilExpiryOrRelease() {
    JobStore store = JobStore.inDirectory(dir);
    store.put(job("a"));
    store.put(job("b"));
    JobId a = JobId.of("qiniu", "a");

    assertThat(store.claim("qiniu", "1@far/x", T0, LEASE, 1)).hasSize(1);
    List<JobRecord> second = store.claim("qiniu", "2@far/y", T0, LEASE, 10);
    assertThat(second).hasSize(1);
    assertThat(store.claim("qiniu", "3@far/z", T0.plusSeconds(60), LEASE, 10)).isEmpty();
    assertThat(store.claim("oss", "3@far/z", T0.plusSeconds(600), LEASE, 10))
        .as("another instance's jobs")
        .isEmpty();

    JobId firstId = second.get(0).id().equals(a) ? JobId.of("qiniu", "b") : a;
    assertThat(store.renew("1@far/x", List.of(firstId), T0.plusSeconds(60), LEASE))
        .containsExactly(firstId);
    assertThat(store.renew("2@far/y", List.of(firstId), T0.plusSeconds(60), LEASE)).isEmpty();
    store.release("1@far/x", List.of(firstId), T0.plusSeconds(61));
    assertThat(store.claim("qiniu", "3@far/z", T0.plusSeconds(61), LEASE, 10))
        .extracting(JobRecord::id)
        .containsExactly(firstId);
    // 2's lease ended at T0 + 2 min: free after it; 3 holds the other already.
    assertThat(store.claim("qiniu", "3@far/z", T0.plusSeconds(121), LEASE, 10))
        .extracting(JobRecord::id)
        .containsExactly(second.get(0).id());
  }

  @Test
  void aLeaseOfAProcessOfThisMachineThatExited_isFreeAtOnce() throws Exception {
    JobStore store = JobStore.inDirectory(dir);
    Process gone = new ProcessBuilder(javaBin(), "-version").start();
    gone.waitFor();
    String host = Owners.newOwner().replaceAll("^\\d+@(.*)/[^/]*$", "$1");
    store.put(job("a").withLease(gone.pid() + "@" + host + "/dead", T0, LEASE));
    store.put(job("b").withLease(Owners.newOwner(), T0, LEASE)); // this live process

    assertThat(store.claim("qiniu", "me", T0, LEASE, 10))
        .extracting(r -> r.id().vendorId())
        .containsExactly("a");
  }

  @Test
  void concurrentWriters_loseNoChange() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JobStore own = JobStore.inDirectory(dir); // one store object per writer, one folder
        int writer = t;
        all.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    own.put(job("w" + writer + "-" + i));
                    own.update(
                        JobId.of("qiniu", "shared"), r -> r.withLease(r.owner() + "x", T0, LEASE));
                  }
                  return null;
                }));
      }
      JobStore store = JobStore.inDirectory(dir);
      store.put(job("shared"));
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(store.open()).hasSize(101);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentProcesses_neverClaimOneJobTwice() throws Exception {
    JobStore store = JobStore.inDirectory(dir);
    for (int i = 0; i < 300; i++) {
      store.put(job("j" + i));
    }
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      processes.add(
          new ProcessBuilder(
                  javaBin(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ClaimMain.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start());
    }
    // Each process stays alive until all have claimed: a lease of an exited process is free.
    List<String> claimed = new ArrayList<>();
    for (Process p : processes) {
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("done")) {
        if (line.startsWith("j")) {
          claimed.add(line);
        }
      }
      assertThat(line).as("the claiming process ended early").isEqualTo("done");
    }
    for (Process p : processes) {
      p.getOutputStream().close();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    Set<String> distinct = new HashSet<>(claimed);
    assertThat(distinct).as("no job claimed by two processes").hasSize(claimed.size());
    assertThat(distinct).hasSize(300);
  }

  /**
   * Claims jobs ten at a time until none is left, printing their vendor ids, then "done"; exits
   * when its standard input closes.
   */
  static final class ClaimMain {
    public static void main(String[] args) throws IOException {
      JobStore store = JobStore.inDirectory(Path.of(args[0]));
      String owner = Owners.newOwner();
      List<JobRecord> got;
      do {
        got = store.claim("qiniu", owner, T0, Duration.ofHours(1), 10);
        got.forEach(r -> System.out.println(r.id().vendorId()));
      } while (!got.isEmpty());
      System.out.println("done");
      System.out.flush();
      System.in.readAllBytes();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
