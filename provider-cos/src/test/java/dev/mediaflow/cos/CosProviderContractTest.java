package dev.mediaflow.cos;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.tck.MediaProviderContractTest;
import java.util.Map;

/**
 * The provider conformance suite for COS: capabilities and rendering agree, secrets stay hidden.
 */
class CosProviderContractTest extends MediaProviderContractTest {
  @Override
  protected MediaProvider provider() {
    return new CosProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "region", "ap-beijing",
        "appId", "1250000000",
        "secretId", "AKIDexample",
        "secretKey", "secret-key-value",
        "securityToken", "sts-token-value");
  }
}
