package dev.mediaflow.testkit.cos;

import static dev.mediaflow.testkit.cos.CosHttp.ciHost;
import static dev.mediaflow.testkit.cos.CosHttp.cosHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.qcloud.cos.auth.COSSigner;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.testkit.Fault;
import dev.mediaflow.testkit.SimulatedExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake COS on the wire: job XML, states, callbacks, errors, tokens, CORS, faults. */
class FakeCosWireTest {
  private static final String BUCKET = "media-1250000000";
  private static final String TRANSCODE =
      "<Request><Tag>Transcode</Tag><Input><Object>in/a.mp4</Object></Input><Operation>"
          + "<Transcode><Container><Format>mp4</Format></Container>"
          + "<Video><Codec>H.264</Codec><Width>1280</Width><Bitrate>1000</Bitrate></Video>"
          + "<Audio><Codec>aac</Codec><Bitrate>128</Bitrate></Audio>"
          + "<TimeInterval><Start>0</Start><Duration>60.5</Duration></TimeInterval></Transcode>"
          + "<Output><Region>ap-guangzhou</Region><Bucket>"
          + BUCKET
          + "</Bucket><Object>out/a.mp4</Object></Output></Operation>%s</Request>";

  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDwire", "wireSecret")
          .temporaryCredentials("AKIDtmp", "tmpSecret", "session-token-1")
          .executor(
              SimulatedExecutor.builder()
                  .failMatching("<Format>flv</Format>", "the source is not a valid video")
                  .build())
          .build();

  private final CosHttp http = new CosHttp(cos, "AKIDwire", "wireSecret");

  private String submit(String host, String target, String xml) throws Exception {
    CosHttp.Answer a = http.xml("POST", host, target, xml);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.between("<JobId>", "</JobId>");
  }

