package dev.mediaflow.cos;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads and writes the small XML documents COS and Cloud Infinite exchange: parsing without DTDs or
 * external entities, child lookups by name, and text escaping. Stateless.
 */
final class CosXml {
  private CosXml() {}

  /** Parses {@code xml}; empty when it is not well-formed XML. */
  static Optional<Element> parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      Document d =
          f.newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml.strip().getBytes(StandardCharsets.UTF_8)));
      return Optional.of(d.getDocumentElement());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Returns the first child element named {@code name}, if any. */
  static Optional<Element> child(Element parent, String name) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Returns every child element named {@code name}, in document order. */
  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Returns the text of the element at {@code path} below {@code parent} (each step the first child
   * of that name), or "" when there is none.
   */
  static String text(Element parent, String... path) {
    Element e = parent;
    for (String step : path) {
      Optional<Element> next = child(e, step);
      if (next.isEmpty()) {
        return "";
      }
      e = next.get();
    }
    return e.getTextContent().strip();
  }

  /** Returns the texts of the direct child elements, first of each name wins. */
  static Map<String, String> fields(Element parent) {
    Map<String, String> out = new LinkedHashMap<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e) {
        out.putIfAbsent(e.getTagName(), e.getTextContent().strip());
      }
    }
    return out;
  }

  /** Escapes {@code s} for element text or an attribute value. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
