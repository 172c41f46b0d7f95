package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.NotificationRouter;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a MediaClient reports to its observer: submissions, status reads, ends, notifications. */
class MediaClientObserverTest {
  private static final WatchPolicy FAST =
      WatchPolicy.defaults()
          .withInitialDelay(Duration.ofMillis(5))
          .withMaxDelay(Duration.ofMillis(20));
  private static final Pipeline PIPELINE =
      Pipeline.from("media", "in.mov")
          .then(Transcode.builder().container(Container.MP4).build())
          .saveAs("media", "out/a.mp4")
          .build();

  @TempDir Path dir;
  private final RecordingObserver observer = new RecordingObserver();
  private MediaClient client;
  private MediaClient other;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (other != null) {
      other.close();
    }
  }

  private MediaClient memory(MediaObserver o) {
    client =
        MediaClient.builder()
            .config(MediaConfig.fromMap(Map.of("media.provider", "memory")))
            .watchPolicy(FAST)
            .jobStore(JobStore.none())
            .observer(o)
            .build();
    return client;
  }

  @Test
  void aJob_isReportedSubmittedPolledAndEnded_once() throws Exception {
    Job job = memory(observer).submit(PIPELINE);
    job.await(Duration.ofSeconds(10));

    List<String> events = observer.events();
    assertThat(events.subList(0, 3))
        .containsExactly(
            "start submit memory/memory", "close submit", "submitted memory/memory none");
    assertThat(observer.events("ended")).containsExactly("ended memory/memory SUCCEEDED");
    assertThat(observer.count(e -> e.startsWith("polled memory/memory none")))
        .isEqualTo(observer.count(e -> e.startsWith("start status memory/memory")))
        .isGreaterThanOrEqualTo(2);
    assertThat(observer.events("tag status")).contains("tag status state=succeeded");
    assertThat(observer.events("http")).isEmpty(); // the in-memory provider sends no request
    assertThat(String.join("\n", events))
        .doesNotContain(job.id().vendorId())
        .doesNotContain("out/a.mp4");
  }

  @Test
  void status_isOneActivity_taggedWithTheState() {
    MediaClient c = memory(observer);
    Job job = c.submit(PIPELINE);
    observer.clear();

    c.status(job.id());

    assertThat(observer.events())
        .containsExactly("start status memory/memory", "tag status state=queued", "close status");
  }

  @Test
  void theDefault_isNoop() {
    MediaClient c = memory(MediaObserver.noop());
    assertThat(c.observer()).isSameAs(MediaObserver.noop());
    assertThat(c.watcher().observer()).isSameAs(MediaObserver.noop());
    assertThat(c.submit(PIPELINE).await(Duration.ofSeconds(10)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aThrowingObserver_changesNothing() {
    MediaClient c =
        memory(
            new MediaObserver() {
              @Override
              public void jobSubmitted(dev.mediaflow.observe.Origin origin, Throwable error) {
                throw new IllegalStateException("broken");
              }

              @Override
              public void statusPolled(dev.mediaflow.observe.Origin origin, Throwable error) {
                throw new IllegalStateException("broken");
              }
            });
    assertThat(c.submit(PIPELINE).await(Duration.ofSeconds(10)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  private MediaClient push(String name, String token) {
    return MediaClient.builder()
        .config(
            MediaConfig.fromMap(
                Map.of("media." + name + ".provider", "push", "media." + name + ".token", token)))
        .instance(name)
        .provider(new PushProvider())
        .watchPolicy(WatchPolicy.defaults().withInitialDelay(Duration.ofSeconds(10)))
        .jobStore(JobStore.inDirectory(dir))
        .observer(observer)
        .build();
  }

  private static InboundRequest request(Map<String, String> h) {
    Map<String, List<String>> m = new TreeMap<>();
    h.forEach((k, v) -> m.put(k, List.of(v)));
    return InboundRequest.of("POST", "/hook", m, new byte[0]);
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
  void notifications_areCountedByOutcome() throws Exception {
    client = push("east", "token-e");
    Job job = client.submit(PIPELINE);
    var future = job.future();
    String v = job.id().vendorId();
    NotificationRouter router = NotificationRouter.of(List.of(client));
    observer.clear();

    router.receive(request(push(v, JobState.SUCCEEDED, "forged", "m-0")));
    router.receive(request(push(v, JobState.SUCCEEDED, "token-e", "m-1")));
    router.receive(request(push(v, JobState.SUCCEEDED, "token-e", "m-1")));
    router.receive(request(Map.of("X-Other", "1")));

    assertThat(future.get(2, TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(observer.events("notification"))
        .containsExactly(
            "notification push/east refused",
            "notification push/east accepted",
            "notification push/east ignored",
            "notification unknown/unknown unmatched");
    assertThat(observer.events("ended")).containsExactly("ended push/east SUCCEEDED");
    assertThat(String.join("\n", observer.events())).doesNotContain(v).doesNotContain("token-e");
  }

  @Test
  void jobsOfAnotherInstance_carryItsName() throws Exception {
    other = push("west", "token-w");
    Job job = other.submit(PIPELINE);
    JobId id = job.id();
    PushProvider.end(id.vendorId(), JobState.FAILED);

    other.watcher().watch(id, other::status).get(30, TimeUnit.SECONDS);

    assertThat(observer.events("submitted")).containsExactly("submitted push/west none");
    assertThat(observer.events("ended")).containsExactly("ended push/west FAILED");
  }
}
