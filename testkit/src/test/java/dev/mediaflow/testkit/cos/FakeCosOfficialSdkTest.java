package dev.mediaflow.testkit.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.ClientConfig;
import com.qcloud.cos.auth.BasicCOSCredentials;
import com.qcloud.cos.endpoint.EndpointResolver;
import com.qcloud.cos.endpoint.UserSpecifiedEndpointBuilder;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.http.HttpMethodName;
import com.qcloud.cos.http.HttpProtocol;
import com.qcloud.cos.model.AppendObjectRequest;
import com.qcloud.cos.model.AppendObjectResult;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.CompleteMultipartUploadRequest;
import com.qcloud.cos.model.CompleteMultipartUploadResult;
import com.qcloud.cos.model.InitiateMultipartUploadRequest;
import com.qcloud.cos.model.ObjectMetadata;
import com.qcloud.cos.model.PartETag;
import com.qcloud.cos.model.PutObjectRequest;
import com.qcloud.cos.model.PutObjectResult;
import com.qcloud.cos.model.UploadPartRequest;
import com.qcloud.cos.model.ciModel.job.DocJobObject;
import com.qcloud.cos.model.ciModel.job.DocJobRequest;
import com.qcloud.cos.model.ciModel.job.MediaJobResponse;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.job.v2.MediaJobsRequestV2;
import com.qcloud.cos.region.Region;
import com.qcloud.cos.utils.CRC64;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official COS Java SDK ({@code com.qcloud:cos_api}), unchanged, against the fake COS: its
 * requests keep their real {@code <bucket>.cos.<region>.myqcloud.com} and {@code .ci.} hosts
 * (signed) and an {@link EndpointResolver} connects them to the fake's port.
 */
class FakeCosOfficialSdkTest {
  private static final String BUCKET = "media-1250000000";
  private static final String REGION = "ap-guangzhou";

  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDexample", "exampleSecretKey").build();

  private static COSClient client;

  private static COSClient client(String secretKey) {
    ClientConfig config = new ClientConfig(new Region(REGION));
    config.setHttpProtocol(HttpProtocol.http);
    config.setCiSpecialRequest(true);
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
    return new COSClient(new BasicCOSCredentials("AKIDexample", secretKey), config);
  }

  private static synchronized COSClient client() {
    if (client == null) {
      client = client("exampleSecretKey");
    }
    return client;
  }

  @AfterAll
  static void shutdown() {
    if (client != null) {
      client.shutdown();
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static long crc64(byte[]... parts) {
    CRC64 crc = new CRC64();
    for (byte[] p : parts) {
      crc.update(p, p.length);
    }
    return crc.getValue();
  }

  @Test
  void putGetHead_sdkReadsEtagAndCrc64() throws Exception {
    byte[] data = "hello from the COS SDK".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentLength(data.length);
    meta.setContentType("text/plain");
    PutObjectResult put =
        client()
            .putObject(
                new PutObjectRequest(
                    BUCKET, "docs/hello.txt", new ByteArrayInputStream(data), meta));

    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    assertThat(put.getETag()).isEqualTo(md5);
    assertThat(put.getCrc64Ecma()).isEqualTo(Long.toUnsignedString(crc64(data)));
    assertThat(put.getRequestId()).isNotBlank();

    try (COSObject got = client().getObject(BUCKET, "docs/hello.txt")) {
      assertThat(got.getObjectContent().readAllBytes()).isEqualTo(data);
      assertThat(got.getObjectMetadata().getContentType()).isEqualTo("text/plain");
    }
    ObjectMetadata head = client().getObjectMetadata(BUCKET, "docs/hello.txt");
    assertThat(head.getContentLength()).isEqualTo(data.length);
    assertThat(head.getETag()).isEqualTo(md5);
    assertThat(head.getCrc64Ecma()).isEqualTo(Long.toUnsignedString(crc64(data)));
    assertThat(cos.objects().get(BUCKET, "docs/hello.txt")).contains(data);
  }

  @Test
  void getObject_missingKey_isNoSuchKey() {
    assertThatThrownBy(() -> client().getObject(BUCKET, "no/such.txt"))
        .isInstanceOfSatisfying(
            CosServiceException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getErrorCode()).isEqualTo("NoSuchKey");
              assertThat(e.getRequestId()).isNotBlank();
            });
  }

