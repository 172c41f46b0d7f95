package dev.mediaflow.tck;

import dev.mediaflow.spi.MediaProvider;
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
