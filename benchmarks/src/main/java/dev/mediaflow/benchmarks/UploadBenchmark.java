package dev.mediaflow.benchmarks;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.UploadFileRequest;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Side by side against one fake OSS server on loopback (in its own JVM): a multipart upload of one
 * file through Mediaflow ({@code MediaClient.upload}) and through the official SDK ({@code
 * aliyun-sdk-oss} {@code OSS.uploadFile}, no checkpoint file), same part size and parallelism, V4
 * signatures, CRC-64 checked by both. Each round runs each client in a fresh JVM of its own ({@code
 * -Xmx1g}, G1 with 1 MiB regions), in alternating order, so neither's classes, pools or garbage
 * count against the other. A client JVM uploads once to warm up, then, after a GC and a reset of
 * the heap pools' peaks, uploads again and reports throughput, the peak heap in use (sampled every
 * 0.2 ms, and the pools' peaks at GCs: the client's live objects plus the upload's garbage), the
 * live heap before the upload, the bytes allocated and the CPU time the client's process used. Then
 * CRC-64 throughput, ours against the SDK's {@code CRC64}, over the same buffer.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.UploadBenchmark -Dexec.args="1024 8 4 5"}
 * (MiB, part MiB, parallelism, rounds).
 */
public final class UploadBenchmark {
  private static final String[] CLIENTS = {"mediaflow", "aliyun-sdk-oss"};

  private UploadBenchmark() {}

