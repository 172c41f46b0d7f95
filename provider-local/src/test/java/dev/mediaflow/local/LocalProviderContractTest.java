package dev.mediaflow.local;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.tck.MediaProviderContractTest;
import java.util.Map;

class LocalProviderContractTest extends MediaProviderContractTest {
  @Override
  protected MediaProvider provider() {
    return new LocalProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "root",
        "target/contract-root",
        "workers",
        "1",
        "urlSigningKey",
        "contract-url-signing-key");
  }
}