  private CosHttp.Answer await(String host, String path, String state) throws Exception {
    CosHttp.Answer a = null;
    for (int i = 0; i < 200; i++) {
      a = http.call("GET", host, path, Map.of(), null);
      if (a.body().contains("<State>" + state + "</State>")) {
        return a;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never " + state + ": " + a.body());
  }

  @Test
  void transcodeJob_submittedThenSuccess_withOutputAndEchoedOperation() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1, 2, 3});
    CosHttp.Answer created =
        http.xml("POST", ciHost(BUCKET), "/jobs", String.format(TRANSCODE, ""));

    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body())
        .contains("<State>Submitted</State>")
        .contains("<Tag>Transcode</Tag>");
    assertThat(created.headers().names()).contains("x-cos-request-id");
    String id = created.between("<JobId>", "</JobId>");
    CosHttp.Answer done = await(ciHost(BUCKET), "/jobs/" + id, "Success");
    assertThat(done.body())
        .contains("<Code>Success</Code>")
        .contains("<Bitrate>1000</Bitrate>")
        .contains("<MediaResult><OutputFile><Bucket>" + BUCKET + "</Bucket>")
        .contains("<ObjectName>out/a.mp4</ObjectName>")
        .matches(
            "(?s).*<CreationTime>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0800</CreationTime>.*");
    assertThat(cos.objects().exists(BUCKET, "out/a.mp4")).isTrue();
  }

  @Test
  void pathStyle_jobsUnderTheBucket_reachCloudInfinite() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
    String host = "127.0.0.1:" + cos.port();
    String id = submit(host, "/" + BUCKET + "/jobs", String.format(TRANSCODE, ""));
    await(host, "/" + BUCKET + "/jobs/" + id, "Success");
  }

  @Test
  void failedJob_reportsFailedWithCodeAndMessage() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
    String xml =
        String.format(TRANSCODE, "").replace("<Format>mp4</Format>", "<Format>flv</Format>");
    String id = submit(ciHost(BUCKET), "/jobs", xml);
    CosHttp.Answer a = await(ciHost(BUCKET), "/jobs/" + id, "Failed");
    assertThat(a.body()).contains("<Message>the source is not a valid video</Message>");
    assertThat(a.body()).doesNotContain("<MediaResult>");
  }

  @Test
  void snapshotJob_numberedOutputs() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
    String xml =
        "<Request><Tag>Snapshot</Tag><Input><Object>in/a.mp4</Object></Input><Operation>"
            + "<Output><Region>ap-guangzhou</Region><Object>snap/s-${Number}.jpg</Object><Bucket>"
            + BUCKET
            + "</Bucket></Output><Snapshot><Mode>Interval</Mode><Count>3</Count><Start>5</Start>"
            + "<TimeInterval>10</TimeInterval><Width>640</Width></Snapshot></Operation></Request>";
    String id = submit(ciHost(BUCKET), "/jobs", xml);
    CosHttp.Answer a = await(ciHost(BUCKET), "/jobs/" + id, "Success");
    assertThat(a.body())
        .contains("<ObjectPrefix>snap/s-</ObjectPrefix>")
        .contains("<ObjectName>1.jpg</ObjectName>");
    assertThat(cos.objects().exists(BUCKET, "snap/s-3.jpg")).isTrue();
  }

  @Test
  void callbacks_xmlAndJson_postedWhenTheJobEnds() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/",
        ex -> {
          received.add(
              ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    hook.start();
    try {
      String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/cb";
      submit(ciHost(BUCKET), "/jobs", String.format(TRANSCODE, "<CallBack>" + url + "</CallBack>"));
      submit(
          ciHost(BUCKET),
          "/jobs",
          String.format(
              TRANSCODE, "<CallBack>" + url + "</CallBack><CallBackFormat>JSON</CallBackFormat>"));
      for (int i = 0; i < 200 && (received.size() < 2 || cos.callbackAnswers().size() < 2); i++) {
        Thread.sleep(20);
      }
    } finally {
      hook.stop(0);
    }
    assertThat(received).hasSize(2);
    assertThat(received)
        .anySatisfy(
            b ->
                assertThat(b)
                    .startsWith("application/xml")
                    .contains("<EventName>TaskFinish</EventName>")
                    .contains("<State>Success</State>"));
    assertThat(received)
        .anySatisfy(
            b ->
                assertThat(b)
                    .startsWith("application/json")
                    .contains("\"EventName\":\"TaskFinish\"")
                    .contains("\"State\":\"Success\""));
    assertThat(cos.callbackAnswers()).containsExactly(200, 200);
  }

  @Test
  void cancel_whileSubmitted_endsInCancel() throws Exception {
    try (FakeCosServer slow =
        FakeCosServer.builder()
            .credentials("AKIDwire", "wireSecret")
            .queueDelay(java.time.Duration.ofHours(1))
            .build()
            .start()) {
      CosHttp h = new CosHttp(slow, "AKIDwire", "wireSecret");
      slow.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
      CosHttp.Answer created = h.xml("POST", ciHost(BUCKET), "/jobs", String.format(TRANSCODE, ""));
      String id = created.between("<JobId>", "</JobId>");
      CosHttp.Answer cancelled = h.call("PUT", ciHost(BUCKET), "/jobs/" + id, Map.of(), null);
      assertThat(cancelled.status()).isEqualTo(200);
      assertThat(h.call("GET", ciHost(BUCKET), "/jobs/" + id, Map.of(), null).body())
          .contains("<State>Cancel</State>");
      CosHttp.Answer list =
          h.call("GET", ciHost(BUCKET), "/jobs?tag=Transcode&states=Cancel", Map.of(), null);
      assertThat(list.body()).contains("<JobId>" + id + "</JobId>");
    }
  }

  @Test
  void unknownJob_isListedAsNonExistent() throws Exception {
    CosHttp.Answer a = http.call("GET", ciHost(BUCKET), "/jobs/jnothere", Map.of(), null);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("<NonExistJobIds>jnothere</NonExistJobIds>");
  }

  @Test
  void docJob_pagesListedInDocProcessResult() throws Exception {
    cos.objects().put(BUCKET, "in/a.docx", new byte[] {1});
    String xml =
        "<Request><Tag>DocProcess</Tag><Input><Object>in/a.docx</Object></Input><Operation>"
            + "<Output><Region>ap-guangzhou</Region><Bucket>"
            + BUCKET
            + "</Bucket><Object>doc/p-${Page}.png</Object></Output>"
            + "<DocProcess><TgtType>png</TgtType><StartPage>1</StartPage><EndPage>3</EndPage>"
            + "</DocProcess></Operation></Request>";
    String id = submit(ciHost(BUCKET), "/doc_jobs", xml);
    assertThat(id).startsWith("d");
    CosHttp.Answer a = await(ciHost(BUCKET), "/doc_jobs/" + id, "Success");
    assertThat(a.body()).contains("<DocProcessResult>").contains("<TgtUri>doc/p-1.png</TgtUri>");
  }

  @Test
  void badRequests_areRefusedWithCosCodes() throws Exception {
    assertThat(http.xml("POST", ciHost(BUCKET), "/jobs", "<Request><Tag>").body())
        .contains("<Code>MalformedXML</Code>");
    CosHttp.Answer template =
        http.xml(
            "POST",
            ciHost(BUCKET),
            "/jobs",
            String.format(TRANSCODE, "")
                .replace("<Transcode>", "<TemplateId>t1abc</TemplateId><Transcode>"));
    assertThat(template.status()).isEqualTo(400);
    assertThat(template.body()).contains("<Code>InvalidArgument</Code>");
    CosHttp.Answer bitrate =
        http.xml(
            "POST",
            ciHost(BUCKET),
            "/jobs",
            String.format(TRANSCODE, "")
                .replace("<Bitrate>1000</Bitrate>", "<Bitrate>900000</Bitrate>"));
    assertThat(bitrate.body()).contains("Kbps");
    CosHttp.Answer md5 =
        http.call(
            "PUT",
            cosHost(BUCKET),
            "/x.txt",
            Map.of("Content-MD5", "mQ/fVh815F3k6TAUm8m0eg=="),
            "abc".getBytes(StandardCharsets.UTF_8));
    assertThat(md5.status()).isEqualTo(400);
    assertThat(md5.body()).contains("<Code>BadDigest</Code>").contains("<RequestId>");
    CosHttp.Answer upload =
        http.call(
            "PUT", cosHost(BUCKET), "/x.bin?partNumber=1&uploadId=nope", Map.of(), new byte[1]);
    assertThat(upload.status()).isEqualTo(404);
    assertThat(upload.body()).contains("<Code>NoSuchUpload</Code>");
    http.call("PUT", cosHost(BUCKET), "/plain.txt", Map.of(), new byte[] {1});
    CosHttp.Answer append =
        http.call("POST", cosHost(BUCKET), "/plain.txt?append&position=1", Map.of(), new byte[1]);
    assertThat(append.status()).isEqualTo(409);
    assertThat(append.body()).contains("<Code>ObjectNotAppendable</Code>");
  }

  @Test
  void anotherRegionsHost_isNoSuchBucket() throws Exception {
    CosHttp.Answer a =
        http.call(
            "GET",
            cosHost(BUCKET).replace("ap-guangzhou", "ap-shanghai"),
            "/x.txt",
            Map.of(),
            null);
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.body()).contains("<Code>NoSuchBucket</Code>");
  }

  @Test
  void signatureWindow_expiredIsAccessDeniedRequestHasExpired() throws Exception {
    CosHttp old = new CosHttp(cos, "AKIDwire", "wireSecret").window(-7200, 60);
    CosHttp.Answer a = old.call("GET", cosHost(BUCKET), "/x.txt", Map.of(), null);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
    CosHttp.Answer anonymous;
    try (Response r =
        CosHttp.HTTP
            .newCall(
                new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + cos.port() + "/x.txt")
                    .header("Host", cosHost(BUCKET))
                    .build())
            .execute()) {
      anonymous = new CosHttp.Answer(r.code(), r.body().string(), r.headers());
    }
    assertThat(anonymous.status()).isEqualTo(403);
  }

  @Test
  void temporaryCredentials_needTheirTokenInTheHostsHeader() throws Exception {
    cos.objects().put(BUCKET, "in/a.mp4", new byte[] {1});
    CosHttp noToken = new CosHttp(cos, "AKIDtmp", "tmpSecret");
    assertThat(noToken.call("GET", cosHost(BUCKET), "/in/a.mp4", Map.of(), null).status())
        .isEqualTo(403);
    CosHttp cosToken =
        new CosHttp(cos, "AKIDtmp", "tmpSecret").token("session-token-1", "x-cos-security-token");
    assertThat(cosToken.call("GET", cosHost(BUCKET), "/in/a.mp4", Map.of(), null).status())
        .isEqualTo(200);
    CosHttp ciToken =
        new CosHttp(cos, "AKIDtmp", "tmpSecret").token("session-token-1", "x-ci-security-token");
    assertThat(ciToken.xml("POST", ciHost(BUCKET), "/jobs", String.format(TRANSCODE, "")).status())
        .isEqualTo(200);
    assertThat(ciToken.call("GET", cosHost(BUCKET), "/in/a.mp4", Map.of(), null).status())
        .isEqualTo(403);
    CosHttp wrong = new CosHttp(cos, "AKIDtmp", "tmpSecret").token("other", "x-cos-security-token");
    assertThat(wrong.call("GET", cosHost(BUCKET), "/in/a.mp4", Map.of(), null).body())
        .contains("<Code>InvalidAccessKeyId</Code>");
  }

  @Test
  void rangeAndLowerCaseHeaders() throws Exception {
    cos.objects().put(BUCKET, "r.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
    try (Response r =
        http.send("GET", cosHost(BUCKET), "/r.txt", Map.of("Range", "bytes=2-4"), null)) {
      assertThat(r.code()).isEqualTo(206);
      assertThat(r.body().string()).isEqualTo("234");
      assertThat(r.headers().names())
          .contains("x-cos-request-id", "x-cos-hash-crc64ecma", "ETag", "Content-Range");
    }
  }

  @Test
  void corsPreflight_andInjectedFault_logged() throws Exception {
    try (Response r =
        CosHttp.HTTP
            .newCall(
                new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + cos.port() + "/up.txt")
                    .header("Host", cosHost(BUCKET))
                    .header("Origin", "http://localhost:3000")
                    .header("Access-Control-Request-Method", "PUT")
                    .method("OPTIONS", null)
                    .build())
            .execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Access-Control-Expose-Headers")).contains("x-cos-request-id");
    }
    cos.inject(line -> line.startsWith("GET /faulty"), Fault.status(503), 1);
    CosHttp.Answer a = http.call("GET", cosHost(BUCKET), "/faulty.txt", Map.of(), null);
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.body()).contains("<Code>ServiceUnavailable</Code>");
    assertThat(cos.requests()).contains("GET /faulty.txt 503 ServiceUnavailable");
  }

  @Test
  void postObject_policySignedByTheSdk_storesTheFile() throws Exception {
    long now = Instant.now().getEpochSecond();
    String keyTime = now + ";" + (now + 600);
    String policy =
        "{\"expiration\":\""
            + Instant.ofEpochSecond(now + 600)
            + "\",\"conditions\":[{\"bucket\":\""
            + BUCKET
            + "\"},[\"starts-with\",\"$key\",\"uploads/\"],[\"content-length-range\",1,100],"
            + "{\"q-sign-algorithm\":\"sha1\"},{\"q-ak\":\"AKIDwire\"},{\"q-sign-time\":\""
            + keyTime
            + "\"}]}";
    String signature = new COSSigner().buildPostObjectSignature("wireSecret", keyTime, policy);
    okhttp3.MultipartBody.Builder form =
        new okhttp3.MultipartBody.Builder()
            .setType(okhttp3.MultipartBody.FORM)
            .addFormDataPart("key", "uploads/${filename}")
            .addFormDataPart(
                "policy",
                Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)))
            .addFormDataPart("q-sign-algorithm", "sha1")
            .addFormDataPart("q-ak", "AKIDwire")
            .addFormDataPart("q-key-time", keyTime)
            .addFormDataPart("q-signature", signature)
            .addFormDataPart(
                "file",
                "hello.txt",
                okhttp3.RequestBody.create("hello post".getBytes(StandardCharsets.UTF_8), null));
    try (Response r =
        CosHttp.HTTP
            .newCall(
                new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + cos.port() + "/")
                    .header("Host", cosHost(BUCKET))
                    .post(form.build())
                    .build())
            .execute()) {
      assertThat(r.code()).as(r.body().string()).isEqualTo(204);
      assertThat(r.header("ETag")).isNotBlank();
    }
    assertThat(cos.objects().get(BUCKET, "uploads/hello.txt"))
        .contains("hello post".getBytes(StandardCharsets.UTF_8));

    okhttp3.MultipartBody.Builder outside =
        new okhttp3.MultipartBody.Builder()
            .setType(okhttp3.MultipartBody.FORM)
            .addFormDataPart("key", "elsewhere/x.txt")
            .addFormDataPart(
                "policy",
                Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)))
            .addFormDataPart("q-sign-algorithm", "sha1")
            .addFormDataPart("q-ak", "AKIDwire")
            .addFormDataPart("q-key-time", keyTime)
            .addFormDataPart("q-signature", signature)
            .addFormDataPart("file", "x.txt", okhttp3.RequestBody.create(new byte[] {1}, null));
    try (Response r =
        CosHttp.HTTP
            .newCall(
                new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + cos.port() + "/")
                    .header("Host", cosHost(BUCKET))
                    .post(outside.build())
                    .build())
            .execute()) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.body().string()).contains("Policy Condition failed");
    }
  }

  @Test
  void picOperations_simulated_savesStandInResult() throws Exception {
    String ops =
        "{\"is_pic_info\":1,\"rules\":[{\"fileid\":\"thumb.jpg\",\"rule\":\"imageMogr2/thumbnail/100x\"}]}";
    CosHttp.Answer a =
        http.call(
            "PUT",
            cosHost(BUCKET),
            "/pics/a.jpg",
            Map.of("Pic-Operations", ops),
            new byte[] {1, 2, 3});
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.body()).contains("<UploadResult>").contains("<Key>pics/thumb.jpg</Key>");
    assertThat(cos.objects().exists(BUCKET, "pics/thumb.jpg")).isTrue();
    CosHttp.Answer get =
        http.call("GET", cosHost(BUCKET), "/pics/a.jpg?imageMogr2/thumbnail/100x", Map.of(), null);
    assertThat(get.status()).isEqualTo(400);
    assertThat(get.body()).contains("--execute local");
  }
}
