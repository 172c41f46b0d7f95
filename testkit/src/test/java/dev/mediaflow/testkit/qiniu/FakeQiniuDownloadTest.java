package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.common.QiniuException;
import com.qiniu.http.Response;
import com.qiniu.storage.BucketManager;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.DownloadUrl;
import com.qiniu.storage.Region;
import com.qiniu.storage.UploadManager;
import com.qiniu.storage.model.FileInfo;
import com.qiniu.util.Auth;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Download URLs the official {@code qiniu-java-sdk} makes ({@code Auth.privateDownloadUrl}, {@code
 * DownloadUrl} with fops, styles and attname) served by the fake as Qiniu serves them: private
 * buckets need the download token, a forged, expired or wrong-key one is refused with Qiniu's 401,
 * image fops are applied (with ImageIO here: no local provider on this class path), and objects
 * keep the MIME type they were uploaded with.
 */
class FakeQiniuDownloadTest {
  static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  @RegisterExtension
  static final FakeQiniuServer qiniu =
      FakeQiniuServer.builder()
          .credentials("sdk-ak", "sdk-sk")
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .privateBucket("secret")
          .style("secret", "thumb", "imageView2/2/w/40")
          .styleSeparators("-!")
          .build();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Auth SDK = Auth.create("sdk-ak", "sdk-sk");
  static final long DEADLINE = NOW.getEpochSecond() + 600;

  @BeforeAll
  static void images() throws IOException {
    qiniu.objects().put("secret", "dir/中文 a+b.jpg", jpeg(200, 100));
    qiniu.objects().put("open", "p.png", png(60, 30));
  }

  static byte[] jpeg(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "jpeg", out);
    return out.toByteArray();
  }

  static byte[] png(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB), "png", out);
    return out.toByteArray();
  }

  static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String domain() {
    return "127.0.0.1:" + qiniu.port() + "/dl/secret";
  }

  @Test
  void privateDownloadUrl_ofTheSdk_isServed_andAForgedOneRefused() throws Exception {
    String url = new DownloadUrl(domain(), false, "dir/中文 a+b.jpg").buildURL(SDK, DEADLINE);
    HttpResponse<byte[]> ok = get(url);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(qiniu.objects().get("secret", "dir/中文 a+b.jpg").get());
    assertThat(ok.headers().firstValue("Content-Type")).hasValue("image/jpeg");

    String unsigned = url.substring(0, url.indexOf("?e="));
    assertThat(get(unsigned).statusCode()).isEqualTo(401);
    assertThat(new String(get(unsigned).body(), StandardCharsets.UTF_8))
        .contains("download token not specified");
    HttpResponse<byte[]> tampered = get(url.replace("a%2Bb", "a%2Bc"));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(new String(tampered.body(), StandardCharsets.UTF_8))
        .contains("download token auth failed");
    String wrongKey =
        Auth.create("sdk-ak", "not-the-secret").privateDownloadUrlWithDeadline(unsigned, DEADLINE);
    assertThat(get(wrongKey).statusCode()).isEqualTo(401);
    String expired = SDK.privateDownloadUrlWithDeadline(unsigned, NOW.getEpochSecond() - 1);
    HttpResponse<byte[]> late = get(expired);
    assertThat(late.statusCode()).isEqualTo(401);
    assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("token out of date");
    assertThat(qiniu.requests()).anyMatch(l -> l.contains(" 401 download token auth failed"));
  }

  @Test
  void sdkFopAndAttname_areAppliedAndSigned() throws Exception {
    String url =
        new DownloadUrl(domain(), false, "dir/中文 a+b.jpg")
            .setFop("imageView2/2/w/50/format/png")
            .setAttname("a b.png")
            .buildURL(SDK, DEADLINE);
    HttpResponse<byte[]> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment; filename=\"a b.png\"");
    BufferedImage out = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertThat(out.getWidth()).isEqualTo(50);
    assertThat(out.getHeight()).isEqualTo(25);
  }

  @Test
  void style_isApplied_withTheBucketsSeparators() throws Exception {
    for (String sep : new String[] {"-", "!"}) {
      String url =
          new DownloadUrl(domain(), false, "dir/中文 a+b.jpg")
              .setStyle("thumb", sep, null)
              .buildURL(SDK, DEADLINE);
      HttpResponse<byte[]> r = get(url);
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(ImageIO.read(new ByteArrayInputStream(r.body())).getWidth()).isEqualTo(40);
    }
    String other =
        new DownloadUrl(domain(), false, "dir/中文 a+b.jpg")
            .setStyle("thumb", "_", null)
            .buildURL(SDK, DEADLINE);
    assertThat(get(other).statusCode()).isEqualTo(404);
  }

  @Test
  void publicBucket_servesUnsigned_andImageInfo() throws Exception {
    String base = "http://127.0.0.1:" + qiniu.port() + "/dl/open/p.png";
    assertThat(get(base).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> info = get(base + "?imageInfo");
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(new String(info.body(), StandardCharsets.UTF_8))
        .contains("\"format\":\"png\"", "\"width\":60", "\"height\":30");
    HttpResponse<byte[]> webp = get(base + "?imageView2/2/w/10/format/webp");
    assertThat(webp.statusCode()).isEqualTo(400);
    HttpResponse<byte[]> frame = get(base + "?vframe/jpg/offset/1");
    assertThat(frame.statusCode()).isEqualTo(400);
    assertThat(get(base + "?avthumb/mp4").statusCode()).isEqualTo(400);
  }

  @Test
  void uploadedMimeType_isKept_byStatAndDownloads() throws Exception {
    Configuration cfg =
        Configuration.create(
            new Region.Builder()
                .region("z0")
                .srcUpHost("127.0.0.1:" + qiniu.port())
                .accUpHost("127.0.0.1:" + qiniu.port())
                .rsHost("127.0.0.1:" + qiniu.port())
                .build());
    cfg.useHttpsDomains = false;
    String token = SDK.uploadTokenWithDeadline("open", "notes.bin", DEADLINE, null, true);
    Response put =
        new UploadManager(cfg)
            .put(
                "hello".getBytes(StandardCharsets.UTF_8),
                "notes.bin",
                token,
                null,
                "text/markdown",
                false);
    assertThat(put.statusCode).isEqualTo(200);
    try {
      FileInfo info = new BucketManager(SDK, cfg).stat("open", "notes.bin");
      assertThat(info.mimeType).isEqualTo("text/markdown");
    } catch (QiniuException e) {
      throw new AssertionError(e.response == null ? e.getMessage() : e.response.bodyString(), e);
    }
    HttpResponse<byte[]> r = get("http://127.0.0.1:" + qiniu.port() + "/dl/open/notes.bin");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/markdown");
  }
}
