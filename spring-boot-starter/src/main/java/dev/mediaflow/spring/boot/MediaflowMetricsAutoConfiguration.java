package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;
import dev.mediaflow.internal.GuardedObserver;
import dev.mediaflow.micrometer.MicrometerMediaObserver;
import dev.mediaflow.observe.MediaObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Mediaflow's metrics and traces in the application's Micrometer: when {@code mediaflow-micrometer}
 * is on the class path and there is a {@link MeterRegistry} bean (the actuator's), one {@link
 * MicrometerMediaObserver} (bean {@value #OBSERVER}) records into it, and into the {@link
 * ObservationRegistry} bean when there is one. A {@link MediaClientCustomizer} sets it on every
 * instance's client; the shared {@code JobWatcher} reports its polls and job ends to it too.
 * docs/metrics.md lists the meters and observations.
 *
 * <p>{@code mediaflow.metrics.enabled: false} leaves it all out. A bean of the application named
 * {@value #OBSERVER} (any {@link MediaObserver}) replaces the Micrometer observer, and one named
 * {@value #CUSTOMIZER} replaces the customizer.
 */
@AutoConfiguration(
    afterName = {
      // the MeterRegistry and ObservationRegistry beans exist before the condition on them is read:
      // Spring Boot 4's names, then Spring Boot 3's
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
    })
@ConditionalOnClass({MediaClient.class, MicrometerMediaObserver.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = "mediaflow.metrics",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class MediaflowMetricsAutoConfiguration {
  /** The bean name of the observer every client and the shared watcher report to. */
  public static final String OBSERVER = MediaflowAutoConfiguration.OBSERVER;

  /** The bean name of the customizer that sets the observer on every client. */
  public static final String CUSTOMIZER = "mediaflowObserverCustomizer";

  /**
   * The observer of every instance: meters in {@code meters}, observations in the {@link
   * ObservationRegistry} bean if there is one.
   */
  @Bean(name = OBSERVER)
  @ConditionalOnMissingBean(name = OBSERVER)
  public MediaObserver mediaflowObserver(
      MeterRegistry meters, ObjectProvider<ObservationRegistry> observations) {
    return new MicrometerMediaObserver(
        meters, observations.getIfUnique(() -> ObservationRegistry.NOOP));
  }

  /** Sets the observer on every instance's client. */
  @Bean(name = CUSTOMIZER)
  @ConditionalOnMissingBean(name = CUSTOMIZER)
  public MediaClientCustomizer mediaflowObserverCustomizer(
      @Qualifier(OBSERVER) MediaObserver observer) {
    // Guarded once for all: a client keeps an observer that is already guarded as it is, so every
    // client holds the same one, and a NotificationRouter tells it once of a request no instance
    // recognised, not once per instance.
    MediaObserver shared = GuardedObserver.of(observer);
    return (instance, builder) -> builder.observer(shared);
  }
}
