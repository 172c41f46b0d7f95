package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload grants of the local provider used over real HTTP: a grant from {@code
 * MediaClient.grantUpload}, a multipart body built by hand, the local media server's answers.
 */
class LocalUploadGrantTest {
  @TempDir static Path root;
  static LocalMediaServer server;
  static MediaClient media;
  static final MovableClock serverClock = new MovableClock();
  static final HttpClient http = HttpClient.newHttpClient();
  static final byte[] PNG = png();

  @BeforeAll
  static void start() {
    Map<String, String> settings = new HashMap<>();
    settings.put("media.local.root", root.toString());
    server =
        LocalMediaServer.builder()
            .config(MediaConfig.fromMap(settings))
            .port(0)
            .clock(serverClock)
            .start();
    settings.put("media.local.baseUrl", server.baseUrl().toString());
    media = MediaClient.create(MediaConfig.fromMap(settings));
  }

  @AfterAll
  static void stop() {
    media.close();
    server.close();
  }

  // ---- a grant used as a browser would

  @Test
  void grant_exactKey_formPostStoresTheBytes() throws Exception {
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .key(MediaObject.of("media", "avatars/user 42.png"))
                .size(1, 1024 * 1024)
                .contentTypes("image/png", "image/jpeg")
                .build());
    assertThat(grant.url()).isEqualTo(URI.create(server.baseUrl() + "/media"));
    assertThat(grant.method()).isEqualTo("POST");
    assertThat(grant.fields().keySet()).containsExactly("key", "policy", "signature");
    assertThat(grant.fields().get("key")).isEqualTo("avatars/user 42.png");
    assertThat(grant.fileField()).isEqualTo("file");
    assertThat(grant.headers()).isEmpty();
    assertThat(grant.expiresAt())
        .isBetween(
            Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
    JsonObject json = JsonParser.parseString(grant.toJson()).getAsJsonObject();
    assertThat(json.get("maxSize").getAsLong()).isEqualTo(1024 * 1024);

    HttpResponse<String> r = post(grant, grant.fields(), file("me.png", "image/png", PNG));

    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertThat(body.get("bucket").getAsString()).isEqualTo("media");
    assertThat(body.get("key").getAsString()).isEqualTo("avatars/user 42.png");
    assertThat(body.get("size").getAsLong()).isEqualTo(PNG.length);
    assertThat(body.get("sha256").getAsString()).isEqualTo(sha256(PNG));
    assertThat(body.get("contentType").getAsString()).isEqualTo("image/png");
    assertThat(body.has("jobId")).isFalse();
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha256(PNG) + "\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(Files.readAllBytes(root.resolve("media/avatars/user 42.png"))).isEqualTo(PNG);
    assertThat(server.requests()).contains("POST /media 201");
    assertNoWorkFiles();
  }

