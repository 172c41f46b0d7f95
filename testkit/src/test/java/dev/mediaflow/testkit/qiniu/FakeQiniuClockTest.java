package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.processing.OperationManager;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.Region;
import com.qiniu.util.Auth;
import com.qiniu.util.UrlSafeBase64;
import dev.mediaflow.testkit.SimulatedExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A test moves the fake's clock, and prefop shows the job waiting, running, then done, without
 * waiting itself.
 */
class FakeQiniuClockTest {
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final MovableClock clock = new MovableClock();

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .clock(clock)
          .queueDelay(Duration.ofMinutes(2))
          .executor(SimulatedExecutor.builder().duration(Duration.ofMinutes(5)).build())
          .build();

  @Test
  void jobs_followTheServersClock() throws Exception {
    qiniu.objects().put("media", "in.mp4", new byte[] {1});
    Configuration cfg =
        Configuration.create(
            new Region.Builder().region("z0").apiHost("127.0.0.1:" + qiniu.port()).build());
    cfg.useHttpsDomains = false;
    OperationManager m = new OperationManager(Auth.create("AK", "SK"), cfg);
    String id =
        m.pfop(
            "media",
            "in.mp4",
            "avthumb/mp4|saveas/" + UrlSafeBase64.encodeToString("media:out.mp4"));

    assertThat(m.prefop("media", id).code).isEqualTo(1);
    clock.advance(Duration.ofMinutes(2));
    assertThat(m.prefop("media", id).code).isEqualTo(2);
    assertThat(qiniu.objects().exists("media", "out.mp4")).isFalse();
    clock.advance(
        Duration.ofMinutes(5)); // 7 minutes in all: within the 15 minutes X-Qiniu-Date may be off
    assertThat(m.prefop("media", id).code).isZero();
    assertThat(m.prefop("media", id).items[0].key).isEqualTo("out.mp4");
    assertThat(qiniu.objects().exists("media", "out.mp4")).isTrue();
  }
}
