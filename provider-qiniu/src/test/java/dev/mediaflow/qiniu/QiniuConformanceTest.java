package dev.mediaflow.qiniu;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.tck.ConformanceFixture;
import dev.mediaflow.tck.ConformanceSuite;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on Qiniu, against the fake Qiniu running fops for real through FFmpeg, with
 * a private bucket; notifications are Qiniu's signed POSTs to the pipeline's notify URL.
 */
class QiniuConformanceTest extends ConformanceSuite {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .privateBucket("media")
          .executor(new LocalExecutor(Duration.ofMinutes(2)))
          .build();

  static final ConformanceFixture FIXTURE =
      new ConformanceFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(qiniu);
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.qiniu.secretKey", "not-the-secret");
        }

        @Override
        public void writeClip(MediaObject object, int width, int height, Duration duration) {
          LocalProvider.writeSampleClip(
              MediaConfig.builder().put("media.local.root", qiniu.dataDir().toString()).build(),
              object,
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