  @Test
  void grant_largeFile_streamsThroughWithTheSameBytes() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    // A boundary-like sequence inside the data must not end the part.
    byte[] almost = "\r\n------mediaflow-boundary-".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(almost, 0, big, 65_530, almost.length);
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder().key(MediaObject.of("media", "big/random.bin")).build());

    HttpResponse<String> r =
        post(grant, grant.fields(), file("random.bin", "application/octet-stream", big));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(Files.readAllBytes(root.resolve("media/big/random.bin"))).isEqualTo(big);
  }

  // ---- limits

  @Test
  void tooLarge_is413_andNothingIsStored() throws Exception {
    UploadGrant grant = exact("limits/large.png", r -> r.size(1, 100));

    HttpResponse<String> r = post(grant, grant.fields(), file("a.png", "image/png", PNG));

    assertError(r, 413, "EntityTooLarge");
    assertThat(root.resolve("media/limits/large.png")).doesNotExist();
    assertNoWorkFiles();
  }

  @Test
  void tooLarge_answersBeforeTheBodyEnds() throws Exception {
    UploadGrant grant = exact("limits/huge.bin", r -> r.size(1, 1000));
    String boundary = "b0undary";
    byte[] head = multipartHead(boundary, grant.fields(), "x.bin", "application/octet-stream");
    long declared = head.length + 100L * 1024 * 1024;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /media HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + boundary
                  + "\r\nContent-Length: "
                  + declared
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(head);
      out.write(new byte[128 * 1024]); // far less than the 100 MB announced
      out.flush();
      String answer = readHead(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 413");
    }
    assertThat(root.resolve("media/limits/huge.bin")).doesNotExist();
  }

  @Test
  void tooSmall_is400() throws Exception {
    UploadGrant grant = exact("limits/small.png", r -> r.size(PNG.length + 1, 10_000));

    HttpResponse<String> r = post(grant, grant.fields(), file("a.png", "image/png", PNG));

    assertError(r, 400, "EntityTooSmall");
    assertThat(root.resolve("media/limits/small.png")).doesNotExist();
  }

  @Test
  void sizeAtTheBounds_isAccepted() throws Exception {
    UploadGrant grant = exact("limits/exact.png", r -> r.size(PNG.length, PNG.length));

    assertThat(post(grant, grant.fields(), file("a.png", "image/png", PNG)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void wrongType_is415_andImageWildcardMatchesAnyImage() throws Exception {
    UploadGrant grant = exact("limits/type.png", r -> r.contentTypes("image/*"));

    assertError(
        post(grant, grant.fields(), file("a.png", "text/html", PNG)), 415, "ContentTypeNotAllowed");
    assertError(
        post(grant, grant.fields(), file("a.png", null, PNG)), 415, "ContentTypeNotAllowed");
    assertThat(root.resolve("media/limits/type.png")).doesNotExist();
    assertThat(post(grant, grant.fields(), file("a.png", "Image/PNG; x=y", PNG)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void keyOutsideThePrefix_is403() throws Exception {
    UploadGrant grant =
        media.grantUpload(UploadGrantRequest.builder().keyPrefix("media", "users/7/").build());
    assertThat(grant.fields().get("key")).isEqualTo("users/7/");

    assertError(
        post(grant, with(grant, "key", "users/8/a.png"), file("a.png", "image/png", PNG)),
        403,
        "KeyOutsideGrant");
    assertError(
        post(grant, with(grant, "key", "users/7/"), file("a.png", "image/png", PNG)),
        403,
        "KeyOutsideGrant");
    assertError(
        post(grant, with(grant, "key", "users/7/../8/a.png"), file("a.png", "image/png", PNG)),
        400,
        "InvalidKey");
    assertThat(root.resolve("media/users/8")).doesNotExist();

    HttpResponse<String> ok =
        post(grant, with(grant, "key", "users/7/photos/a.png"), file("a.png", "image/png", PNG));
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(Files.readAllBytes(root.resolve("media/users/7/photos/a.png"))).isEqualTo(PNG);
  }

  @Test
  void exactKeyChanged_orAnotherBucket_is403() throws Exception {
    UploadGrant grant = exact("fixed/one.png", r -> r);

    assertError(
        post(grant, with(grant, "key", "fixed/two.png"), file("a.png", "image/png", PNG)),
        403,
        "KeyOutsideGrant");
    URI other = URI.create(server.baseUrl() + "/other");
    assertError(
        post(other, grant.fields(), file("a.png", "image/png", PNG)), 403, "KeyOutsideGrant");
    assertThat(root.resolve("media/fixed/two.png")).doesNotExist();
    assertThat(root.resolve("other")).doesNotExist();
  }

  @Test
  void expired_is403() throws Exception {
    UploadGrant grant = exact("late/a.png", r -> r.expiry(Duration.ofSeconds(60)));
    serverClock.advance(Duration.ofSeconds(61));
    try {
      assertError(
          post(grant, grant.fields(), file("a.png", "image/png", PNG)), 403, "GrantExpired");
    } finally {
      serverClock.advance(Duration.ofSeconds(-61));
    }
    assertThat(root.resolve("media/late/a.png")).doesNotExist();
  }

  @Test
  void tamperedFields_are403() throws Exception {
    UploadGrant grant = exact("tamper/a.png", r -> r.size(1, 100));
    String policy = grant.fields().get("policy");
    String json = new String(Base64.getUrlDecoder().decode(policy), StandardCharsets.UTF_8);
    assertThat(json).contains("\"maxSize\":100");
    String widened =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                json.replace("\"maxSize\":100", "\"maxSize\":100000")
                    .getBytes(StandardCharsets.UTF_8));

    assertError(
        post(grant, with(grant, "policy", widened), file("a.png", "image/png", PNG)),
        403,
        "SignatureDoesNotMatch");
    String sig = grant.fields().get("signature");
    String otherSig = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
    assertError(
        post(grant, with(grant, "signature", otherSig), file("a.png", "image/png", PNG)),
        403,
        "SignatureDoesNotMatch");
    assertError(
        post(grant, with(grant, "overwrite", "true"), file("a.png", "image/png", PNG)),
        403,
        "FieldNotAllowed");
    Map<String, String> unsigned = new LinkedHashMap<>(grant.fields());
    unsigned.remove("signature");
    assertError(post(grant, unsigned, file("a.png", "image/png", PNG)), 403, "AccessDenied");
    assertThat(root.resolve("media/tamper/a.png")).doesNotExist();
  }

  @Test
  void overwrite_refusedWith409_unlessGranted() throws Exception {
    Path existing = root.resolve("media/keep/a.bin");
    Files.createDirectories(existing.getParent());
    Files.write(existing, new byte[] {1, 2, 3});
    UploadGrant grant = exact("keep/a.bin", r -> r);

    assertError(
        post(grant, grant.fields(), file("a.bin", "application/octet-stream", PNG)),
        409,
        "ObjectAlreadyExists");
    assertThat(Files.readAllBytes(existing)).containsExactly(1, 2, 3);

    UploadGrant replace = exact("keep/a.bin", r -> r.overwrite(true));
    assertThat(
            post(replace, replace.fields(), file("a.bin", "application/octet-stream", PNG))
                .statusCode())
        .isEqualTo(201);
    assertThat(Files.readAllBytes(existing)).isEqualTo(PNG);
  }

  @Test
  void malformedForms_are400() throws Exception {
    UploadGrant grant = exact("form/a.png", r -> r);
    HttpResponse<String> notMultipart =
        http.send(
            HttpRequest.newBuilder(grant.url())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(notMultipart, 400, "MalformedForm");
    assertError(post(grant, grant.fields(), null), 400, "MalformedForm");

    // The file must come last: a field after it is refused and nothing is stored.
    String boundary = "zz";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(multipartHead(boundary, grant.fields(), "a.png", "image/png"));
    body.write(PNG);
    body.write(
        ("\r\n--zz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx\r\n--zz--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    assertError(send(grant.url(), boundary, body.toByteArray()), 400, "MalformedForm");
    assertThat(root.resolve("media/form/a.png")).doesNotExist();
  }

  // ---- keys the server fills in

  @Test
  void fileNameKey_isThePrefixAndTheSanitisedName() throws Exception {
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder().keyPrefix("media", "named/", KeyName.FILE_NAME).build());
    assertThat(grant.fields().get("key")).isEqualTo("named/${filename}");

    HttpResponse<String> r = post(grant, grant.fields(), file("Été photo.png", "image/png", PNG));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(key(r)).isEqualTo("named/Été photo.png");
    assertThat(Files.readAllBytes(root.resolve("media/named/Été photo.png"))).isEqualTo(PNG);

    HttpResponse<String> windows =
        post(grant, grant.fields(), file("C:\\Users\\me\\shot.png", "image/png", PNG));
    assertThat(key(windows)).isEqualTo("named/shot.png");
    HttpResponse<String> traversal =
        post(grant, grant.fields(), file("../../secret.png", "image/png", PNG));
    assertThat(key(traversal)).isEqualTo("named/secret.png");
    assertError(post(grant, grant.fields(), file("..", "image/png", PNG)), 400, "InvalidFileName");
    assertError(
        post(grant, with(grant, "key", "named/other.png"), file("a.png", "image/png", PNG)),
        403,
        "KeyOutsideGrant");
  }

  @Test
  void contentHashKey_isThePrefixTheSha256AndTheExtension() throws Exception {
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .keyPrefix("media", "hashed/", KeyName.CONTENT_HASH)
                .build());

    HttpResponse<String> r = post(grant, grant.fields(), file("Cat.PNG", "image/png", PNG));

    assertThat(r.statusCode()).isEqualTo(201);
    String expected = "hashed/" + sha256(PNG) + ".png";
    assertThat(key(r)).isEqualTo(expected);
    assertThat(Files.readAllBytes(root.resolve("media").resolve(expected))).isEqualTo(PNG);
    // The same content again is the same key: not replaced.
    assertError(
        post(grant, grant.fields(), file("again.png", "image/png", PNG)),
        409,
        "ObjectAlreadyExists");
  }

  // ---- what happens once stored

  @Test
  void grantedPipeline_runsOnTheStoredObject() throws Exception {
    MediaObject target = MediaObject.of("media", "process/in.png");
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .key(target)
                .process(
                    Pipeline.from("media", "process/in.png")
                        .then(ImageResize.builder().width(20).format(ImageFormat.WEBP).build())
                        .saveAs("media", "process/out.webp")
                        .build())
                .build());

    HttpResponse<String> r = post(grant, grant.fields(), file("in.png", "image/png", PNG));

    assertThat(r.statusCode()).isEqualTo(201);
    String jobId = JsonParser.parseString(r.body()).getAsJsonObject().get("jobId").getAsString();
    JobStatus done = media.job(jobId).await(Duration.ofMinutes(2));
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    Media.Probe webp = Media.probe(root.resolve("media/process/out.webp"));
    assertThat(webp.videoCodec()).isEqualTo("webp");
    assertThat(webp.width()).isEqualTo(20);
  }

  @Test
  void grantedCallback_isSentWithTheVariablesFilledIn() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> signatures = new CopyOnWriteArrayList<>();
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/stored",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          signatures.add(ex.getRequestHeaders().getFirst("X-Mediaflow-Signature"));
          byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ex.getRequestURI().getQuery() == null ? 200 : 500, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    app.start();
    try {
      String url = "http://127.0.0.1:" + app.getAddress().getPort() + "/stored";
      UploadGrant grant =
          exact(
              "called/a \"b\".png",
              r ->
                  r.callback(
                      UploadCallback.json(
                          url,
                          "{\"bucket\":\"${bucket}\",\"key\":\"${object}\",\"size\":${size},"
                              + "\"type\":\"${mimeType}\"}")));

      HttpResponse<String> r = post(grant, grant.fields(), file("a.png", "image/png", PNG));

      assertThat(r.statusCode()).isEqualTo(201);
      String sent =
          "{\"bucket\":\"media\",\"key\":\"called/a \\\"b\\\".png\",\"size\":"
              + PNG.length
              + ",\"type\":\"image/png\"}";
      assertThat(bodies).containsExactly(sent);
      JsonObject app1 = JsonParser.parseString(sent).getAsJsonObject();
      assertThat(app1.get("key").getAsString()).isEqualTo("called/a \"b\".png");
      byte[] key = Files.readString(root.resolve(".mediaflow/url-signing-key")).trim().getBytes();
      assertThat(signatures)
          .containsExactly(LocalUrl.sign(key, "MEDIAFLOW-LOCAL-CALLBACK-HMAC-SHA256\n" + sent));
      JsonObject callback =
          JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("callback");
      assertThat(callback.get("status").getAsInt()).isEqualTo(200);
      assertThat(callback.get("body").getAsString()).isEqualTo("{\"ok\":true}");

      UploadGrant failing =
          exact(
              "called/b.png",
              g -> g.callback(UploadCallback.form(url + "?fail", "key=${object}&n=${size}")));
      HttpResponse<String> f = post(failing, failing.fields(), file("b.png", "image/png", PNG));
      assertThat(f.statusCode()).isEqualTo(203);
      assertThat(JsonParser.parseString(f.body()).getAsJsonObject().get("code").getAsString())
          .isEqualTo("CallbackFailed");
      assertThat(bodies.get(1)).isEqualTo("key=called%2Fb.png&n=" + PNG.length);
      assertThat(root.resolve("media/called/b.png")).exists();
    } finally {
      app.stop(0);
    }
  }

  // ---- CORS

  @Test
  void cors_preflightAndHeadersOnAnswers() throws Exception {
    HttpResponse<String> pre =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/media"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(m -> assertThat(m).contains("POST"));
    assertThat(pre.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");
    assertThat(server.requests()).contains("OPTIONS /media 204");

    UploadGrant grant = exact("cors/a.png", r -> r.size(1, 10));
    HttpResponse<String> refused =
        send(
            grant.url(),
            "cors-boundary-0123456789",
            body("cors-boundary-0123456789", grant.fields(), file("a.png", "image/png", PNG)),
            "Origin",
            "https://app.example.com");
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    UploadGrant ok = exact("cors/b.png", r -> r);
    HttpResponse<String> stored =
        send(
            ok.url(),
            "cors-boundary-0123456789",
            body("cors-boundary-0123456789", ok.fields(), file("b.png", "image/png", PNG)),
            "Origin",
            "https://app.example.com");
    assertThat(stored.statusCode()).isEqualTo(201);
    assertThat(stored.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(h -> assertThat(h).contains("ETag"));
  }

  @Test
  void cors_listedOrigins_onlyThoseAreAllowed() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("media.local.root", root.toString());
    settings.put("media.local.corsOrigins", "https://app.example.com, http://localhost:3000");
    try (LocalMediaServer listed =
        LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start()) {
      URI bucket = URI.create(listed.baseUrl() + "/media");
      HttpResponse<String> allowed = preflight(bucket, "http://localhost:3000");
      assertThat(allowed.statusCode()).isEqualTo(204);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("http://localhost:3000");
      assertThat(allowed.headers().allValues("Vary")).contains("Origin");
      HttpResponse<String> other = preflight(bucket, "https://evil.example.com");
      assertError(other, 403, "CorsForbidden");
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    settings.put("media.local.corsOrigins", "https://app.example.com/path");
    assertThatThrownBy(
            () -> LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start())
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("media.local.corsOrigins");
  }

  @Test
  void grant_withoutBaseUrl_namesTheSetting() {
    try (MediaClient unset =
        MediaClient.create(MediaConfig.fromMap(Map.of("media.local.root", root.toString())))) {
      assertThatThrownBy(
              () ->
                  unset.grantUpload(
                      UploadGrantRequest.builder().key(MediaObject.of("media", "a.png")).build()))
          .isInstanceOf(MediaConfigException.class)
          .hasMessageContaining("media.local.baseUrl");
    }
  }

  // ---- helpers

  interface Limits {
    UploadGrantRequest.Builder apply(UploadGrantRequest.Builder b);
  }

  static UploadGrant exact(String key, Limits limits) {
    return media.grantUpload(
        limits.apply(UploadGrantRequest.builder().key(MediaObject.of("media", key))).build());
  }

  record FilePart(String name, String type, byte[] bytes) {}

  static FilePart file(String name, String type, byte[] bytes) {
    return new FilePart(name, type, bytes);
  }

  static Map<String, String> with(UploadGrant grant, String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(grant.fields());
    m.put(name, value);
    return m;
  }

  static byte[] multipartHead(
      String boundary, Map<String, String> fields, String fileName, String type) {
    StringBuilder b = new StringBuilder();
    fields.forEach(
        (k, v) ->
            b.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(k)
                .append("\"\r\n\r\n")
                .append(v)
                .append("\r\n"));
    if (fileName != null) {
      b.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
          .append(fileName.replace("\"", "%22"))
          .append("\"\r\n");
      if (type != null) {
        b.append("Content-Type: ").append(type).append("\r\n");
      }
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] body(String boundary, Map<String, String> fields, FilePart file) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        multipartHead(
            boundary,
            fields,
            file == null ? null : file.name(),
            file == null ? null : file.type()));
    if (file != null) {
      out.write(file.bytes());
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static HttpResponse<String> post(UploadGrant grant, Map<String, String> fields, FilePart file)
      throws Exception {
    return post(grant.url(), fields, file);
  }

  static HttpResponse<String> post(URI url, Map<String, String> fields, FilePart file)
      throws Exception {
    String boundary = "----mediaflow-boundary-" + Long.toHexString(System.nanoTime());
    return send(url, boundary, body(boundary, fields, file));
  }

  static HttpResponse<String> send(URI url, String boundary, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> preflight(URI url, String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url)
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertThat(body.get("code").getAsString()).isEqualTo(code);
    assertThat(body.get("error").getAsString()).isNotBlank();
  }

  static String key(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JsonParser.parseString(r.body()).getAsJsonObject().get("key").getAsString();
  }

  static void assertNoWorkFiles() throws Exception {
    Path work = root.resolve(".mediaflow/work");
    if (Files.isDirectory(work)) {
      try (Stream<Path> files = Files.list(work)) {
        assertThat(files.filter(p -> p.getFileName().toString().startsWith("grant-"))).isEmpty();
      }
    }
  }

  static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0; ) {
      out.write(c);
      if (out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static byte[] png() {
    try {
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int x = 0; x < 40; x++) {
        for (int y = 0; y < 30; y++) {
          image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 0x40);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      javax.imageio.ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A clock the expiry test moves forward. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }
}
