package dev.mediaflow.testkit.cos;

import dev.mediaflow.testkit.Reply;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the XML documents COS and Cloud Infinite take (job requests, part lists), element order and
 * unknown elements ignored as the SDKs' varied orders need; writes elements back. Stateless.
 */
final class CosXml {
  private CosXml() {}

  /** A document COS cannot read: the reason, answered as {@code MalformedXML}. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses {@code body}; DTDs and external entities are refused. */
  static Element parse(byte[] body) throws Malformed {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
      return b.parse(new ByteArrayInputStream(body)).getDocumentElement();
    } catch (Exception e) {
      throw new Malformed("The XML you provided was not well-formed: " + e.getMessage());
    }
  }

  /** Returns the child elements named {@code name}, in order. */
  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Returns the first child element named {@code name}, or null. */
  static Element child(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0);
  }

  /**
   * Returns the trimmed text of the element at {@code path} (names joined by /), when not blank.
   */
  static Optional<String> text(Element parent, String path) {
    Element e = parent;
    for (String name : path.split("/")) {
      e = child(e, name);
      if (e == null) {
        return Optional.empty();
      }
    }
    String t = e.getTextContent().trim();
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }

  /** Writes {@code e} back as XML, its children in order. */
  static String write(Element e) {
    StringBuilder b = new StringBuilder();
    write(e, b);
    return b.toString();
  }

  private static void write(Element e, StringBuilder b) {
    b.append('<').append(e.getTagName()).append('>');
    NodeList nodes = e.getChildNodes();
    boolean elements = false;
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element c) {
        elements = true;
        write(c, b);
      }
    }
    if (!elements) {
      b.append(Reply.escapeXml(e.getTextContent().trim()));
    }
    b.append("</").append(e.getTagName()).append('>');
  }

  /**
   * Reads {@code e} as a JSON-like value: text for a leaf, a map for an element with children
   * (repeated names become lists).
   */
  static Object toMap(Element e) {
    Map<String, Object> m = new LinkedHashMap<>();
    NodeList nodes = e.getChildNodes();
    boolean elements = false;
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element c) {
        elements = true;
        Object v = toMap(c);
        Object before = m.get(c.getTagName());
        if (before == null) {
          m.put(c.getTagName(), v);
        } else if (before instanceof List<?> l) {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) l;
          list.add(v);
        } else {
          List<Object> list = new ArrayList<>();
          list.add(before);
          list.add(v);
          m.put(c.getTagName(), list);
        }
      }
    }
    return elements ? m : e.getTextContent().trim();
  }

  /** Returns {@code <name>text</name>}, the text escaped. */
  static String el(String name, Object text) {
    return "<" + name + ">" + Reply.escapeXml(String.valueOf(text)) + "</" + name + ">";
  }
}
