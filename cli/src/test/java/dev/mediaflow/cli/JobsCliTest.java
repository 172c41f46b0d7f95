package dev.mediaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediaflow jobs}, {@code jobs --watch} (killed with SIGKILL and run again) and {@code
 * receive}, each in its own JVM.
 */
class JobsCliTest {
  /** Job i takes 1 s + (i % 8) x 400 ms on the fake; snapshots fail, transcodes succeed. */
  static final class VariedExecutor implements TaskExecutor {
    private static final Pattern INDEX = Pattern.compile("out/j(\\d+)\\.");
    private final TaskExecutor simulated =
        SimulatedExecutor.builder()
            .duration(Duration.ZERO)
            .failWhen(cmd -> cmd.startsWith("vframe"), "execute fop cmd failed: simulated")
            .build();

    @Override
    public Duration duration(Task task) {
      Matcher m = INDEX.matcher(task.targetKey().orElse(""));
      int i = m.find() ? Integer.parseInt(m.group(1)) : 0;
      return Duration.ofMillis(1000 + (i % 8) * 400L);
    }

    @Override
    public boolean runsInline() {
      return simulated.runsInline();
    }

    @Override
    public Result run(Task task) throws Exception {
      return simulated.run(task);
    }
  }

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("jobs-ak", "jobs-sk")
          .executor(new VariedExecutor())
          .build();

  @TempDir Path dir;

  private Path config(Map<String, String> settings) throws IOException {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("media.jobs.dir", dir.resolve("jobs").toString());
    all.put("media.watch.initialDelay", "100ms");
    all.put("media.watch.maxDelay", "300ms");
    StringBuilder s = new StringBuilder();
    all.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    Path f = dir.resolve("media.properties");
    Files.writeString(f, s.toString());
    return f;
  }

  private static Pipeline pipeline(int i) {
    Pipeline.Builder b = Pipeline.from("media", "raw/in.mov");
    if (i % 5 == 0) {
      b.then(Snapshot.at(Duration.ofSeconds(1)));
      return b.saveAs("media", "out/j" + i + ".jpg").build();
    }
    b.then(Transcode.builder().container(Container.MP4).build());
    return b.saveAs("media", "out/j" + i + ".mp4").build();
  }

