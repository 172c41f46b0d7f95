package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of https://cloud.tencent.com/document/product/436/7778 (请求签名) and the Go
 * SDK's {@code auth_test.go} {@code TestNewAuthorization}, with their credentials and times.
 */
class CosSignerTest {
  private static final String DOC_ID = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q";
  private static final String DOC_KEY = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
  private static final String HOST = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";

  @Test
  void authorization_documentedUpload_matchesTheDocument() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", "Thu, 16 May 2019 06:45:51 GMT");
    headers.put("Host", HOST);
    headers.put("Content-Type", "text/plain");
    headers.put("Content-Length", "13");
    headers.put("Content-MD5", "mQ/fVh815F3k6TAUm8m0eg==");
    headers.put("x-cos-acl", "private");
    headers.put("x-cos-grant-read", "uin=\"100000000011\"");

    String auth =
        CosSigner.authorization(
            DOC_ID,
            DOC_KEY,
            "1557989151;1557996351",
            "PUT",
            "/exampleobject(\u817e\u8baf\u4e91)",
            headers,
            Map.of());

    assertThat(auth)
        .isEqualTo(
            "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
                + "&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351"
                + "&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read"
                + "&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172");
  }

  @Test
  void authorization_documentedDownload_matchesTheDocument() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response-content-type", "application/octet-stream");
    params.put("response-cache-control", "max-age=600");

    String auth =
        CosSigner.authorization(
            DOC_ID,
            DOC_KEY,
            "1557989753;1557996953",
            "GET",
            "/exampleobject(\u817e\u8baf\u4e91)",
            Map.of("Date", "Thu, 16 May 2019 06:55:53 GMT", "Host", HOST),
            params);

    assertThat(auth)
        .isEqualTo(
            "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
                + "&q-sign-time=1557989753;1557996953&q-key-time=1557989753;1557996953"
                + "&q-header-list=date;host"
                + "&q-url-param-list=response-cache-control;response-content-type"
                + "&q-signature=01681b8c9d798a678e43b685a9f1bba0f6c0e012");
  }

  @Test
  void authorization_goSdkVector_matches() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "testbucket-125000000.cos.ap-guangzhou.myqcloud.com");
    headers.put("x-cos-content-sha1", "db8ac1c259eb89d4a131b253bacfca5f319d54f2");
    headers.put("x-cos-stroage-class", "nearline");

    String auth =
        CosSigner.authorization(
            "QmFzZTY0IGlzIGEgZ2VuZXJp",
            "AKIDZfbOA78asKUYBcXFrJD0a1ICvR98JM",
            "1480932292;1481012292",
            "PUT",
            "/testfile2",
            headers,
            Map.of());

    assertThat(auth)
        .endsWith(
            "&q-header-list=host;x-cos-content-sha1;x-cos-stroage-class&q-url-param-list="
                + "&q-signature=ce4ac0ecbcdb30538b3fee0a97cc6389694ce53a");
  }

  @Test
  void sign_datesTheSignatureByTheClock_andSignsOnlyWhatCosSigns() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1557989151L), ZoneOffset.UTC);
    CosSigner signer = new CosSigner(DOC_ID, Secret.of(DOC_KEY), Optional.empty(), clock);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/xml");
    headers.put("User-Agent", "mediaflow");
    headers.put("Accept", "*/*");

    String auth =
        signer.sign(
            "POST",
            "examplebucket-1250000000.ci.ap-beijing.myqcloud.com",
            "/jobs",
            headers,
            Map.of(),
            Duration.ofSeconds(7200));

    // A derived vector (cos-wire.md §6.2 row 1), also produced by the Java SDK's COSSigner.
    assertThat(auth)
        .isEqualTo(
            "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q"
                + "&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351"
                + "&q-header-list=content-type;host&q-url-param-list="
                + "&q-signature=1832c7c4231ee004592125d62eff19a2959a65f8");
  }

  @Test
  void sign_paramWithoutValue_andProcessingRuleAsKey() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1557989151L), ZoneOffset.UTC);
    CosSigner signer = new CosSigner(DOC_ID, Secret.of(DOC_KEY), Optional.empty(), clock);
    Duration d = Duration.ofSeconds(7200);

    assertThat(signer.sign("POST", HOST, "/big.bin", Map.of(), Map.of("uploads", ""), d))
        .endsWith(
            "&q-header-list=host&q-url-param-list=uploads"
                + "&q-signature=c815ff822b515576bfe4322487b5856474dd0a71");
    assertThat(
            signer.sign(
                "GET", HOST, "/sample.jpeg", Map.of(), Map.of("imageMogr2/thumbnail/!50p", ""), d))
        .endsWith(
            "&q-header-list=host&q-url-param-list=imagemogr2%2fthumbnail%2f%2150p"
                + "&q-signature=d0c956dedb0b87b23d9ecf09500da555a216d379");
  }

  @Test
  void encode_isRfc3986_withUpperCaseHex() {
    assertThat(CosSigner.encode("a b*~!'()/\u4e2d+="))
        .isEqualTo("a%20b%2A~%21%27%28%29%2F%E4%B8%AD%2B%3D");
    assertThat(CosSigner.encodePath("dir/a b/\u4e2d")).isEqualTo("dir/a%20b/%E4%B8%AD");
  }

  @Test
  void toString_hidesTheSecretAndToken() {
    CosSigner signer =
        new CosSigner(
            DOC_ID, Secret.of(DOC_KEY), Optional.of(Secret.of("token-xyz")), Clock.systemUTC());
    assertThat(signer.toString()).doesNotContain(DOC_KEY).doesNotContain("token-xyz");
  }
}
