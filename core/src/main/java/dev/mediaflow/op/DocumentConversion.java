package dev.mediaflow.op;

import dev.mediaflow.internal.Check;
import java.util.Objects;
import java.util.Optional;

/**
 * Converts an office document or PDF to PDF, to one image per page, or to text.
 *
 * <pre>{@code
 * DocumentConversion pages = DocumentConversion.builder()
 *     .to(DocumentTarget.PNG).from(DocumentType.DOCX).pages(PageRange.parse("1-3,5")).build();
 * }</pre>
 *
 * <p>{@code from} is needed only when the source key has no telling extension. Immutable and
 * thread-safe.
 */
public final class DocumentConversion implements Operation {
  private final DocumentType from;
  private final DocumentTarget to;
  private final PageRange pages;

  private DocumentConversion(Builder b) {
    this.to = Check.notNull("to", b.to);
    this.from = b.from;
    this.pages = b.pages;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a conversion of every page to {@code target}. */
  public static DocumentConversion to(DocumentTarget target) {
    return builder().to(target).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String type() {
    return "convertDocument";
  }

  public Optional<DocumentType> from() {
    return Optional.ofNullable(from);
  }

  public DocumentTarget to() {
    return to;
  }

  /** Returns the pages to convert; empty converts them all. */
  public Optional<PageRange> pages() {
    return Optional.ofNullable(pages);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DocumentConversion d
        && d.from == from
        && d.to == to
        && Objects.equals(d.pages, pages);
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, pages);
  }

  @Override
  public String toString() {
    return Values.describe("DocumentConversion", "from", from, "to", to, "pages", pages);
  }

  /** Builds a {@link DocumentConversion}. */
  public static final class Builder {
    private DocumentType from;
    private DocumentTarget to;
    private PageRange pages;

    private Builder() {}

    private Builder(DocumentConversion d) {
      from = d.from;
      to = d.to;
      pages = d.pages;
    }

    public Builder from(DocumentType from) {
      this.from = Check.notNull("from", from);
      return this;
    }

    public Builder to(DocumentTarget to) {
      this.to = Check.notNull("to", to);
      return this;
    }

    public Builder pages(PageRange pages) {
      this.pages = Check.notNull("pages", pages);
      return this;
    }

    public DocumentConversion build() {
      return new DocumentConversion(this);
    }
  }
}