  @Test
  void multipart_lowLevelCalls_completeWithWholeObjectCrc64() {
    byte[] first = bytes(1024 * 1024, 1);
    byte[] second = bytes(3000, 2);
    String key = "big/parts.bin";
    String uploadId =
        client()
            .initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, key))
            .getUploadId();
    List<PartETag> etags = new ArrayList<>();
    int n = 1;
    for (byte[] part : List.of(first, second)) {
      UploadPartRequest up =
          new UploadPartRequest()
              .withBucketName(BUCKET)
              .withKey(key)
              .withUploadId(uploadId)
              .withPartNumber(n++)
              .withInputStream(new ByteArrayInputStream(part))
              .withPartSize(part.length);
      etags.add(client().uploadPart(up).getPartETag());
    }
    assertThat(cos.openUploads()).contains(uploadId);
    CompleteMultipartUploadResult done =
        client()
            .completeMultipartUpload(
                new CompleteMultipartUploadRequest(BUCKET, key, uploadId, etags));

    assertThat(done.getCrc64Ecma()).isEqualTo(Long.toUnsignedString(crc64(first, second)));
    assertThat(done.getETag()).endsWith("-2");
    assertThat(cos.openUploads()).doesNotContain(uploadId);
    byte[] stored = cos.objects().get(BUCKET, key).orElseThrow();
    assertThat(stored.length).isEqualTo(first.length + second.length);
  }

  @Test
  void append_twice_nextPositionIsTheLength() {
    byte[] a = "first;".getBytes(StandardCharsets.UTF_8);
    byte[] b = "second".getBytes(StandardCharsets.UTF_8);
    AppendObjectRequest one =
        new AppendObjectRequest(
            BUCKET, "logs/app.log", new ByteArrayInputStream(a), new ObjectMetadata());
    one.setPosition(0L);
    AppendObjectResult r1 = client().appendObject(one);
    assertThat(r1.getNextAppendPosition()).isEqualTo(a.length);

    AppendObjectRequest two =
        new AppendObjectRequest(
            BUCKET, "logs/app.log", new ByteArrayInputStream(b), new ObjectMetadata());
    two.setPosition((long) a.length);
    AppendObjectResult r2 = client().appendObject(two);
    assertThat(r2.getNextAppendPosition()).isEqualTo(a.length + b.length);
    assertThat(cos.objects().get(BUCKET, "logs/app.log"))
        .contains("first;second".getBytes(StandardCharsets.UTF_8));

    AppendObjectRequest wrong =
        new AppendObjectRequest(
            BUCKET, "logs/app.log", new ByteArrayInputStream(b), new ObjectMetadata());
    wrong.setPosition(1L);
    assertThatThrownBy(() -> client().appendObject(wrong))
        .isInstanceOfSatisfying(
            CosServiceException.class, e -> assertThat(e.getStatusCode()).isEqualTo(409));
  }

  @Test
  void presignedUrl_fetchedWithPlainOkHttp() throws Exception {
    byte[] data = "presigned body".getBytes(StandardCharsets.UTF_8);
    cos.objects().put(BUCKET, "share/a.txt", data);
    URL url =
        client()
            .generatePresignedUrl(
                BUCKET,
                "share/a.txt",
                new Date(System.currentTimeMillis() + 600_000),
                HttpMethodName.GET);
    assertThat(url.getHost()).isEqualTo(BUCKET + ".cos." + REGION + ".myqcloud.com");

    OkHttpClient http = new OkHttpClient();
    String local = "http://127.0.0.1:" + cos.port() + url.getFile();
    try (Response r =
        http.newCall(new okhttp3.Request.Builder().url(local).header("Host", url.getHost()).build())
            .execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().bytes()).isEqualTo(data);
    }
    String tampered = local.replace("share/a.txt", "share/b.txt");
    try (Response r =
        http.newCall(
                new okhttp3.Request.Builder().url(tampered).header("Host", url.getHost()).build())
            .execute()) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.body().string()).contains("<Code>SignatureDoesNotMatch</Code>");
    }
  }

  @Test
  void mediaJob_createdAndDescribedUntilSuccess() throws Exception {
    cos.objects().put(BUCKET, "video/in.mp4", bytes(2000, 3));
    MediaJobsRequest request = new MediaJobsRequest();
    request.setBucketName(BUCKET);
    request.setTag("Transcode");
    request.getInput().setObject("video/in.mp4");
    request.getOperation().getTranscode().getContainer().setFormat("mp4");
    request.getOperation().getTranscode().getVideo().setCodec("H.264");
    request.getOperation().getTranscode().getVideo().setWidth("1280");
    request.getOperation().getTranscode().getVideo().setBitrate("1000");
    request.getOperation().getTranscode().getAudio().setCodec("aac");
    request.getOperation().getTranscode().getAudio().setBitrate("128");
    request.getOperation().getOutput().setBucket(BUCKET);
    request.getOperation().getOutput().setRegion(REGION);
    request.getOperation().getOutput().setObject("video/out.mp4");

    MediaJobResponse created = client().createMediaJobs(request);
    String id = created.getJobsDetail().getJobId();
    assertThat(id).startsWith("j");
    assertThat(created.getJobsDetail().getState()).isIn("Submitted", "Running");

    MediaJobsRequest describe = new MediaJobsRequest();
    describe.setBucketName(BUCKET);
    describe.setJobId(id);
    String state = null;
    for (int i = 0; i < 100 && !"Success".equals(state); i++) {
      state = client().describeMediaJob(describe).getJobsDetail().getState();
      Thread.sleep(50);
    }
    assertThat(state).isEqualTo("Success");
    assertThat(cos.objects().exists(BUCKET, "video/out.mp4")).isTrue();
    assertThat(cos.requests()).anyMatch(l -> l.startsWith("POST /jobs 200"));
  }

  @Test
  void docJob_createdAndDescribedUntilSuccess() throws Exception {
    cos.objects().put(BUCKET, "docs/a.docx", bytes(100, 4));
    DocJobRequest request = new DocJobRequest();
    request.setBucketName(BUCKET);
    DocJobObject job = request.getDocJobObject();
    job.setTag("DocProcess");
    job.getInput().setObject("docs/a.docx");
    job.getOperation().getDocProcessObject().setTgtType("png");
    job.getOperation().getDocProcessObject().setStartPage("1");
    job.getOperation().getDocProcessObject().setEndPage("2");
    job.getOperation().getOutput().setRegion(REGION);
    job.getOperation().getOutput().setBucket(BUCKET);
    job.getOperation().getOutput().setObject("docs/out/page-${Page}.png");
    job.setCallBackFormat("json");

    String id = client().createDocProcessJobs(request).getJobsDetail().getJobId();
    DocJobRequest describe = new DocJobRequest();
    describe.setBucketName(BUCKET);
    describe.setJobId(id);
    String state = null;
    for (int i = 0; i < 100 && !"Success".equals(state); i++) {
      state = client().describeDocProcessJob(describe).getJobsDetail().getState();
      Thread.sleep(50);
    }
    assertThat(state).isEqualTo("Success");
    assertThat(cos.objects().exists(BUCKET, "docs/out/page-1.png")).isTrue();
  }

  @Test
  void animationJobV2_createdAndDescribed() throws Exception {
    cos.objects().put(BUCKET, "video/anim.mp4", bytes(100, 5));
    MediaJobsRequestV2 request = new MediaJobsRequestV2();
    request.setBucketName(BUCKET);
    request.setTag("Animation");
    request.getInput().setObject("video/anim.mp4");
    request.getOperation().getMediaAnimation().getContainer().setFormat("gif");
    request.getOperation().getMediaAnimation().getVideo().setCodec("gif");
    request.getOperation().getMediaAnimation().getVideo().setWidth("320");
    request.getOperation().getMediaAnimation().getVideo().setFps("10");
    request.getOperation().getMediaAnimation().getTimeInterval().setStart("0");
    request.getOperation().getMediaAnimation().getTimeInterval().setDuration("5");
    request.getOperation().getOutput().setRegion(REGION);
    request.getOperation().getOutput().setBucket(BUCKET);
    request.getOperation().getOutput().setObject("video/anim.gif");

    String id = client().createMediaJobsV2(request).getJobsDetail().getJobId();
    MediaJobsRequestV2 describe = new MediaJobsRequestV2();
    describe.setBucketName(BUCKET);
    describe.setJobId(id);
    String state = null;
    for (int i = 0; i < 100 && !"Success".equals(state); i++) {
      state = client().describeMediaJobV2(describe).getJobsDetail().getState();
      Thread.sleep(50);
    }
    assertThat(state).isEqualTo("Success");
    assertThat(cos.objects().exists(BUCKET, "video/anim.gif")).isTrue();
  }

  @Test
  void userSpecifiedEndpoint_hostWithoutBucket_servesTheDefaultBucket() throws Exception {
    try (FakeCosServer plain =
        FakeCosServer.builder()
            .credentials("AKIDexample", "exampleSecretKey")
            .defaultBucket(BUCKET)
            .build()
            .start()) {
      ClientConfig config = new ClientConfig(new Region(REGION));
      config.setHttpProtocol(HttpProtocol.http);
      config.setCiSpecialRequest(true);
      config.setEndpointBuilder(
          new UserSpecifiedEndpointBuilder(
              "127.0.0.1:" + plain.port(), "127.0.0.1:" + plain.port()));
      COSClient c =
          new COSClient(new BasicCOSCredentials("AKIDexample", "exampleSecretKey"), config);
      try {
        byte[] data = "via 127.0.0.1".getBytes(StandardCharsets.UTF_8);
        ObjectMetadata meta = new ObjectMetadata();
        meta.setContentLength(data.length);
        c.putObject(new PutObjectRequest(BUCKET, "u/a.txt", new ByteArrayInputStream(data), meta));
        assertThat(plain.objects().get(BUCKET, "u/a.txt")).contains(data);

        plain.objects().put(BUCKET, "u/in.mp4", bytes(100, 6));
        MediaJobsRequest request = new MediaJobsRequest();
        request.setBucketName(BUCKET);
        request.setTag("Transcode");
        request.getInput().setObject("u/in.mp4");
        request.getOperation().getTranscode().getContainer().setFormat("mp4");
        request.getOperation().getOutput().setBucket(BUCKET);
        request.getOperation().getOutput().setRegion(REGION);
        request.getOperation().getOutput().setObject("u/out.mp4");
        String id = c.createMediaJobs(request).getJobsDetail().getJobId();
        MediaJobsRequest describe = new MediaJobsRequest();
        describe.setBucketName(BUCKET);
        describe.setJobId(id);
        String state = null;
        for (int i = 0; i < 100 && !"Success".equals(state); i++) {
          state = c.describeMediaJob(describe).getJobsDetail().getState();
          Thread.sleep(50);
        }
        assertThat(state).isEqualTo("Success");
      } finally {
        c.shutdown();
      }
    }
  }

  @Test
  void wrongSecret_isSignatureDoesNotMatch() {
    COSClient wrong = client("not-the-secret");
    try {
      assertThatThrownBy(() -> wrong.getObjectMetadata(BUCKET, "docs/hello.txt"))
          .isInstanceOf(CosServiceException.class);
      assertThatThrownBy(() -> wrong.getObject(BUCKET, "docs/hello.txt"))
          .isInstanceOfSatisfying(
              CosServiceException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(403);
                assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
              });
    } finally {
      wrong.shutdown();
    }
  }
}
