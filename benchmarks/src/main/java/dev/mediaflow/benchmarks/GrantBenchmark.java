package dev.mediaflow.benchmarks;

import com.aliyun.oss.OSS;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.MatchMode;
import com.aliyun.oss.model.PolicyConditions;
import com.qiniu.util.Auth;
import com.qiniu.util.StringMap;
import dev.mediaflow.MediaClient;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.UploadGrantRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Browser upload grants, side by side in one process: Mediaflow's {@code MediaClient.grantUpload}
 * (an exact key, 1 byte to 10 MiB, {@code image/jpeg}, no overwrite, 15 minutes) on an OSS client
 * (V4 and V1 PostObject policies) and on a Qiniu client, against what the official SDKs make for
 * the same limits: {@code aliyun-sdk-oss} {@code generatePostPolicy} and {@code
 * calculatePostSignature} (V4 with the V4 fields as conditions, and V1), and {@code qiniu-java-sdk}
 * {@code Auth.uploadToken} with {@code insertOnly}, {@code fsizeMin}, {@code fsizeLimit} and {@code
 * mimeLimit}. Nothing is sent. Method and figures: {@link SideBySide}.
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl benchmarks -am install && ./mvnw -q -B -pl benchmarks
 * exec:java -Dexec.mainClass=dev.mediaflow.benchmarks.GrantBenchmark [-Dexec.args="ROUNDS MILLIS"]}
 * (default 7 rounds of 1000 ms per contender).
 */
public final class GrantBenchmark {
  private static final int KEYS = 1024;
  private static final long MAX = 10L * 1024 * 1024;
  private static final DateTimeFormatter V4_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private GrantBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long millis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    String[] keys = new String[KEYS];
    UploadGrantRequest[] requests = new UploadGrantRequest[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = String.format(Locale.ROOT, "incoming/%02d/avatar-%05d.jpg", i % 12 + 1, i);
      requests[i] =
          UploadGrantRequest.builder()
              .key(MediaObject.of("media", keys[i]))
              .size(1, MAX)
              .contentTypes("image/jpeg")
              .build();
    }
    MediaClient ossV4 = MediaClient.create(UrlSigningBenchmark.ossConfig("v4"));
    MediaClient ossV1 = MediaClient.create(UrlSigningBenchmark.ossConfig("v1"));
    MediaClient qiniu = MediaClient.create(UrlSigningBenchmark.qiniuConfig());
    OSS sdkV4 = UrlSigningBenchmark.ossSdk(SignVersion.V4);
    OSS sdkV1 = UrlSigningBenchmark.ossSdk(SignVersion.V1);
    Auth auth = Auth.create(UrlSigningBenchmark.AK, UrlSigningBenchmark.SK);
    long expiry = UploadGrantRequest.DEFAULT_EXPIRY.toSeconds();

    List<SideBySide.Contender> contenders =
        List.of(
            new SideBySide.Contender("mediaflow oss v4", i -> ossV4.grantUpload(requests[i])),
            new SideBySide.Contender("aliyun-sdk-oss v4", i -> ossPolicy(sdkV4, keys[i], true)),
            new SideBySide.Contender("mediaflow oss v1", i -> ossV1.grantUpload(requests[i])),
            new SideBySide.Contender("aliyun-sdk-oss v1", i -> ossPolicy(sdkV1, keys[i], false)),
            new SideBySide.Contender("mediaflow qiniu", i -> qiniu.grantUpload(requests[i])),
            new SideBySide.Contender(
                "qiniu-java-sdk",
                i ->
                    auth.uploadToken(
                        "media",
                        keys[i],
                        expiry,
                        new StringMap()
                            .put("insertOnly", 1)
                            .put("fsizeMin", 1)
                            .put("fsizeLimit", MAX)
                            .put("mimeLimit", "image/jpeg"),
                        true)));
    SideBySide.ratios(
        SideBySide.run(contenders, KEYS, rounds, millis, "grant"), "OSS V4", "OSS V1", "Qiniu");
    sdkV4.shutdown();
    sdkV1.shutdown();
    ossV4.close();
    ossV1.close();
    qiniu.close();
  }

  /** The policy and signature the SDK makes for the same limits as Mediaflow's grant. */
  private static Object ossPolicy(OSS sdk, String key, boolean v4) {
    Instant now = Instant.now();
    PolicyConditions c = new PolicyConditions();
    c.addConditionItem("bucket", "media");
    if (v4) {
      String date = V4_DATE.format(now);
      c.addConditionItem("x-oss-signature-version", "OSS4-HMAC-SHA256");
      c.addConditionItem(
          "x-oss-credential",
          UrlSigningBenchmark.AK
              + "/"
              + date.substring(0, 8)
              + "/cn-hangzhou/oss/aliyun_v4_request");
      c.addConditionItem("x-oss-date", date);
    }
    c.addConditionItem(MatchMode.Exact, "key", key);
    c.addConditionItem("content-length-range", 1, MAX);
    c.addConditionItem(MatchMode.Exact, "Content-Type", "image/jpeg");
    c.addConditionItem(MatchMode.Exact, "x-oss-forbid-overwrite", "true");
    c.addConditionItem(MatchMode.Exact, "success_action_status", "201");
    String policy =
        sdk.generatePostPolicy(Date.from(now.plus(UploadGrantRequest.DEFAULT_EXPIRY)), c);
    // calculatePostSignature Base64-encodes the policy itself, as the grant's policy field needs.
    return v4
        ? sdk.calculatePostSignature(policy, Date.from(now))
        : sdk.calculatePostSignature(policy);
  }
}
