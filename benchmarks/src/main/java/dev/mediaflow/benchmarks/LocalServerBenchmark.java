package dev.mediaflow.benchmarks;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.local.LocalMediaServer;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Thumbnails (a 1920x1080 JPEG to 320 px wide) through {@link LocalMediaServer} over HTTP on
 * loopback, side by side with running {@code ffmpeg} once per request for the same thumbnail (the
 * FFmpeg that {@link LocalProvider#ffmpegProcess} finds), at the same concurrency: {@code CLIENTS}
 * threads, each sending its requests one after another ({@code java.net.http}, HTTP/1.1).
 *
 * <ul>
 *   <li><b>uncached</b>: each request names a distinct source (a copy of the JPEG), so the server
 *       transforms every one (the first request of a URL);
 *   <li><b>ffmpeg per request</b>: the same number of thumbnails, one FFmpeg process each;
 *   <li><b>cached</b>: requests for thumbnails made before, answered from the server's cache, for
 *       {@code CACHED_MS} per round.
 * </ul>
 *
 * After a warm-up round, each round runs the three in an order that alternates between rounds.
 * Reports per contender the median over rounds of thumbnails per second and of each round's p50 and
 * p99 latency, and the ratios against FFmpeg per request.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.LocalServerBenchmark [-Dexec.args="ROUNDS
 * CLIENTS REQUESTS CACHED_MS"]} (default 5 rounds, 4 clients, 24 uncached requests and FFmpeg runs
 * per round, 2000 ms of cached requests).
 */
public final class LocalServerBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private LocalServerBenchmark() {}

  /** One contender's round: thumbnails per second and latencies (ms). */
  private record Round(double rate, double p50, double p99) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 24;
    long cachedMillis = args.length > 3 ? Long.parseLong(args[3]) : 2000;

    Path root = Files.createTempDirectory("mediaflow-serve-bench");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("media.provider", "local");
    settings.put("media.local.root", root.toString());
    settings.put("media.local.urlSigningKey", "benchmark-url-signing-key-0123456789");
    MediaConfig config = MediaConfig.fromMap(settings);

    // The source: one 1080p JPEG, copied once per uncached request of every round.
    Path media = Files.createDirectories(root.resolve("media/photos"));
    Path source = media.resolve("source.jpg");
    run(
        LocalProvider.ffmpegProcess(
            config,
            List.of(
                "-hide_banner",
                "-nostdin",
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1920x1080:rate=1",
                "-frames:v",
                "1",
                "-q:v",
                "3",
                source.toString())));
    int total = (rounds + 1) * requests;
    for (int i = 0; i < total; i++) {
      Files.copy(source, media.resolve("src-" + i + ".jpg"));
    }
    Path scratch = Files.createDirectories(root.resolve("ffmpeg-out"));
    System.out.printf(
        Locale.ROOT,
        "source %s (%d KiB), %d clients, %d requests per round, load %s%n",
        source.getFileName(),
        Files.size(source) / 1024,
        clients,
        requests,
        loadAverage());

    UrlOptions thumb =
        UrlOptions.builder().process(ImageResize.builder().width(320).build()).build();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (LocalMediaServer server =
        LocalMediaServer.builder().config(config).host("127.0.0.1").port(0).start()) {
      settings.put("media.local.baseUrl", server.baseUrl().toString());
      try (MediaClient client = MediaClient.create(MediaConfig.fromMap(settings))) {
        URI[] urls = new URI[total];
        for (int i = 0; i < total; i++) {
          urls[i] = client.url(MediaObject.of("media", "photos/src-" + i + ".jpg"), thumb).toUri();
        }
        // Cached requests cycle over thumbnails the warm-up round makes.
        URI[] cachedUrls = Arrays.copyOf(urls, requests);
        String[] names = {"server uncached", "ffmpeg per request", "server cached"};
        List<List<Round>> results =
            List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = -1; round < rounds; round++) {
          int first = (round + 1) * requests;
          for (int k = 0; k < 3; k++) {
            int c = Math.floorMod(round, 2) == 0 ? k : 2 - k;
            Round r;
            if (c == 0) {
              r = measure(pool, clients, requests, 0, i -> fetch(http, urls[first + i]));
            } else if (c == 1) {
              int finalRound = round;
              r =
                  measure(
                      pool,
                      clients,
                      requests,
                      0,
                      i ->
                          thumbnail(
                              config,
                              media.resolve("src-" + (first + i) + ".jpg"),
                              scratch.resolve("r" + finalRound + "-" + i + ".jpg")));
            } else {
              if (round < 0) {
                // the warm-up's cached URLs are made by its uncached part, which may come after
                measure(pool, clients, requests, 0, i -> fetch(http, cachedUrls[i]));
              }
              r =
                  measure(
                      pool,
                      clients,
                      Integer.MAX_VALUE,
                      cachedMillis,
                      i -> fetch(http, cachedUrls[i % cachedUrls.length]));
            }
            if (round >= 0) {
              results.get(c).add(r);
            }
          }
          if (round >= 0) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < 3; c++) {
              Round r = results.get(c).get(round);
              line.append(
                  String.format(
                      Locale.ROOT,
                      "%s%s %.1f/s p50 %.1f ms p99 %.1f ms",
                      c == 0 ? "" : "; ",
                      names[c],
                      r.rate,
                      r.p50,
                      r.p99));
            }
            System.out.printf(Locale.ROOT, "round %d: %s%n", round + 1, line);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%n1080p JPEG -> 320 px thumbnails, %d clients, %d rounds, medians (load %s):%n"
                + "  %-20s %12s %10s %10s%n",
            clients,
            rounds,
            loadAverage(),
            "",
            "thumbs/s",
            "p50 ms",
            "p99 ms");
        double[] rate = new double[3];
        for (int c = 0; c < 3; c++) {
          List<Round> rs = results.get(c);
          rate[c] = median(rs.stream().mapToDouble(Round::rate).toArray());
          System.out.printf(
              Locale.ROOT,
              "  %-20s %12.1f %10.1f %10.1f%n",
              names[c],
              rate[c],
              median(rs.stream().mapToDouble(Round::p50).toArray()),
              median(rs.stream().mapToDouble(Round::p99).toArray()));
        }
        System.out.printf(
            Locale.ROOT,
            "ratios against ffmpeg per request: uncached %.2fx, cached %.1fx%n",
            rate[0] / rate[1],
            rate[2] / rate[1]);
      }
    } finally {
      pool.shutdownNow();
      deleteTree(root);
    }
  }

  /** A task of one request; returns normally when it succeeded. */
  private interface Request {
    void run() throws Exception;
  }

  /**
   * Runs requests {@code 0..count-1} on {@code clients} threads, each taking the next index until
   * the count or {@code millis} (when positive) is reached, and returns the throughput and
   * latencies.
   */
  private static Round measure(
      ExecutorService pool, int clients, int count, long millis, IntFunction<Request> request)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = millis > 0 ? start + millis * 1_000_000 : Long.MAX_VALUE;
    List<Future<List<Long>>> futures = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      futures.add(
          pool.submit(
              () -> {
                List<Long> latencies = new ArrayList<>();
                int i;
                while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
                  long t0 = System.nanoTime();
                  request.apply(i).run();
                  latencies.add(System.nanoTime() - t0);
                }
                return latencies;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> f : futures) {
      all.addAll(f.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Round(all.size() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  private static Request fetch(HttpClient http, URI url) {
    return () -> {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(url).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200 || r.body().length == 0) {
        throw new IllegalStateException(
            "GET " + url.getPath() + " answered " + r.statusCode() + ": " + new String(r.body()));
      }
    };
  }

  /** The same thumbnail by one FFmpeg process: scaled to 320 px wide, the height in proportion. */
  private static Request thumbnail(MediaConfig config, Path in, Path out) {
    return () ->
        run(
            LocalProvider.ffmpegProcess(
                config,
                List.of(
                    "-hide_banner",
                    "-nostdin",
                    "-y",
                    "-loglevel",
                    "error",
                    "-i",
                    in.toString(),
                    "-vf",
                    "scale=320:-2",
                    "-frames:v",
                    "1",
                    out.toString())));
  }

  private static void run(ProcessBuilder pb) throws Exception {
    Process p =
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("FFmpeg failed: " + pb.command());
    }
  }

  private static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT,
        "%.2f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
