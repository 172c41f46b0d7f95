package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Crc64;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.RetryPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PUT, HEAD, GET and DELETE Object over real HTTP, signatures checked with the official SDK. */
class CosObjectsTest {
  final MockWebServer server = new MockWebServer();
  final CosWire cos = new CosWire("AKIDobjects", "objects-secret");
  CosObjects objects;

  @BeforeEach
  void setUp() throws IOException {
    server.setDispatcher(cos);
    server.start();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-shanghai");
    m.put("appId", "1250000000");
    m.put("secretId", "AKIDobjects");
    m.put("secretKey", "objects-secret");
    m.put("endpoint", "http://127.0.0.1:" + server.getPort());
    CosSettings s =
        CosSettings.from(ProviderConfig.of("cos", m).declare(new CosProvider().settings()));
    CosRequests requests = new CosRequests(s, CosSigner.of(s, Clock.systemUTC()));
    objects =
        new CosObjects(
            requests,
            new HttpCalls(
                "cos",
                new OkHttpClient(),
                RetryPolicy.none(),
                CosRequests::error,
                Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    server.close();
    assertThat(cos.signatureErrors).isEmpty();
  }

  @Test
  void put_head_get_delete_roundTrip() {
    MediaObject o = MediaObject.of("media", "dir/\u4e2d\u6587 name+1.txt");
    byte[] data = "hello cos".getBytes(StandardCharsets.UTF_8);

    assertThat(objects.put(o, data, "text/plain")).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
    assertThat(cos.requests)
        .containsExactly("PUT /media-1250000000/dir/%E4%B8%AD%E6%96%87%20name%2B1.txt");

    CosObjects.Head head = objects.head(o).orElseThrow();
    assertThat(head.etag()).isEqualTo(CosWire.etag(data));
    assertThat(head.crc64()).isEqualTo(Long.toUnsignedString(Crc64.of(data)));
    assertThat(objects.get(o)).isEqualTo(data);

    objects.delete(o);
    assertThat(objects.head(o)).isEmpty();
    objects.delete(o);
  }

  @Test
  void get_withAWrongCrc_isAnIntegrityError() {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(mockwebserver3.RecordedRequest r) {
            return new MockResponse.Builder()
                .addHeader(CosObjects.CRC_HEADER, "1")
                .body("tampered")
                .build();
          }
        });
    assertThatThrownBy(() -> objects.get(MediaObject.of("media", "a.txt")))
        .isInstanceOf(MediaIntegrityException.class);
  }

  @Test
  void missingObject_isANoSuchKeyServiceError() {
    assertThatThrownBy(() -> objects.get(MediaObject.of("media", "missing.txt")))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo("NoSuchKey");
              assertThat(e.requestId()).isEqualTo("req-NoSuchKey");
            });
  }

  @Test
  void dotSegments_areRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> objects.head(MediaObject.of("media", "a/../b.txt")))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("'..'");
    assertThat(cos.requests).isEmpty();
  }
}
