package dev.mediaflow.tck;

import dev.mediaflow.job.JobState;
import dev.mediaflow.observe.Activity;
import dev.mediaflow.observe.ActivityScope;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.NotificationOutcome;
import dev.mediaflow.observe.Origin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link MediaObserver} that writes down every call as one line, for tests that check what is
 * reported: {@code start submit qiniu/qiniu}, {@code tag status state=running}, {@code error submit
 * MediaServiceException}, {@code close submit}, {@code submitted qiniu/qiniu none}, {@code ended
 * qiniu/qiniu SUCCEEDED}, {@code polled qiniu/qiniu none}, {@code notification qiniu/qiniu
 * accepted}, {@code uploaded qiniu/qiniu 1234}, {@code http qiniu/qiniu submit POST 200 none}.
 * Exceptions are written by their simple class name, durations are left out. Thread-safe.
 */
public final class RecordingObserver implements MediaObserver {
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Returns every line so far, in order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** Returns the lines that start with {@code prefix}. */
  public List<String> events(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).toList();
  }

  /** Returns how many lines match {@code line}. */
  public long count(Predicate<String> line) {
    return events.stream().filter(line).count();
  }

  /** Forgets every line so far. */
  public void clear() {
    events.clear();
  }

  private static String origin(Origin o) {
    return o.provider() + "/" + o.instance();
  }

  private static String error(Throwable t) {
    return t == null ? "none" : t.getClass().getSimpleName();
  }

  @Override
  public ActivityScope start(Activity activity, Origin origin) {
    String name = activity.tagValue();
    events.add("start " + name + " " + origin(origin));
    return new ActivityScope() {
      @Override
      public void tag(String key, String value) {
        events.add("tag " + name + " " + key + "=" + value);
      }

      @Override
      public void error(Throwable error) {
        events.add("error " + name + " " + RecordingObserver.error(error));
      }

      @Override
      public void close() {
        events.add("close " + name);
      }
    };
  }

  @Override
  public void jobSubmitted(Origin origin, Throwable error) {
    events.add("submitted " + origin(origin) + " " + error(error));
  }

  @Override
  public void jobEnded(Origin origin, JobState state, long watchedNanos) {
    if (watchedNanos < 0) {
      throw new AssertionError("negative duration " + watchedNanos);
    }
    events.add("ended " + origin(origin) + " " + state);
  }

  @Override
  public void statusPolled(Origin origin, Throwable error) {
    events.add("polled " + origin(origin) + " " + error(error));
  }

  @Override
  public void notificationReceived(Origin origin, NotificationOutcome outcome) {
    events.add("notification " + origin(origin) + " " + outcome.tagValue());
  }

  @Override
  public void uploaded(Origin origin, long bytes, long nanos) {
    if (nanos < 0) {
      throw new AssertionError("negative duration " + nanos);
    }
    events.add("uploaded " + origin(origin) + " " + bytes);
  }

  @Override
  public void httpRequest(
      Origin origin, String operation, String method, int status, Throwable error, long nanos) {
    if (nanos < 0) {
      throw new AssertionError("negative duration " + nanos);
    }
    events.add(
        "http "
            + origin(origin)
            + " "
            + operation
            + " "
            + method
            + " "
            + status
            + " "
            + error(error));
  }

  @Override
  public String toString() {
    return "RecordingObserver" + events;
  }
}
