package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The notification endpoint on WebFlux (Reactor Netty), at a path of the application's choice. */
class MediaflowWebFluxTest {
  @Test
  void notificationEndpoint_onWebFlux_endsTheJob() throws Exception {
    try (FakeQiniuServer qiniu =
            FakeQiniuServer.builder()
                .credentials("AK-flux", "flux-Secret-5b7f3a9c1e")
                .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(1500)).build())
                .build()
                .start();
        ConfigurableApplicationContext app =
            new SpringApplicationBuilder(TestApp.class)
                .properties(
                    TestApp.instanceProperties(qiniu.clientSettings(), "qiniu")
                        .toArray(String[]::new))
                .properties(
                    "spring.main.web-application-type=reactive",
                    "server.port=0",
                    "mediaflow.provider=qiniu",
                    "mediaflow.jobs.store=none",
                    "mediaflow.watch.initial-delay=1h",
                    "mediaflow.watch.max-delay=1h",
                    "mediaflow.notifications.path=/hooks/media/")
                .run()) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      MediaClient media = app.getBean(MediaClient.class);
      qiniu.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
      Job job =
          media.submit(
              TestApp.snapshot("out/flux.jpg", "http://127.0.0.1:" + port + "/hooks/media/qiniu"));
      CompletableFuture<JobStatus> future = job.future();
      JobStatus done = future.get(30, TimeUnit.SECONDS);
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(qiniu.requests().stream().filter(l -> l.contains("/status/get/prefop")).count())
          .as("one read when the watch started, the end from the notification")
          .isEqualTo(1);
    }
  }
}
