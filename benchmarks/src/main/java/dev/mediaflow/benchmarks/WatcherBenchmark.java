package dev.mediaflow.benchmarks;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.JobWatcher;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.JobEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches N simulated jobs of varied lengths at once, two ways, side by side in one run:
 *
 * <ul>
 *   <li><b>watcher</b>: Mediaflow's {@link JobWatcher} (one scheduler thread plus one poll thread),
 *       with the default doubling and a 30 s cap, and again ({@code watcher-5s}) capped at the
 *       baseline's 5 s;
 *   <li><b>baseline</b>: like the vendors' samples: one thread per job, {@code while (true) {
 *       status(); sleep(5 s); }};
 *   <li><b>notified</b>: the watcher with notifications on: each job is watched as notified (polled
 *       once, then only every safety interval, 60 s here), and the simulated vendor pushes each end
 *       to {@link JobWatcher#accept} when it happens, except for 5% of the jobs (chosen with a
 *       fixed seed), whose notification is lost: polling finds those.
 * </ul>
 *
 * <p>Job lengths are log-uniform between 0.5 s and 40 s (fixed seed). A status call is in-memory
 * and counted. Reports threads, heap per watched job, status calls per job against log2(length /
 * first delay), and the delay between a job's end and its detection.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java} (optionally {@code -Dexec.args=JOBS}).
 */
public final class WatcherBenchmark {
  private static final double MIN_LENGTH_S = 0.5;
  private static final double MAX_LENGTH_S = 40;
  private static final Duration BASELINE_SLEEP = Duration.ofSeconds(5);

  private WatcherBenchmark() {}

  /** The simulated vendor: job i ends at ends[i] (nanoTime); every status call is counted. */
  private static final class Simulation {
    final long[] ends;
    final double[] lengths;
    final AtomicIntegerArray calls;
    final long[] detected;
    final JobId[] ids;

    Simulation(int n, long seed) {
      Random r = new Random(seed);
      lengths = new double[n];
      ends = new long[n];
      calls = new AtomicIntegerArray(n);
      detected = new long[n];
      ids = new JobId[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = MIN_LENGTH_S * Math.pow(MAX_LENGTH_S / MIN_LENGTH_S, r.nextDouble());
        ids[i] = JobId.of("sim", "job-" + i);
      }
    }

    void start() {
      long now = System.nanoTime();
      for (int i = 0; i < ends.length; i++) {
        ends[i] = now + (long) (lengths[i] * 1e9);
      }
    }

    JobStatus status(int i) {
      calls.incrementAndGet(i);
      JobState s = System.nanoTime() >= ends[i] ? JobState.SUCCEEDED : JobState.RUNNING;
      return JobStatus.builder(ids[i], s).build();
    }
  }

