package dev.mediaflow.internal;

import dev.mediaflow.job.JobState;
import dev.mediaflow.observe.Activity;
import dev.mediaflow.observe.ActivityScope;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.NotificationOutcome;
import dev.mediaflow.observe.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps an application's observer so that what it throws is logged, never passed to the work it
 * observes. {@link #of} leaves {@link MediaObserver#noop()} as it is, so the default costs nothing.
 */
public final class GuardedObserver implements MediaObserver {
  private static final Logger log = LoggerFactory.getLogger(GuardedObserver.class);

  private final MediaObserver delegate;

  private GuardedObserver(MediaObserver delegate) {
    this.delegate = delegate;
  }

  /**
   * Returns {@code observer} guarded; the no-op observer and guarded ones are returned as they are.
   */
  public static MediaObserver of(MediaObserver observer) {
    if (observer == MediaObserver.noop() || observer instanceof GuardedObserver) {
      return observer;
    }
    return new GuardedObserver(observer);
  }

  private static void failed(RuntimeException e) {
    log.warn("A MediaObserver threw; ignoring it", e);
  }

  @Override
  public ActivityScope start(Activity activity, Origin origin) {
    ActivityScope scope;
    try {
      scope = delegate.start(activity, origin);
    } catch (RuntimeException e) {
      failed(e);
      return ActivityScope.NOOP;
    }
    if (scope == null || scope == ActivityScope.NOOP) {
      return ActivityScope.NOOP;
    }
    return new ActivityScope() {
      @Override
      public void tag(String key, String value) {
        try {
          scope.tag(key, value);
        } catch (RuntimeException e) {
          failed(e);
        }
      }

      @Override
      public void error(Throwable error) {
        try {
          scope.error(error);
        } catch (RuntimeException e) {
          failed(e);
        }
      }

      @Override
      public void close() {
        try {
          scope.close();
        } catch (RuntimeException e) {
          failed(e);
        }
      }
    };
  }

  @Override
  public void jobSubmitted(Origin origin, Throwable error) {
    try {
      delegate.jobSubmitted(origin, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void jobEnded(Origin origin, JobState state, long watchedNanos) {
    try {
      delegate.jobEnded(origin, state, watchedNanos);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void statusPolled(Origin origin, Throwable error) {
    try {
      delegate.statusPolled(origin, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void notificationReceived(Origin origin, NotificationOutcome outcome) {
    try {
      delegate.notificationReceived(origin, outcome);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void uploaded(Origin origin, long bytes, long nanos) {
    try {
      delegate.uploaded(origin, bytes, nanos);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void httpRequest(
      Origin origin, String operation, String method, int status, Throwable error, long nanos) {
    try {
      delegate.httpRequest(origin, operation, method, status, error, nanos);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
