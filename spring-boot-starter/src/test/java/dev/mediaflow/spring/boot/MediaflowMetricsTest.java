package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Metrics and traces in a running application with the actuator: after a job on the fake Qiniu and
 * an upload, the meters docs/metrics.md lists are in the application's {@link MeterRegistry} and at
 * {@code /actuator/metrics}, with their documented names and tags; the observations are in the
 * application's {@link io.micrometer.observation.ObservationRegistry}; no tag value holds a key, a
 * job id, a URL or a secret; and {@code mediaflow.metrics.enabled=false} records nothing.
 */
@SpringBootTest(
    classes = {TestApp.class, MediaflowMetricsTest.Observations.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MediaflowMetricsTest {
  static final String ACCESS_KEY = "AK-metrics-6b2d";
  static final String SECRET = "metrics-Secret-3f9a7c1e";
  static final String SOURCE = "in/holiday-secret.mp4";
  static final String UPLOADED = "up/holiday-secret.bin";

  static final FakeQiniuServer QINIU =
      FakeQiniuServer.builder()
          .credentials(ACCESS_KEY, SECRET)
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(100)).build())
          .build()
          .start();

  @AfterAll
  static void stopFake() {
    QINIU.close();
  }

  /** The application's properties: the fake Qiniu as the default instance, quick polls. */
  static List<String> properties() {
    List<String> p = new ArrayList<>();
    p.add("mediaflow.provider=qiniu");
    p.addAll(TestApp.instanceProperties(QINIU.clientSettings(), "qiniu"));
    p.add("mediaflow.jobs.store=none");
    p.add("mediaflow.watch.initial-delay=50ms");
    p.add("mediaflow.watch.max-delay=200ms");
    p.add("management.endpoints.web.exposure.include=metrics,health");
    return p;
  }

  @DynamicPropertySource
  static void fake(DynamicPropertyRegistry registry) {
    for (String p : properties()) {
      int eq = p.indexOf('=');
      registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
    }
  }

  /**
   * The application's observation registry: Micrometer's test registry, which Spring Boot's
   * auto-configuration configures as its own (a meter handler among others), with a handler that
   * keeps every stopped observation.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class Observations {
    @Bean
    Stopped stoppedObservations() {
      return new Stopped();
    }

    @Bean
    TestObservationRegistry observationRegistry(Stopped stopped) {
      TestObservationRegistry registry = TestObservationRegistry.create();
      registry.observationConfig().observationHandler(stopped);
      return registry;
    }
  }

  /** Keeps the context of every stopped observation. */
  static final class Stopped implements ObservationHandler<Observation.Context> {
    final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onStop(Observation.Context context) {
      contexts.add(context);
    }
  }

  @Autowired Environment environment;
  @Autowired MediaClient media;
  @Autowired MeterRegistry meters;
  @Autowired TestObservationRegistry observations;
  @Autowired Stopped stopped;

  private static Job job;

  /** One job, one upload and one URL, once for the application of these tests. */
  synchronized Job activity() {
    if (job == null) {
      job = jobUploadAndUrl(media);
    }
    return job;
  }

  static Job jobUploadAndUrl(MediaClient media) {
    QINIU.objects().put("media", SOURCE, "video".getBytes(StandardCharsets.UTF_8));
    Job j =
        media.submit(
            Pipeline.from("media", SOURCE)
                .then(Snapshot.at(Duration.ofSeconds(1)))
                .saveAs("media", "out/holiday-cover.jpg")
                .build());
    assertThat(j.await(Duration.ofSeconds(30)).state()).isEqualTo(JobState.SUCCEEDED);
    media.upload(
        UploadRequest.builder(
                UploadSource.ofBytes(new byte[40_000]), MediaObject.of("media", UPLOADED))
            .build());
    assertThat(media.url(MediaObject.of("media", UPLOADED)).toString()).contains("e=");
    return j;
  }

  int port() {
    return Integer.parseInt(environment.getProperty("local.server.port"));
  }

  @Test
  void aJobAndAnUpload_recordTheDocumentedMeters_withTheirTags() {
    activity();
    String[] qiniu = {"provider", "qiniu", "instance", "qiniu"};

    assertThat(
            meters
                .get("mediaflow.jobs.submitted")
                .tags(qiniu)
                .tags("outcome", "success", "exception", "none")
                .counter()
                .count())
        .isEqualTo(1);
    // the job's end and its polls come from the shared watcher
    assertThat(
            meters
                .get("mediaflow.jobs.ended")
                .tags(qiniu)
                .tag("state", "succeeded")
                .counter()
                .count())
        .isEqualTo(1);
    Timer duration =
        meters.get("mediaflow.jobs.duration").tags(qiniu).tag("state", "succeeded").timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(
            meters
                .get("mediaflow.jobs.polls")
                .tags(qiniu)
                .tags("outcome", "success", "exception", "none")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);

    DistributionSummary bytes = meters.get("mediaflow.upload.bytes").tags(qiniu).summary();
    assertThat(bytes.count()).isEqualTo(1);
    assertThat(bytes.totalAmount()).isEqualTo(40_000);
    assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
    DistributionSummary throughput =
        meters.get("mediaflow.upload.throughput").tags(qiniu).summary();
    assertThat(throughput.count()).isEqualTo(1);
    assertThat(throughput.totalAmount()).isPositive();
    assertThat(throughput.getId().getBaseUnit()).isEqualTo("bytes.per.second");

    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags(qiniu)
                .tags("operation", "submit", "method", "POST", "status", "200")
                .tags("outcome", "SUCCESS", "exception", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags(qiniu)
                .tags("operation", "status", "method", "GET", "status", "200")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(1);
    assertThat(
            meters
                .get("mediaflow.http.client.requests")
                .tags(qiniu)
                .tags("operation", "put-object", "method", "POST", "status", "200")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("mediaflow.http.client.requests").meters())
        .allMatch(m -> "qiniu".equals(m.getId().getTag("instance")));
  }

  @Test
  void observations_areRecorded_andTimedByTheApplicationsHandlers() {
    activity();
    for (String name :
        List.of("mediaflow.job.submit", "mediaflow.job.status", "mediaflow.upload")) {
      TestObservationRegistryAssert.assertThat(observations)
          .hasObservationWithNameEqualTo(name)
          .that()
          .hasLowCardinalityKeyValue("provider", "qiniu")
          .hasLowCardinalityKeyValue("instance", "qiniu")
          .hasBeenStarted()
          .hasBeenStopped()
          .doesNotHaveError();
    }
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.job.submit")
        .that()
        .hasContextualNameEqualTo("mediaflow submit");
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("mediaflow.url.sign")
        .that()
        .hasLowCardinalityKeyValue("signed", "true")
        .hasBeenStopped();
    assertThat(stopped.contexts)
        .filteredOn(c -> c.getName().equals("mediaflow.job.status"))
        .anySatisfy(
            c ->
                assertThat(c.getLowCardinalityKeyValue("state").getValue()).isEqualTo("succeeded"));
    // Spring Boot's meter handler times each observation in the application's registry
    assertThat(
            meters
                .get("mediaflow.job.submit")
                .tags("provider", "qiniu", "instance", "qiniu", "error", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("mediaflow.upload").tag("error", "none").timer().count()).isEqualTo(1);
  }

  @Test
  void actuatorMetrics_listAndDescribeTheMeters() throws Exception {
    activity();
    HttpResponse<String> list = TestApp.get(port(), "/actuator/metrics");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    Set<String> names = new HashSet<>();
    JsonParser.parseString(list.body())
        .getAsJsonObject()
        .getAsJsonArray("names")
        .forEach(n -> names.add(n.getAsString()));
    assertThat(names)
        .contains(
            "mediaflow.jobs.submitted",
            "mediaflow.jobs.ended",
            "mediaflow.jobs.duration",
            "mediaflow.jobs.polls",
            "mediaflow.upload.bytes",
            "mediaflow.upload.throughput",
            "mediaflow.http.client.requests",
            "mediaflow.job.submit",
            "mediaflow.job.status",
            "mediaflow.upload",
            "mediaflow.url.sign");

    JsonObject submitted = metric("/actuator/metrics/mediaflow.jobs.submitted");
    assertThat(measurement(submitted, "COUNT")).isEqualTo(1.0);
    assertThat(availableTags(submitted))
        .containsEntry("provider", List.of("qiniu"))
        .containsEntry("instance", List.of("qiniu"))
        .containsEntry("outcome", List.of("success"))
        .containsEntry("exception", List.of("none"));

    JsonObject ended = metric("/actuator/metrics/mediaflow.jobs.ended?tag=state:succeeded");
    assertThat(measurement(ended, "COUNT")).isEqualTo(1.0);
    JsonObject duration = metric("/actuator/metrics/mediaflow.jobs.duration");
    assertThat(duration.get("baseUnit").getAsString()).isEqualTo("seconds");
    assertThat(measurement(duration, "TOTAL_TIME")).isPositive();
    assertThat(availableTags(duration)).containsEntry("state", List.of("succeeded"));

    JsonObject submits =
        metric(
            "/actuator/metrics/mediaflow.http.client.requests"
                + "?tag=operation:submit&tag=status:200&tag=provider:qiniu");
    assertThat(measurement(submits, "COUNT")).isEqualTo(1.0);
    assertThat(availableTags(submits)).containsKeys("instance", "method", "outcome", "exception");

    JsonObject bytes = metric("/actuator/metrics/mediaflow.upload.bytes?tag=instance:qiniu");
    assertThat(bytes.get("baseUnit").getAsString()).isEqualTo("bytes");
    assertThat(measurement(bytes, "TOTAL")).isEqualTo(40_000.0);
  }

  @Test
  void aForgedNotification_isCountedRefused() throws Exception {
    double before = notifications("refused");
    HttpResponse<String> r =
        TestApp.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/mediaflow/notify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Qiniu " + ACCESS_KEY + ":bm90LWEtc2lnbmF0dXJl")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"z0.forged\",\"code\":0,\"items\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(notifications("refused")).isEqualTo(before + 1);
  }

  @Test
  void noTagOrKeyValue_holdsAKeyJobIdUrlOrSecret() throws Exception {
    String vendorId = activity().id().vendorId();
    List<String> values = new ArrayList<>();
    for (Meter m : meters.getMeters()) {
      if (m.getId().getName().startsWith("mediaflow.")) {
        for (Tag t : m.getId().getTags()) {
          values.add(m.getId().getName() + " " + t.getKey() + "=" + t.getValue());
        }
      }
    }
    for (Observation.Context c : stopped.contexts) {
      if (c.getName().startsWith("mediaflow.")) {
        for (KeyValue kv : c.getAllKeyValues()) {
          values.add(c.getName() + " " + kv.getKey() + "=" + kv.getValue());
        }
        values.add(c.getName() + " contextualName=" + c.getContextualName());
      }
    }
    assertThat(values)
        .anyMatch(v -> v.startsWith("mediaflow.jobs.submitted "))
        .anyMatch(v -> v.startsWith("mediaflow.job.submit "));
    assertLowCardinality(values, vendorId);
    for (String name : List.of("mediaflow.jobs.submitted", "mediaflow.http.client.requests")) {
      assertLowCardinality(
          List.of(TestApp.get(port(), "/actuator/metrics/" + name).body()), vendorId);
    }
  }

  @Test
  void metricsDisabled_nothingIsRegistered() throws Exception {
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(TestApp.class)
            .properties(properties().toArray(String[]::new))
            .properties("server.port=0", "mediaflow.metrics.enabled=false")
            .run()) {
      assertThat(app.containsBean(MediaflowAutoConfiguration.OBSERVER)).isFalse();
      jobUploadAndUrl(app.getBean(MediaClient.class));
      MeterRegistry registry = app.getBean(MeterRegistry.class);
      assertThat(registry.getMeters())
          .isNotEmpty()
          .noneMatch(m -> m.getId().getName().startsWith("mediaflow."));
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      HttpResponse<String> r = TestApp.get(port, "/actuator/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("jvm.").doesNotContain("mediaflow.");
    }
  }

  private static void assertLowCardinality(List<String> values, String vendorId) {
    assertThat(values)
        .isNotEmpty()
        .noneMatch(v -> v.contains("holiday"))
        .noneMatch(v -> v.contains(vendorId))
        .noneMatch(v -> v.contains(ACCESS_KEY) || v.contains(SECRET))
        .noneMatch(v -> v.contains("127.0.0.1") || v.contains("://"));
  }

  private double notifications(String outcome) {
    return meters.find("mediaflow.notifications").tags("outcome", outcome).counters().stream()
        .filter(c -> "qiniu".equals(c.getId().getTag("instance")))
        .mapToDouble(c -> c.count())
        .sum();
  }

  private JsonObject metric(String path) throws Exception {
    HttpResponse<String> r = TestApp.get(port(), path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private static double measurement(JsonObject metric, String statistic) {
    for (JsonElement e : metric.getAsJsonArray("measurements")) {
      JsonObject m = e.getAsJsonObject();
      if (m.get("statistic").getAsString().equals(statistic)) {
        return m.get("value").getAsDouble();
      }
    }
    throw new AssertionError("no " + statistic + " in " + metric);
  }

  private static java.util.Map<String, List<String>> availableTags(JsonObject metric) {
    java.util.Map<String, List<String>> tags = new java.util.TreeMap<>();
    for (JsonElement e : metric.getAsJsonArray("availableTags")) {
      JsonObject t = e.getAsJsonObject();
      List<String> values = new ArrayList<>();
      JsonArray a = t.getAsJsonArray("values");
      a.forEach(v -> values.add(v.getAsString()));
      tags.put(t.get("tag").getAsString(), values);
    }
    return tags;
  }
}
