package dev.mediaflow.oss;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads what OSS and IMM say about tasks: IMM {@code GetTask} answers and the task messages
 * published to a topic (see {@code docs/vendor-notes.md}, "IMM task tracking" and "Task messages"),
 * and OSS's XML error bodies.
 */
final class OssStatus {
  private OssStatus() {}

  /** A task as IMM describes it. */
  record Task(
      String taskId,
      String taskType,
      JobState state,
      String code,
      String message,
      List<MediaObject> objects,
      JsonObject json) {}

  /**
   * Maps IMM's {@code Status} ({@code Running}, {@code Succeeded}, {@code Failed}; any case) or
   * {@code Success}.
   */
  static JobState state(JsonObject o) {
    if (o.has("Status") && o.get("Status").isJsonPrimitive()) {
      return switch (o.get("Status").getAsString().toLowerCase(Locale.ROOT)) {
        case "succeeded", "success" -> JobState.SUCCEEDED;
        case "failed", "failure" -> JobState.FAILED;
        case "cancelled", "canceled" -> JobState.CANCELLED;
        case "queued", "pending", "waiting" -> JobState.QUEUED;
        default -> JobState.RUNNING;
      };
    }
    if (o.has("Success") && o.get("Success").isJsonPrimitive()) {
      return o.get("Success").getAsBoolean() ? JobState.SUCCEEDED : JobState.FAILED;
    }
    return JobState.RUNNING;
  }

  static Task task(JsonObject o) {
    List<MediaObject> objects = new ArrayList<>();
    if (o.has("Targets")) {
      collectUris(o.get("Targets"), objects);
    }
    return new Task(
        string(o, "TaskId"),
        string(o, "TaskType"),
        state(o),
        string(o, "Code"),
        string(o, "Message"),
        objects,
        o);
  }

  /**
   * Parses a topic message: raw JSON, Base64 of it, or MNS XML around it; the {@code content} is
   * JSON again.
   */
  static Task notification(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    for (int depth = 0; depth < 4; depth++) {
      if (text.startsWith("<")) {
        String message = xmlFields(text).get("Message");
        if (message == null) {
          throw notAMessage("an XML body without a Message element");
        }
        text = message.strip();
        continue;
      }
      if (!text.startsWith("{")) {
        try {
          text =
              new String(
                      Base64.getDecoder().decode(text.replaceAll("\\s", "")),
                      StandardCharsets.UTF_8)
                  .strip();
          continue;
        } catch (IllegalArgumentException e) {
          throw notAMessage("neither JSON, XML nor Base64");
        }
      }
      JsonObject o;
      try {
        o = JsonParser.parseString(text).getAsJsonObject();
      } catch (RuntimeException e) {
        throw notAMessage("not valid JSON");
      }
      if (o.has("content") && o.get("content").isJsonPrimitive()) {
        text = o.get("content").getAsString().strip();
        continue;
      }
      if (o.has("content") && o.get("content").isJsonObject()) {
        o = o.getAsJsonObject("content");
      }
      if (!o.has("TaskId")) {
        throw notAMessage("no TaskId");
      }
      return task(o);
    }
    throw notAMessage("nested too deeply");
  }

  static JobStatus status(Task t, Instant observedAt) {
    JobStatus.Builder b =
        JobStatus.builder(JobId.of(OssJobClient.ID, t.taskId()), t.state())
            .output(
                new OutputResult(
                    0,
                    t.state(),
                    t.state() == JobState.SUCCEEDED ? t.objects() : List.of(),
                    t.code(),
                    t.message()))
            .observedAt(observedAt)
            .detail("taskType", t.taskType());
    if (!t.message().isEmpty()) {
      b.message(t.message());
    }
    return b.build();
  }

  private static MediaValidationException notAMessage(String why) {
    return new MediaValidationException(
        "notification",
        "is not an OSS/IMM task message ("
            + why
            + "); pass the body of the message the topic delivered");
  }

  private static void collectUris(JsonElement e, List<MediaObject> out) {
    if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> collectUris(x, out));
    } else if (e.isJsonObject()) {
      e.getAsJsonObject()
          .entrySet()
          .forEach(
              x -> {
                if (x.getKey().equals("URI") && x.getValue().isJsonPrimitive()) {
                  ossUri(x.getValue().getAsString()).ifPresent(out::add);
                } else {
                  collectUris(x.getValue(), out);
                }
              });
    }
  }

  /** {@code oss://bucket/key} as an object. */
  static Optional<MediaObject> ossUri(String uri) {
    if (!uri.startsWith("oss://")) {
      return Optional.empty();
    }
    String rest = uri.substring(6);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(MediaObject.of(rest.substring(0, slash), rest.substring(slash + 1)));
  }

  static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  /**
   * The root's child elements and their text, from an XML document (DTDs refused); empty when not
   * XML.
   */
  static Map<String, String> xmlFields(String xml) {
    Element root = parse(xml);
    return root == null ? new LinkedHashMap<>() : children(root);
  }

  /**
   * Returns the child fields of every top-level {@code <name>} element (such as ListParts' {@code
   * Part}), in order.
   */
  static List<Map<String, String>> xmlElements(String xml, String name) {
    Element root = parse(xml);
    List<Map<String, String>> out = new ArrayList<>();
    if (root != null) {
      NodeList nodes = root.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        if (nodes.item(i) instanceof Element e && e.getNodeName().equals(name)) {
          out.add(children(e));
        }
      }
    }
    return out;
  }

  private static Map<String, String> children(Element parent) {
    Map<String, String> fields = new LinkedHashMap<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n.getNodeType() == Node.ELEMENT_NODE) {
        fields.putIfAbsent(n.getNodeName(), n.getTextContent());
      }
    }
    return fields;
  }

  private static Element parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      Document d =
          f.newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      return d.getDocumentElement();
    } catch (Exception e) {
      return null;
    }
  }
}
