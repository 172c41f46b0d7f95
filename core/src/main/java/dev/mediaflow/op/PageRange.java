package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of document pages, written like {@code "1-3,5"}: 1-based page numbers and inclusive ranges,
 * comma-separated, no spaces.
 *
 * <p>Immutable and thread-safe. {@link #toString()} gives back the text it was parsed from.
 */
public final class PageRange {
  private static final Pattern SYNTAX =
      Pattern.compile("[1-9][0-9]{0,5}(-[1-9][0-9]{0,5})?(,[1-9][0-9]{0,5}(-[1-9][0-9]{0,5})?)*");

  /** An inclusive range of pages; {@code first == last} for a single page. */
  public record Span(int first, int last) {
    public Span {
      if (first < 1 || last < first) {
        throw new MediaValidationException("pages", "invalid page span " + first + "-" + last);
      }
    }
  }

  private final String text;
  private final List<Span> spans;

  private PageRange(String text, List<Span> spans) {
    this.text = text;
    this.spans = List.copyOf(spans);
  }

  /** Parses {@code "1-3,5"}. */
  public static PageRange parse(String text) {
    if (text == null || !SYNTAX.matcher(text).matches()) {
      throw new MediaValidationException(
          "pages",
          "must look like \"1-3,5\" (page numbers from 1, ranges with '-', comma-separated, no spaces), was \""
              + text
              + "\"");
    }
    List<Span> spans = new ArrayList<>();
    for (String part : text.split(",")) {
      int dash = part.indexOf('-');
      int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
      if (last < first) {
        throw new MediaValidationException("pages", "range " + part + " ends before it starts");
      }
      spans.add(new Span(first, last));
    }
    return new PageRange(text, spans);
  }

  /** Returns the spans in the order written. */
  public List<Span> spans() {
    return spans;
  }

  /** Returns true when {@code page} (1-based) is in the range. */
  public boolean contains(int page) {
    for (Span s : spans) {
      if (page >= s.first() && page <= s.last()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PageRange p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
