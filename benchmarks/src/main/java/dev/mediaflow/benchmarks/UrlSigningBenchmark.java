package dev.mediaflow.benchmarks;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.qiniu.util.Auth;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Delivery URL signing, side by side in one process: Mediaflow's {@code MediaClient.url} (a 320 px
 * {@link ImageResize} on the URL, one hour) on an OSS client (V4 and V1) and on a Qiniu client,
 * against the official SDKs making the same URL: {@code aliyun-sdk-oss} {@code
 * OSS.generatePresignedUrl} with {@code setProcess} (V4 and V1) and {@code qiniu-java-sdk} {@code
 * Auth.privateDownloadUrl} over the URL with its fop. Nothing is sent: signing makes no request, so
 * the clients get dummy credentials, a region and a Qiniu domain.
 *
 * <p>Each contender signs batches of URLs for distinct keys (1024 keys, cycled) on this one thread.
 * After warm-up rounds (the JIT), each round runs every contender once for about {@code millis}, in
 * an order that alternates between rounds (forward, then reversed), and records URLs per second and
 * bytes allocated per URL ({@code ThreadMXBean.getThreadAllocatedBytes} around the batch). Reports
 * the medians over the rounds and Mediaflow's ratios against each SDK.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.UrlSigningBenchmark [-Dexec.args="ROUNDS
 * MILLIS"]} (default 7 rounds of 1000 ms per contender).
 */
public final class UrlSigningBenchmark {
  private static final int KEYS = 1024;
  private static final String AK = "LTAI5tBenchmarkKeyId";
  private static final String SK = "benchmarkSecretKeyThatIsNotReal0";
  private static final String OSS_ENDPOINT = "https://oss-cn-hangzhou.aliyuncs.com";
  private static final String QINIU_DOMAIN = "https://cdn.example.com";

  /** Defeats dead-code elimination: every URL is stored here (and soon overwritten). */
  private static final Object[] sink = new Object[16];

  private UrlSigningBenchmark() {}

  private record Contender(String name, IntFunction<Object> sign) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long millis = args.length > 1 ? Long.parseLong(args[1]) : 1000;

