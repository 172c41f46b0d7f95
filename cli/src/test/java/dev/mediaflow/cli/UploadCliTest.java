package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.cos.FakeCosServer;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediaflow upload} in child JVMs against the fake OSS, Qiniu and COS servers: a killed
 * upload resumes with --resume.
 */
class UploadCliTest {
  private static final Pattern OSS_PART =
      Pattern.compile("^PUT /media/big\\.bin\\?partNumber=(\\d+)&uploadId=\\S+ 200$");
  private static final Pattern QINIU_PART =
      Pattern.compile("^PUT /buckets/media/objects/\\S+/uploads/\\S+/(\\d+) 200$");
  // path-style on the loopback endpoint; the bucket media is media-<APPID> on the wire
  private static final Pattern COS_PART =
      Pattern.compile("^PUT /media-1250000000/big\\.bin\\?partNumber=(\\d+)&uploadId=\\S+ 200$");

  @RegisterExtension
  static final FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build();

  @RegisterExtension
  static final FakeQiniuServer qiniu = FakeQiniuServer.builder().credentials("AK", "SK").build();

  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDtest", "secret").build();

  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    oss.clearFaults();
    qiniu.clearFaults();
    cos.clearFaults();
  }

  private Path config() throws IOException {
    return config(oss.clientSettings(false), "oss");
  }

  private Path config(java.util.Map<String, String> settings, String name) throws IOException {
    StringBuilder s = new StringBuilder();
    settings.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    s.append("media.upload.checkpointDir=").append(dir.resolve("checkpoints")).append('\n');
    Path f = dir.resolve(name + ".properties");
    Files.writeString(f, s.toString());
    return f;
  }

  private static Set<Integer> partsStored(List<String> log, Pattern part) {
    Set<Integer> parts = new TreeSet<>();
    for (String line : log) {
      Matcher m = part.matcher(line);
      if (m.matches()) {
        parts.add(Integer.parseInt(m.group(1)));
      }
    }
    return parts;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"oss", "qiniu", "cos"})
  void aKilledUploadResumesWithOnlyTheMissingPartsAndTheStoredBytesEqualTheSource(String vendor)
      throws Exception {
    byte[] data = new byte[12 << 20];
    new Random(12).nextBytes(data);
    Path source = dir.resolve("big.bin");
    Files.write(source, data);
    boolean isOss = vendor.equals("oss");
    boolean isCos = vendor.equals("cos");
    dev.mediaflow.testkit.FakeServer server = isOss ? oss : isCos ? cos : qiniu;
    Path config =
        isOss
            ? config()
            : isCos ? config(cos.clientSettings(), "cos") : config(qiniu.clientSettings(), "qiniu");
    Pattern part = isOss ? OSS_PART : isCos ? COS_PART : QINIU_PART;
    String bucket = server.storedBucket("media");
    server.injectRandomly(
        r -> r.startsWith("PUT ") && (r.contains("partNumber=") || r.startsWith("PUT /buckets/")),
        1.0,
        1,
        Fault.delay(Duration.ofMillis(300)));

    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "upload",
                "--config",
                config.toString(),
                "--part-size",
                "1MiB",
                "--parallel",
                "2",
                source.toString(),
                "media/big.bin"));
    int logStart = server.requests().size();
    Process first =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("first.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (partsStored(server.requests().subList(logStart, server.requests().size()), part).size()
        < 4) {
      assertThat(first.isAlive()).as("the first upload ended before it could be killed").isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    first.destroyForcibly().waitFor();
    Set<Integer> before =
        partsStored(server.requests().subList(logStart, server.requests().size()), part);
    assertThat(before.size()).isBetween(4, 11);
    assertThat(server.objects().exists(bucket, "big.bin")).isFalse();
    server.clearFaults();

    int resumeStart = server.requests().size();
    QiniuCliTest.Result second =
        QiniuCliTest.java(
            List.of(
                "upload",
                "--config",
                config.toString(),
                "--resume",
                "--part-size",
                "1MiB",
                "--parallel",
                "2",
                source.toString(),
                "media/big.bin"),
            Duration.ofSeconds(60));
    assertThat(second.code()).as(second.err()).isZero();
    Set<Integer> resent =
        partsStored(server.requests().subList(resumeStart, server.requests().size()), part);
    // Only the missing parts, plus at most the parts in flight when the first run was killed
    // (stored, not yet checkpointed).
    assertThat(resent.size()).isLessThanOrEqualTo(12 - before.size() + 2);
    assertThat(resent.size() + before.size()).isGreaterThanOrEqualTo(12);
    Matcher resumed = Pattern.compile("parts +12 \\((\\d+) resumed").matcher(second.out());
    assertThat(resumed.find()).as(second.out()).isTrue();
    assertThat(Integer.parseInt(resumed.group(1))).isEqualTo(12 - resent.size());
    assertThat(second.out())
        .contains("size      " + data.length)
        .contains(isOss || isCos ? "crc64ecma" : "qetag")
        .contains("(verified)");
    byte[] stored = server.objects().get(bucket, "big.bin").orElseThrow();
    assertThat(MessageDigest.getInstance("SHA-256").digest(stored))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(server.openUploads()).isEmpty();
    try (var files = Files.list(dir.resolve("checkpoints"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".json"))).isEmpty();
    }
  }

  @Test
  void withoutResumeAnInterruptedUploadIsAbortedAndSentAgain() throws Exception {
    Path source = dir.resolve("small.bin");
    byte[] data = new byte[3 << 20];
    new Random(3).nextBytes(data);
    Files.write(source, data);
    Path config = config();
    oss.injectRandomly(
        r -> r.startsWith("PUT /media/again.bin?partNumber=2&"), 1.0, 1, Fault.status(403));
    QiniuCliTest.Result failed =
        QiniuCliTest.java(
            List.of(
                "upload",
                "--config",
                config.toString(),
                "--no-progress",
                "--part-size",
                "1MiB",
                "--parallel",
                "1",
                source.toString(),
                "media/again.bin"),
            Duration.ofSeconds(60));
    assertThat(failed.code()).isEqualTo(Main.SERVICE_ERROR);
    assertThat(failed.err()).contains("--resume");
    assertThat(oss.openUploads()).hasSize(1);
    oss.clearFaults();
    QiniuCliTest.Result again =
        QiniuCliTest.java(
            List.of(
                "upload",
                "--config",
                config.toString(),
                "--no-progress",
                "--part-size",
                "1MiB",
                source.toString(),
                "media/again.bin"),
            Duration.ofSeconds(60));
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).doesNotContain("resumed");
    assertThat(oss.objects().get("media", "again.bin").orElseThrow()).isEqualTo(data);
    assertThat(oss.openUploads()).isEmpty();
  }

  @Test
  void aTargetWithoutAKeyIsBadInput() throws Exception {
    Path source = dir.resolve("x.bin");
    Files.write(source, new byte[10]);
    QiniuCliTest.Result r =
        QiniuCliTest.java(
            List.of("upload", "--config", config().toString(), source.toString(), "media"),
            Duration.ofSeconds(30));
    assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).contains("BUCKET/KEY");
  }
}
