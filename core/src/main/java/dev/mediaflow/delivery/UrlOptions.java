package dev.mediaflow.delivery;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;
import dev.mediaflow.op.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a delivery URL shows and for how long: signed with an expiry (the default, one hour) or
 * unsigned for a public bucket; the original, or the result of processing steps applied by the
 * vendor on the fly, or of a named style defined in the vendor's console; with an optional download
 * name and content type for the response.
 *
 * <pre>{@code
 * SignedUrl thumb = media.url(MediaObject.of("media", "photos/cat.jpg"), UrlOptions.builder()
 *     .expiry(Duration.ofMinutes(10))
 *     .process(ImageResize.builder().width(320).build())
 *     .build());
 * }</pre>
 *
 * <p>Every value is checked here and encoded by the provider, so nothing in it can make the URL
 * name another object, style or operation. Immutable and thread-safe; absent values are empty.
 */
public final class UrlOptions {
  /** The expiry of a signed URL when none is given. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

  private static final UrlOptions DEFAULTS = builder().build();
  private static final Pattern STYLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern CONTENT_TYPE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  private final Duration expiry;
  private final boolean unsigned;
  private final List<Operation> steps;
  private final String style;
  private final String downloadName;
  private final String contentType;

  private UrlOptions(Builder b) {
    this.expiry = b.expiry;
    this.unsigned = b.unsigned;
    this.steps = b.steps;
    this.style = b.style;
    this.downloadName = b.downloadName;
    this.contentType = b.contentType;
  }

  /** Returns the options of a signed URL of the original, valid for {@link #DEFAULT_EXPIRY}. */
  public static UrlOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns how long a signed URL stays valid. */
  public Duration expiry() {
    return expiry;
  }

  /** Returns true for an unsigned URL, for a bucket that is public-read. */
  public boolean isUnsigned() {
    return unsigned;
  }

  /**
   * Returns the processing steps applied on the fly, in order; empty for the original (or a style).
   */
  public List<Operation> steps() {
    return steps;
  }

  /** Returns the name of a style defined in the vendor's console. */
  public Optional<String> style() {
    return Optional.ofNullable(style);
  }

  /**
   * Returns the file name the browser saves the response as ({@code Content-Disposition:
   * attachment}).
   */
  public Optional<String> downloadName() {
    return Optional.ofNullable(downloadName);
  }

  /** Returns the {@code Content-Type} the response is to carry instead of the stored one. */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UrlOptions u
        && u.expiry.equals(expiry)
        && u.unsigned == unsigned
        && u.steps.equals(steps)
        && Objects.equals(u.style, style)
        && Objects.equals(u.downloadName, downloadName)
        && Objects.equals(u.contentType, contentType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expiry, unsigned, steps, style, downloadName, contentType);
  }

  @Override
  public String toString() {
    return "UrlOptions{"
        + (unsigned ? "unsigned" : "expiry=" + expiry)
        + (steps.isEmpty() ? "" : ", steps=" + steps)
        + (style == null ? "" : ", style=" + style)
        + (downloadName == null ? "" : ", downloadName=" + downloadName)
        + (contentType == null ? "" : ", contentType=" + contentType)
        + "}";
  }

  /** Builds {@link UrlOptions}; each setter checks its value. Not thread-safe. */
  public static final class Builder {
    private Duration expiry = DEFAULT_EXPIRY;
    private boolean unsigned;
    private List<Operation> steps = List.of();
    private String style;
    private String downloadName;
    private String contentType;

    private Builder() {}

    private Builder(UrlOptions o) {
      expiry = o.expiry;
      unsigned = o.unsigned;
      steps = o.steps;
      style = o.style;
      downloadName = o.downloadName;
      contentType = o.contentType;
    }

    /**
     * Sets how long the signed URL stays valid (whole seconds, more than zero); each vendor has a
     * maximum.
     */
    public Builder expiry(Duration expiry) {
      Check.positive("expiry", expiry);
      if (expiry.toMillis() % 1000 != 0) {
        throw new MediaValidationException(
            "expiry", "must be whole seconds, was " + expiry.toMillis() + " ms");
      }
      this.expiry = expiry;
      return this;
    }

    /** Makes the URL unsigned, for a bucket that is public-read. */
    public Builder unsigned() {
      this.unsigned = true;
      return this;
    }

    /**
     * Sets the processing steps the vendor applies on the fly (image operations, one video frame).
     */
    public Builder process(Operation... steps) {
      return process(List.of(steps));
    }

    /**
     * Sets the processing steps the vendor applies on the fly (image operations, one video frame).
     */
    public Builder process(List<Operation> steps) {
      Check.notNull("steps", steps);
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i) == null) {
          // The field's name is made only for the error: options are often built per URL.
          throw new MediaValidationException("steps[" + i + "]", "is required");
        }
      }
      this.steps = List.copyOf(steps);
      return this;
    }

    /** Names a style defined in the vendor's console: letters, digits, '_', '.' and '-'. */
    public Builder style(String name) {
      Check.notNull("style", name);
      if (!STYLE.matcher(name).matches()) {
        throw new MediaValidationException(
            "style",
            "must be 1 to 64 letters, digits, '_', '.' and '-', "
                + "starting with a letter or digit, was \""
                + name
                + "\"");
      }
      this.style = name;
      return this;
    }

    /**
     * Sets the file name the browser saves the response as; any Unicode, no control characters or
     * '/'.
     */
    public Builder downloadName(String name) {
      Check.text("downloadName", name, 255);
      if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\')) {
        throw new MediaValidationException(
            "downloadName",
            "must be a file name without control characters, '/' or '\\', was \"" + name + "\"");
      }
      this.downloadName = name;
      return this;
    }

    /** Sets the {@code Content-Type} of the response, such as {@code image/webp}. */
    public Builder contentType(String type) {
      Check.notNull("contentType", type);
      if (!CONTENT_TYPE.matcher(type).matches()) {
        throw new MediaValidationException(
            "contentType", "must be a media type such as image/jpeg, was \"" + type + "\"");
      }
      this.contentType = type;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws MediaValidationException when both steps and a style are given (a URL shows one or
     *     the other)
     */
    public UrlOptions build() {
      if (style != null && !steps.isEmpty()) {
        throw new MediaValidationException(
            "style", "a URL applies either processing steps or a style, not both");
      }
      return new UrlOptions(this);
    }
  }
}
