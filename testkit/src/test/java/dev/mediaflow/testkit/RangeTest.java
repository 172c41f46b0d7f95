package dev.mediaflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Downloads answer a Range as browsers and players send it (a {@code <video>} seeks with them). */
class RangeTest {
  private static HttpResponse<String> get(String url, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (range != null) {
      b.header("Range", range);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fakeQiniuDownloads_answerOneRangeWith206_andAnythingElseWithTheWholeObject()
      throws Exception {
    try (FakeQiniuServer qiniu = FakeQiniuServer.builder().build().start()) {
      qiniu.objects().put("media", "v.bin", "0123456789".getBytes(StandardCharsets.UTF_8));
      String url = qiniu.baseUrl() + "/dl/media/v.bin";

      HttpResponse<String> part = get(url, "bytes=2-5");
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo("2345");
      assertThat(part.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
      assertThat(part.headers().firstValue("Accept-Ranges")).contains("bytes");

      assertThat(get(url, "bytes=7-").body()).isEqualTo("789");
      assertThat(get(url, "bytes=-2").body()).isEqualTo("89");
      assertThat(get(url, "bytes=8-100").body()).isEqualTo("89");

      for (String whole :
          new String[] {null, "bytes=20-30", "bytes=0-1,4-5", "items=0-1", "bytes=5-2"}) {
        HttpResponse<String> r = get(url, whole);
        assertThat(r.statusCode()).as(whole).isEqualTo(200);
        assertThat(r.body()).as(whole).isEqualTo("0123456789");
      }
    }
  }
}
