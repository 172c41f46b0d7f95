package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.AsyncProcessObjectRequest;
import com.aliyun.oss.model.AsyncProcessObjectResult;
import com.aliyun.oss.model.GenericResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ProcessObjectRequest;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official Java SDK ({@code com.aliyun.oss:aliyun-sdk-oss}) against the fake server, with V1
 * and V4: its requests must pass the fake's signature checks, and what it submits must be trackable
 * by Mediaflow.
 */
class FakeOssOfficialSdkTest {
  @RegisterExtension
  static final FakeOssServer oss =
      FakeOssServer.builder().credentials("LTAI-test", "secret-test").build();

  static OSS sdk(SignVersion version, String secret) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    conf.setMaxErrorRetry(0);
    return OSSClientBuilder.create()
        .endpoint(oss.baseUrl())
        .region("cn-hangzhou")
        .credentialsProvider(new DefaultCredentialProvider("LTAI-test", secret))
        .clientConfiguration(conf)
        .build();
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(
      value = SignVersion.class,
      names = {"V1", "V4"})
  void objectsAndProcessing_fromTheOfficialSdk(SignVersion version) throws Exception {
    OSS client = sdk(version, "secret-test");
    try {
      String key = "sdk/" + version + "/in put+1.mp4";
      client.putObject(
          "media", key, new ByteArrayInputStream("video".getBytes(StandardCharsets.UTF_8)));
      try (OSSObject o = client.getObject("media", key)) {
        assertThat(o.getObjectContent().readAllBytes())
            .isEqualTo("video".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(client.getObjectMetadata("media", key).getContentLength()).isEqualTo(5);

      AsyncProcessObjectResult r =
          client.asyncProcessObject(
              new AsyncProcessObjectRequest(
                  "media",
                  key,
                  "video/convert,f_mp4,vcodec_h264,s_1280x720,sn_1|sys/saveas,b_"
                      + b64("media")
                      + ",o_"
                      + b64("sdk/" + version + "/out.mp4")));
      assertThat(r.getTaskId()).startsWith("MediaConvert-");
      assertThat(r.getEventId()).isNotEmpty();

      Map<String, String> settings = new java.util.HashMap<>(oss.clientSettings(true));
      settings.put("media.oss.accessKeyId", "LTAI-test");
      settings.put("media.oss.accessKeySecret", "secret-test");
      try (MediaClient media = MediaClient.create(MediaConfig.fromMap(settings))) {
        assertThat(media.job(JobId.of("oss", r.getTaskId())).await(Duration.ofSeconds(20)).state())
            .isEqualTo(JobState.SUCCEEDED);
      }
      assertThat(oss.objects().exists("media", "sdk/" + version + "/out.mp4")).isTrue();

      client.putObject("media", "sdk/img.jpg", new ByteArrayInputStream(new byte[] {1, 2, 3}));
      GenericResult sync =
          client.processObject(
              new ProcessObjectRequest(
                  "media",
                  "sdk/img.jpg",
                  "image/resize,m_lfit,w_100|sys/saveas,o_"
                      + b64("sdk/" + version + "/small.jpg")));
      assertThat(new String(sync.getResponse().getContent().readAllBytes(), StandardCharsets.UTF_8))
          .contains("\"status\":\"OK\"");
      assertThat(oss.objects().exists("media", "sdk/" + version + "/small.jpg")).isTrue();

      client.deleteObject("media", key);
      assertThat(oss.objects().exists("media", key)).isFalse();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void rangedGets_fromTheOfficialSdk_getThePartAsked_orTheWholeObject() throws Exception {
    OSS client = sdk(SignVersion.V4, "secret-test");
    try {
      byte[] bytes = "0123456789".getBytes(StandardCharsets.UTF_8);
      client.putObject("media", "sdk/range.bin", new ByteArrayInputStream(bytes));
      GetObjectRequest part = new GetObjectRequest("media", "sdk/range.bin");
      part.setRange(2, 5);
      try (OSSObject o = client.getObject(part)) {
        assertThat(new String(o.getObjectContent().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("2345");
        assertThat(o.getResponse().getStatusCode()).isEqualTo(206);
        assertThat(o.getResponse().getHeaders()).containsEntry("Content-Range", "bytes 2-5/10");
      }
      GetObjectRequest tail = new GetObjectRequest("media", "sdk/range.bin");
      tail.setRange(-1, 3); // the SDK's way of asking the last 3 bytes
      try (OSSObject o = client.getObject(tail)) {
        assertThat(new String(o.getObjectContent().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("789");
      }
      GetObjectRequest past = new GetObjectRequest("media", "sdk/range.bin");
      past.setRange(20, 30); // OSS answers a range it cannot satisfy with the whole object
      try (OSSObject o = client.getObject(past)) {
        assertThat(o.getObjectContent().readAllBytes()).isEqualTo(bytes);
        assertThat(o.getResponse().getStatusCode()).isEqualTo(200);
      }
    } finally {
      client.shutdown();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SignVersion.class,
      names = {"V1", "V4"})
  void wrongSecret_isSignatureDoesNotMatch_asTheSdkReadsIt(SignVersion version) {
    OSS client = sdk(version, "wrong");
    try {
      assertThatThrownBy(
              () -> client.putObject("media", "x", new ByteArrayInputStream(new byte[1])))
          .isInstanceOfSatisfying(
              OSSException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e.getRequestId()).isNotEmpty();
                assertThat(e.getRawResponseError()).contains("<StringToSign>");
              });
    } finally {
      client.shutdown();
    }
  }
}
