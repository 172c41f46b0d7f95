package dev.mediaflow.observe;

/**
 * The activities an observer can bracket with {@link MediaObserver#start}, so a trace shows them
 * and what they call (the vendor's HTTP requests run inside them, on the same thread).
 */
public enum Activity {
  /** {@code MediaClient.submit}: a pipeline sent to the vendor as one job. */
  SUBMIT("submit"),
  /** One read of a job's status, by {@code MediaClient.status} or a watcher's poll. */
  STATUS("status"),
  /** {@code MediaClient.upload}: one upload, single-request or multipart. */
  UPLOAD("upload"),
  /** {@code MediaClient.url}: one delivery URL made (and signed); no network call. */
  URL_SIGN("url.sign");

  private final String tagValue;

  Activity(String tagValue) {
    this.tagValue = tagValue;
  }

  /**
   * Returns the activity's lower-case name: {@code submit}, {@code status}, {@code upload}, {@code
   * url.sign}.
   */
  public String tagValue() {
    return tagValue;
  }
}
