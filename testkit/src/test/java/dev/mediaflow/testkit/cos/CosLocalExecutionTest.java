package dev.mediaflow.testkit.cos;

import static dev.mediaflow.testkit.cos.CosHttp.ciHost;
import static dev.mediaflow.testkit.cos.CosHttp.cosHost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.LocalExecutor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real execution: jobs, media info and image processing of the fake COS run through the local
 * provider (FFmpeg).
 */
class CosLocalExecutionTest {
  private static final String BUCKET = "media-1250000000";

  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDlocal", "localSecret")
          .executor(new LocalExecutor(Duration.ofMinutes(2)))
          .build();

  private final CosHttp http = new CosHttp(cos, "AKIDlocal", "localSecret");

  @BeforeAll
  static void clip() {
    LocalProvider.writeSampleClip(
        MediaConfig.builder().put("media.local.root", cos.dataDir().toString()).build(),
        MediaObject.of(BUCKET, "in/clip.mp4"),
        320,
        240,
        Duration.ofSeconds(2));
  }

  private String submit(String xml) throws Exception {
    CosHttp.Answer created = http.xml("POST", ciHost(BUCKET), "/jobs", xml);
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    return created.between("<JobId>", "</JobId>");
  }

  private CosHttp.Answer await(String id) throws Exception {
    CosHttp.Answer a = null;
    for (int i = 0; i < 600; i++) {
      a = http.call("GET", ciHost(BUCKET), "/jobs/" + id, Map.of(), null);
      if (a.body().contains("<State>Success</State>")
          || a.body().contains("<State>Failed</State>")) {
        return a;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("did not end: " + a.body());
  }

  @Test
  void transcodeAndSnapshotJobs_makeRealFiles() throws Exception {
    String transcode =
        "<Request><Tag>Transcode</Tag><Input><Object>in/clip.mp4</Object></Input><Operation>"
            + "<Transcode><Container><Format>mp4</Format></Container>"
            + "<Video><Codec>H.264</Codec><Width>192</Width><Height>144</Height><Bitrate>200</Bitrate></Video>"
            + "<Audio><Codec>aac</Codec><Bitrate>64</Bitrate></Audio></Transcode>"
            + "<Output><Region>ap-guangzhou</Region><Bucket>"
            + BUCKET
            + "</Bucket><Object>out/small.mp4</Object></Output></Operation></Request>";
    String snapshot =
        "<Request><Tag>Snapshot</Tag><Input><Object>in/clip.mp4</Object></Input><Operation>"
            + "<Snapshot><Mode>Interval</Mode><Start>0</Start><TimeInterval>1</TimeInterval>"
            + "<Count>2</Count></Snapshot><Output><Region>ap-guangzhou</Region><Bucket>"
            + BUCKET
            + "</Bucket><Object>out/f-${Number}.jpg</Object></Output></Operation></Request>";
    CosHttp.Answer t = await(submit(transcode));
    CosHttp.Answer s = await(submit(snapshot));

    assertThat(t.body()).as(t.body()).contains("<State>Success</State>");
    byte[] mp4 = cos.objects().get(BUCKET, "out/small.mp4").orElseThrow();
    assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    assertThat(s.body())
        .as(s.body())
        .contains("<State>Success</State>")
        .contains("<ObjectPrefix>out/f-</ObjectPrefix><ObjectName>1.jpg</ObjectName>");
    BufferedImage frame =
        ImageIO.read(
            new ByteArrayInputStream(cos.objects().get(BUCKET, "out/f-1.jpg").orElseThrow()));
    assertThat(frame.getWidth()).isEqualTo(320);
  }

  @Test
  void videoInfo_readsTheClip_inKbpsAndSeconds() throws Exception {
    CosHttp.Answer a =
        http.call("GET", cosHost(BUCKET), "/in/clip.mp4?ci-process=videoinfo", Map.of(), null);

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.body())
        .contains("<Width>320</Width>")
        .contains("<Height>240</Height>")
        .contains("<CodecName>h264</CodecName>");
    double seconds =
        Double.parseDouble(
            a.between("<Format>", "</Format>")
                .replaceAll(".*<Duration>([^<]*)</Duration>.*", "$1"));
    assertThat(seconds).isBetween(1.9, 2.2);
  }

  @Test
  void imageProcessing_onGetAndWithPicOperations() throws Exception {
    BufferedImage img = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    cos.objects().put(BUCKET, "pics/a.png", png.toByteArray());

    try (Response r =
        http.send(
            "GET",
            cosHost(BUCKET),
            "/pics/a.png?imageMogr2/thumbnail/100x/format/jpg",
            Map.of(),
            null)) {
      assertThat(r.code()).isEqualTo(200);
      BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(r.body().bytes()));
      assertThat(thumb.getWidth()).isEqualTo(100);
      assertThat(thumb.getHeight()).isEqualTo(50);
    }
    String ops =
        "{\"is_pic_info\":1,\"rules\":[{\"fileid\":\"/thumbs/a-50.png\",\"rule\":\"imageMogr2/thumbnail/!50p\"}]}";
    CosHttp.Answer a =
        http.call(
            "POST",
            cosHost(BUCKET),
            "/pics/a.png?image_process",
            Map.of("Pic-Operations", ops),
            null);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.body())
        .contains("<Key>thumbs/a-50.png</Key>")
        .contains("<Width>200</Width>")
        .contains("<Height>100</Height>");
  }
}
