package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.cos.FakeCosServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job of several Cloud Infinite jobs (one per output) ends when the last of their callbacks
 * arrives, against the fake COS running the jobs (simulated) and calling back over HTTP.
 */
class CosPushTest {
  /** Jobs take two seconds, so the watch's first poll (at once) finds them running. */
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDpush", "pushSecret")
          .executor(SimulatedExecutor.builder().duration(Duration.ofSeconds(2)).build())
          .build();

  private static final MediaObject CLIP = MediaObject.of("media", "in/clip.mp4");

  @BeforeAll
  static void clip() {
    cos.objects()
        .put("media-" + cos.appId(), CLIP.key(), "a clip".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void threeOutputJob_endsByItsCallbacks_longBeforeItsSecondPoll() throws Exception {
    // a watcher that would not poll again for an hour: only the callbacks can end the job in time
    List<IntakeResult> answers = new CopyOnWriteArrayList<>();
    try (MediaClient media =
            MediaClient.builder()
                .config(MediaConfig.fromMap(cos.clientSettings()))
                .watchPolicy(
                    WatchPolicy.defaults()
                        .withMaxDelay(Duration.ofHours(1))
                        .withInitialDelay(Duration.ofHours(1)))
                .build();
        NotificationReceiver receiver =
            NotificationReceiver.start(
                new InetSocketAddress("127.0.0.1", 0),
                "/",
                request -> {
                  IntakeResult r = media.receive(request);
                  answers.add(r);
                  return r;
                })) {
      List<MediaObject> targets = new ArrayList<>();
      Pipeline.Builder p = Pipeline.from(CLIP);
      for (int i = 0; i < 3; i++) {
        MediaObject target = MediaObject.of("media", "out/part-" + i + ".jpg");
        targets.add(target);
        p.then(
                Snapshot.builder()
                    .at(Duration.ofMillis(250 + 500L * i))
                    .format(ImageFormat.JPG)
                    .build())
            .saveAs(target);
      }
      p.notification(Notify.url("http://127.0.0.1:" + receiver.port() + "/cos/notify"));

      Job job = media.submit(p.build());
      assertThat(job.id().vendorIds()).hasSize(3);
      JobStatus end = job.future().get(2, TimeUnit.MINUTES);

      assertThat(end.state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.id()).isEqualTo(job.id());
      for (int i = 0; i < 3; i++) {
        assertThat(end.outputs().get(i).index()).isEqualTo(i);
        assertThat(end.outputs().get(i).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(end.outputs().get(i).objects()).containsExactly(targets.get(i));
      }
      assertThat(end.details().keySet())
          .as("ended by a verified callback")
          .anyMatch(k -> k.matches("outputs\\[\\d]\\.verifiedBy"));
      // the job ends while the last callback is answered: wait for the answers to be recorded
      for (int i = 0; i < 100 && cos.callbackAnswers().size() < 3; i++) {
        Thread.sleep(50);
      }
      assertThat(cos.callbackAnswers()).hasSize(3).containsOnly(200);
      assertThat(answers).hasSize(3);
      assertThat(answers).allSatisfy(a -> assertThat(a.events()).hasSize(1));
    }
  }
}
