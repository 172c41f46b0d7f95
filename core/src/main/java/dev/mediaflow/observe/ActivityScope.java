package dev.mediaflow.observe;

/**
 * One activity in progress, opened by {@link MediaObserver#start} on the thread that runs it and
 * closed on that thread when it ends (in a {@code finally} block). An implementation may make it
 * the current span while it is open.
 *
 * <p>Used by one thread.
 */
public interface ActivityScope extends AutoCloseable {
  /** The scope that records nothing. */
  ActivityScope NOOP =
      new ActivityScope() {
        @Override
        public void tag(String key, String value) {}

        @Override
        public void error(Throwable error) {}

        @Override
        public void close() {}
      };

  /**
   * Adds a low-cardinality tag, such as the state a status read found ({@code state=running}).
   * Mediaflow never passes a key, an id or a URL here.
   */
  void tag(String key, String value);

  /** Records that the activity failed with {@code error} (before {@link #close()}). */
  void error(Throwable error);

  /** Ends the activity. */
  @Override
  void close();
}
