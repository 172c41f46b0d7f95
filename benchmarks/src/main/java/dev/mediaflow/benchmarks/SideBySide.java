package dev.mediaflow.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Runs contenders side by side on this one thread: after warm-up rounds (the JIT), each round runs
 * every contender for about {@code millis} over {@code batch} inputs (cycled), in an order that
 * alternates between rounds (forward, then reversed), and records operations per second, bytes
 * allocated per operation ({@code ThreadMXBean.getThreadAllocatedBytes} around the batch) and the
 * thread's CPU time per operation ({@code getCurrentThreadCpuTime}, which time spent waiting for a
 * core on a shared machine does not inflate). Reports the medians over the rounds.
 */
final class SideBySide {
  /** One contender: a name and the operation on input {@code i}. */
  record Contender(String name, IntFunction<Object> operation) {}

  /**
   * The medians of one contender: operations per second, bytes and CPU nanoseconds per operation.
   */
  record Result(String name, double perSecond, double bytes, double cpuNanos) {}

  /** Defeats dead-code elimination: every result is stored here (and soon overwritten). */
  private static final Object[] sink = new Object[16];

  private SideBySide() {}

  static List<Result> run(
      List<Contender> contenders, int batch, int rounds, long millis, String unit) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int n = contenders.size();
    double[][] rate = new double[n][rounds];
    double[][] bytes = new double[n][rounds];
    double[][] cpu = new double[n][rounds];
    int warmups = 3;
    for (int round = -warmups; round < rounds; round++) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < n; k++) {
        int c = Math.floorMod(round, 2) == 0 ? k : n - 1 - k;
        IntFunction<Object> op = contenders.get(c).operation();
        long count = 0;
        long a0 = threads.getThreadAllocatedBytes(thread);
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long deadline = t0 + millis * 1_000_000;
        long t1;
        do {
          for (int i = 0; i < batch; i++) {
            sink[i & 15] = op.apply(i);
          }
          count += batch;
          t1 = System.nanoTime();
        } while (t1 < deadline);
        long c1 = threads.getCurrentThreadCpuTime();
        long a1 = threads.getThreadAllocatedBytes(thread);
        if (round >= 0) {
          rate[c][round] = count / ((t1 - t0) / 1e9);
          bytes[c][round] = (double) (a1 - a0) / count;
          cpu[c][round] = (double) (c1 - c0) / count;
        }
      }
      if (round >= 0) {
        for (int c = 0; c < n; c++) {
          line.append(
              String.format(
                  Locale.ROOT,
                  "%s%s %.0f/s %.0f B",
                  c == 0 ? "" : ", ",
                  contenders.get(c).name(),
                  rate[c][round],
                  bytes[c][round]));
        }
        System.out.printf(Locale.ROOT, "round %d: %s%n", round + 1, line);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d rounds of %d ms each, medians (one thread):%n  %-20s %12s %12s %12s%n",
        rounds,
        millis,
        "",
        unit + "/s",
        "bytes/" + unit,
        "CPU ns/" + unit);
    List<Result> results =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(
                c ->
                    new Result(
                        contenders.get(c).name(),
                        median(rate[c]),
                        median(bytes[c]),
                        median(cpu[c])))
            .toList();
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "  %-20s %12.0f %12.0f %12.0f%n",
          r.name(),
          r.perSecond(),
          r.bytes(),
          r.cpuNanos());
    }
    return results;
  }

  /**
   * Prints Mediaflow's ratios against the SDK, for each pair (Mediaflow, SDK) in {@code results}.
   */
  static void ratios(List<Result> results, String... labels) {
    System.out.printf(Locale.ROOT, "Mediaflow / SDK:%n");
    for (int p = 0; p < labels.length && 2 * p + 1 < results.size(); p++) {
      Result m = results.get(2 * p);
      Result s = results.get(2 * p + 1);
      System.out.printf(
          Locale.ROOT,
          "  %-7s throughput %.2fx (by CPU time %.2fx), allocation %.2fx (%.0f vs %.0f B)%n",
          labels[p],
          m.perSecond() / s.perSecond(),
          s.cpuNanos() / m.cpuNanos(),
          m.bytes() / s.bytes(),
          m.bytes(),
          s.bytes());
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
