package dev.mediaflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.spi.Secret;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void serviceError_carriesWhatTheVendorSaid() {
    MediaServiceException e =
        new MediaServiceException(
            "oss",
            403,
            "SignatureDoesNotMatch",
            "5C3D9175B6FC201293AD4890",
            "The request signature we calculated does not match");
    assertThat(e)
        .hasMessage(
            "oss rejected the request: HTTP 403 SignatureDoesNotMatch (request id 5C3D9175B6FC201293AD4890): "
                + "The request signature we calculated does not match");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.isOutcomeUnknown()).isFalse();
    assertThat(e.withOutcomeUnknown().isOutcomeUnknown()).isTrue();
    assertThat(new MediaServiceException("qiniu", 599, "", "", "").isRetryable()).isTrue();
    assertThat(new MediaServiceException("qiniu", 429, "", "", "").isRetryable()).isTrue();
  }

  @Test
  void unsupported_namesProviderOperationAndParameter() {
    UnsupportedMediaOperationException e =
        new UnsupportedMediaOperationException(
            "qiniu", "transcode", "container", "'m3u8' is not supported");
    assertThat(e)
        .hasMessage("Provider 'qiniu' cannot express transcode.container: 'm3u8' is not supported");
    assertThat(e.parameter()).isEqualTo("container");
  }

  @Test
  void secret_neverShowsItself() {
    Secret s = Secret.of("LTAI-very-secret");
    assertThat(s.toString()).isEqualTo("****");
    assertThat(String.valueOf(s)).doesNotContain("very");
    assertThat(s.reveal()).isEqualTo("LTAI-very-secret");
    assertThat(s).isEqualTo(Secret.of("LTAI-very-secret")).isNotEqualTo(Secret.of("other"));
  }

  @Test
  void validationError_readsFieldColonProblem() {
    MediaValidationException e = new MediaValidationException("width", "must be > 0, was -1");
    assertThat(e.under("outputs[1].steps[0]"))
        .hasMessage("outputs[1].steps[0].width: must be > 0, was -1");
    assertThat(new MediaValidationException("[2]", "x").under("inputs").field())
        .isEqualTo("inputs[2]");
  }
}
