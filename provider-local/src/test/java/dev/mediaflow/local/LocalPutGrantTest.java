package dev.mediaflow.local;

import static dev.mediaflow.local.LocalUploadGrantTest.PNG;
import static dev.mediaflow.local.LocalUploadGrantTest.assertError;
import static dev.mediaflow.local.LocalUploadGrantTest.readHead;
import static dev.mediaflow.local.LocalUploadGrantTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUT grants of the local provider used over real HTTP: a grant from {@code
 * MediaClient.grantUpload(... .method(PUT) ...)}, the bare file PUT to its URL with its headers,
 * the local media server's answers.
 */
class LocalPutGrantTest {
  @TempDir static Path root;
  static LocalMediaServer server;
  static MediaClient media;
  static final LocalUploadGrantTest.MovableClock serverClock =
      new LocalUploadGrantTest.MovableClock();
  static final HttpClient http = HttpClient.newHttpClient();

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

  @Test
  void putGrant_storesTheBytes_andAnswersLikeAFormPost() throws Exception {
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .key(MediaObject.of("media", "put/user 42.png"))
                .size(1, 1024 * 1024)
                .contentTypes("image/png")
                .method(UploadGrantRequest.Method.PUT)
                .build());
    assertThat(grant.method()).isEqualTo("PUT");
    assertThat(grant.url().toString())
        .startsWith(server.baseUrl() + "/media/put/user%2042.png?policy=")
        .contains("&signature=");
    assertThat(grant.fields()).isEmpty();
    assertThat(grant.fileField()).isEmpty();
    assertThat(grant.headers()).containsExactly(Map.entry("Content-Type", "image/png"));
    assertThat(grant.maxSize()).isEqualTo(1024 * 1024);
    assertThat(grant.contentTypes()).containsExactly("image/png");

