package dev.mediaflow.cos;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireContractTest;
import dev.mediaflow.tck.WireFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.cos.FakeCosServer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TCK's wire contract against the fake COS server: media jobs created by {@code POST /jobs} on
 * the bucket's Cloud Infinite host and read by {@code GET /jobs/<id>}.
 */
class CosWireContractTest extends WireContractTest {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDtest", "secret")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(50))
                  .failWhen(
                      command -> command.contains("<Format>flv</Format>"),
                      "InvalidParameter",
                      "the source is " + FAILURE_MESSAGE)
                  .build())
          .build();

  static final WireFixture FIXTURE =
      new WireFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(cos);
        }

        @Override
        public Predicate<String> submission(MediaObject source) {
          // path-style on the loopback endpoint: POST /<name-APPID>/jobs
          return l -> l.startsWith("POST /" + cos.storedBucket(source.bucket()) + "/jobs");
        }

        @Override
        public Predicate<String> statusRead() {
          return l -> l.startsWith("GET /") && l.contains("/jobs/");
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.cos.secretKey", "not-the-secret");
        }

        @Override
        public int badSignatureStatus() {
          return 403;
        }

        @Override
        public String badSignatureCode() {
          return "SignatureDoesNotMatch";
        }

        @Override
        public String failedOutputCode() {
          return "InvalidParameter";
        }

        @Override
        public String serverErrorCode() {
          return "InternalError";
        }
      };

  @Override
  protected WireFixture fixture() {
    return FIXTURE;
  }
}
