package dev.mediaflow.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundRequestTest {
  @Test
  void headers_matchWithoutCase_andToStringLeavesOutTheirValues() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    InboundRequest r =
        InboundRequest.of(
            "post",
            "/mediaflow/notify?a=1",
            Map.of("Authorization", List.of("QBox ak:SIGNATURE")),
            body);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("authorization")).contains("QBox ak:SIGNATURE");
    assertThat(r.toString()).doesNotContain("SIGNATURE").contains("/mediaflow/notify", "2 bytes");
    body[0] = 'x';
    assertThat(r.body()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }
}
