package dev.mediaflow.oss;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.tck.MediaProviderContractTest;
import java.util.Map;

class OssProviderContractTest extends MediaProviderContractTest {
  @Override
  protected MediaProvider provider() {
    return new OssProvider();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of(
        "accessKeyId",
        "AK-contract",
        "accessKeySecret",
        "SK-contract-secret",
        "region",
        "cn-hangzhou",
        "securityToken",
        "STS-contract-token");
  }
}
