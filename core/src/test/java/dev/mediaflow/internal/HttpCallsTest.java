package dev.mediaflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.spi.RetryPolicy;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

class HttpCallsTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);
  private final OkHttpClient http =
      SharedHttp.configure(new OkHttpClient.Builder()).readTimeout(Duration.ofSeconds(2)).build();

  private HttpCalls calls(int retries) {
    return new HttpCalls(
        "acme",
        http,
        RetryPolicy.exponential(retries, Duration.ofMillis(10), Duration.ofMillis(100)),
        reply ->
            new MediaServiceException(
                "acme", reply.code(), "Code" + reply.code(), "req-1", reply.text()),
        clock,
        sleeps::add);
  }

  private Request get() {
    return new Request.Builder().url(server.url("/status?id=1")).build();
  }

  private Request post() {
    return new Request.Builder()
        .url(server.url("/submit"))
        .post(RequestBody.create("fops=x", MediaType.get("application/x-www-form-urlencoded")))
        .build();
  }

  private static MockResponse code(int code) {
    return new MockResponse.Builder().code(code).body("{\"error\":\"e" + code + "\"}").build();
  }

  private static MockResponse drop() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
  }

  @Test
  void read_retriesServerErrorsAndThrottling_thenSucceeds() {
    server.enqueue(code(503));
    server.enqueue(code(500));
    server.enqueue(new MockResponse.Builder().body("ok").build());

    assertThat(calls(3).read(get()).text()).isEqualTo("ok");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void read_honoursRetryAfter() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    calls(3).read(get());

    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void read_retriesADroppedConnection() {
    server.enqueue(drop());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    assertThat(calls(3).read(get()).text()).isEqualTo("ok");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void read_doesNotRetryClientErrors() {
    server.enqueue(code(404));

    assertThatThrownBy(() -> calls(3).read(get()))
        .isInstanceOf(MediaServiceException.class)
        .satisfies(
            e -> {
              MediaServiceException s = (MediaServiceException) e;
              assertThat(s.httpStatus()).isEqualTo(404);
              assertThat(s.requestId()).isEqualTo("req-1");
              assertThat(s.isOutcomeUnknown()).isFalse();
            });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void read_givesUpAfterTheRetries() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(code(502));
    }
    assertThatThrownBy(() -> calls(2).read(get())).isInstanceOf(MediaServiceException.class);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void submit_serverError_isNotRetried_andSaysTheOutcomeIsUnknown() {
    server.enqueue(code(500));

    assertThatThrownBy(() -> calls(3).submit(post()))
        .isInstanceOf(MediaServiceException.class)
        .satisfies(e -> assertThat(((MediaServiceException) e).isOutcomeUnknown()).isTrue())
        .hasMessageContaining("may still have been accepted");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void submit_droppedAfterSending_isNotRetried_andSaysTheOutcomeIsUnknown() {
    server.enqueue(drop());
    server.enqueue(new MockResponse.Builder().body("{\"persistentId\":\"dup\"}").build());

    assertThatThrownBy(() -> calls(3).submit(post()))
        .isInstanceOf(MediaClientException.class)
        .satisfies(e -> assertThat(((MediaClientException) e).isOutcomeUnknown()).isTrue())
        .hasMessageContaining("outcome is unknown");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void submit_throttled_isRetried_becauseNothingWasProcessed() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
    server.enqueue(new MockResponse.Builder().body("{\"persistentId\":\"z0.1\"}").build());

    assertThat(calls(3).submit(post()).text()).contains("z0.1");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void submit_clientError_isKnownRejected() {
    server.enqueue(code(400));
    assertThatThrownBy(() -> calls(3).submit(post()))
        .isInstanceOf(MediaServiceException.class)
        .satisfies(e -> assertThat(((MediaServiceException) e).isOutcomeUnknown()).isFalse());
  }

  @Test
  void submit_connectionRefused_isRetriedAndThenReportedAsNotSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Request request = post().newBuilder().url("http://127.0.0.1:" + port + "/submit").build();

    assertThatThrownBy(() -> calls(2).submit(request))
        .isInstanceOf(MediaClientException.class)
        .satisfies(e -> assertThat(((MediaClientException) e).isOutcomeUnknown()).isFalse())
        .hasMessageContaining("nothing was submitted");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void retryAfter_parsesSecondsAndHttpDates() {
    assertThat(HttpCalls.retryAfter("120", clock)).isEqualTo(Duration.ofSeconds(120));
    assertThat(HttpCalls.retryAfter("Sat, 21 Nov 2026 08:00:30 GMT", clock))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(HttpCalls.retryAfter("Sat, 21 Nov 2026 07:00:00 GMT", clock))
        .isEqualTo(Duration.ZERO);
    assertThat(HttpCalls.retryAfter("soon", clock)).isNull();
    assertThat(HttpCalls.retryAfter(null, clock)).isNull();
  }

  @Test
  void sharedClient_neverRetriesBehindOurBack() {
    assertThat(SharedHttp.client().retryOnConnectionFailure()).isFalse();
    assertThat(SharedHttp.client().followRedirects()).isFalse();
    assertThat(SharedHttp.client().connectTimeoutMillis()).isPositive();
    assertThat(SharedHttp.client().readTimeoutMillis()).isPositive();
    assertThat(SharedHttp.client().callTimeoutMillis()).isPositive();
  }
}