    MediaObject[] objects = new MediaObject[KEYS];
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = String.format(Locale.ROOT, "photos/2024/%02d/IMG_%05d.jpg", i % 12 + 1, i);
      objects[i] = MediaObject.of("media", keys[i]);
    }
    UrlOptions options =
        UrlOptions.builder().process(ImageResize.builder().width(320).build()).build();
    long expirySeconds = options.expiry().toSeconds();

    MediaClient ossV4 = MediaClient.create(ossConfig("v4"));
    MediaClient ossV1 = MediaClient.create(ossConfig("v1"));
    MediaClient qiniu = MediaClient.create(qiniuConfig());

    // The SDKs get the very processing Mediaflow puts on the URL, read off an unsigned URL.
    UrlOptions unsigned = options.toBuilder().unsigned().build();
    String ossProcess = queryValue(ossV4.url(objects[0], unsigned), "x-oss-process");
    String qiniuFop = qiniu.url(objects[0], unsigned).getRawQuery();
    String[] qiniuUnsigned = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      qiniuUnsigned[i] = QINIU_DOMAIN + "/" + keys[i] + "?" + qiniuFop;
    }
    OSS sdkV4 = ossSdk(SignVersion.V4);
    OSS sdkV1 = ossSdk(SignVersion.V1);
    Auth auth = Auth.create(AK, SK);
    System.out.printf(
        Locale.ROOT, "processing: OSS x-oss-process=%s, Qiniu ?%s%n", ossProcess, qiniuFop);

    List<Contender> all =
        List.of(
            new Contender("mediaflow oss v4", i -> ossV4.url(objects[i], options)),
            new Contender("aliyun-sdk-oss v4", i -> sdkUrl(sdkV4, keys[i], ossProcess)),
            new Contender("mediaflow oss v1", i -> ossV1.url(objects[i], options)),
            new Contender("aliyun-sdk-oss v1", i -> sdkUrl(sdkV1, keys[i], ossProcess)),
            new Contender("mediaflow qiniu", i -> qiniu.url(objects[i], options)),
            new Contender(
                "qiniu-java-sdk", i -> auth.privateDownloadUrl(qiniuUnsigned[i], expirySeconds)));
    // An optional third argument keeps the contenders whose name contains it (for profiling one).
    List<Contender> contenders =
        args.length > 2 ? all.stream().filter(c -> c.name.contains(args[2])).toList() : all;
    for (Contender c : contenders) {
      System.out.printf(Locale.ROOT, "  %-18s %s%n", c.name, redact(c.sign.apply(7)));
    }

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int n = contenders.size();
    double[][] rate = new double[n][rounds];
    double[][] bytes = new double[n][rounds];
    int warmups = 3;
    for (int round = -warmups; round < rounds; round++) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < n; k++) {
        // Alternate the order between rounds, so no contender always runs right after the same one.
        int c = Math.floorMod(round, 2) == 0 ? k : n - 1 - k;
        IntFunction<Object> sign = contenders.get(c).sign;
        long count = 0;
        long a0 = threads.getThreadAllocatedBytes(thread);
        long t0 = System.nanoTime();
        long deadline = t0 + millis * 1_000_000;
        long t1;
        do {
          for (int i = 0; i < KEYS; i++) {
            sink[i & 15] = sign.apply(i);
          }
          count += KEYS;
          t1 = System.nanoTime();
        } while (t1 < deadline);
        long a1 = threads.getThreadAllocatedBytes(thread);
        if (round >= 0) {
          rate[c][round] = count / ((t1 - t0) / 1e9);
          bytes[c][round] = (double) (a1 - a0) / count;
        }
      }
      if (round >= 0) {
        for (int c = 0; c < n; c++) {
          line.append(
              String.format(
                  Locale.ROOT,
                  "%s%s %.0f/s %.0f B",
                  c == 0 ? "" : ", ",
                  contenders.get(c).name,
                  rate[c][round],
                  bytes[c][round]));
        }
        System.out.printf(Locale.ROOT, "round %d: %s%n", round + 1, line);
      }
    }

    System.out.printf(
        Locale.ROOT,
        "%nURL signing, %d rounds of %d ms each, medians (one thread):%n" + "  %-18s %12s %12s%n",
        rounds,
        millis,
        "",
        "URLs/s",
        "bytes/URL");
    for (int c = 0; c < n; c++) {
      System.out.printf(
          Locale.ROOT,
          "  %-18s %12.0f %12.0f%n",
          contenders.get(c).name,
          median(rate[c]),
          median(bytes[c]));
    }
    String[] labels = {"OSS V4", "OSS V1", "Qiniu"};
    for (int p = 0; p < 3 && n == all.size(); p++) {
      if (p == 0) {
        System.out.printf(Locale.ROOT, "Mediaflow / SDK:%n");
      }
      int m = 2 * p;
      int s = m + 1;
      System.out.printf(
          Locale.ROOT,
          "  %-7s throughput %.2fx, allocation %.2fx (%.0f vs %.0f B/URL)%n",
          labels[p],
          median(rate[m]) / median(rate[s]),
          median(bytes[m]) / median(bytes[s]),
          median(bytes[m]),
          median(bytes[s]));
    }
    sdkV4.shutdown();
    sdkV1.shutdown();
    ossV4.close();
    ossV1.close();
    qiniu.close();
  }

  private static Object sdkUrl(OSS sdk, String key, String process) {
    GeneratePresignedUrlRequest req = new GeneratePresignedUrlRequest("media", key, HttpMethod.GET);
    req.setProcess(process);
    req.setExpiration(new Date(System.currentTimeMillis() + 3_600_000));
    return sdk.generatePresignedUrl(req);
  }

  private static MediaConfig ossConfig(String version) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "oss");
    m.put("media.oss.region", "cn-hangzhou");
    m.put("media.oss.accessKeyId", AK);
    m.put("media.oss.accessKeySecret", SK);
    m.put("media.oss.endpoint", OSS_ENDPOINT);
    m.put("media.oss.signatureVersion", version);
    return MediaConfig.fromMap(m);
  }

  private static MediaConfig qiniuConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "qiniu");
    m.put("media.qiniu.accessKey", AK);
    m.put("media.qiniu.secretKey", SK);
    m.put("media.qiniu.domain", QINIU_DOMAIN);
    return MediaConfig.fromMap(m);
  }

  private static OSS ossSdk(SignVersion version) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    return OSSClientBuilder.create()
        .endpoint(OSS_ENDPOINT)
        .region("cn-hangzhou")
        .credentialsProvider(new DefaultCredentialProvider(AK, SK))
        .clientConfiguration(conf)
        .build();
  }

  /** The decoded value of one query parameter. */
  private static String queryValue(URI url, String name) {
    for (String p : url.getRawQuery().split("&")) {
      if (p.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(
            p.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException("no " + name + " in " + url);
  }

  /** The URL without its signature, for the sample lines. */
  private static String redact(Object url) {
    return String.valueOf(url).replaceAll("(Signature|signature|token)=[^&]*", "$1=...");
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