  record Result(
      String name,
      int jobs,
      int threads,
      long heapBytes,
      double callsPerJob,
      double extraPollsMax,
      double extraPollsMean,
      double delayMeanMs,
      double delayP50Ms,
      double delayP99Ms,
      double delayMaxMs,
      double wallSeconds) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    WatchPolicy policy =
        WatchPolicy.defaults()
            .withInitialDelay(Duration.ofMillis(500))
            .withMaxDelay(Duration.ofSeconds(30));
    System.out.printf(
        "Watching %,d simulated jobs, lengths %.1f s to %.0f s (log-uniform)%n",
        n, MIN_LENGTH_S, MAX_LENGTH_S);
    System.out.printf(
        "watcher policy: first poll at once, then %d ms x%.0f up to %d s, jitter %.0f%%; baseline: thread per job, sleep %d s%n%n",
        policy.initialDelay().toMillis(),
        policy.multiplier(),
        policy.maxDelay().toSeconds(),
        policy.jitter() * 100,
        BASELINE_SLEEP.toSeconds());
    Result w = runWatcher("watcher", n, policy);
    WatchPolicy tight = policy.withMaxDelay(BASELINE_SLEEP);
    Result t = runWatcher("watcher-5s", n, tight);
    Result b = runBaseline(n);
    print(List.of(w, t, b), policy);
    WatchPolicy notified = policy.withSafetyInterval(SAFETY_INTERVAL);
    runNotified(n, notified, LOST);
  }

  private static final Duration SAFETY_INTERVAL = Duration.ofSeconds(60);
  private static final double LOST = 0.05;

  /**
   * Watches the jobs as notified and pushes each end when it happens, losing a fraction {@code
   * lost}; prints detection delays of pushed and of lost ends, and status calls per job.
   */
  private static void runNotified(int n, WatchPolicy policy, double lost) throws Exception {
    Simulation sim = new Simulation(n, 42);
    Random r = new Random(7);
    boolean[] isLost = new boolean[n];
    for (int i = 0; i < n; i++) {
      isLost[i] = r.nextDouble() < lost;
    }
    JobWatcher watcher = JobWatcher.create(policy);
    List<CompletableFuture<JobStatus>> futures = new ArrayList<>(n);
    long t0 = System.nanoTime();
    sim.start();
    for (int i = 0; i < n; i++) {
      int job = i;
      CompletableFuture<JobStatus> f =
          watcher.watch(sim.ids[i], id -> sim.status(job), null, policy.deadline(), true);
      f.thenRun(() -> sim.detected[job] = System.nanoTime());
      futures.add(f);
    }
    // The vendor: pushes each job's end at its time, in order of ends, on one thread.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, c) -> Long.compare(sim.ends[a], sim.ends[c]));
    Thread vendor =
        new Thread(
            () -> {
              for (int i : order) {
                long wait = sim.ends[i] - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                if (!isLost[i]) {
                  watcher.accept(
                      new JobEvent(
                          "msg-" + i, JobStatus.builder(sim.ids[i], JobState.SUCCEEDED).build()));
                }
              }
            },
            "vendor-push");
    vendor.setDaemon(true);
    vendor.start();
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.MINUTES);
    double wall = (System.nanoTime() - t0) / 1e9;
    vendor.join();
    watcher.close();

    List<Double> pushed = new ArrayList<>();
    List<Double> missed = new ArrayList<>();
    long calls = 0;
    for (int i = 0; i < n; i++) {
      double delay = (sim.detected[i] - sim.ends[i]) / 1e6;
      (isLost[i] ? missed : pushed).add(delay);
      calls += sim.calls.get(i);
    }
    System.out.printf(
        "%nwith notifications (each job watched as notified; safety interval %d s, jitter %.0f%%; %.0f%% of notifications lost):%n",
        policy.safetyInterval().toSeconds(), policy.jitter() * 100, lost * 100);
    System.out.printf(
        "%-16s %7s %11s %11s %11s %11s%n",
        "", "jobs", "delay mean", "delay p99", "delay max", "polls/job");
    printDelays("pushed ends", pushed, -1);
    printDelays("lost ends", missed, -1);
    System.out.printf(
        "%-16s %,7d %11s %11s %11s %11.3f%n", "all", n, "", "", "", (double) calls / n);
    System.out.printf(
        "wall %.1fs; lost ends detected within the safety interval: %s%n",
        wall,
        missed.stream().allMatch(d -> d <= policy.safetyInterval().toMillis()) ? "yes" : "NO");
  }

  private static void printDelays(String name, List<Double> delays, double polls) {
    double[] d = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (d.length == 0) {
      return;
    }
    System.out.printf(
        "%-16s %,7d %9.1fms %9.1fms %9.1fms%n",
        name,
        d.length,
        Arrays.stream(d).average().orElse(0),
        d[Math.min(d.length - 1, (int) (d.length * 0.99))],
        d[d.length - 1]);
  }

  private static Result runWatcher(String name, int n, WatchPolicy policy) throws Exception {
    Simulation sim = new Simulation(n, 42);
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = startCountingThreads();
    JobWatcher watcher = JobWatcher.create(policy);
    List<CompletableFuture<JobStatus>> futures = new ArrayList<>(n);
    long t0 = System.nanoTime();
    sim.start();
    for (int i = 0; i < n; i++) {
      int job = i;
      CompletableFuture<JobStatus> f = watcher.watch(sim.ids[i], id -> sim.status(job));
      f.thenRun(() -> sim.detected[job] = System.nanoTime());
      futures.add(f);
    }
    // Everything is registered: measure the heap the watches hold, and the threads.
    long heapWith = usedHeapAfterGc();
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.MINUTES);
    double wall = (System.nanoTime() - t0) / 1e9;
    int threads = peakThreads() - threadsBefore;
    watcher.close();
    return summarize(name, sim, threads, heapWith - heapBefore, wall, policy.initialDelay());
  }

  private static Result runBaseline(int n) throws Exception {
    Simulation sim = new Simulation(n, 42);
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = startCountingThreads();
    CountDownLatch registered = new CountDownLatch(n);
    CountDownLatch measured = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    sim.start();
    for (int i = 0; i < n; i++) {
      int job = i;
      Thread t =
          new Thread(
              () -> {
                registered.countDown();
                try {
                  while (true) {
                    if (sim.status(job).state().isTerminal()) {
                      sim.detected[job] = System.nanoTime();
                      break;
                    }
                    Thread.sleep(BASELINE_SLEEP.toMillis());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              },
              "baseline-" + i);
      t.setDaemon(true);
      t.start();
    }
    registered.await();
    long heapWith = usedHeapAfterGc();
    measured.countDown();
    done.await(10, TimeUnit.MINUTES);
    double wall = (System.nanoTime() - t0) / 1e9;
    int threads = peakThreads() - threadsBefore;
    return summarize("baseline", sim, threads, heapWith - heapBefore, wall, BASELINE_SLEEP);
  }

  private static Result summarize(
      String name, Simulation sim, int threads, long heap, double wall, Duration firstDelay) {
    int n = sim.ends.length;
    double[] delays = new double[n];
    long calls = 0;
    double extraMax = Double.NEGATIVE_INFINITY;
    double extraSum = 0;
    for (int i = 0; i < n; i++) {
      delays[i] = (sim.detected[i] - sim.ends[i]) / 1e6;
      int c = sim.calls.get(i);
      calls += c;
      double log = Math.log(sim.lengths[i] / 0.5) / Math.log(2); // log2(length / 500 ms)
      double extra = c - Math.max(0, log);
      extraMax = Math.max(extraMax, extra);
      extraSum += extra;
    }
    Arrays.sort(delays);
    double mean = Arrays.stream(delays).average().orElse(0);
    return new Result(
        name,
        n,
        threads,
        heap,
        (double) calls / n,
        extraMax,
        extraSum / n,
        mean,
        delays[n / 2],
        delays[(int) (n * 0.99)],
        delays[n - 1],
        wall);
  }

  private static void print(List<Result> results, WatchPolicy policy) {
    System.out.printf(
        "%-9s %7s %8s %13s %11s %16s %16s %11s %11s %11s %8s%n",
        "",
        "jobs",
        "threads",
        "heap/job (B)",
        "polls/job",
        "polls-log2 mean",
        "polls-log2 max",
        "delay mean",
        "delay p99",
        "delay max",
        "wall");
    for (Result r : results) {
      System.out.printf(
          "%-9s %,7d %8d %,13d %11.2f %16.2f %16.2f %9.0fms %9.0fms %9.0fms %7.1fs%n",
          r.name(),
          r.jobs(),
          r.threads(),
          r.heapBytes() / r.jobs(),
          r.callsPerJob(),
          r.extraPollsMean(),
          r.extraPollsMax(),
          r.delayMeanMs(),
          r.delayP99Ms(),
          r.delayMaxMs(),
          r.wallSeconds());
    }
    Result b = results.get(results.size() - 1);
    for (Result w : results.subList(0, results.size() - 1)) {
      System.out.printf(
          "%nratios %s/baseline: threads %.4f, heap/job %.2f, polls/job %.2f, mean detection delay %.2f",
          w.name(),
          (double) w.threads() / b.threads(),
          (double) w.heapBytes() / Math.max(1, b.heapBytes()),
          w.callsPerJob() / b.callsPerJob(),
          w.delayMeanMs() / b.delayMeanMs());
    }
    System.out.println();
    System.out.println(
        "(polls-log2 = status calls minus log2(job length / 500 ms); heap of the baseline excludes its thread stacks, which are native memory)");
  }

  /** Resets the JVM's peak thread count and returns the live count to subtract. */
  private static int startCountingThreads() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    mx.resetPeakThreadCount();
    return mx.getThreadCount();
  }

  private static int peakThreads() {
    return ManagementFactory.getThreadMXBean().getPeakThreadCount();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
