package dev.mediaflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.spi.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** {@link HttpCalls} within a {@link CallBudget}: what a watched job's lease has left. */
class CallBudgetTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final OkHttpClient http =
      SharedHttp.configure(new OkHttpClient.Builder()).readTimeout(Duration.ofSeconds(5)).build();

  private final HttpCalls calls =
      new HttpCalls(
          "acme",
          http,
          RetryPolicy.exponential(3, Duration.ofMillis(10), Duration.ofMillis(100)),
          reply ->
              new MediaServiceException(
                  "acme", reply.code(), "Code" + reply.code(), "req-1", reply.text()),
          Clock.systemUTC(),
          sleeps::add);

  private Request get() {
    return new Request.Builder().url(server.url("/status?id=1")).build();
  }

  @Test
  void aSlowCall_isCutOffWhenTheBudgetIsSpent_andNotRetried() {
    server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("ok").build());
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> CallBudget.within(Duration.ofMillis(300), () -> calls.read(get()).text()))
        .isInstanceOf(MediaClientException.class)
        .hasMessageContaining("GET " + server.getHostName() + "/status")
        .hasMessageContaining("within the time this read was given")
        .satisfies(e -> assertThat(((MediaClientException) e).isOutcomeUnknown()).isFalse());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aRetryThatWouldStartAfterTheBudget_isNotMade() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    assertThatThrownBy(
            () -> CallBudget.within(Duration.ofSeconds(1), () -> calls.read(get()).text()))
        .isInstanceOf(MediaClientException.class);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void withinAnAmpleBudget_callsAndRetriesAreUnchanged() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().body("ok").build());

    assertThat(CallBudget.within(Duration.ofSeconds(30), () -> calls.read(get()).text()))
        .isEqualTo("ok");
    assertThat(sleeps).hasSize(1);
    assertThat(CallBudget.remainingNanos()).as("no budget outside").isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anInnerBudget_neverExtendsTheOuterOne() {
    long inner =
        CallBudget.within(
            Duration.ofMillis(100),
            () -> CallBudget.within(Duration.ofMinutes(1), CallBudget::remainingNanos));

    assertThat(inner).isLessThanOrEqualTo(Duration.ofMillis(100).toNanos());
  }
}