  /**
   * The fake OSS server in a child JVM: prints {@code READY <base url>} and serves until its input
   * closes.
   */
  public static final class Server {
    public static void main(String[] args) throws Exception {
      try (FakeOssServer oss =
          FakeOssServer.builder().credentials("AK", "SK").dataDir(Path.of(args[0])).build()) {
        oss.start();
        System.out.println("READY " + oss.baseUrl());
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the parent closes our input
        }
      }
    }
  }

  /**
   * One client in a child JVM: {@code <client> <url> <file> <part MiB> <parallelism>}. Prints
   * {@code RESULT <MiB/s> <peak heap MiB> <live heap MiB before> <allocated MiB> <CPU seconds>}
   * (CPU: the whole client process's, the sampler's included).
   */
  public static final class Client {
    public static void main(String[] args) throws Exception {
      String url = args[1];
      Path file = Path.of(args[2]);
      long partSize = Long.parseLong(args[3]) << 20;
      int parallel = Integer.parseInt(args[4]);
      long size = Files.size(file);
      Runnable upload;
      AutoCloseable close;
      if (args[0].equals(CLIENTS[0])) {
        MediaClient media =
            MediaClient.builder()
                .config(ossConfig(url))
                .checkpoints(CheckpointStore.none())
                .build();
        upload =
            () -> {
              UploadResult r =
                  media.upload(
                      UploadRequest.builder(
                              UploadSource.ofFile(file), MediaObject.of("bench", "mediaflow.bin"))
                          .partSize(partSize)
                          .parallelism(parallel)
                          .build());
              if (r.size() != size) {
                throw new IllegalStateException("stored " + r.size());
              }
            };
        close = media;
      } else {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V4);
        OSS oss =
            OSSClientBuilder.create()
                .endpoint(url)
                .region("cn-hangzhou")
                .credentialsProvider(new DefaultCredentialProvider("AK", "SK"))
                .clientConfiguration(conf)
                .build();
        upload =
            () -> {
              UploadFileRequest req = new UploadFileRequest("bench", "sdk.bin");
              req.setUploadFile(file.toString());
              req.setPartSize(partSize);
              req.setTaskNum(parallel);
              req.setEnableCheckpoint(false);
              try {
                if (oss.uploadFile(req).getMultipartUploadResult() == null) {
                  throw new IllegalStateException("no result");
                }
              } catch (Throwable t) {
                throw new IllegalStateException(t);
              }
            };
        close = oss::shutdown;
      }
      upload.run(); // warm-up: classes, JIT, connections
      System.gc();
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      long live = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long allocated = allocated();
      HeapSampler sampler = new HeapSampler();
      long cpu = cpu();
      long start = System.nanoTime();
      upload.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpu() - cpu) / 1e9;
      long peak =
          Math.max(
              sampler.finish(), heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
      long bytes = allocated() - allocated;
      close.close();
      System.out.printf(
          Locale.ROOT,
          "RESULT %.3f %.3f %.3f %.3f %.3f%n",
          (size >> 20) / seconds,
          peak / 1048576.0,
          live / 1048576.0,
          bytes / 1048576.0,
          cpuSeconds);
    }
  }

  /**
   * The heap in use ({@code totalMemory - freeMemory}, which counts the regions being allocated
   * into) every 0.2 ms: the pools' peaks alone are recorded only at GCs and when read, so an upload
   * that allocates little between GCs would show none of it.
   */
  private static final class HeapSampler extends Thread {
    private volatile boolean running = true;
    private long peak;

    HeapSampler() {
      super("heap-sampler");
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      Runtime rt = Runtime.getRuntime();
      while (running) {
        peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
      }
    }

    long finish() throws InterruptedException {
      running = false;
      join();
      return peak;
    }
  }

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int partMib = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Path work = Files.createTempDirectory("mediaflow-upload-bench");
    Path file = work.resolve("source.bin");
    write(file, mib << 20);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = classPath();
    Process server =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                classPath,
                Server.class.getName(),
                work.resolve("server").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String ready =
          new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (ready == null || !ready.startsWith("READY ")) {
        throw new IllegalStateException("the fake server did not start: " + ready);
      }
      String url = ready.substring("READY ".length());
      System.out.printf(
          Locale.ROOT,
          "Upload of %d MiB, parts of %d MiB, %d at once, to the fake OSS server at %s; each client "
              + "in its own JVM %s -Xmx1g, measured on its second upload%n",
          mib,
          partMib,
          parallel,
          url,
          System.getProperty("java.version"));
      List<double[]> mf = new ArrayList<>();
      List<double[]> sdk = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double[] a = client(java, classPath, CLIENTS[0], url, file, partMib, parallel);
        double[] b = client(java, classPath, CLIENTS[1], url, file, partMib, parallel);
        System.out.printf(
            Locale.ROOT,
            "round %d mediaflow %6.1f MiB/s  peak heap %5.1f MiB (live %4.1f)  allocated %5.1f MiB  "
                + "CPU %5.2f s | aliyun-sdk-oss %6.1f MiB/s  peak heap %5.1f MiB (live %4.1f)  allocated %5.1f MiB  CPU %5.2f s%n",
            round,
            a[0],
            a[1],
            a[2],
            a[3],
            a[4],
            b[0],
            b[1],
            b[2],
            b[3],
            b[4]);
        mf.add(a);
        sdk.add(b);
      }
      System.out.printf(
          Locale.ROOT,
          "median: throughput mediaflow/sdk = %.2f, peak heap mediaflow/sdk = %.2f, "
              + "live heap mediaflow/sdk = %.2f, allocated mediaflow/sdk = %.2f, CPU mediaflow/sdk = %.2f%n",
          median(mf, 0) / median(sdk, 0),
          median(mf, 1) / median(sdk, 1),
          median(mf, 2) / median(sdk, 2),
          median(mf, 3) / median(sdk, 3),
          median(mf, 4) / median(sdk, 4));
      crc(url, 256);
    } finally {
      server.getOutputStream().close();
      server.waitFor();
      try (var walk = Files.walk(work)) {
        walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Runs one client JVM and returns its MiB/s, peak heap MiB, live heap MiB, allocated MiB, CPU
   * seconds.
   */
  private static double[] client(
      String java,
      String classPath,
      String client,
      String url,
      Path file,
      int partMib,
      int parallel)
      throws Exception {
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-XX:G1HeapRegionSize=1m",
                "-cp",
                classPath,
                Client.class.getName(),
                client,
                url,
                file.toString(),
                String.valueOf(partMib),
                String.valueOf(parallel))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          result = line;
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException(client + " failed (exit " + p.exitValue() + ")");
    }
    String[] f = result.split(" ");
    double[] values = new double[f.length - 1];
    for (int i = 1; i < f.length; i++) {
      values[i - 1] = Double.parseDouble(f[i]);
    }
    return values;
  }

  /**
   * This program's class path, also under {@code exec:java} (whose class loader is not the system
   * one).
   */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (ClassLoader l = UploadBenchmark.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    entries.add(System.getProperty("java.class.path"));
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static long cpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static long allocated() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
      return t.getTotalThreadAllocatedBytes();
    }
    return 0;
  }

  private static double median(List<double[]> runs, int i) {
    double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The settings of a Mediaflow client of the fake OSS server at {@code url}. */
  private static MediaConfig ossConfig(String url) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("media.provider", "oss");
    settings.put("media.oss.accessKeyId", "AK");
    settings.put("media.oss.accessKeySecret", "SK");
    settings.put("media.oss.region", "cn-hangzhou");
    settings.put("media.oss.endpoint", url);
    return MediaConfig.fromMap(settings);
  }

  /**
   * CRC-64 throughput: the OSS provider's upload hasher (what every part and PutObject is hashed
   * with, reached through the provider SPI) against the SDK's {@code CRC64}.
   */
  private static void crc(String url, int mib) throws Exception {
    byte[] data = new byte[mib << 20];
    new Random(1).nextBytes(data);
    double ours = 0;
    double theirs = 0;
    long sink = 0;
    try (MediaClient media =
        MediaClient.builder().config(ossConfig(url)).checkpoints(CheckpointStore.none()).build()) {
      UploadProtocol uploads =
          media.unwrap(ProviderClient.class).orElseThrow().uploads().orElseThrow();
      for (int round = 0; round < 6; round++) {
        long t0 = System.nanoTime();
        PartHasher c = uploads.hasher();
        c.update(data, 0, data.length);
        String crc = c.finish();
        long t1 = System.nanoTime();
        com.aliyun.oss.common.utils.CRC64 s = new com.aliyun.oss.common.utils.CRC64();
        s.update(data, data.length);
        long t2 = System.nanoTime();
        if (!crc.equals(Long.toUnsignedString(s.getValue()))) {
          throw new IllegalStateException("CRC-64 mismatch");
        }
        sink += s.getValue();
        if (round >= 2) {
          ours += mib / ((t1 - t0) / 1e9);
          theirs += mib / ((t2 - t1) / 1e9);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "CRC-64 over %d MiB (mean of 4 after 2 warm-ups): mediaflow %.0f MiB/s, aliyun-sdk-oss "
            + "%.0f MiB/s, ratio %.2f (%d)%n",
        mib,
        ours / 4,
        theirs / 4,
        ours / theirs,
        sink & 1);
  }

  private static void write(Path file, long bytes) throws Exception {
    byte[] block = new byte[8 << 20];
    Random r = new Random(42);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; ) {
        r.nextBytes(block);
        int n = (int) Math.min(block.length, left);
        out.write(block, 0, n);
        left -= n;
      }
    }
  }
}
