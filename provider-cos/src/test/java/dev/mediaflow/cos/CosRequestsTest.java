package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed requests over real HTTP, and COS's XML errors read into MediaServiceException. */
class CosRequestsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1557989151L), ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CosRequests requests(Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-beijing");
    m.put("secretId", "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q");
    m.put("secretKey", "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
    m.put("endpoint", "http://127.0.0.1:" + server.getPort());
    m.putAll(extra);
    CosSettings s =
        CosSettings.from(ProviderConfig.of("cos", m).declare(new CosProvider().settings()));
    return new CosRequests(s, CosSigner.of(s, CLOCK));
  }

  private HttpCalls calls() {
    return new HttpCalls("cos", new OkHttpClient(), RetryPolicy.none(), CosRequests::error, CLOCK);
  }

  @Test
  void request_isSignedOverThePathAndHostAsSent() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    CosRequests requests = requests(Map.of());
    byte[] body = "<Request/>".getBytes(StandardCharsets.UTF_8);

    calls()
        .read(
            requests.request(
                Service.CI, "POST", "b-1250000000", "jobs", Map.of(), body, "application/xml"));

    RecordedRequest got = server.takeRequest();
    assertThat(got.getTarget()).isEqualTo("/b-1250000000/jobs");
    assertThat(got.getHeaders().get("Content-Type")).isEqualTo("application/xml");
    assertThat(got.getHeaders().get("Content-MD5")).isEqualTo(CosRequests.contentMd5(body));
    String host = "127.0.0.1:" + server.getPort();
    Map<String, String> signed = new LinkedHashMap<>();
    signed.put("Content-Type", "application/xml");
    signed.put("Content-MD5", CosRequests.contentMd5(body));
    signed.put("Host", host);
    assertThat(got.getHeaders().get("Authorization"))
        .isEqualTo(
            CosSigner.authorization(
                "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q",
                "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz",
                "1557989151;1557992751",
                "POST",
                "/b-1250000000/jobs",
                signed,
                Map.of()));
    assertThat(got.getHeaders().get("Authorization"))
        .contains("&q-header-list=content-md5;content-type;host&");
    assertThat(got.getHeaders().get("x-ci-security-token")).isNull();
  }

  @Test
  void query_isEncodedAndSigned_keysWithoutValuesAlone() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Map<String, String> query = new LinkedHashMap<>();
    query.put("append", "");
    query.put("position", "0");

    calls()
        .read(
            requests(Map.of())
                .request(
                    Service.COS,
                    "POST",
                    "b-1250000000",
                    "dir/\u4e2d a.txt",
                    query,
                    new byte[0],
                    null));

    RecordedRequest got = server.takeRequest();
    assertThat(got.getTarget()).isEqualTo("/b-1250000000/dir/%E4%B8%AD%20a.txt?append&position=0");
    assertThat(got.getHeaders().get("Authorization"))
        .contains("&q-url-param-list=append;position&");
  }

  @Test
  void stsToken_goesInTheHeaderOfItsHost_unsigned() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    CosRequests requests = requests(Map.of("securityToken", "sts-token"));

    calls().read(requests.request(Service.COS, "HEAD", "b-1250000000", "a.txt", Map.of()));
    calls().read(requests.request(Service.CI, "GET", "b-1250000000", "jobs/j1", Map.of()));

    RecordedRequest cos = server.takeRequest();
    assertThat(cos.getHeaders().get("x-cos-security-token")).isEqualTo("sts-token");
    assertThat(cos.getHeaders().get("x-ci-security-token")).isNull();
    assertThat(cos.getHeaders().get("Authorization")).contains("q-header-list=host&");
    RecordedRequest ci = server.takeRequest();
    assertThat(ci.getHeaders().get("x-ci-security-token")).isEqualTo("sts-token");
    assertThat(ci.getHeaders().get("x-cos-security-token")).isNull();
  }

  @Test
  void xmlError_becomesMediaServiceException_withCodeAndRequestId() {
    server.enqueue(
        new MockResponse.Builder()
            .code(403)
            .addHeader("Content-Type", "application/xml")
            .addHeader("x-cos-request-id", "header-id")
            .body(
                "<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>SignatureDoesNotMatch</Code>"
                    + "<Message>The Signature you specified is invalid.</Message>"
                    + "<Resource>b-1250000000.cos.ap-beijing.myqcloud.com/a.txt</Resource>"
                    + "<RequestId>NWQ1ZjYxYzZfMjBiNDU4NjRfNjc4Nl8xYzE4****</RequestId>"
                    + "<TraceId>OGVmYzZiMmQ3YjA2OWNhODk0NTRkMTBiOWVmMDAx****</TraceId></Error>")
            .build());

    assertThatThrownBy(
            () ->
                calls()
                    .read(
                        requests(Map.of())
                            .request(Service.COS, "GET", "b-1250000000", "a.txt", Map.of())))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.providerId()).isEqualTo("cos");
              assertThat(e.httpStatus()).isEqualTo(403);
              assertThat(e.errorCode()).isEqualTo("SignatureDoesNotMatch");
              assertThat(e.requestId()).isEqualTo("NWQ1ZjYxYzZfMjBiNDU4NjRfNjc4Nl8xYzE4****");
              assertThat(e.detail()).startsWith("The Signature you specified is invalid.");
              assertThat(e.isRetryable()).isFalse();
            });
  }

  @Test
  void headWithoutBody_infersTheCode_andTakesTheRequestIdHeader() {
    server.enqueue(
        new MockResponse.Builder().code(404).addHeader("x-cos-request-id", "rid-1").build());

    assertThatThrownBy(
            () ->
                calls()
                    .read(
                        requests(Map.of())
                            .request(Service.COS, "HEAD", "b-1250000000", "missing", Map.of())))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("NoSuchKey");
              assertThat(e.requestId()).isEqualTo("rid-1");
            });
  }

  @Test
  void serverError_isRetryable() {
    server.enqueue(
        new MockResponse.Builder()
            .code(503)
            .body("<Error><Code>ServiceUnavailable</Code><Message>slow down</Message></Error>")
            .build());

    assertThatThrownBy(
            () ->
                calls()
                    .read(
                        requests(Map.of())
                            .request(Service.CI, "GET", "b-1250000000", "jobs/j1", Map.of())))
        .isInstanceOfSatisfying(
            MediaServiceException.class, e -> assertThat(e.isRetryable()).isTrue());
  }
}
