package dev.mediaflow.jobs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Several application instances share jobs through PostgreSQL, on the whole stack: the test submits
 * 1,000 pfop jobs to a fake Qiniu server through a {@link MediaClient} with a {@link JdbcJobStore};
 * three child JVMs each run a client on the same store and call {@link MediaClient#resume()} until
 * every job is delivered. One child is killed with SIGKILL while it watches jobs; the others take
 * its jobs over once its leases (2 s) expire. Each child writes the start and end of every {@code
 * prefop} request it makes, so the test can tell which process polled a job when, and checks those
 * lines against the fake server's own request log.
 */
class SharedJobsTest {
  private static final int JOBS = 1000;
  private static final int BATCH = 50;
  private static final String TABLE = "shared_jobs";
  private static final Pattern INDEX = Pattern.compile("out/j(\\d+)\\.");
  private static final Pattern PREFOP =
      Pattern.compile("^GET /status/get/prefop\\?id=([^ &]+)[^ ]* (\\d{3})");

  /** Job i takes 2 s + (i % 8) x 250 ms on the fake; snapshots fail, transcodes succeed. */
  static final class VariedExecutor implements TaskExecutor {
    private final TaskExecutor simulated =
        SimulatedExecutor.builder()
            .duration(Duration.ZERO)
            .failWhen(cmd -> cmd.startsWith("vframe"), "execute fop cmd failed: simulated")
            .build();

    @Override
    public Duration duration(Task task) {
      Matcher m = INDEX.matcher(task.targetKey().orElse(""));
      int i = m.find() ? Integer.parseInt(m.group(1)) : 0;
      return Duration.ofMillis(2000 + (i % 8) * 250L);
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

  private static PostgresServer server;

  private final List<Process> children = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly().waitFor();
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
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

  private static MediaConfig config(Map<String, String> settings) {
    MediaConfig.Builder b = MediaConfig.builder();
    settings.forEach(b::put);
    return b.build();
  }

  @Test
  void threeProcesses_share1000QiniuJobs_oneIsKilled_everyJobEnds_noneEverPolledByTwoAtOnce()
      throws Exception {
    try (FakeQiniuServer qiniu =
        FakeQiniuServer.builder()
            .credentials("shared-ak", "shared-sk")
            .executor(new VariedExecutor())
            .build()
            .start()) {
      qiniu.objects().put("media", "raw/in.mov", new byte[] {1, 2, 3});
      Map<String, String> settings = new TreeMap<>(qiniu.clientSettings());
      settings.put("media.jobs.lease", "2s");
      settings.put("media.watch.initialDelay", "200ms");
      settings.put("media.watch.maxDelay", "500ms");
      JdbcJobStore store = JdbcJobStore.create(server.dataSource(), TABLE);
      Path submitted = tmp.resolve("all-submitted");

      // The children start first and call resume() again and again, so each batch of jobs the test
      // submits and lets go of is claimed by whichever child comes first.
      List<Path> outs = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        Path out = tmp.resolve("child-" + c + ".out");
        outs.add(out);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        command.add(server.url());
        command.add(submitted.toString());
        settings.forEach((k, v) -> command.add(k + "=" + v));
        children.add(
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(tmp.resolve("child-" + c + ".err").toFile())
                .start());
      }

      // Submits in batches; closing each submitting client gives its leases back at once, and
      // its first poll would come only after a minute, so the test itself never polls.
      List<JobId> ids = new ArrayList<>();
      for (int from = 0; from < JOBS; from += BATCH) {
        try (MediaClient media =
            MediaClient.builder()
                .config(config(settings))
                .jobStore(store)
                .watchPolicy(
                    WatchPolicy.defaults()
                        .withMaxDelay(Duration.ofMinutes(10))
                        .withInitialDelay(Duration.ofMinutes(1)))
                .build()) {
          for (int i = from; i < from + BATCH; i++) {
            ids.add(media.submit(pipeline(i), "order-" + i).id());
          }
        }
        Thread.sleep(150);
      }
      Files.writeString(submitted, "");
      assertThat(qiniu.jobCount()).isEqualTo(JOBS);

      // Kill the first child once it has polled jobs (and so holds leases on others).
      Process victim = children.get(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (count(outs.get(0), "done ") < 100) {
        assertThat(victim.isAlive()).as(Files.readString(tmp.resolve("child-0.err"))).isTrue();
        assertThat(System.nanoTime()).as("the first child polls").isLessThan(deadline);
        Thread.sleep(20);
      }
      victim.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no lease given back
      long killedAt = System.currentTimeMillis();
      for (int c = 1; c < 3; c++) {
        Process p = children.get(c);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("child %s finishes", c).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("child-" + c + ".err"))).isZero();
      }
      List<String> requests = qiniu.requests();

      // Every job ended, delivered, in the state the fake server reports.
      assertThat(store.open()).isEmpty();
      try (MediaClient truth =
          MediaClient.builder().config(config(settings)).jobStore(JobStore.none()).build()) {
        for (int i = 0; i < JOBS; i++) {
          JobId id = ids.get(i);
          JobRecord r = store.get(id).orElseThrow();
          assertThat(r.delivered()).as("%s delivered", id).isTrue();
          JobState onServer = truth.status(id).state();
          assertThat(onServer).isEqualTo(i % 5 == 0 ? JobState.FAILED : JobState.SUCCEEDED);
          assertThat(r.state()).as(id.toString()).isEqualTo(onServer);
        }
      }

      // The children's polls: "poll <vendor id> <start ms>" before, "done <vendor id> <start ms>
      // <end ms>" after each prefop request. A poll the killed child started and never finished
      // lasts, for this check, until it was killed.
      Map<String, Map<Integer, long[]>> spans = new HashMap<>();
      Map<String, Integer> started = new HashMap<>();
      Map<String, Integer> finished = new HashMap<>();
      int[] pollsBy = new int[3];
      for (int c = 0; c < 3; c++) {
        Map<String, Long> open = new HashMap<>();
        for (String line : Files.readAllLines(outs.get(c), StandardCharsets.UTF_8)) {
          String[] f = line.split(" ");
          if (f[0].equals("poll") && f.length == 3) {
            open.put(f[1] + " " + f[2], Long.parseLong(f[2]));
            started.merge(f[1], 1, Integer::sum);
            widen(spans, f[1], c, Long.parseLong(f[2]), Long.parseLong(f[2]));
            pollsBy[c]++;
          } else if (f[0].equals("done") && f.length == 4) {
            open.remove(f[1] + " " + f[2]);
            finished.merge(f[1], 1, Integer::sum);
            widen(spans, f[1], c, Long.parseLong(f[2]), Long.parseLong(f[3]));
          }
        }
        if (c == 0) {
          for (Map.Entry<String, Long> e : open.entrySet()) {
            widen(spans, e.getKey().split(" ")[0], c, e.getValue(), killedAt);
          }
        } else {
          assertThat(open).as("child %s finished every poll it started", c).isEmpty();
        }
      }
      assertThat(pollsBy).as("every child polled").doesNotContain(0);

      // The fake's log agrees: each job was polled, as often as the children say.
      Map<String, Integer> logged = new HashMap<>();
      for (String line : requests) {
        Matcher m = PREFOP.matcher(line);
        if (m.find()) {
          logged.merge(m.group(1), 1, Integer::sum);
        }
      }
      assertThat(logged).hasSize(JOBS);
      for (JobId id : ids) {
        String v = id.vendorId();
        int n = logged.getOrDefault(v, 0);
        assertThat(n).as("prefop requests for %s", v).isPositive();
        assertThat(n)
            .as("prefop requests for %s, against the children's lines", v)
            .isBetween(finished.getOrDefault(v, 0), started.getOrDefault(v, 0));
      }

      // For each job, the time from a process's first poll to its last never overlaps another
      // process's: the job was watched by one process at a time. Jobs the killed child watched
      // were taken over by another.
      int takenOver = 0;
      for (Map.Entry<String, Map<Integer, long[]>> e : spans.entrySet()) {
        List<Map.Entry<Integer, long[]>> byProcess = new ArrayList<>(e.getValue().entrySet());
        byProcess.sort((x, y) -> Long.compare(x.getValue()[0], y.getValue()[0]));
        for (int i = 1; i < byProcess.size(); i++) {
          long[] before = byProcess.get(i - 1).getValue();
          long[] after = byProcess.get(i).getValue();
          assertThat(after[0])
              .as(
                  "job %s polled by child %s until %s and by child %s from %s",
                  e.getKey(),
                  byProcess.get(i - 1).getKey(),
                  before[1],
                  byProcess.get(i).getKey(),
                  after[0])
              .isGreaterThanOrEqualTo(before[1]);
        }
        if (byProcess.size() > 1 && e.getValue().containsKey(0)) {
          takenOver++;
        }
      }
      assertThat(takenOver).as("jobs of the killed child taken over").isPositive();
    }
  }

  private static void widen(
      Map<String, Map<Integer, long[]>> spans, String job, int process, long from, long to) {
    long[] span =
        spans
            .computeIfAbsent(job, k -> new HashMap<>())
            .computeIfAbsent(process, k -> new long[] {from, to});
    span[0] = Math.min(span[0], from);
    span[1] = Math.max(span[1], to);
  }

  private static long count(Path out, String prefix) throws IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith(prefix))
        .count();
  }

  /**
   * One application instance: a client on the shared store that calls {@link MediaClient#resume()}
   * every 100 ms, until every job is submitted and none is open. Each prefop request it makes is
   * written to stdout as "poll &lt;id&gt; &lt;start ms&gt;" before it is sent and "done &lt;id&gt;
   * &lt;start ms&gt; &lt;end ms&gt;" once answered. Arguments: the JDBC URL, a file that exists
   * once every job is submitted, then the client's settings as key=value.
   */
  static final class Child {
    public static void main(String[] args) throws Exception {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(args[0]);
      ds.setUser("postgres");
      JobStore store = JdbcJobStore.create(ds, TABLE);
      Path submitted = Path.of(args[1]);
      Map<String, String> settings = new TreeMap<>();
      for (int i = 2; i < args.length; i++) {
        int eq = args[i].indexOf('=');
        settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      }
      OkHttpClient http =
          new OkHttpClient.Builder()
              .addInterceptor(
                  chain -> {
                    Request req = chain.request();
                    if (!req.url().encodedPath().equals("/status/get/prefop")) {
                      return chain.proceed(req);
                    }
                    String id = req.url().queryParameter("id");
                    long start = System.currentTimeMillis();
                    print("poll " + id + " " + start);
                    Response resp = chain.proceed(req);
                    print("done " + id + " " + start + " " + System.currentTimeMillis());
                    return resp;
                  })
              .build();
      try (MediaClient media =
          MediaClient.builder().config(config(settings)).jobStore(store).httpClient(http).build()) {
        while (true) {
          media.resume();
          if (Files.exists(submitted) && store.open().isEmpty()) {
            break;
          }
          Thread.sleep(100);
        }
      }
    }

    private static synchronized void print(String line) {
      System.out.println(line);
    }
  }
}
