package dev.mediaflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.spi.ProviderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaConfigTest {
  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path f = dir.resolve("media.properties");
    Files.writeString(f, content);
    return f;
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaults_toTheLocalProvider() {
    MediaConfig c = MediaConfig.fromMap(Map.of());
    assertThat(c.defaultInstance()).isEqualTo("local");
    assertThat(c.providerIdOf("local")).isEqualTo("local");
  }

  @Test
  void precedence_codeThenSystemThenEnvironmentThenFile() throws IOException {
    Path f =
        file(
            "media.provider=qiniu\nmedia.oss.region=file\nmedia.oss.endpoint=file\nmedia.oss.bucket=file\nmedia.oss.extra=file\n");
    MediaConfig c =
        MediaConfig.builder()
            .file(f)
            .environment(
                Map.of(
                    "MEDIA_OSS_REGION",
                    "env",
                    "MEDIA_OSS_ENDPOINT",
                    "env",
                    "MEDIA_OSS_BUCKET",
                    "env"))
            .systemProperties(props("media.oss.region", "sys", "media.oss.endpoint", "sys"))
            .put("media.oss.region", "code")
            .build();

    ProviderConfig oss = c.instance("oss");
    assertThat(oss.get("region")).contains("code");
    assertThat(oss.get("endpoint")).contains("sys");
    assertThat(oss.get("bucket")).contains("env");
    assertThat(oss.get("extra")).contains("file");
    assertThat(c.get("media.oss.bucket")).contains("env");
    assertThat(c.defaultInstance()).isEqualTo("qiniu");
  }

  @Test
  void environmentVariables_matchCamelCaseKeysWithoutRegardToCase() {
    MediaConfig c =
        MediaConfig.builder()
            .environment(
                Map.of("MEDIA_PROVIDER", "oss", "MEDIA_OSS_ACCESSKEYID", "AKID", "PATH", "/bin"))
            .build();
    assertThat(c.defaultInstance()).isEqualTo("oss");
    assertThat(c.instance("oss").get("accessKeyId")).contains("AKID");
    assertThat(c.get("media.oss.accessKeyId")).contains("AKID");
  }

  @Test
  void vendorEnvironmentVariables_fillInCredentialsNothingElseSets() {
    Map<String, String> env =
        Map.of(
            "OSS_ACCESS_KEY_ID",
            "from-vendor-env",
            "OSS_ACCESS_KEY_SECRET",
            "s3cr3t",
            "QINIU_ACCESS_KEY",
            "qak");
    MediaConfig c =
        MediaConfig.builder().environment(env).put("media.oss.accessKeyId", "from-config").build();

    ProviderConfig oss = c.instance("oss");
    assertThat(oss.get("accessKeyId", "OSS_ACCESS_KEY_ID")).contains("from-config");
    assertThat(oss.secret("accessKeySecret", "OSS_ACCESS_KEY_SECRET").orElseThrow().reveal())
        .isEqualTo("s3cr3t");
    assertThat(c.instance("qiniu").get("accessKey", "QINIU_ACCESS_KEY")).contains("qak");
  }

  @Test
  void namedInstances_eachWithItsProvider() {
    MediaConfig c =
        MediaConfig.fromProperties(
            props(
                "media.provider",
                "east",
                "media.east.provider",
                "oss",
                "media.east.region",
                "cn-hangzhou",
                "media.west.provider",
                "oss",
                "media.west.region",
                "cn-shanghai",
                "media.qiniu.accessKey",
                "ak"));
    assertThat(c.instances()).containsExactly("east", "qiniu", "west");
    assertThat(c.defaultInstance()).isEqualTo("east");
    assertThat(c.providerIdOf("west")).isEqualTo("oss");
    assertThat(c.providerIdOf("qiniu")).isEqualTo("qiniu");
    ProviderConfig west = c.instance("west");
    assertThat(west.providerId()).isEqualTo("oss");
    assertThat(west.get("region")).contains("cn-shanghai");
    assertThat(west.values()).doesNotContainKey("provider");
    assertThat(west.fullKey("region")).isEqualTo("media.west.region");
  }

  @Test
  void mediaflowsOwnSettings_areNotProviderInstances() {
    MediaConfig c =
        MediaConfig.fromProperties(
            props(
                "media.upload.checkpointDir",
                "/tmp/cp",
                "media.http.retries",
                "2",
                "media.watch.deadline",
                "1h",
                "media.jobs.store",
                "memory",
                "media.local.root",
                "data"));
    assertThat(c.instances()).containsExactly("local");
    for (String reserved : MediaConfig.RESERVED) {
      assertThatThrownBy(() -> c.instance(reserved))
          .isInstanceOf(MediaConfigException.class)
          .hasMessageContaining(reserved);
    }
  }

  @Test
  void badInstanceNames_failWithTheKey() {
    assertThatThrownBy(
            () -> MediaConfig.fromMap(Map.of("media.provider", "My OSS")).defaultInstance())
        .isInstanceOf(MediaConfigException.class)
        .satisfies(e -> assertThat(((MediaConfigException) e).key()).isEqualTo("media.provider"))
        .hasMessageContaining("media.provider must name a provider instance");
    assertThatThrownBy(
            () -> MediaConfig.fromMap(Map.of("media.provider", "http")).defaultInstance())
        .isInstanceOf(MediaConfigException.class);
  }

  @Test
  void configFileNamedByMediaConfig_isRead() throws IOException {
    Path f = file("media.qiniu.apiHost=api.example.com\n");
    MediaConfig c = MediaConfig.builder().environment(Map.of("MEDIA_CONFIG", f.toString())).build();
    assertThat(c.instance("qiniu").get("apiHost")).contains("api.example.com");
  }

  @Test
  void missingConfigFile_isAClearConfigError() {
    assertThatThrownBy(() -> MediaConfig.builder().file(dir.resolve("nope.properties")).build())
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("Cannot read the configuration file");
  }

  @Test
  void require_missing_namesTheKeyAndTheVendorVariable() {
    ProviderConfig oss = MediaConfig.fromMap(Map.of()).instance("oss");
    assertThatThrownBy(() -> oss.require("accessKeyId", "OSS_ACCESS_KEY_ID"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessage(
            "Missing setting media.oss.accessKeyId for provider 'oss' (or environment variable OSS_ACCESS_KEY_ID).");
  }

  @Test
  void typedGetters_parseOrFailWithTheKey() {
    ProviderConfig p =
        MediaConfig.fromMap(
                Map.of(
                    "media.x.a",
                    "30s",
                    "media.x.b",
                    "PT2M",
                    "media.x.c",
                    "500ms",
                    "media.x.d",
                    "yes",
                    "media.x.e",
                    "12",
                    "media.x.f",
                    "soon"))
            .instance("x");
    assertThat(p.getDuration("a", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.getDuration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.getDuration("c", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.getDuration("missing", Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    assertThat(p.getBoolean("d", false)).isTrue();
    assertThat(p.getInt("e", 0)).isEqualTo(12);
    assertThatThrownBy(() -> p.getDuration("f", Duration.ZERO))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.x.f must be a duration");
    assertThatThrownBy(() -> p.getInt("f", 0))
        .hasMessageContaining("media.x.f must be a whole number");
  }

  @Test
  void baseUrl_takesAHostOrASchemeAndHost_butNoPath() {
    ProviderConfig p =
        MediaConfig.fromMap(
                Map.of(
                    "media.x.a",
                    "api.example.com",
                    "media.x.b",
                    "http://127.0.0.1:9000",
                    "media.x.c",
                    "https://h.example.com/v1",
                    "media.x.d",
                    "h.example.com?x=1"))
            .instance("x");
    assertThat(p.getBaseUrl("a", "e.com").orElseThrow()).hasToString("https://api.example.com/");
    assertThat(p.getBaseUrl("b", "e.com").orElseThrow()).hasToString("http://127.0.0.1:9000/");
    assertThat(p.getBaseUrl("missing", "e.com")).isEmpty();
    assertThatThrownBy(() -> p.getBaseUrl("c", "api.example.com"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessage(
            "media.x.c must be a host such as api.example.com (or http://127.0.0.1:9000 for a fake server), "
                + "was 'https://h.example.com/v1'");
    assertThatThrownBy(() -> p.getBaseUrl("d", "e.com"))
        .hasMessageContaining("media.x.d must be a host");
  }

  @Test
  void with_overridesAtTheTop() {
    MediaConfig c =
        MediaConfig.fromMap(Map.of("media.provider", "oss")).with("media.provider", "qiniu");
    assertThat(c.defaultInstance()).isEqualTo("qiniu");
  }
}
