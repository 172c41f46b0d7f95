package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.JobWatcher;
import dev.mediaflow.jobs.jdbc.JdbcJobStore;
import dev.mediaflow.notify.NotificationRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MediaflowAutoConfigurationTest {
  @TempDir Path dir;

  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MediaflowAutoConfiguration.class))
        .withPropertyValues("mediaflow.jobs.store=none");
  }

  ApplicationContextRunner local() {
    return runner().withPropertyValues("mediaflow.instances.local.root=" + dir.resolve("data"));
  }

  ApplicationContextRunner twoOssInstances() {
    return runner()
        .withPropertyValues(
            "mediaflow.provider=east",
            "mediaflow.instances.east.provider=oss",
            "mediaflow.instances.east.region=cn-hangzhou",
            "mediaflow.instances.east.access-key-id=AK-east",
            "mediaflow.instances.east.access-key-secret=SK-east",
            "mediaflow.instances.west.provider=oss",
            "mediaflow.instances.west.region=cn-shanghai",
            "mediaflow.instances.west.accessKeyId=AK-west",
            "mediaflow.instances.west.accessKeySecret=SK-west");
  }

  @Test
  void noProperties_defaultClientIsLocal_withRegistryWatcherRouterAndHttpClient() {
    local()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MediaClient media = context.getBean(MediaClient.class);
              assertThat(media.providerId()).isEqualTo("local");
              assertThat(media.instance()).isEqualTo("local");
              MediaClientRegistry registry = context.getBean(MediaClientRegistry.class);
              assertThat(registry.names()).containsExactly("local");
              assertThat(registry.defaultClient()).isSameAs(media);
              assertThat(context).hasSingleBean(JobWatcher.class);
              assertThat(context).hasSingleBean(NotificationRouter.class);
              assertThat(context.getBean(MediaflowAutoConfiguration.HTTP_CLIENT))
                  .isInstanceOf(OkHttpClient.class);
              // the local provider's check: its root folder, made on the first write
              dev.mediaflow.spi.AccessCheck check = media.checkAccess("");
              assertThat(check.isAccepted()).isTrue();
              assertThat(check.details()).containsEntry("root", dir.resolve("data").toString());
            });
  }

  @Test
  void properties_bindOntoMediaflowsSettings_instancesHttpWatchAndLists() {
    twoOssInstances()
        .withPropertyValues(
            "mediaflow.http.read-timeout=7s",
            "mediaflow.http.connectTimeout=3s",
            "mediaflow.watch.initial-delay=2s",
            "mediaflow.watch.max-delay=9s",
            "mediaflow.instances.east.public-buckets[0]=pub-a",
            "mediaflow.instances.east.public-buckets[1]=pub-b",
            "mediaflow.instances.east.domain.media=cdn.example.com")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MediaConfig config = context.getBean(MediaConfig.class);
              assertThat(config.defaultInstance()).isEqualTo("east");
              assertThat(config.instance("east").get("region")).contains("cn-hangzhou");
              assertThat(config.instance("east").get("accessKeyId")).contains("AK-east");
              assertThat(config.instance("west").get("accessKeyId")).contains("AK-west");
              assertThat(config.instance("east").get("publicBuckets")).contains("pub-a,pub-b");
              assertThat(config.instance("east").get("domain.media")).contains("cdn.example.com");
              assertThat(config.toString()).doesNotContain("SK-east", "SK-west");
              OkHttpClient http =
                  context.getBean(MediaflowAutoConfiguration.HTTP_CLIENT, OkHttpClient.class);
              assertThat(http.readTimeoutMillis()).isEqualTo(7_000);
              assertThat(http.connectTimeoutMillis()).isEqualTo(3_000);
              assertThat(http.retryOnConnectionFailure()).isFalse();
              JobWatcher watcher = context.getBean(JobWatcher.class);
              assertThat(watcher.policy().initialDelay()).isEqualTo(Duration.ofSeconds(2));
              assertThat(watcher.policy().maxDelay()).isEqualTo(Duration.ofSeconds(9));
            });
  }

  @Test
  void mediaSystemProperties_stillApply_belowMediaflowProperties() {
    System.setProperty("media.watch.maxDelay", "11s");
    System.setProperty("media.watch.initialDelay", "4s");
    try {
      local()
          .withPropertyValues("mediaflow.watch.initial-delay=2s")
          .run(
              context -> {
                JobWatcher watcher = context.getBean(JobWatcher.class);
                assertThat(watcher.policy().maxDelay()).isEqualTo(Duration.ofSeconds(11));
                assertThat(watcher.policy().initialDelay()).isEqualTo(Duration.ofSeconds(2));
              });
    } finally {
      System.clearProperty("media.watch.maxDelay");
      System.clearProperty("media.watch.initialDelay");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NeedsWest {
    @Autowired
    @Qualifier("west")
    MediaClient west;

    @Autowired
    @Qualifier("east")
    MediaClient east;

    @Autowired MediaClient primary;
  }

  @Test
  void namedInstances_resolveByQualifier_defaultIsPrimary_registryHasAll() {
    twoOssInstances()
        .withUserConfiguration(NeedsWest.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              NeedsWest beans = context.getBean(NeedsWest.class);
              assertThat(beans.west.instance()).isEqualTo("west");
              assertThat(beans.east.instance()).isEqualTo("east");
              assertThat(beans.primary).isSameAs(beans.east);
              assertThat(beans.west.providerId()).isEqualTo("oss");
              MediaClientRegistry registry = context.getBean(MediaClientRegistry.class);
              assertThat(registry.names()).containsExactly("east", "west");
              assertThat(registry.get("west")).isSameAs(beans.west);
              assertThat(context.getBean(NotificationRouter.class).clients())
                  .extracting(MediaClient::instance)
                  .containsExactly("east", "west");
              assertThat(context.getBeansOfType(MediaClient.class)).hasSize(3);
            });
  }

  @Test
  void readmesThreeLinesOfYaml_giveTheQiniuClient() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MediaflowAutoConfiguration.class))
        // where the default file job store writes, in this test's folder
        .withPropertyValues("mediaflow.jobs.dir=" + dir.resolve("jobs"))
        .withPropertyValues(
            "mediaflow.provider=qiniu",
            "mediaflow.instances.qiniu.access-key=your-access-key",
            "mediaflow.instances.qiniu.secret-key=your-secret-key")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MediaClient media = context.getBean(MediaClient.class);
              assertThat(media.providerId()).isEqualTo("qiniu");
              MediaConfig config = context.getBean(MediaConfig.class);
              assertThat(config.instance("qiniu").get("accessKey")).contains("your-access-key");
              assertThat(config.instance("qiniu").get("secretKey")).contains("your-secret-key");
            });
  }

  @Test
  void cosInstance_fromItsProperties_withTheDefaultAndAnotherProvider() {
    local()
        .withPropertyValues(
            "mediaflow.provider=cos",
            "mediaflow.instances.cos.region=ap-guangzhou",
            "mediaflow.instances.cos.app-id=1250000000",
            "mediaflow.instances.cos.secret-id=AKID-cos",
            "mediaflow.instances.cos.secret-key=SK-cos",
            "mediaflow.instances.media.provider=cos",
            "mediaflow.instances.media.region=ap-beijing",
            "mediaflow.instances.media.secretId=AKID-media",
            "mediaflow.instances.media.secretKey=SK-media")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MediaClient cos = context.getBean(MediaClient.class);
              assertThat(cos.providerId()).isEqualTo("cos");
              assertThat(cos.instance()).isEqualTo("cos");
              MediaConfig config = context.getBean(MediaConfig.class);
              assertThat(config.instance("cos").get("region")).contains("ap-guangzhou");
              assertThat(config.instance("cos").get("appId")).contains("1250000000");
              assertThat(config.instance("media").get("secretId")).contains("AKID-media");
              assertThat(config.toString()).doesNotContain("SK-cos", "SK-media");
              MediaClientRegistry registry = context.getBean(MediaClientRegistry.class);
              assertThat(registry.get("media").providerId()).isEqualTo("cos");
              assertThat(registry.names()).contains("cos", "media");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnClient {
    @Bean
    MediaClient myMediaClient() {
      return MediaClient.builder()
          .config(MediaConfig.fromMap(java.util.Map.of("media.jobs.store", "none")))
          .instance("local")
          .build();
    }

    @Bean
    JobStore myJobStore() {
      return JobStore.none();
    }
  }

  @Test
  void applicationsOwnBeans_win() {
    local()
        .withUserConfiguration(OwnClient.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(MediaClient.class))
                  .isSameAs(context.getBean("myMediaClient"));
              assertThat(context.getBean(JobStore.class)).isSameAs(JobStore.none());
            });
  }

  @Test
  void contextClose_closesTheSharedWatcherAndHttpClient() {
    AtomicReference<OkHttpClient> http = new AtomicReference<>();
    AtomicReference<JobWatcher> watcher = new AtomicReference<>();
    local()
        .run(
            context -> {
              http.set(context.getBean(MediaflowAutoConfiguration.HTTP_CLIENT, OkHttpClient.class));
              watcher.set(context.getBean(JobWatcher.class));
            });
    assertThat(http.get().dispatcher().executorService().isShutdown()).isTrue();
    assertThat(watcher.get().toString()).isNotNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> watcher.get().watch(dev.mediaflow.job.JobId.parse("local:x"), id -> null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1");
      return ds;
    }
  }

  @Test
  void dataSourceBean_andJobsJdbc_giveTheJdbcJobStore() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MediaflowAutoConfiguration.class))
        .withPropertyValues("mediaflow.instances.local.root=" + dir.resolve("data"))
        .withUserConfiguration(H2.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(JobStore.class)).isInstanceOf(JdbcJobStore.class);
              assertThat(context.getBean(MediaClient.class).jobStore())
                  .isSameAs(context.getBean(JobStore.class));
            });
  }

  @Test
  void unknownInstanceSetting_failsStartUp_withTheAnalyzersReport() {
    twoOssInstances()
        .withPropertyValues("mediaflow.instances.west.regoin=cn-beijing")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new MediaConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .startsWith("Mediaflow's configuration is invalid: ")
                  .contains("regoin", "region");
              assertThat(analysis.getAction())
                  .contains("mediaflow.instances.west.regoin", "application.yml");
            });
  }

  @Test
  void missingRequiredSetting_actionNamesThePropertyItsVariablesAndTheVendors() {
    runner()
        .withPropertyValues(
            "mediaflow.provider=oss",
            "mediaflow.instances.oss.region=cn-hangzhou",
            "mediaflow.instances.oss.access-key-id=AK")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasRootCauseInstanceOf(MediaConfigException.class);
              FailureAnalysis analysis =
                  new MediaConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("accessKeySecret");
              assertThat(analysis.getAction())
                  .contains(
                      "mediaflow.instances.oss.accessKeySecret",
                      "MEDIAFLOW_INSTANCES_OSS_ACCESSKEYSECRET",
                      "MEDIA_OSS_ACCESSKEYSECRET",
                      "OSS_ACCESS_KEY_SECRET",
                      "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
            });
  }

  @Test
  void mediaflowKeyThatIsNoSetting_failsStartUp_namingIt() {
    runner()
        .withPropertyValues("mediaflow.htpp.retries=2")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new MediaConfigFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("mediaflow.htpp.retries");
              assertThat(analysis.getAction()).contains("mediaflow.htpp.retries");
            });
  }

  @Test
  void sanitizer_hidesDeclaredSecrets_inEveryForm() {
    java.util.Set<String> names = DeclaredSettings.secretNames(getClass().getClassLoader());
    java.util.Set<String> vars = DeclaredSettings.secretVariables(getClass().getClassLoader());
    for (String key :
        new String[] {
          "mediaflow.instances.oss.access-key-secret",
          "mediaflow.instances.east.accessKeySecret",
          "access-key-secret",
          "secretKey",
          "media.qiniu.secretKey",
          "MEDIA_OSS_ACCESSKEYSECRET",
          "MEDIAFLOW_INSTANCES_QINIU_SECRETKEY",
          "OSS_ACCESS_KEY_SECRET",
          "QINIU_SECRET_KEY",
          "mediaflow.jobs.jdbc-password",
          "mediaflow.instances.local.url-signing-key",
          "mediaflow.instances.oss.security-token",
          "mediaflow.instances.cos.secret-key",
          "mediaflow.instances.cos.security-token",
          "COS_SECRET_KEY",
          "TENCENTCLOUD_SECRET_KEY"
        }) {
      assertThat(MediaflowSanitizingConfiguration.isSecret(key, names, vars)).as(key).isTrue();
    }
    for (String key :
        new String[] {
          "mediaflow.instances.oss.access-key-id",
          "mediaflow.instances.cos.secret-id",
          "mediaflow.provider",
          "PATH"
        }) {
      assertThat(MediaflowSanitizingConfiguration.isSecret(key, names, vars)).as(key).isFalse();
    }
  }
}
