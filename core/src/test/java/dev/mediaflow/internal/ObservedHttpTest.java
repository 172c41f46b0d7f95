package dev.mediaflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.observe.Activity;
import dev.mediaflow.observe.ActivityScope;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.spi.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** Vendor HTTP requests timed and named, through a real server: each attempt is one report. */
class ObservedHttpTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final MediaObserver observer =
      new MediaObserver() {
        @Override
        public void httpRequest(
            Origin origin,
            String operation,
            String method,
            int status,
            Throwable error,
            long nanos) {
          assertThat(nanos).isNotNegative();
          reports.add(
              origin.provider()
                  + "/"
                  + origin.instance()
                  + " "
                  + operation
                  + " "
                  + method
                  + " "
                  + status
                  + " "
                  + (error == null ? "none" : error.getClass().getSimpleName()));
        }
      };
  private final OkHttpClient shared =
      SharedHttp.configure(new OkHttpClient.Builder()).readTimeout(Duration.ofSeconds(2)).build();
  private final OkHttpClient http =
      ObservedHttp.observe(shared, observer, new Origin("acme", "east"));

  private HttpCalls calls(int retries) {
    return new HttpCalls(
        "acme",
        http,
        RetryPolicy.exponential(retries, Duration.ofMillis(1), Duration.ofMillis(5)),
        reply -> new MediaServiceException("acme", reply.code(), "E", "req-1", reply.text()),
        Clock.systemUTC(),
        d -> {});
  }

  private Request get() {
    return new Request.Builder().url(server.url("/objects/secret-key.mp4?token=s3cr3t")).build();
  }

  @Test
  void read_reportsEachAttemptWithTheOperationAndStatus() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    calls(3).read("status", get());

    assertThat(reports)
        .containsExactly("acme/east status GET 503 none", "acme/east status GET 200 none");
  }

  @Test
  void submit_reportsTheRefusal() {
    server.enqueue(new MockResponse.Builder().code(400).build());

    assertThatThrownBy(
            () ->
                calls(3)
                    .submit(
                        "submit",
                        new Request.Builder()
                            .url(server.url("/pfop"))
                            .post(RequestBody.create("a=b", MediaType.get("text/plain")))
                            .build()))
        .isInstanceOf(MediaServiceException.class);

    assertThat(reports).containsExactly("acme/east submit POST 400 none");
  }

  @Test
  void aFailedConnection_isReportedWithStatusZeroAndTheError() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

    assertThatThrownBy(() -> calls(0).read("upload-part", get()))
        .isInstanceOf(MediaClientException.class);

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0)).startsWith("acme/east upload-part GET 0 ").doesNotEndWith(" none");
  }

  @Test
  void aRequestThatNamesNoOperation_isOther() {
    server.enqueue(new MockResponse.Builder().body("ok").build());

    calls(0).read(get());

    assertThat(reports).containsExactly("acme/east other GET 200 none");
  }

  @Test
  void reports_carryNoKeyUrlOrSecret() {
    server.enqueue(new MockResponse.Builder().body("ok").build());

    calls(0).read("head-object", get());

    assertThat(String.join("\n", reports))
        .doesNotContain("secret-key")
        .doesNotContain("s3cr3t")
        .doesNotContain("/objects")
        .doesNotContain(String.valueOf(server.getPort()));
  }

  @Test
  void noop_leavesTheClientAsItIs() {
    assertThat(ObservedHttp.observe(shared, MediaObserver.noop(), new Origin("acme", "acme")))
        .isSameAs(shared);
    assertThat(MediaObserver.noop().start(Activity.SUBMIT, new Origin("acme", "acme")))
        .isSameAs(ActivityScope.NOOP);
  }

  @Test
  void withoutAnObserver_requestsAreSentUntagged() {
    List<Object> tags = new CopyOnWriteArrayList<>();
    OkHttpClient plain =
        shared
            .newBuilder()
            .addInterceptor(
                chain -> {
                  tags.add(String.valueOf(chain.request().tag(ObservedHttp.Operation.class)));
                  return chain.proceed(chain.request());
                })
            .build();
    server.enqueue(new MockResponse.Builder().body("ok").build());

    new HttpCalls(
            "acme",
            plain,
            RetryPolicy.none(),
            r -> new MediaServiceException("acme", r.code(), "E", "", ""),
            Clock.systemUTC())
        .read("status", get());

    assertThat(tags).containsExactly("null");
    assertThat(ObservedHttp.isObserved(plain)).isFalse();
  }

  @Test
  void aClientDerivedFromAnObservedOne_staysObserved() {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    OkHttpClient uploads = http.newBuilder().callTimeout(Duration.ZERO).build();

    new HttpCalls(
            "acme",
            uploads,
            RetryPolicy.none(),
            r -> new MediaServiceException("acme", r.code(), "E", "", ""),
            Clock.systemUTC())
        .read("upload-part", get());

    assertThat(reports).containsExactly("acme/east upload-part GET 200 none");
  }

  @Test
  void aThrowingObserver_isGuarded_andTheCallGoesOn() {
    MediaObserver throwing =
        GuardedObserver.of(
            new MediaObserver() {
              @Override
              public void httpRequest(
                  Origin origin,
                  String operation,
                  String method,
                  int status,
                  Throwable error,
                  long nanos) {
                throw new IllegalStateException("broken observer");
              }

              @Override
              public ActivityScope start(Activity activity, Origin origin) {
                throw new IllegalStateException("broken observer");
              }
            });
    server.enqueue(new MockResponse.Builder().body("ok").build());
    OkHttpClient guarded = ObservedHttp.observe(shared, throwing, new Origin("acme", "acme"));

    HttpCalls.Reply reply =
        new HttpCalls(
                "acme",
                guarded,
                RetryPolicy.none(),
                r -> new MediaServiceException("acme", r.code(), "E", "", ""),
                Clock.systemUTC())
            .read("status", get());

    assertThat(reply.text()).isEqualTo("ok");
    assertThat(throwing.start(Activity.STATUS, new Origin("acme", "acme")))
        .isSameAs(ActivityScope.NOOP);
    assertThat(GuardedObserver.of(MediaObserver.noop())).isSameAs(MediaObserver.noop());
  }
}
