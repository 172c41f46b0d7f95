package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaClient;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a running Spring MVC application with the actuator, against the fake Qiniu (the
 * default instance) and the fake OSS (the instance {@code east}), over real HTTP.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MediaflowWebTest {
  static final String QINIU_SECRET = "qiniu-Secret-7f3a9c1e5b";
  static final String OSS_SECRET = "oss-Secret-2d8e4b6a0c";
  static final String WRONG_SECRET = "wrong-Secret-9c1e5b7f3a";

  static final FakeQiniuServer QINIU =
      FakeQiniuServer.builder()
          .credentials("AK-qiniu", QINIU_SECRET)
          // long enough for the test to watch the job before its notification arrives
          .executor(SimulatedExecutor.builder().duration(Duration.ofMillis(1500)).build())
          .build()
          .start();
  static final FakeOssServer OSS =
      FakeOssServer.builder().credentials("AK-oss", OSS_SECRET).build().start();

  @AfterAll
  static void stopFakes() {
    QINIU.close();
    OSS.close();
  }

  /** Properties every application of these tests has, with the Qiniu secret given. */
  static List<String> properties(String qiniuSecret) {
    List<String> p = new ArrayList<>();
    p.add("mediaflow.provider=qiniu");
    p.addAll(TestApp.instanceProperties(QINIU.clientSettings(), "qiniu"));
    p.removeIf(s -> s.startsWith("mediaflow.instances.qiniu.secretKey="));
    p.add("mediaflow.instances.qiniu.secretKey=" + qiniuSecret);
    p.add("mediaflow.instances.east.provider=oss");
    p.addAll(TestApp.instanceProperties(OSS.clientSettings(true), "east"));
    p.add("mediaflow.jobs.store=none");
    // no poll before an hour: only a notification ends a job in time
    p.add("mediaflow.watch.initial-delay=1h");
    p.add("mediaflow.watch.max-delay=1h");
    p.add("mediaflow.health.bucket=media");
    p.add("management.endpoints.web.exposure.include=health,env,configprops");
    p.add("management.endpoint.health.show-details=always");
    p.add("management.endpoint.env.show-values=always");
    p.add("management.endpoint.configprops.show-values=always");
    return p;
  }

  @DynamicPropertySource
  static void fakes(DynamicPropertyRegistry registry) {
    for (String p : properties(QINIU_SECRET)) {
      int eq = p.indexOf('=');
      registry.add(p.substring(0, eq), () -> p.substring(eq + 1));
    }
  }

  @Autowired Environment environment;
  @Autowired MediaClient media;

  @Autowired
  @Qualifier("east")
  MediaClient east;

  int port() {
    return Integer.parseInt(environment.getProperty("local.server.port"));
  }

  @Test
  void beans_areTheConfiguredInstances() {
    assertThat(media.instance()).isEqualTo("qiniu");
    assertThat(media.providerId()).isEqualTo("qiniu");
    assertThat(east.instance()).isEqualTo("east");
    assertThat(east.providerId()).isEqualTo("oss");
  }

  @Test
  void health_isUpPerInstance_withDetailsButNoSecret() throws Exception {
    HttpResponse<String> r = TestApp.get(port(), "/actuator/health");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject mediaflow =
        JsonParser.parseString(r.body())
            .getAsJsonObject()
            .getAsJsonObject("components")
            .getAsJsonObject("mediaflow");
    assertThat(mediaflow.get("status").getAsString()).isEqualTo("UP");
    JsonObject qiniu = mediaflow.getAsJsonObject("components").getAsJsonObject("qiniu");
    assertThat(qiniu.get("status").getAsString()).isEqualTo("UP");
    JsonObject details = qiniu.getAsJsonObject("details");
    assertThat(details.get("provider").getAsString()).isEqualTo("qiniu");
    assertThat(details.get("bucket").getAsString()).isEqualTo("media");
    assertThat(details.get("access").getAsString()).isEqualTo("accepted");
    JsonObject oss = mediaflow.getAsJsonObject("components").getAsJsonObject("east");
    assertThat(oss.get("status").getAsString()).isEqualTo("UP");
    assertThat(oss.getAsJsonObject("details").get("status").getAsString()).isEqualTo("404");
    assertNoSecret(r.body());
  }

  @Test
  void actuatorEnvAndConfigprops_showValues_butNeverASecret() throws Exception {
    for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/health")) {
      HttpResponse<String> r = TestApp.get(port(), path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertNoSecret(r.body());
    }
    // values are shown (so the check above means something), secrets masked
    String env = TestApp.get(port(), "/actuator/env").body();
    assertThat(env).contains("AK-qiniu", "mediaflow.instances.qiniu.secretKey", "******");
    String configprops = TestApp.get(port(), "/actuator/configprops").body();
    assertThat(configprops).contains("AK-oss", "accessKeySecret", "******");
  }

  @Test
  void wrongSecret_healthIsDown_withoutTheSecret() throws Exception {
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(TestApp.class)
            .properties(properties(WRONG_SECRET).toArray(String[]::new))
            .properties("server.port=0")
            .run()) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      HttpResponse<String> r = TestApp.get(port, "/actuator/health");
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject components =
          JsonParser.parseString(r.body())
              .getAsJsonObject()
              .getAsJsonObject("components")
              .getAsJsonObject("mediaflow")
              .getAsJsonObject("components");
      JsonObject qiniu = components.getAsJsonObject("qiniu");
      assertThat(qiniu.get("status").getAsString()).isEqualTo("DOWN");
      assertThat(qiniu.getAsJsonObject("details").get("access").getAsString()).isEqualTo("refused");
      assertThat(qiniu.getAsJsonObject("details").get("status").getAsString()).isEqualTo("401");
      assertThat(components.getAsJsonObject("east").get("status").getAsString()).isEqualTo("UP");
      assertThat(r.body()).doesNotContain(WRONG_SECRET);
      assertNoSecret(r.body());
      for (String path : List.of("/actuator/env", "/actuator/configprops")) {
        String body = TestApp.get(port, path).body();
        assertThat(body).doesNotContain(WRONG_SECRET);
        assertNoSecret(body);
      }
    }
  }

  @Test
  void notificationEndpoint_endsTheJob_withoutAPoll() throws Exception {
    QINIU.objects().put("media", "in/source.mp4", "source".getBytes(StandardCharsets.UTF_8));
    long pollsBefore = prefopReads();
    Job job =
        media.submit(
            TestApp.snapshot(
                "out/web.jpg", "http://127.0.0.1:" + port() + "/mediaflow/notify?tenant=a"));
    CompletableFuture<JobStatus> future = job.future();
    JobStatus done = future.get(30, TimeUnit.SECONDS);
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.id()).isEqualTo(job.id());
    // the watcher reads a job once when it starts watching (the job is running then); the next
    // poll is an hour away, so the end came through the notification endpoint
    assertThat(prefopReads())
        .as("ended by the notification, not a poll: " + QINIU.requests())
        .isEqualTo(pollsBefore + 1);
  }

  @Test
  void notificationEndpoint_refusesAForgedNotification() throws Exception {
    HttpResponse<String> r =
        TestApp.HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port() + "/mediaflow/notify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Qiniu AK-qiniu:bm90LWEtc2lnbmF0dXJl")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"z0.forged\",\"code\":0,\"items\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isBetween(400, 499);
  }

  @Test
  void ossAccessCheck_wrongSecret_isRefused_403_withoutTheSecretInItsDetails() {
    java.util.Map<String, String> settings = new java.util.HashMap<>(OSS.clientSettings(true));
    settings.put("media.oss.accessKeySecret", WRONG_SECRET);
    settings.put("media.jobs.store", "none");
    try (MediaClient wrong =
        MediaClient.create(dev.mediaflow.MediaConfig.fromMap(settings), "oss")) {
      dev.mediaflow.spi.AccessCheck check = wrong.checkAccess("media");
      assertThat(check.outcome()).isEqualTo(dev.mediaflow.spi.AccessCheck.Outcome.REFUSED);
      assertThat(check.details()).containsEntry("status", "403").containsEntry("bucket", "media");
      assertThat(check.details().toString())
          .doesNotContain(WRONG_SECRET, dev.mediaflow.spi.AccessCheck.PROBE_KEY);
    }
    assertThat(east.checkAccess("").outcome())
        .isEqualTo(dev.mediaflow.spi.AccessCheck.Outcome.NOT_CHECKED);
  }

  static long prefopReads() {
    return QINIU.requests().stream().filter(l -> l.contains("/status/get/prefop")).count();
  }

  static void assertNoSecret(String body) {
    assertThat(body).doesNotContain(QINIU_SECRET, OSS_SECRET);
  }
}
