package dev.mediaflow.testkit.cos;

import dev.mediaflow.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Calls a job's CallBack URL when it ends, as Cloud Infinite does: an HTTP POST of the job's {@code
 * <Response><EventName>TaskFinish</EventName><JobsDetail>...} XML, or the same fields as JSON when
 * CallBackFormat is JSON (https://cloud.tencent.com/document/api/436/85059). Cloud Infinite
 * documents no signature on these calls, and none is added. Thread-safe.
 */
final class CosCallbacks {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Integer> answers = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  /**
   * Posts {@code xml} (or its JSON form) to {@code url}; records the status answered (-1: none).
   */
  void send(String url, String format, String xml) {
    String body;
    String type;
    if (format.equals("JSON")) {
      try {
        body =
            Reply.toJson(
                Map.of(
                    "Response", CosXml.toMap(CosXml.parse(xml.getBytes(StandardCharsets.UTF_8)))));
      } catch (CosXml.Malformed e) {
        throw new IllegalStateException(e);
      }
      type = "application/json";
    } else {
      body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml;
      type = "application/xml";
    }
    bodies.add(body);
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      answers.add(r.statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answers.add(-1);
    } catch (Exception e) {
      answers.add(-1);
    }
  }

  List<Integer> answers() {
    return List.copyOf(answers);
  }

  List<String> bodies() {
    return List.copyOf(bodies);
  }
}
