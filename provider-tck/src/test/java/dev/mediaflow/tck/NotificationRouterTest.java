package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.notify.NotificationRouter;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One endpoint for two instances of a push provider, over the JDK's HTTP server. */
class NotificationRouterTest {
  private static final Pipeline PIPELINE =
      Pipeline.from("media", "in.mov")
          .then(Transcode.builder().container(dev.mediaflow.op.Container.MP4).build())
          .saveAs("media", "out.mp4")
          .notifyUrl("https://hooks.example.com/media")
          .build();

  @TempDir Path dir;
  private MediaClient a;
  private MediaClient b;
  private NotificationReceiver receiver;

  @BeforeEach
  void start() throws IOException {
    MediaConfig cfg =
        MediaConfig.fromMap(
            Map.of(
                "media.a.provider", "push",
                "media.a.token", "token-a",
                "media.b.provider", "push",
                "media.b.token", "token-b"));
    // Polls back off from 10 s: a job that completes within a second was ended by its push.
    WatchPolicy slow = WatchPolicy.defaults().withInitialDelay(Duration.ofSeconds(10));
    a = client(cfg, "a", slow);
    b = client(cfg, "b", slow);
    NotificationRouter router = NotificationRouter.of(List.of(a, b));
    receiver =
        NotificationReceiver.start(new InetSocketAddress("127.0.0.1", 0), "/", router::receive);
  }

  private MediaClient client(MediaConfig cfg, String name, WatchPolicy policy) {
    return MediaClient.builder()
        .config(cfg)
        .instance(name)
        .provider(new PushProvider())
        .watchPolicy(policy)
        .jobStore(JobStore.inDirectory(dir))
        .build();
  }

  @AfterEach
  void stop() {
    receiver.close();
    a.close();
    b.close();
  }

  private record Answer(int status, String body) {}

  private Answer post(String path, Map<String, String> headers, byte[] body) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + receiver.port() + path).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    headers.forEach(c::setRequestProperty);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    } catch (IOException e) {
      // the server may answer 413 before reading it all
    }
    int status = c.getResponseCode();
    var in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    String text = in == null ? "" : new String(in.readAllBytes());
    return new Answer(status, text);
  }

  private static Map<String, String> push(String job, JobState state, String token, String msg) {
    return Map.of(
        "X-Push-Job",
        job,
        "X-Push-State",
        state.name(),
        "X-Push-Token",
        token,
        "X-Push-Message",
        msg);
  }

  @Test
  void aVerifiedEnd_completesTheWatchedJobOfTheRightInstance_atOnce() throws Exception {
    Job job = b.submit(PIPELINE);
    var future = job.future();
    assertThat(job.id().toString()).startsWith("push@b:");

    Answer answer =
        post(
            "/any/path",
            push(job.id().vendorId(), JobState.SUCCEEDED, "token-b", "m-1"),
            new byte[0]);

    assertThat(answer.status()).isEqualTo(200);
    JobStatus done = future.get(2, TimeUnit.SECONDS);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.id()).isEqualTo(job.id());
    assertThat(b.jobStore().get(job.id()).orElseThrow().delivered()).isTrue();
  }

  @Test
  void forgedMalformedUnknownAndOversizedRequests_areRefused_withNoEvent() throws Exception {
    Job job = a.submit(PIPELINE);
    var future = job.future();
    String v = job.id().vendorId();

    assertThat(post("/", push(v, JobState.FAILED, "forged", "m-1"), new byte[0]).status())
        .isEqualTo(403);
    assertThat(
            post(
                    "/",
                    Map.of("X-Push-Job", v, "X-Push-State", "DONE?", "X-Push-Token", "token-a"),
                    new byte[0])
                .status())
        .isEqualTo(400);
    assertThat(post("/", Map.of("X-Other", "1"), new byte[0]).status()).isEqualTo(400);
    assertThat(
            post(
                    "/",
                    push(v, JobState.FAILED, "token-a", "m-2"),
                    new byte[NotificationReceiver.MAX_BODY + 1])
                .status())
        .isEqualTo(413);

    Thread.sleep(200);
    assertThat(future).isNotDone();
  }

  @Test
  void duplicates_andUnwatchedJobs_throughTheRouter() {
    NotificationRouter router = NotificationRouter.of(List.of(a, b));
    List<JobEvent> unwatched = new java.util.concurrent.CopyOnWriteArrayList<>();
    a.watcher().addUnwatchedListener(unwatched::add);
    InboundRequest r =
        InboundRequest.of(
            "POST",
            "/hook?instance=a",
            headers(push("p999", JobState.FAILED, "token-a", "m-9")),
            new byte[0]);

    IntakeResult first = router.receive(r);
    IntakeResult again = router.receive(r);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.events())
        .singleElement()
        .satisfies(e -> assertThat(e.status().id().toString()).isEqualTo("push@a:p999"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.events()).isEmpty();
    assertThat(unwatched).hasSize(1);
  }

  private static Map<String, List<String>> headers(Map<String, String> h) {
    Map<String, List<String>> m = new java.util.TreeMap<>();
    h.forEach((k, v) -> m.put(k, List.of(v)));
    return m;
  }

  @Test
  void resume_afterARestart_endsTheJobsAClosedClientLeftOpen() throws Exception {
    Job job = b.submit(PIPELINE);
    b.close(); // the process "restarts": the job is open in the store
    PushProvider.end(job.id().vendorId(), JobState.SUCCEEDED);
    MediaConfig cfg =
        MediaConfig.fromMap(Map.of("media.b.provider", "push", "media.b.token", "token-b"));
    b = client(cfg, "b", WatchPolicy.defaults());

    List<Job> resumed = b.resume();

    assertThat(resumed).extracting(Job::id).contains(job.id());
    Job again = resumed.stream().filter(j -> j.id().equals(job.id())).findFirst().orElseThrow();
    assertThat(again.future().get(5, TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(b.jobStore().open()).noneMatch(r -> r.id().equals(job.id()));
  }
}
