package dev.mediaflow.qiniu;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.tck.MediaProviderContractTest;
import java.util.Map;

class QiniuProviderContractTest extends MediaProviderContractTest {
  @Override
  protected MediaProvider provider() {
    return new QiniuProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "accessKey", "AK-contract", "secretKey", "SK-contract-secret", "domain", "cdn.example.com");
  }
}
