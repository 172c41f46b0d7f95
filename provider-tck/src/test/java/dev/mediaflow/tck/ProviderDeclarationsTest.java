package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.internal.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the configuration takes from the providers on the class path (here only the in-memory one,
 * registered by this module's test resources).
 */
class ProviderDeclarationsTest {
  @Test
  void classPath_findsTheRegisteredTestProvider() {
    assertThat(ProviderRegistry.fromClassPath().ids()).contains("memory");
  }

  @Test
  void toString_hidesSecrets() {
    MediaConfig c =
        MediaConfig.fromMap(
            Map.of(
                "media.oss.accessKeySecret",
                "TOPSECRET",
                "media.oss.securityToken",
                "TOKENVALUE",
                "media.qiniu.secretKey",
                "SK-VALUE",
                "media.oss.region",
                "cn-hangzhou",
                "media.memory.token",
                "MEMORY-TOKEN",
                "media.memory.polls",
                "7",
                "media.http.retries",
                "5"));
    // Shown: what a declaration says is not secret (the memory provider's polls, Mediaflow's own
    // settings).
    // Hidden: secrets, and whatever no provider on the class path declares (no OSS provider here).
    assertThat(c.toString())
        .doesNotContain("TOPSECRET", "TOKENVALUE", "SK-VALUE", "MEMORY-TOKEN", "cn-hangzhou")
        .contains("media.memory.polls=7", "media.http.retries=5", "media.oss.region=****");
    assertThat(c.instance("oss").toString())
        .doesNotContain("TOPSECRET", "TOKENVALUE")
        .contains("****");
    assertThat(c.instance("oss").requireSecret("accessKeySecret").toString()).isEqualTo("****");
  }
}