  private static Map<String, String> ends(String out) {
    Map<String, String> ends = new HashMap<>();
    for (String line : out.lines().toList()) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2 && parts[0].startsWith("qiniu:")) {
        String before = ends.put(parts[0], parts[1]);
        assertThat(before == null || before.equals(parts[1]))
            .as("one job, two different ends: " + line)
            .isTrue();
      }
    }
    return ends;
  }

  @Test
  void jobsWatch_killedWithSigkill_resumesAndEveryJobEndsAsOnTheServer() throws Exception {
    qiniu.objects().put("media", "raw/in.mov", new byte[] {1, 2, 3});
    Path cfg = config(qiniu.clientSettings());
    List<JobId> submitted = new ArrayList<>();
    try (MediaClient media = MediaClient.create(MediaConfig.builder().file(cfg).build())) {
      for (int i = 0; i < 200; i++) {
        submitted.add(media.submit(pipeline(i), "order-" + i).id());
      }
    }
    QiniuCliTest.Result listed =
        QiniuCliTest.java(List.of("jobs", "--config", cfg.toString()), Duration.ofSeconds(60));
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out().lines()).hasSize(200);
    assertThat(listed.out()).contains(submitted.get(7) + " QUEUED  tag=order-7");

    Path firstOut = dir.resolve("first.out");
    Process first =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "jobs",
                "--watch",
                "--config",
                cfg.toString())
            .redirectOutput(firstOut.toFile())
            .redirectError(dir.resolve("first.err").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (Files.readString(firstOut).lines().count() < 20) {
      assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.err"))).isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no lease given back
    Map<String, String> before = ends(Files.readString(firstOut));
    assertThat(before.size()).isBetween(20, 199);

    QiniuCliTest.Result second =
        QiniuCliTest.java(
            List.of("jobs", "--watch", "--config", cfg.toString()), Duration.ofSeconds(120));
    assertThat(second.code()).as(second.err()).isZero();

    Map<String, String> all = new HashMap<>(before);
    ends(second.out())
        .forEach(
            (id, state) -> {
              String earlier = all.put(id, state);
              assertThat(earlier == null || earlier.equals(state)).as(id).isTrue();
            });
    try (MediaClient truth =
        MediaClient.builder()
            .config(MediaConfig.builder().file(cfg).build())
            .jobStore(JobStore.none())
            .build()) {
      for (int i = 0; i < submitted.size(); i++) {
        JobId id = submitted.get(i);
        assertThat(all).as("job %s was followed to its end", id).containsKey(id.toString());
        JobState onServer = truth.status(id).state();
        assertThat(all.get(id.toString())).as(id.toString()).isEqualTo(onServer.name());
        assertThat(onServer).isEqualTo(i % 5 == 0 ? JobState.FAILED : JobState.SUCCEEDED);
      }
    }
    assertThat(JobStore.inDirectory(dir.resolve("jobs")).open()).isEmpty();
    QiniuCliTest.Result after =
        QiniuCliTest.java(List.of("jobs", "--config", cfg.toString()), Duration.ofSeconds(60));
    assertThat(after.out()).isEmpty();
  }

  @Test
  void submit_withNotifyUrlAndTag_recordsTheJob() throws Exception {
    qiniu.objects().put("media", "raw/in.mov", new byte[] {1, 2, 3});
    Path cfg = config(qiniu.clientSettings());
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, QiniuCliTest.SPEC.replace("raw/intro.mov", "raw/in.mov"));

    QiniuCliTest.Result submitted =
        QiniuCliTest.java(
            List.of(
                "submit",
                "--config",
                cfg.toString(),
                "--notify-url",
                "http://127.0.0.1:9/hooks/media",
                "--tag",
                "t-1",
                spec.toString()),
            Duration.ofSeconds(60));
    assertThat(submitted.code()).as(submitted.err()).isZero();
    JobId id = JobId.parse(submitted.out().trim());

    var record = JobStore.inDirectory(dir.resolve("jobs")).get(id).orElseThrow();
    assertThat(record.notified()).as("notified once a notification arrives").isFalse();
    assertThat(record.state()).isEqualTo(JobState.QUEUED);
    assertThat(record.tag()).isEqualTo("t-1");
    assertThat(qiniu.requests()).anyMatch(r -> r.startsWith("POST /pfop"));
  }

  @Test
  void receive_printsOneLinePerVerifiedEvent_andRefusesTheRest() throws Exception {
    Path cfg = config(Map.of("media.provider", "push", "media.push.token", "secret-token"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "receive",
                "--config",
                cfg.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                "0")
            .start();
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    QiniuCliTest.pump(p.getInputStream(), out);
    QiniuCliTest.pump(p.getErrorStream(), err);
    try {
      Pattern listening = Pattern.compile("listening on port (\\d+)");
      Matcher m;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        synchronized (err) {
          m = listening.matcher(err);
          if (m.find()) {
            break;
          }
        }
        assertThat(p.isAlive()).as(err.toString()).isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(20);
      }
      int port = Integer.parseInt(m.group(1));

      assertThat(post(port, "/anything", "p41", "SUCCEEDED", "secret-token", "m-1")).isEqualTo(200);
      assertThat(post(port, "/anything", "p41", "SUCCEEDED", "secret-token", "m-1"))
          .as("a duplicate is answered, and yields nothing")
          .isEqualTo(200);
      assertThat(post(port, "/", "p42", "FAILED", "forged", "m-2")).isEqualTo(403);
      assertThat(post(port, "/", "p42", "NOT-A-STATE", "secret-token", "m-3")).isEqualTo(400);
      assertThat(post(port, "/", "p43", "RUNNING", "secret-token", "m-4")).isEqualTo(200);

      deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (out.toString().lines().count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(200);
      synchronized (out) {
        assertThat(out.toString().lines())
            .containsExactly("push:p41 SUCCEEDED", "push:p43 RUNNING");
      }
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  private static int post(
      int port, String path, String job, String state, String token, String message)
      throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("X-Push-Job", job);
    c.setRequestProperty("X-Push-State", state);
    c.setRequestProperty("X-Push-Token", token);
    c.setRequestProperty("X-Push-Message", message);
    try (OutputStream o = c.getOutputStream()) {
      o.write(new byte[0]);
    }
    return c.getResponseCode();
  }
}
