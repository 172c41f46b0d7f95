package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Browser uploads with a grant against the fake OSS: a plain HTTP multipart/form-data POST (or a
 * PUT) as a browser sends it, every policy condition enforced with OSS's answer.
 */
class FakeOssPostObjectTest {
  @RegisterExtension
  static final FakeOssServer oss = FakeOssServer.builder().credentials("ak", "sk").build();

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] JPEG = bytes(2048, 1);

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static OssUploadGrants grants(String version, Clock clock) {
    Map<String, String> m = new LinkedHashMap<>();
    oss.clientSettings(false)
        .forEach(
            (k, v) -> {
              if (k.startsWith("media.oss.")) {
                m.put(k.substring("media.oss.".length()), v);
              }
            });
    m.put("signatureVersion", version);
    OssSettings settings = OssSettings.from(ProviderConfig.of("oss", m));
    return new OssUploadGrants(settings, OssSigner.of(settings, clock));
  }

  private static UploadGrant grant(UploadGrantRequest request) {
    return grants("v4", Clock.systemUTC()).grant(request);
  }

  /** Sends the grant's form with {@code changes} (a null value drops the field), then the file. */
  static HttpResponse<String> post(
      UploadGrant g, Map<String, String> changes, String filename, String type, byte[] data)
      throws Exception {
    Map<String, String> fields = new LinkedHashMap<>(g.fields());
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            fields.remove(k);
          } else {
            fields.put(k, v);
          }
        });
    String boundary = "----mediaflow" + Long.toHexString(new Random().nextLong());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + f.getKey()
                  + "\"\r\n\r\n"
                  + f.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + g.fileField()
                + "\"; filename=\""
                + filename
                + "\"\r\nContent-Type: "
                + type
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(data);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(g.url())
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Origin", "https://app.example.com")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(UploadGrant g, String type, byte[] data) throws Exception {
    return post(g, Map.of(), "photo.jpg", type, data);
  }

  private static UploadGrantRequest.Builder exact(String key) {
    return UploadGrantRequest.builder().key(MediaObject.of("media", key));
  }

  private static void assertError(HttpResponse<String> r, int status, String code, String text) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains("<Code>" + code + "</Code>").contains(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v4", "v1"})
  void grantedForm_storesTheFile_withItsType_andAnswers201WithTheKey(String version)
      throws Exception {
    String key = "post/" + version + "/ok é.jpg";
    UploadGrant g =
        grants(version, Clock.systemUTC())
            .grant(exact(key).size(1, 4096).contentTypes("image/jpeg").build());
    HttpResponse<String> r = post(g, "image/jpeg", JPEG);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).contains("<Key>" + key + "</Key>", "<Bucket>media</Bucket>", "<ETag>");
    assertThat(r.headers().firstValue("ETag")).isPresent();
    assertThat(oss.objects().get("media", key)).hasValue(JPEG);
    HttpResponse<byte[]> get =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        MediaClient.create(MediaConfig.fromMap(oss.clientSettings(false)))
                            .url(MediaObject.of("media", key))
                            .toString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.headers().firstValue("Content-Type")).hasValue("image/jpeg");
  }

  @Test
  void grantFromMediaClient_uploadsThroughPlainHttp_andTheStoredBytesAreTheFile() throws Exception {
    byte[] big = bytes(3 * 1024 * 1024 + 17, 7); // streamed to disk by the fake
    try (MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(false)))) {
      UploadGrant g =
          media.grantUpload(
              UploadGrantRequest.builder()
                  .keyPrefix("media", "users/42/")
                  .size(1, 8 * 1024 * 1024)
                  .contentTypes("video/*")
                  .build());
      HttpResponse<String> r =
          post(g, Map.of("key", "users/42/clip.mp4"), "clip.mp4", "video/mp4", big);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(oss.objects().get("media", "users/42/clip.mp4")).hasValue(big);
      assertThat(
              JsonParser.parseString(g.toJson()).getAsJsonObject().get("fileField").getAsString())
          .isEqualTo("file");
    }
  }

  @Test
  void tooLarge_isEntityTooLarge() throws Exception {
    UploadGrant g = grant(exact("post/large.jpg").size(1, 1000).build());
    assertError(post(g, "image/jpeg", JPEG), 400, "EntityTooLarge", "0006-00000003");
    assertThat(oss.objects().exists("media", "post/large.jpg")).isFalse();
  }

  @Test
  void tooSmall_isEntityTooSmall() throws Exception {
    UploadGrant g = grant(exact("post/small.jpg").size(4096, 8192).build());
    assertError(post(g, "image/jpeg", JPEG), 400, "EntityTooSmall", "0006-00000004");
  }

  @Test
  void wrongType_failsTheContentTypeCondition() throws Exception {
    UploadGrant g = grant(exact("post/type.jpg").contentTypes("image/*").build());
    assertError(
        post(g, "text/html", JPEG),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$Content-Type\", \"image/\"]");
    UploadGrant exactType = grant(exact("post/type2.jpg").contentTypes("image/jpeg").build());
    assertError(
        post(exactType, Map.of("Content-Type", "text/html"), "a.jpg", "image/jpeg", JPEG),
        403,
        "AccessDenied",
        "0006-00000227");
    UploadGrant list =
        grant(exact("post/type3.png").contentTypes("image/jpeg", "image/png").build());
    assertThat(post(list, "image/png", JPEG).statusCode()).isEqualTo(201);
    UploadGrant list2 =
        grant(exact("post/type4.gif").contentTypes("image/jpeg", "image/png").build());
    assertError(post(list2, "image/gif", JPEG), 403, "AccessDenied", "\"in\"");
  }

  @Test
  void keyOutsideThePrefix_failsTheKeyCondition() throws Exception {
    UploadGrant g = grant(UploadGrantRequest.builder().keyPrefix("media", "users/42/").build());
    assertError(
        post(g, Map.of("key", "users/43/x.jpg"), "x.jpg", "image/jpeg", JPEG),
        403,
        "AccessDenied",
        "Policy Condition failed: [\"starts-with\", \"$key\", \"users/42/\"]");
    assertThat(oss.objects().exists("media", "users/43/x.jpg")).isFalse();
  }

  @Test
  void fileNameKey_isThePrefixPlusTheFilesName() throws Exception {
    UploadGrant g =
        grant(UploadGrantRequest.builder().keyPrefix("media", "named/", KeyName.FILE_NAME).build());
    assertThat(g.fields()).containsEntry("key", "named/${filename}");
    HttpResponse<String> r = post(g, Map.of(), "holiday.jpg", "image/jpeg", JPEG);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).contains("<Key>named/holiday.jpg</Key>");
    assertThat(oss.objects().get("media", "named/holiday.jpg")).hasValue(JPEG);
  }

  @Test
  void expiredGrant_isPolicyExpired() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    UploadGrant g = grants("v4", past).grant(exact("post/expired.jpg").build());
    assertError(
        post(g, "image/jpeg", JPEG),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy expired.");
  }

  @Test
  void tamperedFields_areRefused() throws Exception {
    UploadGrant g = grant(exact("post/tampered.jpg").size(1, 4096).build());
    // A field the policy pins.
    assertError(
        post(g, Map.of("success_action_status", "200"), "a.jpg", "image/jpeg", JPEG),
        403,
        "AccessDenied",
        "[\"eq\", \"$success_action_status\", \"201\"]");
    // The policy itself, widened and re-encoded: its signature no longer matches.
    String policy =
        new String(Base64.getDecoder().decode(g.fields().get("policy")), StandardCharsets.UTF_8)
            .replace("4096", "40960000");
    assertError(
        post(
            g,
            Map.of(
                "policy",
                Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8))),
            "a.jpg",
            "image/jpeg",
            JPEG),
        403,
        "SignatureDoesNotMatch",
        "0002-00000040");
    // The signature.
    assertError(
        post(g, Map.of("x-oss-signature", "0".repeat(64)), "a.jpg", "image/jpeg", JPEG),
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match");
    UploadGrant v1 = grants("v1", Clock.systemUTC()).grant(exact("post/tampered1.jpg").build());
    assertError(
        post(v1, Map.of("Signature", "AAAA"), "a.jpg", "image/jpeg", JPEG),
        403,
        "SignatureDoesNotMatch",
        "0002-00000040");
    assertThat(oss.objects().exists("media", "post/tampered.jpg")).isFalse();
  }

  @Test
  void overwrite_isRefusedUnlessGranted() throws Exception {
    UploadGrant g = grant(exact("post/once.jpg").build());
    assertThat(post(g, "image/jpeg", JPEG).statusCode()).isEqualTo(201);
    byte[] other = bytes(100, 2);
    assertError(post(g, "image/jpeg", other), 409, "FileAlreadyExists", "already exists");
    // Dropping the field fails its condition instead.
    assertError(
        post(
            g,
            java.util.Collections.singletonMap("x-oss-forbid-overwrite", null),
            "a.jpg",
            "image/jpeg",
            other),
        403,
        "AccessDenied",
        "x-oss-forbid-overwrite");
    assertThat(oss.objects().get("media", "post/once.jpg")).hasValue(JPEG);
    UploadGrant replace = grant(exact("post/once.jpg").overwrite(true).build());
    assertThat(post(replace, "image/jpeg", other).statusCode()).isEqualTo(201);
    assertThat(oss.objects().get("media", "post/once.jpg")).hasValue(other);
  }

  @Test
  void policyWithoutConditions_isInvalidPolicyDocument() throws Exception {
    OssUploadGrants grants = grants("v4", Clock.systemUTC());
    UploadGrant g = grants.grant(exact("post/nopolicy.jpg").build());
    String policy =
        Base64.getEncoder()
            .encodeToString(
                ("{\"expiration\":\"2100-01-01T00:00:00.000Z\",\"conditions\":[]}")
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("accessKeyId", "ak");
    settings.put("accessKeySecret", "sk");
    settings.put("region", "cn-hangzhou");
    OssSigner signer =
        OssSigner.of(OssSettings.from(ProviderConfig.of("oss", settings)), Clock.systemUTC());
    Instant at =
        java.time.LocalDateTime.parse(
                g.fields().get("x-oss-date"),
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
            .toInstant(ZoneOffset.UTC);
    String signature = signer.postSignature(OssSigner.Version.V4, at, policy);
    assertError(
        post(
            g, Map.of("policy", policy, "x-oss-signature", signature), "a.jpg", "image/jpeg", JPEG),
        400,
        "InvalidPolicyDocument",
        "0006-00000211");
  }

  @Test
  void malformedBody_isMalformedPostRequest() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(oss.baseUrl() + "/media"))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nno headers end"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(r, 400, "MalformedPOSTRequest", "not well-formed multipart/form-data");
  }

  @Test
  void callback_isMadeWithTheUploadersVariables_andItsAnswerReturned() throws Exception {
    AtomicReference<String> received = new AtomicReference<>();
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/stored",
        ex -> {
          received.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    app.start();
    try {
      UploadGrant g =
          grant(
              exact("post/called.jpg")
                  .callback(
                      UploadCallback.json(
                          "http://127.0.0.1:" + app.getAddress().getPort() + "/stored",
                          "{\"key\":\"${object}\",\"user\":\"${x:user}\",\"type\":\"${mimeType}\"}"))
                  .build());
      assertThat(g.fields()).containsKey("callback");
      HttpResponse<String> r = post(g, Map.of("x:user", "42"), "a.jpg", "image/jpeg", JPEG);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"ok\":true}");
      assertThat(received.get())
          .isEqualTo("{\"key\":\"post/called.jpg\",\"user\":\"42\",\"type\":\"image/jpeg\"}");
    } finally {
      app.stop(0);
    }
  }

  @Test
  void process_isRefusedNamingIt_neverDropped() {
    try (MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(false)))) {
      MediaObject key = MediaObject.of("media", "post/processed.jpg");
      Pipeline p =
          Pipeline.from(key)
              .then(ImageResize.builder().size(100, 100).build())
              .saveAs("media", "post/small.jpg")
              .build();
      assertThatThrownBy(
              () -> media.grantUpload(UploadGrantRequest.builder().key(key).process(p).build()))
          .isInstanceOfSatisfying(
              UnsupportedMediaOperationException.class,
              e -> assertThat(e.parameter()).isEqualTo("process"));
    }
  }

  @Test
  void presignedPut_withTheListedHeaders_storesTheFile_andRefusesAnOverwrite() throws Exception {
    try (MediaClient media = MediaClient.create(MediaConfig.fromMap(oss.clientSettings(false)))) {
      UploadGrant g =
          media.grantUpload(
              exact("put/one.jpg")
                  .contentTypes("image/jpeg")
                  .method(UploadGrantRequest.Method.PUT)
                  .build());
      HttpResponse<String> r = put(g, g.headers(), JPEG);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(oss.objects().get("media", "put/one.jpg")).hasValue(JPEG);
      assertError(put(g, g.headers(), bytes(10, 3)), 409, "FileAlreadyExists", "already exists");
      Map<String, String> otherType = new LinkedHashMap<>(g.headers());
      otherType.put("Content-Type", "text/html");
      assertError(put(g, otherType, JPEG), 403, "SignatureDoesNotMatch", "");
    }
  }

  private static HttpResponse<String> put(UploadGrant g, Map<String, String> headers, byte[] data)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(g.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(data));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void corsPreflight_isAnsweredLikeABucketRule_andAnswersExposeETagAndTheRequestId()
      throws Exception {
    HttpResponse<String> pre =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(oss.baseUrl() + "/media"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-oss-meta-a")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pre.statusCode()).isEqualTo(200);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.example.com");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST", "PUT");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("content-type,x-oss-meta-a");
    assertThat(pre.headers().firstValue("Access-Control-Max-Age")).isPresent();

    HttpResponse<String> r = post(grant(exact("post/cors.jpg").build()), "image/jpeg", JPEG);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.example.com");
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("ETag", "x-oss-request-id");

    oss.cors("https://only.example.com");
    try {
      HttpResponse<String> denied =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(oss.baseUrl() + "/media"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "POST")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    } finally {
      oss.cors("*");
    }
  }
}
