package dev.mediaflow.spring.boot;

import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.Pipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The application of the tests: Spring Boot's auto-configuration, the starter's included. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApp {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Returns a fake server's client settings ({@code media.<provider>.*}) as properties of the
   * instance {@code instance} ({@code mediaflow.instances.<instance>.*}).
   */
  static List<String> instanceProperties(Map<String, String> clientSettings, String instance) {
    List<String> out = new ArrayList<>();
    clientSettings.forEach(
        (k, v) -> {
          String[] parts = k.split("\\.", 3);
          if (parts.length == 3) {
            out.add("mediaflow.instances." + instance + "." + parts[2] + "=" + v);
          }
        });
    return out;
  }

  /** GETs {@code path} of the application on {@code port}. */
  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A one-output pipeline whose end the vendor pushes to {@code notifyUrl}. */
  static Pipeline snapshot(String out, String notifyUrl) {
    return Pipeline.from("media", "in/source.mp4")
        .then(Snapshot.at(Duration.ofSeconds(1)))
        .saveAs("media", out)
        .notifyUrl(notifyUrl)
        .build();
  }
}
