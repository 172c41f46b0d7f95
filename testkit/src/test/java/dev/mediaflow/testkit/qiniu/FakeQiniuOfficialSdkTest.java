package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiniu.common.QiniuException;
import com.qiniu.processing.OperationManager;
import com.qiniu.processing.OperationStatus;
import com.qiniu.storage.BucketManager;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.Region;
import com.qiniu.storage.model.FileInfo;
import com.qiniu.util.Auth;
import com.qiniu.util.Etag;
import com.qiniu.util.StringMap;
import com.qiniu.util.UrlSafeBase64;
import dev.mediaflow.testkit.SimulatedExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official {@code qiniu-java-sdk} pointed at the fake server: its requests (Qiniu v2 signatures
 * with X-Qiniu-Date, OkHttp form bodies, signed prefop GETs) are accepted, and its parser reads the
 * answers.
 */
class FakeQiniuOfficialSdkTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("sdk-ak", "sdk-sk")
          .executor(
              SimulatedExecutor.builder()
                  .duration(Duration.ofMillis(20))
                  .failWhen(
                      cmd -> cmd.startsWith("avthumb/flv"),
                      "execute fop cmd failed: not a valid video")
                  .build())
          .build();

  OperationManager manager(String secret) {
    Configuration cfg =
        Configuration.create(
            new Region.Builder().region("z0").apiHost("127.0.0.1:" + qiniu.port()).build());
    cfg.useHttpsDomains = false;
    return new OperationManager(Auth.create("sdk-ak", secret), cfg);
  }

  static OperationStatus await(OperationManager m, String id) throws Exception {
    for (int i = 0; i < 200; i++) {
      OperationStatus s = m.prefop("media", id);
      if (s.code == 0 || s.code == 3 || s.code == 4) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job did not end");
  }

  @Test
  void officialSdk_pfopAndPrefop_workAgainstTheFake() throws Exception {
    qiniu.objects().put("media", "in key.mp4", new byte[] {1});
    OperationManager m = manager("sdk-sk");
    String fops =
        "avthumb/mp4/s/640x360/vb/1.25m|saveas/"
            + UrlSafeBase64.encodeToString("media:out key+1.mp4")
            + ";vframe/jpg/offset/7/w/480/h/360|saveas/"
            + UrlSafeBase64.encodeToString("media:f.jpg")
            + ";avthumb/flv|saveas/"
            + UrlSafeBase64.encodeToString("media:bad.flv");
    String id =
        m.pfop("media", "in key.mp4", fops, new StringMap().put("force", 1).put("pipeline", "p1"));
    assertThat(id).startsWith("z0.");
    OperationStatus s = await(m, id);
    assertThat(s.code).isEqualTo(3);
    assertThat(s.inputKey).isEqualTo("in key.mp4");
    assertThat(s.items).hasSize(3);
    assertThat(s.items[0].key).isEqualTo("out key+1.mp4");
    assertThat(s.items[0].code).isZero();
    assertThat(s.items[2].error).contains("not a valid video");
    assertThat(qiniu.objects().exists("media", "f.jpg")).isTrue();
  }

  BucketManager buckets(String secret) {
    Configuration cfg =
        Configuration.create(
            new Region.Builder().region("z0").rsHost("127.0.0.1:" + qiniu.port()).build());
    cfg.useHttpsDomains = false;
    return new BucketManager(Auth.create("sdk-ak", secret), cfg);
  }

  @Test
  void officialSdk_stat_readsTheObjectsSizeAndQetag() throws Exception {
    byte[] data = new byte[5 * 1024 * 1024 + 3]; // two 4 MiB blocks: the classic etag's 0x96 form
    new java.util.Random(3).nextBytes(data);
    qiniu.objects().put("media", "stat/key+1 x.bin", data);
    FileInfo info = buckets("sdk-sk").stat("media", "stat/key+1 x.bin");
    assertThat(info.fsize).isEqualTo(data.length);
    assertThat(info.hash).isEqualTo(Etag.data(data));
    assertThat(info.putTime).isPositive();
    assertThatThrownBy(() -> buckets("sdk-sk").stat("media", "stat/missing"))
        .isInstanceOfSatisfying(QiniuException.class, e -> assertThat(e.code()).isEqualTo(612));
    assertThatThrownBy(() -> buckets("wrong").stat("media", "stat/key+1 x.bin"))
        .isInstanceOfSatisfying(QiniuException.class, e -> assertThat(e.code()).isEqualTo(401));
  }

  @Test
  void officialSdk_withTheWrongSecret_getsBadToken() {
    assertThatThrownBy(() -> manager("wrong").pfop("media", "in key.mp4", "avinfo"))
        .isInstanceOfSatisfying(
            QiniuException.class,
            e -> {
              assertThat(e.code()).isEqualTo(401);
              assertThat(e.error()).isEqualTo("bad token");
            });
  }

  @Test
  void officialSdk_invalidFops_areRefusedAsQiniuWould() {
    assertThatThrownBy(
            () ->
                manager("sdk-sk").pfop("media", "in key.mp4", "avthumb/mp4/vb|saveas/bWVkaWE6eA=="))
        .isInstanceOfSatisfying(QiniuException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> manager("sdk-sk").prefop("media", "z0.unknown"))
        .isInstanceOfSatisfying(QiniuException.class, e -> assertThat(e.code()).isEqualTo(612));
  }
}
