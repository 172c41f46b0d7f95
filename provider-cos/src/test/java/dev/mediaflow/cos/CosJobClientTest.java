package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job client over real HTTP (MockWebServer standing in for the CI and COS hosts, path-style as
 * for a local endpoint). Response bodies follow Tencent's examples: {@code JobsDetail} as in
 * cos-java-sdk-v5 src/test/java/com/qcloud/cos/ci/Test.java, callbacks as in {@link CosStatusTest}.
 */
class CosJobClientTest {
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

  private ProviderClient client() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-beijing");
    m.put("appId", "1250000000");
    m.put("secretId", "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q");
    m.put("secretKey", "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
    m.put("securityToken", "sts-token-1");
    m.put("endpoint", "http://127.0.0.1:" + server.getPort());
    ProviderConfig config = ProviderConfig.of("cos", m).declare(new CosProvider().settings());
    return new CosProvider()
        .create(new ProviderContext(config, new OkHttpClient(), CLOCK, RetryPolicy.none()));
  }

  private static MockResponse xml(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/xml")
        .addHeader("x-ci-request-id", "NjJiZDYwYTFf")
        .body(body)
        .build();
  }

  private static MockResponse xml(byte[] body) {
    return xml(new String(body, StandardCharsets.UTF_8));
  }

  static String created(String jobId, String tag) {
    return "<Response><JobsDetail><Code>Success</Code><Message/><JobId>"
        + jobId
        + "</JobId><State>Submitted</State><Progress>0</Progress>"
        + "<CreationTime>2022-06-27T15:23:10+0800</CreationTime><StartTime>-</StartTime><EndTime>-</EndTime>"
        + "<QueueId>p2242ab62c7c94486915508540933a2c6</QueueId><Tag>"
        + tag
        + "</Tag></JobsDetail></Response>";
  }

  static String described(String jobId, String tag, String state, String progress) {
    return "<Response><JobsDetail><Code>Success</Code><Message/><JobId>"
        + jobId
        + "</JobId><State>"
        + state
        + "</State><Progress>"
        + progress
        + "</Progress><Tag>"
        + tag
        + "</Tag></JobsDetail></Response>";
  }

  private static final Pipeline TRANSCODE =
      Pipeline.from("media", "in/a.mp4")
          .then(Transcode.builder().container(Container.MP4).build())
          .saveAs("media", "out/a.mp4")
          .build();

