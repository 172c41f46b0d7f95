package dev.mediaflow.spi;

import java.util.Map;

class InMemoryProviderContractTest extends MediaProviderContractTest {
  @Override
  protected MediaProvider provider() {
    return new InMemoryProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("polls", "2", "token", "SECRET-TOKEN-VALUE");
  }
}
