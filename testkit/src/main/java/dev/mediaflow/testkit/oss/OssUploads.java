package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake OSS's uploads: multipart (initiate, UploadPart, ListParts, complete, abort) and
 * AppendObject, with OSS's errors. Thread-safe.
 */
final class OssUploads {
  private static final Pattern PART =
      Pattern.compile(
          "<Part>\\s*<PartNumber>\\s*(\\d+)\\s*</PartNumber>\\s*<ETag>([^<]*)</ETag>\\s*</Part>");

  private final ObjectStore store;
  private final OssObjects objects;
  private final OssReplies replies;
  private final Clock clock;
  private final Supplier<String> baseUrl;

  OssUploads(
      ObjectStore store,
      OssObjects objects,
      OssReplies replies,
      Clock clock,
      Supplier<String> baseUrl) {
    this.store = store;
    this.objects = objects;
    this.replies = replies;
    this.clock = clock;
    this.baseUrl = baseUrl;
  }

  /**
   * Returns true for the requests this class answers: those with {@code uploadId}, {@code uploads}
   * or {@code append}.
   */
  static boolean handles(Map<String, String> query) {
    return query.containsKey("uploadId")
        || query.containsKey("uploads")
        || query.containsKey("append");
  }

  Reply handle(Request r, String bucket, String key, Map<String, String> query) {
    try {
      return route(r, bucket, key, query);
    } catch (ObjectStore.StoreError e) {
      return replies.error(e.status(), e.code(), e.getMessage()).headersIfAbsent(e.headers());
    }
  }

  private Reply route(Request r, String bucket, String key, Map<String, String> query)
      throws ObjectStore.StoreError {
    String uploadId = query.get("uploadId");
    switch (r.method()) {
      case "POST" -> {
        if (query.containsKey("uploads")) {
          String id = store.initiate(bucket, key);
          store.contentType(bucket, key, r.header("Content-Type"));
          return replies.xml(
              "<InitiateMultipartUploadResult><Bucket>"
                  + bucket
                  + "</Bucket><Key>"
                  + Reply.escapeXml(key)
                  + "</Key><UploadId>"
                  + id
                  + "</UploadId></InitiateMultipartUploadResult>");
        }
        if (query.containsKey("append")) {
          if ("0".equals(query.get("position"))) {
            store.contentType(bucket, key, r.header("Content-Type"));
          }
          return append(r, bucket, key, query);
        }
        return complete(r, bucket, key, uploadId);
      }
      case "PUT" -> {
        int number;
        try {
          number = Integer.parseInt(query.getOrDefault("partNumber", ""));
        } catch (NumberFormatException e) {
          return replies.error(400, "InvalidArgument", "partNumber must be a number");
        }
        ObjectStore.Part p = store.putPart(bucket, key, uploadId, number, r.body());
        return replies
            .status(200)
            .header("ETag", p.etag())
            .header("x-oss-hash-crc64ecma", Long.toUnsignedString(p.crc()));
      }
      case "GET" -> {
        return listParts(bucket, key, uploadId, query);
      }
      case "DELETE" -> {
        store.abort(bucket, key, uploadId);
        return replies.status(204);
      }
      default -> {
        return replies.error(
            405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
      }
    }
  }

  private Reply append(Request r, String bucket, String key, Map<String, String> query)
      throws ObjectStore.StoreError {
    long position;
    try {
      position = Long.parseLong(query.getOrDefault("position", ""));
    } catch (NumberFormatException e) {
      return replies.error(400, "InvalidArgument", "position must be a number");
    }
    ObjectStore.Meta m = store.append(bucket, key, position, r.body());
    return objects
        .headers(Reply.status(200), m)
        .header("x-oss-next-append-position", String.valueOf(m.size()));
  }

  private Reply complete(Request r, String bucket, String key, String uploadId)
      throws ObjectStore.StoreError {
    List<Map.Entry<Integer, String>> listed = new ArrayList<>();
    Matcher m = PART.matcher(r.bodyText());
    while (m.find()) {
      listed.add(
          Map.entry(
              Integer.parseInt(m.group(1)),
              m.group(2).replace("&quot;", "\"").replace("&#34;", "\"")));
    }
    if (listed.isEmpty()) {
      return replies.error(
          400,
          "MalformedXML",
          "The XML you provided was not well-formed or did not validate "
              + "against our published schema.");
    }
    ObjectStore.Meta meta = store.complete(bucket, key, uploadId, listed);
    if (r.header("x-oss-callback") != null) {
      return objects.stored(r, bucket, key, meta);
    }
    String esc = Reply.escapeXml(key);
    return objects.headers(
        Reply.xml(
            200,
            "<CompleteMultipartUploadResult><Location>"
                + baseUrl.get()
                + "/"
                + bucket
                + "/"
                + esc
                + "</Location><Bucket>"
                + bucket
                + "</Bucket><Key>"
                + esc
                + "</Key><ETag>"
                + Reply.escapeXml(meta.etag())
                + "</ETag></CompleteMultipartUploadResult>"),
        meta);
  }

  private Reply listParts(String bucket, String key, String uploadId, Map<String, String> query)
      throws ObjectStore.StoreError {
    int marker = Integer.parseInt(query.getOrDefault("part-number-marker", "0"));
    int max = Integer.parseInt(query.getOrDefault("max-parts", "1000"));
    List<ObjectStore.Part> all =
        store.parts(bucket, key, uploadId).stream().filter(p -> p.number() > marker).toList();
    List<ObjectStore.Part> page = all.subList(0, Math.min(max, all.size()));
    StringBuilder x =
        new StringBuilder("<ListPartsResult><Bucket>")
            .append(bucket)
            .append("</Bucket><Key>")
            .append(Reply.escapeXml(key))
            .append("</Key><UploadId>")
            .append(uploadId)
            .append("</UploadId>")
            .append("<PartNumberMarker>")
            .append(marker)
            .append("</PartNumberMarker><NextPartNumberMarker>")
            .append(page.isEmpty() ? marker : page.get(page.size() - 1).number())
            .append("</NextPartNumberMarker><MaxParts>")
            .append(max)
            .append("</MaxParts><IsTruncated>")
            .append(all.size() > page.size())
            .append("</IsTruncated>");
    for (ObjectStore.Part p : page) {
      x.append("<Part><PartNumber>")
          .append(p.number())
          .append("</PartNumber><LastModified>")
          .append(OssVerifier.ACS_DATE.format(clock.instant()))
          .append("</LastModified><ETag>")
          .append(Reply.escapeXml(p.etag()))
          .append("</ETag><HashCrc64ecma>")
          .append(Long.toUnsignedString(p.crc()))
          .append("</HashCrc64ecma><Size>")
          .append(p.size())
          .append("</Size></Part>");
    }
    return replies.xml(x.append("</ListPartsResult>").toString());
  }
}
