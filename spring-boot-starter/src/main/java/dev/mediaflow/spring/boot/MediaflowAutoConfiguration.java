package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.JobWatcher;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.jobs.jdbc.JdbcJobStore;
import dev.mediaflow.notify.NotificationRouter;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.spi.ProviderConfig;
import java.time.Duration;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Mediaflow for Spring Boot: the configuration from {@code mediaflow.*}, one shared HTTP client and
 * job watcher, the job store, a {@link MediaClient} per configured instance (the default one
 * primary, each one also qualified by its name), the registry of them all and the notification
 * router. Every bean backs off when the application declares its own.
 *
 * <p>The web endpoint for notifications, the health contributor and the actuator's sanitizing are
 * in the configurations imported here, each conditional on its stack and Spring Boot generation.
 */
@AutoConfiguration(
    afterName = {
      // Spring Boot 4 and 3: a DataSource bean, when there is one, exists before the job store
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
    })
@ConditionalOnClass(MediaClient.class)
@EnableConfigurationProperties(MediaflowProperties.class)
@Import({
  MediaflowInstanceBeans.class,
  MediaflowWebMvcConfiguration.class,
  MediaflowWebFluxConfiguration.class,
  MediaflowHealthConfiguration.class,
  MediaflowSanitizingConfiguration.class
})
public class MediaflowAutoConfiguration {
  /** The bean name of the HTTP client every client shares. */
  public static final String HTTP_CLIENT = "mediaflowHttpClient";

  /**
   * The bean name of the observer the shared watcher reports to, when there is one: {@link
   * MediaflowMetricsAutoConfiguration} makes it from Micrometer, and sets it on every client too.
   */
  public static final String OBSERVER = "mediaflowObserver";

  /** Mediaflow's configuration, from {@code mediaflow.*} over {@code media.*} and MEDIA_*. */
  @Bean
  @ConditionalOnMissingBean
  public static MediaConfig mediaflowConfig(Environment environment) {
    return SpringMediaConfig.load(environment);
  }

  /** The one HTTP client of every instance, closed with the context. */
  @Bean(name = HTTP_CLIENT)
  @ConditionalOnMissingBean(name = HTTP_CLIENT)
  static MediaflowHttpClientFactory mediaflowHttpClient(MediaConfig config) {
    return new MediaflowHttpClientFactory(config);
  }

  /** Where jobs are kept: {@code mediaflow.jobs.*} (files in ~/.mediaflow/jobs by default). */
  @Bean
  @ConditionalOnMissingBean
  public JobStore mediaflowJobStore(MediaConfig config) {
    return JobStore.configured(config);
  }

  /**
   * The one watcher of every instance's jobs, on at most two threads, reporting its polls and job
   * ends to the bean {@value #OBSERVER} when there is one; closed with the context.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public JobWatcher mediaflowJobWatcher(
      MediaConfig config,
      JobStore store,
      @Qualifier(OBSERVER) ObjectProvider<MediaObserver> observer) {
    ProviderConfig jobs = config.section("jobs");
    Duration lease = jobs.getDuration("lease", JobWatcher.DEFAULT_LEASE);
    return JobWatcher.create(
        watchPolicy(config), store, lease, observer.getIfAvailable(MediaObserver::noop));
  }

  /** Every instance's client; closing it closes them. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MediaClientRegistry mediaClientRegistry(
      MediaConfig config,
      @Qualifier(HTTP_CLIENT) OkHttpClient http,
      JobWatcher watcher,
      ObjectProvider<MediaClientCustomizer> customizers) {
    // with Micrometer, MediaflowMetricsAutoConfiguration's customizer sets the observer on each
    // builder
    return MediaClientRegistry.create(
        config, http, watcher, customizers.orderedStream().collect(Collectors.toList()));
  }

  /** The default instance's client ({@code mediaflow.provider}); closed by the registry. */
  @Bean(destroyMethod = "")
  @Primary
  @ConditionalOnMissingBean
  public MediaClient mediaClient(MediaClientRegistry registry) {
    return registry.defaultClient();
  }

  /** One endpoint's router for the notifications of every instance whose provider pushes. */
  @Bean
  @ConditionalOnMissingBean
  public NotificationRouter mediaflowNotificationRouter(MediaClientRegistry registry) {
    return NotificationRouter.of(registry.all());
  }

  static WatchPolicy watchPolicy(MediaConfig config) {
    ProviderConfig w = config.section("watch");
    WatchPolicy d = WatchPolicy.defaults();
    try {
      Duration initial = w.getDuration("initialDelay", d.initialDelay());
      Duration max = w.getDuration("maxDelay", d.maxDelay());
      // each step keeps initialDelay <= maxDelay, whichever of the two grows
      WatchPolicy p =
          initial.compareTo(d.maxDelay()) > 0
              ? d.withMaxDelay(max).withInitialDelay(initial)
              : d.withInitialDelay(initial).withMaxDelay(max);
      return p.withDeadline(w.getDuration("deadline", d.deadline()))
          .withSafetyInterval(w.getDuration("safetyInterval", d.safetyInterval()));
    } catch (IllegalArgumentException e) {
      throw new MediaConfigException(
          "media.watch", "Invalid media.watch.* setting: " + e.getMessage(), e);
    }
  }

  /**
   * The JDBC job store in the application's {@link DataSource}, when mediaflow-jobs-jdbc is on the
   * class path and {@code mediaflow.jobs.store} is unset or {@code jdbc} without a URL of its own.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.mediaflow.jobs.jdbc.JdbcJobStore")
  @ConditionalOnBean(DataSource.class)
  static class JdbcJobStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean
    JobStore mediaflowJobStore(MediaConfig config, DataSource dataSource) {
      ProviderConfig jobs = config.section("jobs");
      String store = jobs.get("store").orElse("jdbc");
      if (store.equals("jdbc") && jobs.get("jdbcUrl").isEmpty()) {
        return JdbcJobStore.create(dataSource);
      }
      return JobStore.configured(config);
    }
  }
}
