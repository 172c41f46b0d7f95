package dev.mediaflow.testkit.cos;

import static dev.mediaflow.testkit.cos.CosHttp.cosHost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireFault;
import dev.mediaflow.testkit.FakeServices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake COS as the provider TCK's {@link FakeService}. */
class FakeCosServicesTest {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDtck", "tckSecret").build();

  @Test
  void adapter_putsGetsInjectsAndLogs() throws Exception {
    FakeService service = FakeServices.of(cos);
    assertThat(service.clientSettings())
        .containsEntry("media.provider", "cos")
        .containsEntry("media.cos.secretId", "AKIDtck")
        .containsEntry("media.cos.region", "ap-guangzhou")
        .containsEntry("media.cos.endpoint", cos.baseUrl());
    MediaObject o = MediaObject.of("media-1250000000", "tck/a.txt");
    service.put(o, new byte[] {7});
    assertThat(service.get(o)).contains(new byte[] {7});

    service.inject(line -> line.startsWith("GET /tck/"), WireFault.UNAVAILABLE, 1);
    CosHttp http = new CosHttp(cos, "AKIDtck", "tckSecret");
    assertThat(http.call("GET", cosHost("media-1250000000"), "/tck/a.txt", Map.of(), null).status())
        .isEqualTo(503);
    assertThat(http.call("GET", cosHost("media-1250000000"), "/tck/a.txt", Map.of(), null).status())
        .isEqualTo(200);
    assertThat(service.requests())
        .containsSubsequence("GET /tck/a.txt 503 ServiceUnavailable", "GET /tck/a.txt 200");
    assertThat(service.openUploads()).isEmpty();
    assertThat(service.jobCount()).isZero();
  }
}