    HttpResponse<String> r = put(grant, PNG);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    assertThat(body.get("bucket").getAsString()).isEqualTo("media");
    assertThat(body.get("key").getAsString()).isEqualTo("put/user 42.png");
    assertThat(body.get("size").getAsLong()).isEqualTo(PNG.length);
    assertThat(body.get("sha256").getAsString()).isEqualTo(sha256(PNG));
    assertThat(body.get("contentType").getAsString()).isEqualTo("image/png");
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + sha256(PNG) + "\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(Files.readAllBytes(root.resolve("media/put/user 42.png"))).isEqualTo(PNG);
    assertThat(server.requests()).contains("PUT /media/put/user%2042.png 201");
    assertNoWorkFiles();
  }

  @Test
  void putGrant_withAPatternOrSeveralTypes_namesNoHeader_butTheServerChecksTheType()
      throws Exception {
    UploadGrant grant = exact("put/any.png", r -> r.contentTypes("image/*"));
    assertThat(grant.headers()).isEmpty();
    assertThat(exact("put/two.png", r -> r.contentTypes("image/png", "image/jpeg")).headers())
        .isEmpty();

    assertError(put(grant, PNG, "Content-Type", "text/plain"), 415, "ContentTypeNotAllowed");
    assertError(put(grant, PNG), 415, "ContentTypeNotAllowed");
    assertThat(root.resolve("media/put/any.png")).doesNotExist();
    assertThat(put(grant, PNG, "Content-Type", "Image/PNG; q=1").statusCode()).isEqualTo(201);
  }

  @Test
  void tooLarge_is413_andNothingIsStored() throws Exception {
    UploadGrant grant = exact("put/large.png", r -> r.size(1, 100));

    assertError(put(grant, PNG), 413, "EntityTooLarge");
    assertThat(root.resolve("media/put/large.png")).doesNotExist();
    assertNoWorkFiles();
  }

  @Test
  void tooLarge_answersBeforeTheBodyEnds() throws Exception {
    UploadGrant grant = exact("put/huge.bin", r -> r.size(1, 1000));
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT "
                  + grant.url().getRawPath()
                  + "?"
                  + grant.url().getRawQuery()
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                  + 100L * 1024 * 1024
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[128 * 1024]); // far less than the 100 MB announced
      out.flush();
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 413");
    }
    assertThat(root.resolve("media/put/huge.bin")).doesNotExist();
  }

  @Test
  void tooSmall_is400_andTheBoundsAreAccepted() throws Exception {
    assertError(
        put(exact("put/small.png", r -> r.size(PNG.length + 1, 10_000)), PNG),
        400,
        "EntityTooSmall");
    assertThat(root.resolve("media/put/small.png")).doesNotExist();
    assertThat(put(exact("put/exact.png", r -> r.size(PNG.length, PNG.length)), PNG).statusCode())
        .isEqualTo(201);
  }

  @Test
  void tamperedQueryOrKey_is403() throws Exception {
    UploadGrant grant = exact("put/tampered.png", r -> r.size(1, 100_000));
    String url = grant.url().toString();
    String signature = url.substring(url.indexOf("&signature=") + "&signature=".length());
    String policy = url.substring(url.indexOf("?policy=") + 8, url.indexOf("&signature="));
    String base = url.substring(0, url.indexOf('?'));

    String otherSignature = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
    assertError(
        put(URI.create(base + "?policy=" + policy + "&signature=" + otherSignature), PNG),
        403,
        "SignatureDoesNotMatch");
    // A policy that allows more, with the grant's signature.
    String widened = exact("put/tampered.png", r -> r.size(1, 10_000_000)).url().toString();
    String widenedPolicy =
        widened.substring(widened.indexOf("?policy=") + 8, widened.indexOf("&signature="));
    assertError(
        put(URI.create(base + "?policy=" + widenedPolicy + "&signature=" + signature), PNG),
        403,
        "SignatureDoesNotMatch");
    assertError(put(URI.create(base + "?policy=" + policy), PNG), 403, "AccessDenied");
    assertError(put(URI.create(base), PNG), 403, "AccessDenied");
    assertError(put(URI.create(url + "&key=other.png"), PNG), 403, "FieldNotAllowed");
    assertError(put(URI.create(url + "&policy=" + policy), PNG), 400, "MalformedQuery");
    // The grant's query on another key or bucket.
    assertError(
        put(
            URI.create(server.baseUrl() + "/media/put/other.png?" + grant.url().getRawQuery()),
            PNG),
        403,
        "KeyOutsideGrant");
    assertError(
        put(
            URI.create(server.baseUrl() + "/other/put/tampered.png?" + grant.url().getRawQuery()),
            PNG),
        403,
        "KeyOutsideGrant");
    // A form grant over a prefix does not let a PUT choose a key under it.
    UploadGrant prefix =
        media.grantUpload(UploadGrantRequest.builder().keyPrefix("media", "put/users/").build());
    assertError(
        put(
            URI.create(
                server.baseUrl()
                    + "/media/put/users/a.png?policy="
                    + prefix.fields().get("policy")
                    + "&signature="
                    + prefix.fields().get("signature")),
            PNG),
        403,
        "KeyOutsideGrant");
    assertThat(root.resolve("media/put/tampered.png")).doesNotExist();
    assertThat(root.resolve("media/put/other.png")).doesNotExist();
    assertThat(root.resolve("media/put/users")).doesNotExist();
  }

  @Test
  void expired_is403() throws Exception {
    UploadGrant grant = exact("put/expired.png", r -> r.expiry(Duration.ofMinutes(5)));
    serverClock.advance(Duration.ofMinutes(5));
    try {
      assertError(put(grant, PNG), 403, "GrantExpired");
    } finally {
      serverClock.advance(Duration.ofMinutes(-5));
    }
    assertThat(root.resolve("media/put/expired.png")).doesNotExist();
  }

  @Test
  void overwrite_refusedWith409_unlessGranted() throws Exception {
    UploadGrant grant = exact("put/once.bin", r -> r);
    assertThat(put(grant, new byte[] {1, 2, 3}).statusCode()).isEqualTo(201);

    assertError(put(grant, new byte[] {4, 5}), 409, "ObjectAlreadyExists");
    assertThat(Files.readAllBytes(root.resolve("media/put/once.bin")))
        .isEqualTo(new byte[] {1, 2, 3});
    assertNoWorkFiles();

    UploadGrant replace = exact("put/once.bin", r -> r.overwrite(true));
    assertThat(put(replace, new byte[] {4, 5}).statusCode()).isEqualTo(201);
    assertThat(Files.readAllBytes(root.resolve("media/put/once.bin"))).isEqualTo(new byte[] {4, 5});
  }

  @Test
  void keyPrefix_isRefusedAtGrantTime() {
    assertThatThrownBy(
            () ->
                media.grantUpload(
                    UploadGrantRequest.builder()
                        .keyPrefix("media", "users/7/")
                        .method(UploadGrantRequest.Method.PUT)
                        .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("keyPrefix");
              assertThat(e.providerId()).isEqualTo("local");
            });
  }

  @Test
  void putToABucketOrPostToAKey_is405_withAllow() throws Exception {
    UploadGrant grant = exact("put/wrong.png", r -> r);
    HttpResponse<String> toBucket =
        put(URI.create(server.baseUrl() + "/media?" + grant.url().getRawQuery()), PNG);
    assertError(toBucket, 405, "MethodNotAllowed");
    assertThat(toBucket.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
    HttpResponse<String> postToKey =
        http.send(
            HttpRequest.newBuilder(grant.url())
                .POST(HttpRequest.BodyPublishers.ofByteArray(PNG))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(postToKey, 405, "MethodNotAllowed");
    assertThat(postToKey.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(grant.url()).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, PUT, OPTIONS");
  }

  @Test
  void cors_preflightForPut_andHeadersOnTheAnswer() throws Exception {
    UploadGrant grant = exact("put/cors.png", r -> r.contentTypes("image/png"));
    HttpResponse<String> pre =
        http.send(
            HttpRequest.newBuilder(grant.url())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(m -> assertThat(m.split(", ")).contains("PUT"));
    assertThat(pre.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");

    HttpResponse<String> plain =
        http.send(
            HttpRequest.newBuilder(grant.url())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(204);
    assertThat(plain.headers().firstValue("Allow"))
        .hasValueSatisfying(m -> assertThat(m.split(", ")).contains("PUT"));

    HttpResponse<String> stored = put(grant, PNG, "Origin", "https://app.example.com");
    assertThat(stored.statusCode()).isEqualTo(201);
    assertThat(stored.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(stored.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(h -> assertThat(h).contains("ETag"));
  }

  // ---- helpers

  static UploadGrant exact(String key, LocalUploadGrantTest.Limits limits) {
    return media.grantUpload(
        limits
            .apply(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media", key))
                    .method(UploadGrantRequest.Method.PUT))
            .build());
  }

  /** PUTs {@code bytes} to the grant's URL with the grant's headers, as a browser would. */
  static HttpResponse<String> put(UploadGrant grant, byte[] bytes, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(grant.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    grant.headers().forEach(b::header);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> put(URI url, byte[] bytes) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertNoWorkFiles() throws Exception {
    Path work = root.resolve(".mediaflow/work");
    if (Files.isDirectory(work)) {
      try (Stream<Path> files = Files.list(work)) {
        assertThat(files.filter(p -> p.getFileName().toString().startsWith("grant-"))).isEmpty();
      }
    }
  }
}
