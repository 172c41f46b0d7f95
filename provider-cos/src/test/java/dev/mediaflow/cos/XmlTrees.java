package dev.mediaflow.cos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Compares XML documents as trees: element names, trimmed texts and children, where children may
 * come in any order. The SDKs' serializers order some siblings differently from the documents
 * (Java's {@code CIMediaXmlFactory} writes {@code Output} before {@code Snapshot}, {@code Duration}
 * before {@code Start}); every SDK sends its own order and Cloud Infinite takes them all, so order
 * is not compared. An empty element counts as absent: the Java SDK writes {@code <UserData/>} for a
 * field never set.
 */
final class XmlTrees {
  private XmlTrees() {}

  static String canonical(String xml) {
    return canonical(CosJobXml.parse(xml.getBytes(StandardCharsets.UTF_8), "xml"));
  }

  static String canonical(byte[] xml) {
    return canonical(new String(xml, StandardCharsets.UTF_8));
  }

  private static String canonical(Element e) {
    List<String> children = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        String child = canonical(c);
        if (!child.equals("<" + c.getTagName() + "></" + c.getTagName() + ">")) {
          children.add(child);
        }
      } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
        text.append(n.getNodeValue());
      }
    }
    children.sort(null);
    String t = children.isEmpty() ? text.toString().strip() : "";
    return "<" + e.getTagName() + ">" + t + String.join("", children) + "</" + e.getTagName() + ">";
  }
}
