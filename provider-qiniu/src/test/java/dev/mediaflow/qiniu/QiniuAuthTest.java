package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.qiniu.util.Auth;
import com.qiniu.util.StringMap;
import com.qiniu.util.UrlSafeBase64;
import dev.mediaflow.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Signatures against the public vectors ({@code docs/vendor-notes.md}, "Qiniu signing"; java-sdk
 * AuthTest) and against the official {@code com.qiniu:qiniu-java-sdk} as an oracle over random
 * inputs.
 */
class QiniuAuthTest {
  static final String PFOP_BODY =
      "bucket=bucket&key=in%20key.mp4&fops=avthumb%2Fmp4%2Fs%2F640x360%2Fvb%2F1.25m%7Csaveas"
          + "%2FYnVja2V0Om91dCBrZXkrMS5tcDQ%3D%3Bvframe%2Fjpg%2Foffset%2F7%2Fw%2F480%2Fh%2F360%7Csaveas%2FYnVja2V0OmYuanBn"
          + "&notifyURL=https%3A%2F%2Fexample.com%2Fcb%3Fa%3D1%26b%3D2&force=1&pipeline=p1";

  final QiniuAuth ak = QiniuAuth.of("ak", Secret.of("sk"));

  @Test
  void pfopVectors() {
    byte[] body = PFOP_BODY.getBytes(StandardCharsets.UTF_8);
    String url = "https://api.qiniuapi.com/pfop/";
    assertThat(ak.signQBox(url, "application/x-www-form-urlencoded", body))
        .isEqualTo("ak:e1N4j5CNQoTjTgjBR168MWyULTc=");
    assertThat(
            ak.signQiniu(
                "POST",
                url,
                Map.of(
                    "Content-Type",
                    List.of("application/x-www-form-urlencoded"),
                    "X-Qiniu-Date",
                    List.of("20240101T000000Z")),
                body))
        .isEqualTo("ak:JV3137nLui8wd7dTMu9ZESZZ3MM=");
    assertThat(
            ak.signQiniu(
                "POST",
                url,
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded")),
                body))
        .isEqualTo("ak:oHYIPTBz4EPYEfNYsLqY1dEus-w=");
  }

  @Test
  void prefopVectors() {
    String url = "https://api.qiniuapi.com/status/get/prefop?id=z0.0123456789abcdef";
    assertThat(ak.signQiniu("GET", url, Map.of("x-qiniu-date", List.of("20240101T000000Z")), null))
        .isEqualTo("ak:mG5AdwQhXPQwv083NF3KSCOMGu0=");
    assertThat(ak.signQBox(url, null, null)).isEqualTo("ak:Qd8PR1Njkzz_oJXqzRqPF80UhwM=");
  }

