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
import java.net.URI;
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
 * <p>{@code MediaClient.url} returns a {@code SignedUrl} (the URL text, its expiry), parsed into a
 * {@code URI} only when asked; the OSS SDK returns a {@code java.net.URL}, the Qiniu SDK a {@code
 * String}. Mediaflow renders the processing of an options object once and reuses it while the same
 * object comes back, as an application reusing a thumbnail's options does; two more contenders
 * ({@code ... new}) build new options for every URL, so they measure the rendering too.
 *
 * <p>Each contender signs batches of URLs for distinct keys (1024 keys, cycled) on this one thread.
 * After warm-up rounds (the JIT), each round runs every contender once for about {@code millis}, in
 * an order that alternates between rounds (forward, then reversed), and records URLs per second,
 * bytes allocated per URL ({@code ThreadMXBean.getThreadAllocatedBytes} around the batch) and CPU
 * time per URL. Reports the medians over the rounds and Mediaflow's ratios against each SDK, by
 * wall time and by CPU time (steadier on a shared machine).
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.UrlSigningBenchmark [-Dexec.args="ROUNDS
 * MILLIS"]} (default 7 rounds of 1000 ms per contender).
 */
public final class UrlSigningBenchmark {
  private static final int KEYS = 1024;
  static final String AK = "LTAI5tBenchmarkKeyId";
  static final String SK = "benchmarkSecretKeyThatIsNotReal0";
  private static final String OSS_ENDPOINT = "https://oss-cn-hangzhou.aliyuncs.com";
  private static final String QINIU_DOMAIN = "https://cdn.example.com";

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
    ImageResize resize = ImageResize.builder().width(320).build();
    UrlOptions options = UrlOptions.builder().process(resize).build();
    long expirySeconds = options.expiry().toSeconds();

    MediaClient ossV4 = MediaClient.create(ossConfig("v4"));
    MediaClient ossV1 = MediaClient.create(ossConfig("v1"));
    MediaClient qiniu = MediaClient.create(qiniuConfig());

    // The SDKs get the very processing Mediaflow puts on the URL, read off an unsigned URL.
    UrlOptions unsigned = options.toBuilder().unsigned().build();
    String ossProcess = queryValue(ossV4.url(objects[0], unsigned).toUri(), "x-oss-process");
    String qiniuFop = qiniu.url(objects[0], unsigned).toUri().getRawQuery();
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
                "qiniu-java-sdk", i -> auth.privateDownloadUrl(qiniuUnsigned[i], expirySeconds)),
            // Without the reuse of an options object's rendering: new options for every URL.
            new Contender(
                "mediaflow oss v4 new",
                i -> ossV4.url(objects[i], UrlOptions.builder().process(resize).build())),
            new Contender(
                "mediaflow qiniu new",
                i -> qiniu.url(objects[i], UrlOptions.builder().process(resize).build())));
    // An optional third argument keeps the contenders whose name contains it (for profiling one).
    List<Contender> contenders =
        args.length > 2 ? all.stream().filter(c -> c.name.contains(args[2])).toList() : all;
    for (Contender c : contenders) {
      System.out.printf(Locale.ROOT, "  %-18s %s%n", c.name, redact(c.sign.apply(7)));
    }

    List<SideBySide.Result> results =
        SideBySide.run(
            contenders.stream().map(c -> new SideBySide.Contender(c.name, c.sign)).toList(),
            KEYS,
            rounds,
            millis,
            "URL");
    if (contenders.size() == all.size()) {
      SideBySide.ratios(results, "OSS V4", "OSS V1", "Qiniu");
      System.out.printf(
          Locale.ROOT,
          "  with new options for every URL: OSS V4 %.2fx (by CPU time %.2fx),"
              + " Qiniu %.2fx (by CPU time %.2fx)%n",
          results.get(6).perSecond() / results.get(1).perSecond(),
          results.get(1).cpuNanos() / results.get(6).cpuNanos(),
          results.get(7).perSecond() / results.get(5).perSecond(),
          results.get(5).cpuNanos() / results.get(7).cpuNanos());
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

  /** An offline OSS client configuration with dummy credentials ({@code v4} or {@code v1}). */
  static MediaConfig ossConfig(String version) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "oss");
    m.put("media.oss.region", "cn-hangzhou");
    m.put("media.oss.accessKeyId", AK);
    m.put("media.oss.accessKeySecret", SK);
    m.put("media.oss.endpoint", OSS_ENDPOINT);
    m.put("media.oss.signatureVersion", version);
    return MediaConfig.fromMap(m);
  }

  /** An offline Qiniu client configuration with dummy credentials and a download domain. */
  static MediaConfig qiniuConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("media.provider", "qiniu");
    m.put("media.qiniu.accessKey", AK);
    m.put("media.qiniu.secretKey", SK);
    m.put("media.qiniu.domain", QINIU_DOMAIN);
    return MediaConfig.fromMap(m);
  }

  /** The official OSS SDK with the same dummy credentials. */
  static OSS ossSdk(SignVersion version) {
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
}
