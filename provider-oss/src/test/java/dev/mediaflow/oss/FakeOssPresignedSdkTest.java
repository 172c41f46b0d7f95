package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.util.Date;
import javax.imageio.ImageIO;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * URLs the official Java SDK ({@code aliyun-sdk-oss}) presigns, with a process and response
 * overrides, are served by the fake OSS as OSS serves them: processed, with the overrides, and
 * refused once expired.
 */
class FakeOssPresignedSdkTest {
  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder().credentials("LTAI-test", "secret-test").build();

  @ParameterizedTest
  @EnumSource(
      value = SignVersion.class,
      names = {"V1", "V4"})
  void sdkPresignedProcessUrls_areServed(SignVersion version) throws Exception {
    BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpg);
    String key = "sdk/" + version + "/\u4e2d\u6587 a+b.jpg";
    oss.objects().put("media", key, jpg.toByteArray());

    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    OSS sdk =
        OSSClientBuilder.create()
            .endpoint(oss.baseUrl())
            .region("cn-hangzhou")
            .credentialsProvider(new DefaultCredentialProvider("LTAI-test", "secret-test"))
            .clientConfiguration(conf)
            .build();
    OkHttpClient http = new OkHttpClient();
    try {
      GeneratePresignedUrlRequest req =
          new GeneratePresignedUrlRequest("media", key, HttpMethod.GET);
      req.setExpiration(new Date(System.currentTimeMillis() + 600_000));
      req.setProcess("image/resize,m_fixed,w_100,h_50/format,png");
      ResponseHeaderOverrides o = new ResponseHeaderOverrides();
      o.setContentDisposition("attachment; filename=\"small.png\"");
      req.setResponseHeaders(o);
      URL url = sdk.generatePresignedUrl(req);
      try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
        byte[] body = r.body().bytes();
        assertThat(r.code()).as(new String(body)).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("image/png");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"small.png\"");
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(body));
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(50);
      }

      req.setExpiration(new Date(System.currentTimeMillis() - 120_000));
      if (version == SignVersion.V1) {
        try (Response r =
            http.newCall(new Request.Builder().url(sdk.generatePresignedUrl(req)).build())
                .execute()) {
          assertThat(r.code()).isEqualTo(403);
          assertThat(r.body().string()).contains("Request has expired.");
        }
      }
    } finally {
      sdk.shutdown();
    }
  }
}
