package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.endpoint.EndpointResolver;
import com.qcloud.cos.http.HttpProtocol;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.region.Region;
import com.qcloud.cos.utils.CRC64;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.cos.FakeCosServer;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official COS Java SDK ({@code com.qcloud:cos_api}) reads back, from the fake COS, an object
 * Mediaflow uploaded in parts: the same bytes, the CRC-64 the SDK computes, a multipart ETag.
 */
class CosOfficialSdkReadsUploadTest {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDsdk", "sdkSecret").build();

  static COSClient sdk() {
    ClientConfig config = new ClientConfig(new Region(cos.region()));
    config.setHttpProtocol(HttpProtocol.http);
    config.setMaxErrorRetry(0);
    config.setEndpointResolver(
        new EndpointResolver() {
          @Override
          public String resolveGeneralApiEndpoint(String endpoint) {
            return "127.0.0.1:" + cos.port();
          }

          @Override
          public String resolveGetServiceApiEndpoint(String endpoint) {
            return "127.0.0.1:" + cos.port();
          }
        });
    return new COSClient(new BasicCOSCredentials("AKIDsdk", "sdkSecret"), config);
  }

  @Test
  void theSdkReadsAMultipartUploadAsSent() throws Exception {
    byte[] data = new byte[(5 << 20) / 2 + 123];
    new Random(5).nextBytes(data);
    UploadResult result;
    try (MediaClient media = MediaClient.create(MediaConfig.fromMap(cos.clientSettings()))) {
      result =
          media.upload(
              UploadRequest.builder(
                      UploadSource.ofBytes(data), MediaObject.of("media", "sdk/read back.bin"))
                  .partSize(1 << 20)
                  .contentType("application/octet-stream")
                  .build());
    }
    assertThat(result.parts()).isEqualTo(3);
    CRC64 crc = new CRC64();
    crc.update(data, data.length);
    String expectedCrc = Long.toUnsignedString(crc.getValue());

    COSClient client = sdk();
    try {
      String bucket = cos.storedBucket("media");
      ObjectMetadata head = client.getObjectMetadata(bucket, "sdk/read back.bin");
      assertThat(head.getContentLength()).isEqualTo(data.length);
      assertThat(head.getCrc64Ecma()).isEqualTo(expectedCrc);
      assertThat(head.getETag()).endsWith("-3");
      try (COSObject got = client.getObject(bucket, "sdk/read back.bin")) {
        assertThat(got.getObjectContent().readAllBytes()).isEqualTo(data);
      }
    } finally {
      client.shutdown();
    }
  }
}
