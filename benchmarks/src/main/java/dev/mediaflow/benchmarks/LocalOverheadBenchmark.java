package dev.mediaflow.benchmarks;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.examples.Quickstart;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The quickstart pipeline through Mediaflow's local provider vs the same FFmpeg commands run by
 * hand (the commands the provider renders, run on a pool of the same size with plain
 * ProcessBuilder, on the FFmpeg that {@link LocalProvider#ffmpegProcess} finds), side by side,
 * interleaved, several rounds. Reports median wall times and their ratio.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.LocalOverheadBenchmark [-Dexec.args=ROUNDS]}
 */
public final class LocalOverheadBenchmark {
  private LocalOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path root = Files.createTempDirectory("mediaflow-bench");
    int workers = Runtime.getRuntime().availableProcessors();
    MediaConfig config =
        MediaConfig.builder()
            .put("media.provider", "local")
            .put("media.local.root", root.toString())
            .put("media.local.workers", String.valueOf(workers))
            .put("media.watch.initialDelay", "20ms")
            .put("media.watch.maxDelay", "50ms")
            .build();
    MediaObject source = MediaObject.of("media", "samples/clip.mp4");
    LocalProvider.writeSampleClip(config, source, 1920, 1080, Duration.ofSeconds(6));
    Pipeline pipeline = Quickstart.pipeline(source);

    try (MediaClient client = MediaClient.create(config)) {
      List<ProcessBuilder> byHand = new ArrayList<>();
      for (VendorRequest r : client.render(pipeline)) {
        List<String> ffmpegArgs =
            new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        ffmpegArgs.addAll(shellWords(r.processing().substring("ffmpeg ".length())));
        byHand.add(
            LocalProvider.ffmpegProcess(config, ffmpegArgs).directory(root.toFile()).inheritIO());
      }
      Files.createDirectories(root.resolve("media/out"));
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      double[] mediaflow = new double[rounds];
      double[] hand = new double[rounds];
      for (int round = -1; round < rounds; round++) { // round -1 warms both up
        // Alternate which goes first, so neither always runs on a machine the other just warmed or
        // heated.
        boolean mediaflowFirst = round % 2 == 0;
        double m = 0;
        double h = 0;
        for (int k = 0; k < 2; k++) {
          if ((k == 0) == mediaflowFirst) {
            m = timeMediaflow(client, pipeline);
          } else {
            h = timeByHand(pool, byHand);
          }
        }
        if (round >= 0) {
          mediaflow[round] = m;
          hand[round] = h;
          System.out.printf(
              Locale.ROOT, "round %d: mediaflow %.3f s, by hand %.3f s%n", round + 1, m, h);
        }
      }
      pool.shutdown();
      double m = median(mediaflow);
      double h = median(hand);
      System.out.printf(
          Locale.ROOT,
          "%nquickstart pipeline (4 outputs, %d workers), %d rounds, median wall time:%n"
              + "  mediaflow local provider  %.3f s%n  same FFmpeg commands     %.3f s%n  ratio                     %.3f"
              + " (overhead %+.1f%%)%n",
          workers,
          rounds,
          m,
          h,
          m / h,
          (m / h - 1) * 100);
    }
  }

  private static double timeMediaflow(MediaClient client, Pipeline pipeline) {
    long t0 = System.nanoTime();
    JobStatus done = client.submit(pipeline).await(Duration.ofMinutes(5));
    long t1 = System.nanoTime();
    if (done.state() != JobState.SUCCEEDED) {
      throw new IllegalStateException(done.summary());
    }
    return (t1 - t0) / 1e9;
  }

  private static double timeByHand(ExecutorService pool, List<ProcessBuilder> commands)
      throws Exception {
    long t0 = System.nanoTime();
    List<Future<Integer>> runs = new ArrayList<>();
    for (ProcessBuilder pb : commands) {
      runs.add(pool.submit(() -> pb.start().waitFor()));
    }
    for (Future<Integer> f : runs) {
      if (f.get() != 0) {
        throw new IllegalStateException("a hand-run FFmpeg command failed");
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * Splits the rendered command line: words separated by spaces, single-quoted words as the
   * renderer writes them.
   */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          w.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        any = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        any = true;
      } else if (c == ' ') {
        if (any || w.length() > 0) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
      }
    }
    if (any || w.length() > 0) {
      words.add(w.toString());
    }
    return words;
  }
}
