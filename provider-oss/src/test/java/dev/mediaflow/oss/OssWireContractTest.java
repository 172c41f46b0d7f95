package dev.mediaflow.oss;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireContractTest;
import dev.mediaflow.tck.WireFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCK's wire contract against the fake OSS server, tracking tasks with IMM GetTask. */
class OssWireContractTest extends WireContractTest {
  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder()
          .credentials("AK", "SK")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(50))
                  .failWhen(
                      p -> p.contains("f_flv"),
                      "InvalidParameter.ResourceContent",
                      "the source is " + FAILURE_MESSAGE)
                  .build())
          .build();

  static final WireFixture FIXTURE =
      new WireFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(oss);
        }

        @Override
        public Predicate<String> submission(MediaObject source) {
          // x-oss-async-process is a POST to the source object
          return l -> l.startsWith("POST /" + source.bucket() + "/" + source.key() + "?");
        }

        @Override
        public Predicate<String> statusRead() {
          // IMM GetTask: a POST to the IMM endpoint's root, with the action in x-acs-action
          return l -> l.startsWith("POST /?");
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.oss.accessKeySecret", "not-the-secret");
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
          return "InvalidParameter.ResourceContent";
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
