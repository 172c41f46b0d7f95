package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * What the fake Qiniu tells others: a finished job's JSON POSTed to its {@code notifyURL} (signed
 * {@code Qiniu <AK>:<sign>} with the first credentials, as Qiniu signs them now, unless turned
 * off), and upload callbacks POSTed to {@code callbackUrl} signed {@code QBox} with the first
 * credentials, as Qiniu signs them. Thread-safe.
 */
final class QiniuNotifications {
  /** An upload callback's outcome: the callback server's status (-1: unreachable) and answer. */
  record Outcome(int status, String body, String error) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private volatile Map.Entry<String, String> notifyKeys;

  /** Signs job results with {@code keys} from now on; null sends them unsigned. */
  void signNotifications(Map.Entry<String, String> keys) {
    this.notifyKeys = keys;
  }

  /**
   * POSTs {@code job} as JSON to {@code url}; true when it answered 200. Signed, the {@code
   * Authorization} is {@code Qiniu <AK>:<urlsafe_b64(hmac_sha1(SK, "POST " + path[?query] +
   * "\nHost: " + host[:port] + "\nContent-Type: application/json\n\n" + body))>}: Qiniu's v2
   * signature of the request, without {@code X-Qiniu-*} headers (see {@code docs/vendor-notes.md}).
   */
  boolean notifyJob(String url, Map<String, Object> job) {
    try {
      URI uri = URI.create(url);
      String body = Reply.toJson(job);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      Map.Entry<String, String> keys = notifyKeys;
      if (keys != null) {
        String signed =
            "POST "
                + uri.getPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + "\nHost: "
                + uri.getHost()
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + "\nContent-Type: application/json\n\n"
                + body;
        request.header(
            "Authorization",
            "Qiniu "
                + keys.getKey()
                + ":"
                + Base64.getUrlEncoder()
                    .encodeToString(
                        Hashes.hmac(
                            "HmacSHA1", keys.getValue().getBytes(StandardCharsets.UTF_8), signed)));
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * POSTs an upload callback's {@code body} of {@code type} to {@code callbackUrl}, signed with
   * {@code ak}.
   */
  Outcome callback(String callbackUrl, String type, String body, Map.Entry<String, String> ak) {
    URI url = URI.create(callbackUrl.split(";")[0]);
    String signed =
        url.getRawPath()
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
            + "\n"
            + (type.startsWith("application/x-www-form-urlencoded") ? body : "");
    String auth =
        "QBox "
            + ak.getKey()
            + ":"
            + Base64.getUrlEncoder()
                .encodeToString(
                    Hashes.hmac(
                        "HmacSHA1", ak.getValue().getBytes(StandardCharsets.UTF_8), signed));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", type)
                  .header("Authorization", auth)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Outcome(r.statusCode(), r.body(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", "callback interrupted");
    } catch (IOException e) {
      return new Outcome(-1, "", "callback failed: " + e.getMessage());
    }
  }
}
