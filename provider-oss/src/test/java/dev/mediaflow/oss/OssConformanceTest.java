package dev.mediaflow.oss;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.tck.ConformanceFixture;
import dev.mediaflow.tck.ConformanceSuite;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite on OSS, against the fake OSS running styles for real through FFmpeg;
 * notifications are MNS pushes to a topic the fake delivers to the suite's receiver.
 */
class OssConformanceTest extends ConformanceSuite {
  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder()
          .credentials("AK", "SK")
          .executor(new LocalExecutor(Duration.ofMinutes(2)))
          .build();

  static final AtomicInteger TOPICS = new AtomicInteger();

  static final ConformanceFixture FIXTURE =
      new ConformanceFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(oss);
        }

        @Override
        public Map<String, String> wrongSecret() {
          return Map.of("media.oss.accessKeySecret", "not-the-secret");
        }

        @Override
        public void writeClip(MediaObject object, int width, int height, Duration duration) {
          LocalProvider.writeSampleClip(
              MediaConfig.builder().put("media.local.root", oss.dataDir().toString()).build(),
              object,
              width,
              height,
              duration);
        }

        @Override
        public Optional<Notify> notifyAt(String url) {
          String topic = "conformance-" + TOPICS.incrementAndGet();
          oss.subscribe(topic, url);
          return Optional.of(Notify.topic(topic));
        }
      };

  @Override
  protected ConformanceFixture fixture() {
    return FIXTURE;
  }
}
