package dev.mediaflow.micrometer;

import dev.mediaflow.job.JobState;
import dev.mediaflow.observe.Activity;
import dev.mediaflow.observe.ActivityScope;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.NotificationOutcome;
import dev.mediaflow.observe.Origin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Records what Mediaflow does in Micrometer: counters, timers and distribution summaries in a
 * {@link MeterRegistry}, and, when given an {@link ObservationRegistry}, an {@link Observation}
 * around each submit, status read, upload and URL signing, so traces show them (with their vendor
 * requests inside) and the registry's handlers time them.
 *
 * <pre>{@code
 * MediaClient media = MediaClient.builder()
 *     .config(MediaConfig.load())
 *     .observer(new MicrometerMediaObserver(meterRegistry, observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Meters: {@value #JOBS_SUBMITTED}, {@value #JOBS_ENDED}, {@value #JOBS_DURATION}, {@value
 * #JOBS_POLLS}, {@value #NOTIFICATIONS}, {@value #UPLOAD_BYTES}, {@value #UPLOAD_THROUGHPUT},
 * {@value #HTTP_CLIENT_REQUESTS}. Observations: {@value #OBSERVATION_SUBMIT}, {@value
 * #OBSERVATION_STATUS}, {@value #OBSERVATION_UPLOAD}, {@value #OBSERVATION_URL_SIGN}. Every meter
 * and observation carries the tags {@code provider} and {@code instance}; docs/metrics.md lists the
 * others and their values. No tag holds an object key, a job id, a URL or a secret.
 *
 * <p>Thread-safe; share one per registry.
 */
public final class MicrometerMediaObserver implements MediaObserver {
  /** Counter: pipelines submitted, tagged {@code outcome} and {@code exception}. */
  public static final String JOBS_SUBMITTED = "mediaflow.jobs.submitted";

  /** Counter: watched jobs that ended, tagged {@code state}. */
  public static final String JOBS_ENDED = "mediaflow.jobs.ended";

  /**
   * Timer: how long watched jobs took from the start of their watch to their end, by {@code state}.
   */
  public static final String JOBS_DURATION = "mediaflow.jobs.duration";

  /** Counter: status reads by watchers, tagged {@code outcome} and {@code exception}. */
  public static final String JOBS_POLLS = "mediaflow.jobs.polls";

  /** Counter: requests the vendor sent to the notification intake, tagged {@code outcome}. */
  public static final String NOTIFICATIONS = "mediaflow.notifications";

  /** Distribution summary (bytes): the size of each finished upload. */
  public static final String UPLOAD_BYTES = "mediaflow.upload.bytes";

  /** Distribution summary (bytes per second): the throughput of each finished upload. */
  public static final String UPLOAD_THROUGHPUT = "mediaflow.upload.throughput";

  /** Timer: HTTP requests to the vendor, tagged operation, method, status, outcome, exception. */
  public static final String HTTP_CLIENT_REQUESTS = "mediaflow.http.client.requests";

  /** Observation around {@code MediaClient.submit}. */
  public static final String OBSERVATION_SUBMIT = "mediaflow.job.submit";

  /** Observation around one status read (a call of {@code MediaClient.status}, or a poll). */
  public static final String OBSERVATION_STATUS = "mediaflow.job.status";

  /** Observation around {@code MediaClient.upload}. */
  public static final String OBSERVATION_UPLOAD = "mediaflow.upload";

  /** Observation around {@code MediaClient.url}. */
  public static final String OBSERVATION_URL_SIGN = "mediaflow.url.sign";

  /** The unit of {@value #UPLOAD_THROUGHPUT}. */
  public static final String BYTES_PER_SECOND = "bytes.per.second";

  private final MeterRegistry meters;
  private final ObservationRegistry observations;

  /** Records meters in {@code meters}, and no observation. */
  public MicrometerMediaObserver(MeterRegistry meters) {
    this(meters, ObservationRegistry.NOOP);
  }

  /**
   * Records meters in {@code meters} and observations in {@code observations} (pass {@link
   * ObservationRegistry#NOOP} for none).
   */
  public MicrometerMediaObserver(MeterRegistry meters, ObservationRegistry observations) {
    this.meters = Objects.requireNonNull(meters, "meters");
    this.observations = Objects.requireNonNull(observations, "observations");
  }

  /** Returns the name of the observation around {@code activity}. */
  public static String observationName(Activity activity) {
    return switch (activity) {
      case SUBMIT -> OBSERVATION_SUBMIT;
      case STATUS -> OBSERVATION_STATUS;
      case UPLOAD -> OBSERVATION_UPLOAD;
      case URL_SIGN -> OBSERVATION_URL_SIGN;
    };
  }

  private static Tags tags(Origin origin) {
    return Tags.of("provider", origin.provider(), "instance", origin.instance());
  }

  private static String outcome(Throwable error) {
    return error == null ? "success" : "error";
  }

  /** The exception's class name, as Micrometer's own instrumentation tags it; "none" for none. */
  static String exception(Throwable error) {
    if (error == null) {
      return "none";
    }
    String simple = error.getClass().getSimpleName();
    return simple.isEmpty() ? error.getClass().getName() : simple;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public ActivityScope start(Activity activity, Origin origin) {
    if (observations.isNoop()) {
      return ActivityScope.NOOP;
    }
    Observation observation =
        Observation.createNotStarted(observationName(activity), observations)
            .contextualName("mediaflow " + activity.tagValue())
            .lowCardinalityKeyValue("provider", origin.provider())
            .lowCardinalityKeyValue("instance", origin.instance())
            .start();
    Observation.Scope scope = observation.openScope();
    return new ActivityScope() {
      @Override
      public void tag(String key, String value) {
        observation.lowCardinalityKeyValue(key, value);
      }

      @Override
      public void error(Throwable error) {
        observation.error(error);
      }

      @Override
      public void close() {
        try {
          scope.close();
        } finally {
          observation.stop();
        }
      }
    };
  }

  @Override
  public void jobSubmitted(Origin origin, Throwable error) {
    Counter.builder(JOBS_SUBMITTED)
        .description("Pipelines submitted to the vendor")
        .tags(tags(origin))
        .tag("outcome", outcome(error))
        .tag("exception", exception(error))
        .register(meters)
        .increment();
  }

  @Override
  public void jobEnded(Origin origin, JobState state, long watchedNanos) {
    Tags tags = tags(origin).and("state", lower(state));
    Counter.builder(JOBS_ENDED)
        .description("Watched jobs that ended, by final state")
        .tags(tags)
        .register(meters)
        .increment();
    Timer.builder(JOBS_DURATION)
        .description("Time from the start of a job's watch to its end")
        .tags(tags)
        .register(meters)
        .record(Math.max(0, watchedNanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public void statusPolled(Origin origin, Throwable error) {
    Counter.builder(JOBS_POLLS)
        .description("Status reads by job watchers")
        .tags(tags(origin))
        .tag("outcome", outcome(error))
        .tag("exception", exception(error))
        .register(meters)
        .increment();
  }

  @Override
  public void notificationReceived(Origin origin, NotificationOutcome outcome) {
    Counter.builder(NOTIFICATIONS)
        .description("Requests the vendor sent to the notification intake, by outcome")
        .tags(tags(origin))
        .tag("outcome", outcome.tagValue())
        .register(meters)
        .increment();
  }

  @Override
  public void uploaded(Origin origin, long bytes, long nanos) {
    Tags tags = tags(origin);
    DistributionSummary.builder(UPLOAD_BYTES)
        .description("Size of each finished upload")
        .baseUnit(BaseUnits.BYTES)
        .tags(tags)
        .register(meters)
        .record(bytes);
    if (nanos > 0) {
      DistributionSummary.builder(UPLOAD_THROUGHPUT)
          .description("Throughput of each finished upload")
          .baseUnit(BYTES_PER_SECOND)
          .tags(tags)
          .register(meters)
          .record(bytes * 1e9 / nanos);
    }
  }

  @Override
  public void httpRequest(
      Origin origin, String operation, String method, int status, Throwable error, long nanos) {
    Timer.builder(HTTP_CLIENT_REQUESTS)
        .description("HTTP requests to the vendor, each retry on its own")
        .tags(tags(origin))
        .tag("operation", operation)
        .tag("method", method)
        .tag("status", status > 0 ? String.valueOf(status) : "IO_ERROR")
        .tag("outcome", status > 0 ? Outcome.forStatus(status).name() : Outcome.UNKNOWN.name())
        .tag("exception", exception(error))
        .register(meters)
        .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "MicrometerMediaObserver{meters="
        + meters.getClass().getSimpleName()
        + ", observations="
        + (observations.isNoop() ? "none" : observations.getClass().getSimpleName())
        + "}";
  }
}
