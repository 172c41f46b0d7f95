package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import com.qiniu.storage.DownloadUrl;
import com.qiniu.util.Auth;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * The signer with a fixed clock (jclouds style): request headers, upload tokens and private
 * download URLs against the vectors qiniu-java-sdk 7.19.0 gives for the python-sdk's test
 * credentials ({@code abcdefghklmnopq} / {@code 1234567890}), and against the SDK itself ({@code
 * Auth}, {@code DownloadUrl}) over random keys.
 */
class QiniuSignerTest {
  private static final Instant DEADLINE = Instant.ofEpochSecond(1700000000);

  private static QiniuSigner signer(String ak, String sk, Instant now) {
    return new QiniuSigner(ak, Secret.of(sk), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static QiniuSigner test(Instant now) {
    return signer("abcdefghklmnopq", "1234567890", now);
  }

  @Test
  void qiniuHeaders_signTheClocksDate() {
    QiniuSigner s = signer("ak", "sk", Instant.parse("2024-01-01T00:00:00Z"));
    byte[] body = QiniuAuthTest.PFOP_BODY.getBytes(StandardCharsets.UTF_8);
    HttpUrl pfop = HttpUrl.get("https://api.qiniuapi.com/pfop/");
    assertThat(s.qiniuHeaders("POST", pfop, QiniuSigner.FORM, body, true))
        .containsExactly(
            Map.entry("X-Qiniu-Date", "20240101T000000Z"),
            Map.entry("Authorization", "Qiniu ak:JV3137nLui8wd7dTMu9ZESZZ3MM="));
    assertThat(s.qiniuHeaders("POST", pfop, QiniuSigner.FORM, body, false))
        .containsExactly(Map.entry("Authorization", "Qiniu ak:oHYIPTBz4EPYEfNYsLqY1dEus-w="));
    assertThat(s.qboxHeaders(pfop, QiniuSigner.FORM, body))
        .containsExactly(Map.entry("Authorization", "QBox ak:e1N4j5CNQoTjTgjBR168MWyULTc="));
    HttpUrl prefop =
        HttpUrl.get("https://api.qiniuapi.com/status/get/prefop?id=z0.0123456789abcdef");
    assertThat(s.qiniuHeaders("GET", prefop, null, null, true))
        .containsEntry("Authorization", "Qiniu ak:mG5AdwQhXPQwv083NF3KSCOMGu0=");
  }

  @Test
  void uploadToken_vectorOfTheSdk_withTheClocksDeadline() {
    QiniuPutPolicy.Builder policy =
        QiniuPutPolicy.builder("examplebucket")
            .key("user/42/avatar.jpg")
            .field("insertOnly", 1)
            .field("fsizeLimit", 10485760)
            .field("mimeLimit", "image/*");
    assertThat(test(DEADLINE.minus(Duration.ofHours(2))).uploadToken(policy, Duration.ofHours(2)))
        .isEqualTo(
            "abcdefghklmnopq:hUJKwucN_0eNCetZSScsRN4EoIQ=:eyJzY29wZSI6ImV4YW1wbGVidWNrZXQ6dXNlci80Mi9hdmF0YXIuanBnIiwi"
                + "ZGVhZGxpbmUiOjE3MDAwMDAwMDAsImluc2VydE9ubHkiOjEsImZzaXplTGltaXQiOjEwNDg1NzYwLCJtaW1lTGltaXQiOiJpbWFnZS8qIn0=");
  }

  @Test
  void uploadToken_withCallbackAndPersistentOps_holdsTheSdksPolicy() {
    QiniuPutPolicy.Builder policy =
        QiniuPutPolicy.builder("examplebucket")
            .callback(
                "https://api.example.com/qiniu/callback",
                "{\"key\":\"$(key)\",\"hash\":\"$(etag)\",\"fsize\":$(fsize),\"uid\":\"$(x:uid)\"}",
                "application/json")
            .persistentOps("vframe/jpg/offset/1|saveas/ZXhhbXBsZWJ1Y2tldDpjb3Zlci5qcGc=")
            .persistentNotifyUrl("https://api.example.com/qiniu/pfop")
            .persistentPipeline("default.sys");
    String token = test(DEADLINE.minusSeconds(60)).uploadToken(policy, Duration.ofSeconds(60));
    // The SDK's Gson writes '=' as \u003d, we write it as is: another JSON text for the same
    // policy, so another
    // (equally valid) token; the policy it carries is the SDK's.
    String sdk =
        "eyJzY29wZSI6ImV4YW1wbGVidWNrZXQiLCJkZWFkbGluZSI6MTcwMDAwMDAwMCwiY2FsbGJhY2tVcmwiOiJodHRwczovL2FwaS5leGFt"
            + "cGxlLmNvbS9xaW5pdS9jYWxsYmFjayIsImNhbGxiYWNrQm9keSI6IntcImtleVwiOlwiJChrZXkpXCIsXCJoYXNoXCI6XCIkKGV0YWcpXCIsXCJm"
            + "c2l6ZVwiOiQoZnNpemUpLFwidWlkXCI6XCIkKHg6dWlkKVwifSIsImNhbGxiYWNrQm9keVR5cGUiOiJhcHBsaWNhdGlvbi9qc29uIiwicGVyc2lz"
            + "dGVudE9wcyI6InZmcmFtZS9qcGcvb2Zmc2V0LzF8c2F2ZWFzL1pYaGhiWEJzWldKMVkydGxkRHBqYjNabGNpNXFjR2NcdTAwM2QiLCJwZXJzaXN0"
            + "ZW50Tm90aWZ5VXJsIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vcWluaXUvcGZvcCIsInBlcnNpc3RlbnRQaXBlbGluZSI6ImRlZmF1bHQuc3lzIn0=";
    String[] parts = token.split(":");
    assertThat(
            JsonParser.parseString(
                new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8)))
        .isEqualTo(
            JsonParser.parseString(
                new String(Base64.getUrlDecoder().decode(sdk), StandardCharsets.UTF_8)));
    assertThat(token)
        .isEqualTo(
            Auth.create("abcdefghklmnopq", "1234567890")
                .signWithData(Base64.getUrlDecoder().decode(parts[2])));
  }

  @Test
  void privateDownloadUrl_vectorsOfTheSdk() {
    QiniuSigner s = test(DEADLINE.minus(Duration.ofMinutes(5)));
    assertThat(s.privateDownloadUrl("http://img.example.com/dir/a.jpg", Duration.ofMinutes(5)))
        .isEqualTo(
            "http://img.example.com/dir/a.jpg?e=1700000000&token=abcdefghklmnopq:RnaU3x0whY31OKRAermifrsp_7k=");
    assertThat(
            s.privateDownloadUrl(
                "http://img.example.com/dir/a.jpg?imageView2/2/w/200/h/200", Duration.ofMinutes(5)))
        .isEqualTo(
            "http://img.example.com/dir/a.jpg?imageView2/2/w/200/h/200&e=1700000000"
                + "&token=abcdefghklmnopq:yfWfb0sV4voILkoKhAfpU7Py5x0=");
    assertThat(s.privateDownloadUrl("http://img.example.com/v/a.mp4?avinfo", DEADLINE))
        .isEqualTo(
            "http://img.example.com/v/a.mp4?avinfo&e=1700000000&token=abcdefghklmnopq:ojqUNalTE1NivE9WDbr26_Hatk8=");
    assertThat(
            s.privateDownloadUrl(
                "https://img.example.com/"
                    + QiniuSigner.encodePath("dir/中文 a+b.jpg")
                    + "?imageMogr2%2Fauto-orient%2Fthumbnail%2F%21200x200r%2Fformat%2Fwebp&attname=a+b.jpg",
                DEADLINE))
        .isEqualTo(
            "https://img.example.com/dir/%E4%B8%AD%E6%96%87%20a%2Bb.jpg?imageMogr2%2Fauto-orient%2Fthumbnail%2F"
                + "%21200x200r%2Fformat%2Fwebp&attname=a+b.jpg&e=1700000000&token=abcdefghklmnopq:VXhrNSup_2CUeV1xAWcAkQ-RtGQ=");
    assertThat(s.privateDownloadUrl("http://img.example.com/dir/a.jpg-thumb", DEADLINE))
        .isEqualTo(
            "http://img.example.com/dir/a.jpg-thumb?e=1700000000&token=abcdefghklmnopq:gZxKgHqqPYhpCQGW5RZ5hB4c9Dw=");
  }

  @Test
  void privateDownloadUrl_refusesWhatWouldBreakTheToken() {
    QiniuSigner s = test(DEADLINE);
    for (String url :
        List.of(
            "http://img.example.com/a.jpg#x",
            "http://img.example.com/a.jpg?e=1",
            "http://img.example.com/a.jpg?x&token=a",
            "ftp://img.example.com/a.jpg",
            "a.jpg")) {
      assertThatThrownBy(() -> s.privateDownloadUrl(url, DEADLINE))
          .as(url)
          .isInstanceOf(MediaValidationException.class);
    }
    assertThatThrownBy(() -> s.privateDownloadUrl("http://img.example.com/a.jpg", Duration.ZERO))
        .isInstanceOf(MediaValidationException.class);
  }

  @Test
  void privateDownloadUrls_matchTheSdk_overRandomKeysAndFops() throws Exception {
    Random random = new Random(14);
    String[] fops = {
      null,
      "imageView2/2/w/200/h/200",
      "avinfo",
      "vframe/jpg/offset/1/w/480/h/360",
      "imageMogr2/auto-orient/thumbnail/!200x200r/format/webp|watermark/2/text/5Lit5paH"
    };
    for (int i = 0; i < 300; i++) {
      String sk = QiniuAuthTest.randomText(random, 1 + random.nextInt(40));
      Auth oracle = Auth.create("AK" + i, sk);
      String key =
          QiniuAuthTest.randomText(random, 1 + random.nextInt(30))
              + (random.nextBoolean() ? "#x?y&z%" : "");
      boolean https = random.nextBoolean();
      long deadline = 1_600_000_000L + random.nextInt(200_000_000);
      String fop = fops[random.nextInt(fops.length)];
      DownloadUrl sdk = new DownloadUrl("cdn.example.com", https, key);
      if (fop != null) {
        sdk.setFop(fop);
      }
      String attname = random.nextBoolean() ? null : QiniuAuthTest.randomText(random, 6);
      if (attname != null) {
        sdk.setAttname(attname);
      }
      // the SDK's unsigned URL: its key must be ours, encoded the same way
      String unsigned = new DownloadUrl("cdn.example.com", https, key).buildURL();
      assertThat(unsigned)
          .isEqualTo(
              (https ? "https" : "http") + "://cdn.example.com/" + QiniuSigner.encodePath(key));
      QiniuSigner ours = signer("AK" + i, sk, Instant.ofEpochSecond(deadline).minusSeconds(100));
      assertThat(ours.privateDownloadUrl(sdk.buildURL(), Duration.ofSeconds(100)))
          .as(key)
          .isEqualTo(sdk.buildURL(oracle, deadline));
      String raw = unsigned + (fop == null ? "" : "?" + fop);
      assertThat(ours.privateDownloadUrl(raw, Instant.ofEpochSecond(deadline)))
          .isEqualTo(oracle.privateDownloadUrlWithDeadline(raw, deadline));
    }
  }

  @Test
  void secretNeverShows() {
    QiniuSigner s = signer("AK", "very-secret", DEADLINE);
    assertThat(s.toString()).contains("AK").doesNotContain("very-secret");
    assertThat(s.withClock(Clock.systemUTC()).toString()).doesNotContain("very-secret");
  }
}
