package dev.mediaflow.testkit.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.testkit.Request;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fake's q-sign check against the worked examples of COS's signing document
 * (https://cloud.tencent.com/document/product/436/7778) and the Go SDK's {@code auth_test.go}.
 */
class CosVerifierTest {
  private static final String DOC_ID = "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q";
  private static final String DOC_KEY = "BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz";
  private static final String HOST = "examplebucket-1250000000.cos.ap-beijing.myqcloud.com";

  private static Request request(String method, String target, Map<String, String> headers) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    headers.forEach((k, v) -> h.put(k, List.of(v)));
    return new Request(method, URI.create(target), h, new byte[0], 80);
  }

  @Test
  void signature_docUploadExample_matches() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Date", "Thu, 16 May 2019 06:45:51 GMT");
    h.put("Host", HOST);
    h.put("Content-Type", "text/plain");
    h.put("Content-Length", "13");
    h.put("Content-MD5", "mQ/fVh815F3k6TAUm8m0eg==");
    h.put("x-cos-acl", "private");
    h.put("x-cos-grant-read", "uin=\"100000000011\"");
    Request r = request("PUT", "/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)", h);
    String headerList =
        "content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read";

    String http = CosVerifier.httpString(r, headerList, "");

    assertThat(http)
        .isEqualTo(
            "put\n/exampleobject(腾讯云)\n\ncontent-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D"
                + "&content-type=text%2Fplain&date=Thu%2C%2016%20May%202019%2006%3A45%3A51%20GMT"
                + "&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-acl=private"
                + "&x-cos-grant-read=uin%3D%22100000000011%22\n");
    String keyTime = "1557989151;1557996351";
    assertThat(CosVerifier.signature(DOC_KEY, keyTime, keyTime, http))
        .isEqualTo("3b8851a11a569213c17ba8fa7dcf2abec6935172");
  }

  @Test
  void signature_docDownloadExample_matches() {
    Request r =
        request(
            "GET",
            "/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)?response-content-type=application%2Foctet-stream"
                + "&response-cache-control=max-age%3D600",
            Map.of("Date", "Thu, 16 May 2019 06:55:53 GMT", "Host", HOST));

    String http =
        CosVerifier.httpString(r, "date;host", "response-cache-control;response-content-type");

    String keyTime = "1557989753;1557996953";
    assertThat(CosVerifier.signature(DOC_KEY, keyTime, keyTime, http))
        .isEqualTo("01681b8c9d798a678e43b685a9f1bba0f6c0e012");
  }

  @Test
  void signature_goSdkVector_matches() {
    Request r =
        request(
            "PUT",
            "/testfile2",
            Map.of(
                "Host", "testbucket-125000000.cos.ap-guangzhou.myqcloud.com",
                "x-cos-content-sha1", "db8ac1c259eb89d4a131b253bacfca5f319d54f2",
                "x-cos-stroage-class", "nearline"));

    String http = CosVerifier.httpString(r, "host;x-cos-content-sha1;x-cos-stroage-class", "");

    String t = "1480932292;1481012292";
    assertThat(CosVerifier.signature("AKIDZfbOA78asKUYBcXFrJD0a1ICvR98JM", t, t, http))
        .isEqualTo("ce4ac0ecbcdb30538b3fee0a97cc6389694ce53a");
  }

  @Test
  void verify_docUploadAuthorization_acceptedInsideItsWindowAndExpiredAfter() {
    String auth =
        "q-sign-algorithm=sha1&q-ak="
            + DOC_ID
            + "&q-sign-time=1557989151;1557996351&q-key-time=1557989151;1557996351"
            + "&q-header-list=content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read"
            + "&q-url-param-list=&q-signature=3b8851a11a569213c17ba8fa7dcf2abec6935172";
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Date", "Thu, 16 May 2019 06:45:51 GMT");
    h.put("Host", HOST);
    h.put("Content-Type", "text/plain");
    h.put("Content-Length", "13");
    h.put("Content-MD5", "mQ/fVh815F3k6TAUm8m0eg==");
    h.put("x-cos-acl", "private");
    h.put("x-cos-grant-read", "uin=\"100000000011\"");
    h.put("Authorization", auth);
    Request r = request("PUT", "/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)", h);

    assertThat(
            verifier(Instant.ofEpochSecond(1557990000L))
                .verify(r, "examplebucket-1250000000", false))
        .isEmpty();
    assertThat(
            verifier(Instant.ofEpochSecond(1557996352L))
                .verify(r, "examplebucket-1250000000", false)
                .orElseThrow()
                .errorCode())
        .isEqualTo("AccessDenied");
    h.put("x-cos-acl", "public-read");
    Request changed = request("PUT", "/exampleobject(%E8%85%BE%E8%AE%AF%E4%BA%91)", h);
    assertThat(
            verifier(Instant.ofEpochSecond(1557990000L))
                .verify(changed, "examplebucket-1250000000", false)
                .orElseThrow()
                .errorCode())
        .isEqualTo("SignatureDoesNotMatch");
  }

  private static CosVerifier verifier(Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new CosVerifier(
        Map.of(DOC_ID, DOC_KEY), Map.of(), clock, new CosReplies(clock), Set.of());
  }
}
