package dev.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each fake logs one line per request: method, path, status and the vendor's error code. */
class RequestLogTest {
  private static HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fakeOss_logsTheStatusAndOssErrorCode_toTheLogAndTheListener() throws Exception {
    try (FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build().start()) {
      List<String> heard = new CopyOnWriteArrayList<>();
      oss.onRequest(heard::add);
      HttpResponse<String> r = get(oss.baseUrl() + "/media/a.jpg", "OSS AK:forged");
      assertThat(r.statusCode()).isEqualTo(403);
      String code = r.body().replaceAll("(?s).*<Code>([^<]+)</Code>.*", "$1");
      assertThat(code).matches("[A-Za-z]+");
      assertThat(oss.requests()).containsExactly("GET /media/a.jpg 403 " + code);
      assertThat(heard).isEqualTo(oss.requests());
    }
  }

  @Test
  void fakeQiniu_logsTheStatusAndQiniusError() throws Exception {
    try (FakeQiniuServer qiniu =
        FakeQiniuServer.builder().credentials("AK", "SK").build().start()) {
      HttpResponse<String> r = get(qiniu.baseUrl() + "/status/get/prefop?id=z0.none", null);
      assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
      String error = r.body().replaceAll("(?s).*\"error\":\"([^\"]+)\".*", "$1");
      assertThat(qiniu.requests())
          .containsExactly("GET /status/get/prefop?id=z0.none " + r.statusCode() + " " + error);
    }
  }
}
