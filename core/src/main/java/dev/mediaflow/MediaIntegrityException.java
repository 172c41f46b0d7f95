package dev.mediaflow;

/**
 * The bytes the vendor stored are not the bytes that were sent: the checksum the vendor answered
 * for a part or for the whole object differs from the one Mediaflow computed while sending. Names
 * what was checked and both values, so the mismatch can be reported.
 */
public final class MediaIntegrityException extends MediaException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final String algorithm;
  private final String expected;
  private final String actual;

  /**
   * @param what what was checked, such as {@code part 3 of media/raw/in.mp4}
   * @param algorithm the checksum, such as {@code crc64ecma} or {@code qetag}
   * @param expected the value computed over the bytes sent
   * @param actual the value the vendor answered
   */
  public MediaIntegrityException(String what, String algorithm, String expected, String actual) {
    super(
        "Integrity check failed for "
            + what
            + ": sent "
            + algorithm
            + " "
            + expected
            + ", but the server stored "
            + actual
            + ". The data was corrupted in transit or at rest.");
    this.what = what;
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }

  public String what() {
    return what;
  }

  public String algorithm() {
    return algorithm;
  }

  /** Returns the checksum of the bytes sent. */
  public String expected() {
    return expected;
  }

  /** Returns the checksum the vendor answered. */
  public String actual() {
    return actual;
  }
}
