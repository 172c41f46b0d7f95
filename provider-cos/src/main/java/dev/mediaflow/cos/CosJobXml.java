package dev.mediaflow.cos;

import dev.mediaflow.MediaValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Cloud Infinite job documents, both ways: a small element tree written with the JDK's {@link
 * XMLStreamWriter} (which escapes every text value, so no user value can open or close an element),
 * and a parser with DTDs and external entities turned off for what the vendor (or anyone posting a
 * callback) sends. Thread-safe.
 */
final class CosJobXml {
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

  private CosJobXml() {}

  /** An element: a name and either text or child elements. Mutable while it is being built. */
  static final class El {
    final String name;
    private String text;
    private final List<El> children = new ArrayList<>();

    El(String name) {
      this.name = name;
    }

    /** Adds a child with text and returns this element. */
    El add(String name, String text) {
      El child = new El(name);
      child.text = text;
      children.add(child);
      return this;
    }

    /** Adds a child with text when {@code text} is not null. */
    El addIf(String name, Object text) {
      return text == null ? this : add(name, String.valueOf(text));
    }

    /** Adds and returns a new child element. */
    El child(String name) {
      El child = new El(name);
      children.add(child);
      return child;
    }

    /** Returns the named child, adding it when absent. */
    El open(String name) {
      for (El c : children) {
        if (c.name.equals(name)) {
          return c;
        }
      }
      return child(name);
    }

    El append(El child) {
      children.add(child);
      return this;
    }

    boolean isEmpty() {
      return text == null && children.isEmpty();
    }

    /** Returns the element on one line, without an XML declaration. */
    @Override
    public String toString() {
      StringWriter out = new StringWriter();
      try {
        XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out);
        write(w);
        w.flush();
        w.close();
      } catch (XMLStreamException e) {
        throw new IllegalStateException("cannot write XML", e);
      }
      return out.toString();
    }

    private void write(XMLStreamWriter w) throws XMLStreamException {
      w.writeStartElement(name);
      if (text != null) {
        w.writeCharacters(text);
      }
      for (El c : children) {
        if (!c.isEmpty()) {
          c.write(w);
        }
      }
      w.writeEndElement();
    }
  }

  // ---- reading

  /** Parses {@code body}; DTDs, external entities and XInclude are refused. */
  static Element parse(byte[] body, String what) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new ByteArrayInputStream(body));
      return d.getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new MediaValidationException(what, "is not well-formed XML: " + e.getMessage());
    }
  }

  /** Returns the first child element named {@code name}. */
  static Optional<Element> child(Element parent, String name) {
    if (parent == null) {
      return Optional.empty();
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Returns every child element named {@code name}, in order. */
  static List<Element> children(Element parent, String name) {
    List<Element> all = new ArrayList<>();
    if (parent == null) {
      return all;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        all.add(e);
      }
    }
    return all;
  }

  /** Follows a path of child names; empty when any step is missing. */
  static Optional<Element> path(Element from, String... names) {
    Optional<Element> at = Optional.ofNullable(from);
    for (String n : names) {
      at = at.flatMap(e -> child(e, n));
    }
    return at;
  }

  /** Returns the trimmed text at a path of child names, or "" when absent. */
  static String text(Element from, String... names) {
    return path(from, names).map(e -> e.getTextContent().strip()).orElse("");
  }
}
