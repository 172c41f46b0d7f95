package dev.mediaflow.qiniu;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireContractTest;
import dev.mediaflow.tck.WireFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCK's wire contract against the fake Qiniu server (pfop, prefop). */
class QiniuWireContractTest extends WireContractTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(50))
                  .failWhen(
                      cmd -> cmd.startsWith("avthumb/flv"),
                      "execute fop cmd failed: " + FAILURE_MESSAGE)
                  .build())
          .build();

  static final WireFixture FIXTURE =
      new WireFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(qiniu);
        }

        @Override
        public Predicate<String> submission(MediaObject source) {
          return l -> l.startsWith("POST /pfop");
        }

        @Override
        public Predicate<String> statusRead() {
          return l -> l.contains(" /status/get/prefop");
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.qiniu.secretKey", "not-the-secret-key");
        }

        @Override
        public int badSignatureStatus() {
          return 401;
        }

        @Override
        public String badSignatureCode() {
          return "BadToken";
        }

        @Override
        public String failedOutputCode() {
          return "3"; // prefop's code of a failed fop
        }

        @Override
        public String serverErrorCode() {
          return "500"; // Qiniu names no code for a 500; the status stands for it
        }
      };

  @Override
  protected WireFixture fixture() {
    return FIXTURE;
  }
}
