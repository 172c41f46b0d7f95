package dev.mediaflow.cos;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.tck.ConformanceFixture;
import dev.mediaflow.tck.ConformanceSuite;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.cos.FakeCosServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on COS, against the fake COS running Cloud Infinite jobs for real through
 * FFmpeg; notifications are the job's CallBack URL, which the fake posts the job's end to.
 */
class CosConformanceTest extends ConformanceSuite {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDtest", "secret")
          .executor(new LocalExecutor(Duration.ofMinutes(2)))
          .build();

  static final ConformanceFixture FIXTURE =
      new ConformanceFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(cos);
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.cos.secretKey", "not-the-secret");
        }

        @Override
        public void writeClip(MediaObject object, int width, int height, Duration duration) {
          LocalProvider.writeSampleClip(
              MediaConfig.builder().put("media.local.root", cos.dataDir().toString()).build(),
              MediaObject.of(cos.storedBucket(object.bucket()), object.key()),
              width,
              height,
              duration);
        }

        @Override
        public Optional<Notify> notifyAt(String url) {
          return Optional.of(Notify.url(url));
        }
      };

  @Override
  protected ConformanceFixture fixture() {
    return FIXTURE;
  }
}
