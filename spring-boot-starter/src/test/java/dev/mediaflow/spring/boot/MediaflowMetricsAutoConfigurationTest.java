package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobWatcher;
import dev.mediaflow.micrometer.MicrometerMediaObserver;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.NotificationRouter;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the Micrometer observer is made and set, and when it is not: two local instances, a meter
 * registry of the application's, uploads that every client reports.
 */
class MediaflowMetricsAutoConfigurationTest {
  @TempDir Path dir;

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  /** An application's own observer, which writes down the uploads it is told of. */
  static final class Uploads implements MediaObserver {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void uploaded(Origin origin, long bytes, long nanos) {
      seen.add(origin.instance() + " " + bytes);
    }

    @Override
    public void jobEnded(Origin origin, JobState state, long watchedNanos) {
      seen.add(origin.instance() + " " + state);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnObserver {
    @Bean(name = MediaflowAutoConfiguration.OBSERVER)
    Uploads mediaflowObserver() {
      return new Uploads();
    }
  }

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MediaflowAutoConfiguration.class, MediaflowMetricsAutoConfiguration.class))
        .withPropertyValues(
            "mediaflow.jobs.store=none",
            "mediaflow.instances.local.root=" + dir.resolve("data"),
            "mediaflow.instances.archive.provider=local",
            "mediaflow.instances.archive.root=" + dir.resolve("archive"));
  }

  static void uploadWithEveryClient(AssertableApplicationContext context) {
    for (MediaClient c : context.getBean(MediaClientRegistry.class).all()) {
      c.upload(
          UploadRequest.builder(
                  UploadSource.ofBytes(new byte[1_000]), MediaObject.of("media", "up/private.bin"))
              .build());
    }
  }

  static List<Meter> mediaflowMeters(AssertableApplicationContext context) {
    return context.getBean(MeterRegistry.class).getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("mediaflow."))
        .toList();
  }

  @Test
  void meterRegistry_everyClientAndTheSharedWatcher_reportToOneMicrometerObserver() {
    runner()
        .withUserConfiguration(Meters.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MediaflowAutoConfiguration.OBSERVER))
                  .isInstanceOf(MicrometerMediaObserver.class);
              assertThat(context).hasBean(MediaflowMetricsAutoConfiguration.CUSTOMIZER);
              MediaClientRegistry registry = context.getBean(MediaClientRegistry.class);
              assertThat(registry.names()).containsExactlyInAnyOrder("local", "archive");
              // one observer for all: the same instance in every client
              assertThat(registry.all())
                  .extracting(MediaClient::observer)
                  .doesNotContain(MediaObserver.noop())
                  .containsOnly(registry.defaultClient().observer());

              uploadWithEveryClient(context);
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              for (String instance : List.of("local", "archive")) {
                assertThat(
                        meters
                            .get("mediaflow.upload.bytes")
                            .tags("provider", "local", "instance", instance)
                            .summary()
                            .totalAmount())
                    .isEqualTo(1_000);
              }
              // the shared watcher reports job ends to the same registry
              context
                  .getBean(JobWatcher.class)
                  .observer()
                  .jobEnded(new Origin("local", "archive"), JobState.SUCCEEDED, 5_000_000);
              assertThat(
                      meters
                          .get("mediaflow.jobs.ended")
                          .tags("instance", "archive", "state", "succeeded")
                          .counter()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void aNotificationNoInstanceRecognises_isCountedOnce_notOncePerInstance() {
    // two instances whose provider pushes notifications, so the router asks both (no request is
    // sent: the hosts are never reached)
    runner()
        .withUserConfiguration(Meters.class)
        .withPropertyValues(
            "mediaflow.provider=east",
            "mediaflow.instances.east.provider=qiniu",
            "mediaflow.instances.east.access-key=AK-east",
            "mediaflow.instances.east.secret-key=SK-east",
            "mediaflow.instances.east.api-host=http://127.0.0.1:9",
            "mediaflow.instances.west.provider=qiniu",
            "mediaflow.instances.west.access-key=AK-west",
            "mediaflow.instances.west.secret-key=SK-west",
            "mediaflow.instances.west.api-host=http://127.0.0.1:9")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              IntakeResult r =
                  context
                      .getBean(NotificationRouter.class)
                      .receive(
                          InboundRequest.of(
                              "POST",
                              "/mediaflow/notify",
                              Map.of("Content-Type", List.of("text/plain")),
                              "not a notification".getBytes(StandardCharsets.UTF_8)));
              assertThat(r.status()).isEqualTo(400);
              assertThat(context.getBean(NotificationRouter.class).clients())
                  .extracting(MediaClient::instance)
                  .contains("east", "west");
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get("mediaflow.notifications")
                          .tags("provider", "unknown", "instance", "unknown")
                          .tag("outcome", "unmatched")
                          .counter()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void metricsDisabled_noObserverNoCustomizer_andNothingIsRecorded() {
    runner()
        .withUserConfiguration(Meters.class)
        .withPropertyValues("mediaflow.metrics.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertNoObserver(context);
              uploadWithEveryClient(context);
              assertThat(mediaflowMeters(context)).isEmpty();
            });
  }

  @Test
  void noMeterRegistry_backsOff() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertNoObserver(context);
            });
  }

  @Test
  void withoutMediaflowMicrometer_backsOff() {
    runner()
        .withUserConfiguration(Meters.class)
        .withClassLoader(new FilteredClassLoader(MicrometerMediaObserver.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertNoObserver(context);
              uploadWithEveryClient(context);
              assertThat(mediaflowMeters(context)).isEmpty();
            });
  }

  @Test
  void applicationsOwnObserver_replacesMicrometers_forEveryClientAndTheWatcher() {
    runner()
        .withUserConfiguration(Meters.class, OwnObserver.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Uploads own = context.getBean(Uploads.class);
              uploadWithEveryClient(context);
              context
                  .getBean(JobWatcher.class)
                  .observer()
                  .jobEnded(new Origin("local", "local"), JobState.FAILED, 1);
              assertThat(own.seen)
                  .containsExactlyInAnyOrder("local 1000", "archive 1000", "local FAILED");
              assertThat(mediaflowMeters(context)).isEmpty();
            });
  }

  private static void assertNoObserver(AssertableApplicationContext context) {
    assertThat(context).doesNotHaveBean(MediaflowAutoConfiguration.OBSERVER);
    assertThat(context).doesNotHaveBean(MediaflowMetricsAutoConfiguration.CUSTOMIZER);
    assertThat(context.getBean(MediaClientRegistry.class).all())
        .extracting(MediaClient::observer)
        .containsOnly(MediaObserver.noop());
    assertThat(context.getBean(JobWatcher.class).observer()).isSameAs(MediaObserver.noop());
  }
}
