package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.spi.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosSettingsTest {
  private static CosSettings settings(Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-beijing");
    m.put("secretId", "AKIDexample");
    m.put("secretKey", "secret-key-value");
    m.putAll(extra);
    return CosSettings.from(ProviderConfig.of("cos", m).declare(new CosProvider().settings()));
  }

  @Test
  void hosts_areTheRegionsCosAndCiHosts() {
    CosSettings s = settings(Map.of());
    assertThat(s.base(Service.COS, "examplebucket-1250000000"))
        .hasToString("https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/");
    assertThat(s.base(Service.CI, "examplebucket-1250000000"))
        .hasToString("https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com/");
  }

  @Test
  void bucket_withoutAppId_needsTheFullName() {
    CosSettings s = settings(Map.of());
    assertThat(s.bucket("examplebucket-1250000000")).isEqualTo("examplebucket-1250000000");
    assertThatThrownBy(() -> s.bucket("examplebucket"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("examplebucket-<APPID>")
        .hasMessageContaining("media.cos.appId");
  }

  @Test
  void bucket_withAppId_isCompletedOnce() {
    CosSettings s = settings(Map.of("appId", "1250000000"));
    assertThat(s.bucket("examplebucket")).isEqualTo("examplebucket-1250000000");
    assertThat(s.bucket("examplebucket-1250000000")).isEqualTo("examplebucket-1250000000");
  }

  @Test
  void bucket_thatCosCannotName_isRefused() {
    CosSettings s = settings(Map.of("appId", "1250000000"));
    assertThatThrownBy(() -> s.bucket("Upper_Case"))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("<name>-<APPID>");
    assertThatThrownBy(() -> s.bucket("a".repeat(45)))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("50 characters");
  }

  @Test
  void domainEndpoint_takesTheBucketInFront() {
    CosSettings s =
        settings(
            Map.of(
                "endpoint",
                "cos.accelerate.myqcloud.com",
                "ciEndpoint",
                "http://ci.example.com:8080"));
    assertThat(s.base(Service.COS, "b-1250000000"))
        .hasToString("https://b-1250000000.cos.accelerate.myqcloud.com/");
    assertThat(s.base(Service.CI, "b-1250000000"))
        .hasToString("http://b-1250000000.ci.example.com:8080/");
  }

  @Test
  void localEndpoint_isPathStyle_andServesJobsToo() {
    CosSettings s = settings(Map.of("endpoint", "http://127.0.0.1:9000"));
    assertThat(s.base(Service.COS, "b-1250000000"))
        .hasToString("http://127.0.0.1:9000/b-1250000000/");
    assertThat(s.base(Service.CI, "b-1250000000"))
        .hasToString("http://127.0.0.1:9000/b-1250000000/");
  }

  @Test
  void credentials_fallBackOnTheVendorsEnvironmentVariables() {
    ProviderConfig c =
        new ProviderConfig(
            "cos",
            "cos",
            Map.of(),
            Map.of(
                "TENCENTCLOUD_REGION", "ap-shanghai",
                "TENCENTCLOUD_SECRET_ID", "AKIDenv",
                "COS_SECRET_KEY", "env-secret",
                "TENCENTCLOUD_SECURITY_TOKEN", "env-token"));
    CosSettings s = CosSettings.from(c.declare(new CosProvider().settings()));
    assertThat(s.region()).isEqualTo("ap-shanghai");
    assertThat(s.secretId()).isEqualTo("AKIDenv");
    assertThat(s.secretKey().reveal()).isEqualTo("env-secret");
    assertThat(s.securityToken())
        .hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo("env-token"));
    assertThat(s.toString()).doesNotContain("env-secret").doesNotContain("env-token");
  }

  @Test
  void badValues_areRefused_namingTheKey() {
    assertThatThrownBy(() -> settings(Map.of("region", "Beijing!")))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.cos.region");
    assertThatThrownBy(() -> settings(Map.of("appId", "12ab")))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.cos.appId");
  }
}