  @Test
  void docVectors() {
    // qiniu/developer.qiniu.com docs/v6/api/reference/security/access-token.md (QBox) and java-sdk
    // AuthTest
    // (Qiniu, timestamp disabled)
    QiniuAuth my = QiniuAuth.of("MY_ACCESS_KEY", Secret.of("MY_SECRET_KEY"));
    String url =
        "http://rs.qiniu.com/move/bmV3ZG9jczpmaW5kX21hbi50eHQ=/bmV3ZG9jczpmaW5kLm1hbi50eHQ=";
    assertThat(my.signQBox(url, null, null))
        .isEqualTo("MY_ACCESS_KEY:FXsYh0wKHYPEsIAgdPD9OfjkeEM=");
    assertThat(my.signQiniu("POST", url, Map.of(), null))
        .isEqualTo("MY_ACCESS_KEY:1uLvuZM6l6oCzZFqkJ6oI4oFMVQ=");
    // AuthTest dummyAuth.signWithData("test")
    assertThat(
            QiniuAuth.of("abcdefghklmnopq", Secret.of("1234567890"))
                .signWithData("test".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("abcdefghklmnopq:-jP8eEV9v48MkYiBGs81aDxl60E=:dGVzdA==");
  }

  @Test
  void qiniuScheme_matchesTheSdk_overRandomRequests() {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      String sk = randomText(random, 1 + random.nextInt(40));
      Auth oracle = Auth.create("AK" + i, sk);
      QiniuAuth ours = QiniuAuth.of("AK" + i, Secret.of(sk));
      String url = randomUrl(random);
      String method = List.of("GET", "POST", "PUT", "DELETE").get(random.nextInt(4));
      String contentType =
          List.of(
                  "",
                  "application/x-www-form-urlencoded",
                  "application/json",
                  "application/octet-stream")
              .get(random.nextInt(4));
      byte[] body =
          random.nextBoolean()
              ? null
              : randomText(random, random.nextInt(200)).getBytes(StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      com.qiniu.http.Headers.Builder sdkHeaders = new com.qiniu.http.Headers.Builder();
      if (!contentType.isEmpty()) {
        headers.put("Content-Type", List.of(contentType));
        sdkHeaders.add("Content-Type", contentType);
      }
      // Canonical names only: the SDK matches "X-Qiniu-" case-sensitively, while Qiniu's (Go)
      // servers
      // canonicalise names first; lowerCaseQiniuHeaders_areSignedCanonically covers the difference.
      for (String name :
          List.of("X-Qiniu-Date", "X-Qiniu-Meta-B", "X-Qiniu-A", "X-Qiniu-", "X-Other")) {
        if (random.nextBoolean()) {
          String v = randomText(random, 8).replaceAll("[^A-Za-z0-9]", "x");
          headers.put(name, List.of(v));
          sdkHeaders.add(name, v);
        }
      }
      assertThat(ours.signQiniu(method, url, headers, body))
          .as("%s %s %s", method, url, headers)
          .isEqualTo(oracle.signQiniuAuthorization(url, method, body, sdkHeaders.build()));
      assertThat(ours.signQBox(url, contentType, body))
          .isEqualTo(oracle.signRequest(url, body, contentType));
    }
  }

  @Test
  void lowerCaseQiniuHeaders_areSignedCanonically() {
    String url = "https://api.qiniuapi.com/status/get/prefop?id=z0.0123456789abcdef";
    assertThat(ak.signQiniu("GET", url, Map.of("x-qiniu-date", List.of("20240101T000000Z")), null))
        .isEqualTo(
            ak.signQiniu("GET", url, Map.of("X-Qiniu-Date", List.of("20240101T000000Z")), null));
  }

  @Test
  void uploadTokens_matchTheSdk() {
    Auth oracle = Auth.create("AK", "SK");
    QiniuAuth ours = QiniuAuth.of("AK", Secret.of("SK"));
    QiniuPutPolicy policy =
        QiniuPutPolicy.builder("media")
            .key("raw/家 1.mp4")
            .deadline(Instant.ofEpochSecond(1_900_000_000L))
            .persistentOps(
                "avthumb/mp4|saveas/"
                    + QiniuFopRenderer.entry(
                        dev.mediaflow.pipeline.MediaObject.of("media", "o.mp4")))
            .persistentNotifyUrl("https://hooks.example.com/q")
            .persistentPipeline("p1")
            .build();
    String token = ours.uploadToken(policy);
    String[] parts = token.split(":");
    JsonObject json =
        JsonParser.parseString(
                new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertThat(json.get("scope").getAsString()).isEqualTo("media:raw/家 1.mp4");
    assertThat(json.get("deadline").getAsLong()).isEqualTo(1_900_000_000L);
    // The SDK signs the same JSON to the same token (field order is the token's own)...
    assertThat(token)
        .isEqualTo(oracle.signWithData(policy.toJson().getBytes(StandardCharsets.UTF_8)));
    // ...and its own policy for the same fields holds the same values.
    String sdkToken =
        oracle.uploadTokenWithDeadline(
            "media",
            "raw/家 1.mp4",
            1_900_000_000L,
            new StringMap()
                .put("persistentOps", json.get("persistentOps").getAsString())
                .put("persistentNotifyUrl", "https://hooks.example.com/q")
                .put("persistentPipeline", "p1"),
            true);
    JsonObject sdkJson =
        JsonParser.parseString(
                new String(UrlSafeBase64.decode(sdkToken.split(":")[2]), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertThat(json).isEqualTo(sdkJson);
  }

  @Test
  void urlSafeBase64_matchesTheSdk() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      String s = randomText(random, random.nextInt(60));
      assertThat(QiniuFopRenderer.b64(s)).isEqualTo(UrlSafeBase64.encodeToString(s));
    }
  }

  @Test
  void callbacks_bothSchemes_agreeWithTheSdk() {
    Auth oracle = Auth.create("AK", "SK");
    QiniuAuth ours = QiniuAuth.of("AK", Secret.of("SK"));
    String url = "https://app.example.com/qiniu/callback?tenant=a%20b";
    byte[] body = "key=raw%2Fa.mp4&hash=Fto5o".getBytes(StandardCharsets.UTF_8);
    String contentType = "application/x-www-form-urlencoded";
    String qbox = "QBox " + oracle.signRequest(url, body, contentType);
    com.qiniu.http.Headers h =
        new com.qiniu.http.Headers.Builder()
            .add("Content-Type", contentType)
            .add("X-Qiniu-Date", "20261121T000000Z")
            .build();
    String qiniu = "Qiniu " + oracle.signQiniuAuthorization(url, "POST", body, h);
    Map<String, List<String>> headers =
        Map.of("content-type", List.of(contentType), "X-Qiniu-Date", List.of("20261121T000000Z"));
    assertThat(ours.isValidCallback(qbox, "POST", url, headers, body)).isTrue();
    assertThat(ours.isValidCallback(qiniu, "POST", url, headers, body)).isTrue();
    assertThat(oracle.isValidCallback(qiniu, new Auth.Request(url, "POST", h, body))).isTrue();
    // a changed body, another key, another scheme or no header at all is refused
    byte[] tampered = "key=raw%2Fb.mp4&hash=Fto5o".getBytes(StandardCharsets.UTF_8);
    assertThat(ours.isValidCallback(qbox, "POST", url, headers, tampered)).isFalse();
    assertThat(ours.isValidCallback(qiniu, "POST", url, headers, tampered)).isFalse();
    assertThat(
            QiniuAuth.of("AK", Secret.of("other"))
                .isValidCallback(qbox, "POST", url, headers, body))
        .isFalse();
    assertThat(ours.isValidCallback("Bearer " + qbox.substring(5), "POST", url, headers, body))
        .isFalse();
    assertThat(ours.isValidCallback(null, "POST", url, headers, body)).isFalse();
  }

  @Test
  void secretNeverShows() {
    QiniuAuth auth = QiniuAuth.of("AK", Secret.of("very-secret"));
    assertThat(auth.toString()).contains("AK").doesNotContain("very-secret");
  }

  static String randomText(Random r, int n) {
    String alphabet = "abcXYZ019 -_.~/+=&?%:;|家\u00e9";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  static String randomUrl(Random r) {
    String host =
        List.of("api.qiniuapi.com", "127.0.0.1:8080", "up-z1.qiniup.com").get(r.nextInt(3));
    String scheme = r.nextBoolean() ? "https" : "http";
    StringBuilder path = new StringBuilder();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      path.append('/')
          .append(
              Base64.getUrlEncoder()
                  .encodeToString(
                      randomText(r, 1 + r.nextInt(10)).getBytes(StandardCharsets.UTF_8)));
    }
    if (path.length() == 0 || r.nextBoolean()) {
      path.append('/');
    }
    String query =
        r.nextBoolean()
            ? ""
            : "?id=z0." + Integer.toHexString(r.nextInt()) + (r.nextBoolean() ? "&a=%20b+c" : "");
    return scheme + "://" + host + path + query;
  }
}
