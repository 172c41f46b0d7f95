package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.processing.OperationManager;
import com.qiniu.processing.OperationStatus;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.Region;
import com.qiniu.util.Auth;
import com.qiniu.util.UrlSafeBase64;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.LocalExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real execution: the official SDK submits fops, and FFmpeg (through the local provider) makes the
 * files.
 */
class QiniuLocalExecutionTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("AK", "SK")
          .executor(new LocalExecutor(Duration.ofMinutes(2)))
          .build();

  @Test
  void fopsRunForReal() throws Exception {
    LocalProvider.writeSampleClip(
        MediaConfig.builder().put("media.local.root", qiniu.dataDir().toString()).build(),
        MediaObject.of("media", "in/clip.mp4"),
        320,
        240,
        Duration.ofSeconds(2));
    Configuration cfg =
        Configuration.create(
            new Region.Builder().region("z0").apiHost("127.0.0.1:" + qiniu.port()).build());
    cfg.useHttpsDomains = false;
    OperationManager m = new OperationManager(Auth.create("AK", "SK"), cfg);
    String fops =
        "avthumb/mp4/vcodec/libx264/s/160x120/vb/200k|saveas/"
            + UrlSafeBase64.encodeToString("media:out/small.mp4")
            + ";vframe/jpg/offset/1/w/160/h/120|saveas/"
            + UrlSafeBase64.encodeToString("media:out/f.jpg")
            + ";avthumb/mp3/ab/64k/vn/1|saveas/"
            + UrlSafeBase64.encodeToString("media:out/a.mp3")
            + ";avthumb/mp4/vcodec/libtheora|saveas/"
            + UrlSafeBase64.encodeToString("media:out/bad.mp4");
    String id = m.pfop("media", "in/clip.mp4", fops);
    OperationStatus s = FakeQiniuOfficialSdkTest.await(m, id);
    assertThat(s.items[0].code).as(s.items[0].error).isZero();
    assertThat(s.items[1].code).as(s.items[1].error).isZero();
    assertThat(s.items[2].code).as(s.items[2].error).isZero();
    byte[] mp4 = qiniu.objects().get("media", "out/small.mp4").orElseThrow();
    assertThat(new String(mp4, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    byte[] jpg = qiniu.objects().get("media", "out/f.jpg").orElseThrow();
    assertThat(jpg[0] & 0xff).isEqualTo(0xFF);
    assertThat(jpg[1] & 0xff).isEqualTo(0xD8);
    assertThat(qiniu.objects().get("media", "out/a.mp3").orElseThrow().length).isGreaterThan(1000);
    assertThat(s.items[3].code).isEqualTo(3);
    assertThat(s.items[3].error).contains("libtheora");
    assertThat(s.code).isEqualTo(3);
  }
}
