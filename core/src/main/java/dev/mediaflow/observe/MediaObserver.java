package dev.mediaflow.observe;

import dev.mediaflow.job.JobState;

/**
 * Hears what a {@code MediaClient} and its watcher do, for metrics and traces: jobs submitted and
 * ended, status polls, notifications, uploads and the vendor's HTTP calls; and brackets the
 * activities a trace shows ({@link #start}).
 *
 * <pre>{@code
 * MediaClient media = MediaClient.builder()
 *     .config(MediaConfig.load())
 *     .observer(new MicrometerMediaObserver(meterRegistry, observationRegistry))  // mediaflow-micrometer
 *     .build();
 * }</pre>
 *
 * <p>Every method has a default that does nothing, so an implementation overrides only what it
 * records, and new events can be added without breaking it. Methods are called on the thread that
 * did the work (a caller's, a watcher's poll thread, OkHttp's); they must be thread-safe, fast, and
 * must not throw (what they throw is caught and logged). Durations are in nanoseconds, measured
 * with {@link System#nanoTime()}. Every value handed over has low cardinality ({@link Origin},
 * operation names, states, status codes, exception classes): never an object key, a job id, a URL
 * or a secret. Parameters are never null unless documented.
 */
public interface MediaObserver {
  /** Returns the observer that records nothing: the default, which costs nothing per call. */
  static MediaObserver noop() {
    return Noop.INSTANCE;
  }

  /**
   * Starts {@code activity} on the calling thread; the returned scope is closed on that thread when
   * it ends. By default returns {@link ActivityScope#NOOP}.
   */
  default ActivityScope start(Activity activity, Origin origin) {
    return ActivityScope.NOOP;
  }

  /**
   * A pipeline was submitted (by {@code MediaClient.submit}, or started with an upload); {@code
   * error} is null when the vendor took it, else why it failed.
   */
  default void jobSubmitted(Origin origin, Throwable error) {}

  /**
   * A watched job ended in {@code state} (a terminal state), {@code watchedNanos} after its watch
   * began (right after submission, or when {@code resume} took it up). Called once per job and
   * watcher.
   */
  default void jobEnded(Origin origin, JobState state, long watchedNanos) {}

  /**
   * A watcher read a job's status: {@code error} is null when it read one, else why it could not
   * (the watcher retries errors that may pass).
   */
  default void statusPolled(Origin origin, Throwable error) {}

  /** The notification intake answered a request the vendor sent. */
  default void notificationReceived(Origin origin, NotificationOutcome outcome) {}

  /**
   * An upload of {@code bytes} (the whole object, parts resumed from a checkpoint included)
   * finished and was verified, {@code nanos} after {@code MediaClient.upload} began.
   */
  default void uploaded(Origin origin, long bytes, long nanos) {}

  /**
   * One HTTP request to the vendor (each retry is a request of its own) got its response headers
   * ({@code status} > 0, {@code error} null) or failed without a response ({@code status} 0, {@code
   * error} the I/O error), {@code nanos} after it was sent.
   *
   * @param operation what the request does, such as {@code submit}, {@code status}, {@code
   *     put-object} or {@code upload-part}; {@code other} when the provider did not say
   * @param method the HTTP method, such as {@code POST}
   */
  default void httpRequest(
      Origin origin, String operation, String method, int status, Throwable error, long nanos) {}
}

/** The observer that records nothing. */
final class Noop implements MediaObserver {
  static final Noop INSTANCE = new Noop();

  private Noop() {}

  @Override
  public String toString() {
    return "MediaObserver.noop()";
  }
}