  @Test
  void submit_postsSignedJobXmlToTheCiHost_once() throws Exception {
    server.enqueue(xml(created("j8d121820f5e411ec926ef19d53ba9c6f", "Transcode")));
    ProviderClient client = client();

    JobId id = client.submit(TRANSCODE);

    assertThat(id.vendorIds()).containsExactly("j8d121820f5e411ec926ef19d53ba9c6f");
    assertThat(id.attributes())
        .containsEntry("b", "media")
        .containsEntry("k0", "media")
        .containsEntry("o0", "media/out/a.mp4");
    RecordedRequest got = server.takeRequest();
    assertThat(got.getMethod()).isEqualTo("POST");
    assertThat(got.getTarget()).isEqualTo("/media-1250000000/jobs");
    assertThat(got.getHeaders().get("Content-Type")).isEqualTo("application/xml");
    assertThat(got.getHeaders().get("Authorization"))
        .startsWith("q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&");
    // The CI host takes x-ci-security-token (https://cloud.tencent.com/document/api/1534/108713).
    assertThat(got.getHeaders().get("x-ci-security-token")).isEqualTo("sts-token-1");
    assertThat(got.getBody().utf8()).isEqualTo(client.render(TRANSCODE).get(0).body());
    assertThat(got.getBody().utf8())
        .contains("<Output><Region>ap-beijing</Region><Bucket>media-1250000000</Bucket>");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void render_isOneLinePerRequest_withoutSecrets() {
    List<VendorRequest> r = client().render(TRANSCODE);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).processing()).doesNotContain("\n").startsWith("<Request><Tag>Transcode");
    assertThat(r.get(0).url()).endsWith("/media-1250000000/jobs");
    assertThat(r.get(0).toString())
        .doesNotContain("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz")
        .doesNotContain("sts-token-1");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void submit_5xx_isNotRetried_andTheOutcomeIsUnknown() {
    server.enqueue(
        new MockResponse.Builder()
            .code(500)
            .body("<Error><Code>InternalError</Code><Message>oops</Message></Error>")
            .build());
    assertThatThrownBy(() -> client().submit(TRANSCODE))
        .isInstanceOfSatisfying(
            MediaServiceException.class, e -> assertThat(e.isOutcomeUnknown()).isTrue());
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void submit_2xxWithoutJobId_isAnUnknownOutcome() {
    server.enqueue(xml("<Response/>"));
    assertThatThrownBy(() -> client().submit(TRANSCODE))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.isOutcomeUnknown()).isTrue();
              assertThat(e.errorCode()).isEqualTo("BadResponse");
            });
  }

  @Test
  void submit_secondOutputRefused_namesTheJobOfTheFirst() {
    server.enqueue(xml(created("j1", "Transcode")));
    server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .body(
                "<Error><Code>InvalidArgument</Code><Message>bad</Message><RequestId>r2</RequestId></Error>")
            .build());
    Pipeline two =
        TRANSCODE.toBuilder()
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "out/cover.jpg")
            .build();
    assertThatThrownBy(() -> client().submit(two))
        .isInstanceOfSatisfying(
            MediaServiceException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("InvalidArgument");
              assertThat(e.getMessage()).contains("cos:j1?").contains("output 1 and later");
            });
  }

  @Test
  void status_readsEveryJob_andMapsPerOutputResults() throws Exception {
    server.enqueue(xml(created("j4e431ba0f86711ecb8546d80f2baf56f", "Snapshot")));
    server.enqueue(xml(created("d2", "DocProcess")));
    Pipeline p =
        Pipeline.from("test", "input/demo.mp4")
            .then(Snapshot.every(Duration.ofSeconds(2), 6))
            .saveAs("test", "output/snapshot-{index}.jpg")
            .then(DocumentConversion.to(DocumentTarget.PDF))
            .saveAs("test", "out/a.pdf")
            .build();
    ProviderClient client = clientWithAppId("123456789");
    JobId id = client.submit(p);
    server.takeRequest();
    RecordedRequest doc = server.takeRequest();
    assertThat(doc.getTarget()).isEqualTo("/test-123456789/doc_jobs");

    server.enqueue(xml(Fixtures.read("callback-snapshot-doc.xml")));
    server.enqueue(xml(described("d2", "DocProcess", "Running", "40")));
    JobStatus s = client.status(id);

    assertThat(server.takeRequest().getTarget())
        .isEqualTo("/test-123456789/jobs/j4e431ba0f86711ecb8546d80f2baf56f");
    RecordedRequest read = server.takeRequest();
    assertThat(read.getMethod()).isEqualTo("GET");
    assertThat(read.getTarget()).isEqualTo("/test-123456789/doc_jobs/d2");
    assertThat(s.state()).isEqualTo(JobState.RUNNING);
    assertThat(s.outputs().get(0).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(s.outputs().get(0).objects())
        .hasSize(6)
        .first()
        .isEqualTo(MediaObject.of("test", "output/snapshot-0.jpg"));
    assertThat(s.outputs().get(1).state()).isEqualTo(JobState.RUNNING);
    assertThat(s.progress()).hasValue(70);
  }

  @Test
  void status_failedAndSucceededOutputs_arePartial() {
    server.enqueue(xml(created("j1", "Transcode")));
    server.enqueue(xml(created("j8d121820f5e411ec926ef19d53ba9c6f", "Transcode")));
    Pipeline two =
        TRANSCODE.toBuilder()
            .then(Transcode.builder().container(Container.FLV).build())
            .saveAs("media", "out/a.flv")
            .build();
    ProviderClient client = client();
    JobId id = client.submit(two);
    server.enqueue(xml(described("j1", "Transcode", "Success", "100")));
    server.enqueue(
        xml(
            new String(Fixtures.read("describe-failed.xml"), StandardCharsets.UTF_8)
                .replace("test-123456789", "media-1250000000")));

    JobStatus s = client.status(id);

    assertThat(s.state()).isEqualTo(JobState.PARTIAL);
    assertThat(s.outputs().get(0).objects()).containsExactly(MediaObject.of("media", "out/a.mp4"));
    assertThat(s.outputs().get(1).vendorCode()).isEqualTo("InvalidParameter");
    assertThat(s.message()).contains("InvalidParameter").contains("not supported");
  }

  @Test
  void cancel_putsTheJobsThatRun() throws Exception {
    server.enqueue(xml(created("j1", "Transcode")));
    ProviderClient client = client();
    JobId id = client.submit(TRANSCODE);
    server.takeRequest();
    server.enqueue(xml(described("j1", "Transcode", "Running", "10")));
    server.enqueue(new MockResponse.Builder().code(200).build());

    client.cancel(id);

    assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getTarget()).isEqualTo("/media-1250000000/jobs/j1");
  }

  @Test
  void cancel_ofARunningDocumentJob_isRefused() {
    server.enqueue(xml(created("d1", "DocProcess")));
    ProviderClient client = client();
    JobId id =
        client.submit(
            Pipeline.from("media", "a.docx")
                .then(DocumentConversion.to(DocumentTarget.PDF))
                .saveAs("media", "a.pdf")
                .build());
    server.enqueue(xml(described("d1", "DocProcess", "Running", "10")));
    assertThatThrownBy(() -> client.cancel(id))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("document jobs");
  }

  @Test
  void imageOutput_isPicOperationsOnTheCosHost_doneOnReturn() throws Exception {
    // https://www.tencentcloud.com/zh/document/product/1045/33695:
    // UploadResult/ProcessResults/Object
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("x-cos-request-id", "NWQ3ZDk2")
            .body(
                "<UploadResult><OriginalInfo><Key>in.jpg</Key></OriginalInfo><ProcessResults><Object>"
                    + "<Key>out/t.jpg</Key><Format>jpg</Format><Width>300</Width></Object></ProcessResults></UploadResult>")
            .build());
    ProviderClient client = client();
    JobId id =
        client.submit(
            Pipeline.from("media", "in.jpg")
                .then(ImageResize.builder().width(300).build())
                .saveAs("media", "out/t.jpg")
                .build());

    RecordedRequest got = server.takeRequest();
    assertThat(got.getTarget()).isEqualTo("/media-1250000000/in.jpg?image_process");
    assertThat(got.getHeaders().get("Pic-Operations"))
        .isEqualTo(
            "{\"is_pic_info\":1,\"rules\":[{\"bucket\":\"media-1250000000\",\"fileid\":\"/out/t.jpg\","
                + "\"rule\":\"imageMogr2/thumbnail/300x\"}]}");
    assertThat(got.getHeaders().get("Authorization")).contains("pic-operations");
    assertThat(got.getHeaders().get("x-cos-security-token")).isEqualTo("sts-token-1");
    assertThat(id.vendorIds()).containsExactly("sync.NWQ3ZDk2");
    JobStatus s = client.status(id);
    assertThat(s.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(s.outputs().get(0).objects()).containsExactly(MediaObject.of("media", "out/t.jpg"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void callback_isConfirmedByGetJobs_onTheBucketItNames() throws Exception {
    ProviderClient client = client();
    server.enqueue(
        xml(
            described("j06668dc0f86811ecb90d0b03267ce0e5", "Transcode", "Success", "100")
                .replace(
                    "</Tag>",
                    "</Tag><Operation><MediaResult><OutputFile><Bucket>media-1250000000</Bucket>"
                        + "<ObjectPrefix/><ObjectName>out/a.mp4</ObjectName></OutputFile></MediaResult></Operation>")));
    byte[] body =
        new String(Fixtures.read("callback-go-sdk-example.xml"), StandardCharsets.UTF_8)
            .replace("test-123456789", "media-1250000000")
            .getBytes(StandardCharsets.UTF_8);
    InboundRequest post =
        InboundRequest.of(
            "POST", "/hooks/cos", Map.of("Content-Type", List.of("application/xml")), body);

    IntakeResult r = client.notifications().orElseThrow().receive(post);

    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).status().state()).isEqualTo(JobState.SUCCEEDED);
    // media.cos.appId is set, so the objects are named as pipelines name them.
    assertThat(r.events().get(0).status().outputs().get(0).objects())
        .containsExactly(MediaObject.of("media", "out/a.mp4"));
    assertThat(server.takeRequest().getTarget())
        .isEqualTo("/media-1250000000/jobs/j06668dc0f86811ecb90d0b03267ce0e5");
  }

  @Test
  void cosOperations_parseIsAHint_confirmReadsBack() throws Exception {
    ProviderClient client = client();
    CosOperations cos = (CosOperations) client;
    byte[] body =
        ("<Response><EventName>TaskFinish</EventName><JobsDetail><JobId>j1</JobId><State>Success</State>"
                + "<Code>Success</Code><Tag>Transcode</Tag><Input><BucketId>media-1250000000</BucketId></Input>"
                + "</JobsDetail></Response>")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(cos.parseNotification(body).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(server.getRequestCount()).isZero();

    server.enqueue(xml(described("j1", "Transcode", "Failed", "100")));
    JobStatus confirmed = cos.confirmNotification(body);
    assertThat(confirmed.state()).isEqualTo(JobState.FAILED);
    assertThat(confirmed.details()).containsEntry("verifiedBy", "read-back");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/media-1250000000/jobs/j1");
  }

  @Test
  void concatFragments_areUrlsOnTheRegionsCosHost_evenWithALocalEndpoint() {
    String body =
        client()
            .render(
                Pipeline.from("media", "in/a b.mp4")
                    .then(
                        dev.mediaflow.op.Concat.builder()
                            .inputs(List.of(MediaObject.of("media", "outro.mp4")))
                            .encoding(Transcode.builder().container(Container.MP4).build())
                            .build())
                    .saveAs("media", "out/j.mp4")
                    .build())
            .get(0)
            .body();
    assertThat(body)
        .contains(
            "<Url>https://media-1250000000.cos.ap-beijing.myqcloud.com/in/a%20b.mp4</Url>",
            "<Url>https://media-1250000000.cos.ap-beijing.myqcloud.com/outro.mp4</Url>");
  }

  @Test
  void deliveryUrls_processImagesWithTheSameRules() {
    java.net.URI url =
        client()
            .urls()
            .orElseThrow()
            .url(
                MediaObject.of("media", "photos/cat.jpg"),
                dev.mediaflow.delivery.UrlOptions.builder()
                    .process(ImageResize.builder().width(320).build())
                    .build())
            .toUri();
    assertThat(url.getRawQuery()).contains("imageMogr2%2Fthumbnail%2F320x");
    assertThat(server.getRequestCount()).isZero();
  }

  private ProviderClient clientWithAppId(String appId) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("region", "ap-chongqing");
    m.put("appId", appId);
    m.put("secretId", "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q");
    m.put("secretKey", "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz");
    m.put("endpoint", "http://127.0.0.1:" + server.getPort());
    ProviderConfig config = ProviderConfig.of("cos", m).declare(new CosProvider().settings());
    return new CosProvider()
        .create(new ProviderContext(config, new OkHttpClient(), CLOCK, RetryPolicy.none()));
  }
}
