package dev.mediaflow.testkit.cos;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Multipart;
import dev.mediaflow.testkit.ObjectStore;
import dev.mediaflow.testkit.PolicyConditions;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * COS's browser form upload, POST Object (https://cloud.tencent.com/document/product/436/14690): a
 * multipart/form-data POST to the bucket with {@code key}, a Base64 {@code policy} (expiration and
 * conditions), {@code q-sign-algorithm}, {@code q-ak}, {@code q-key-time} and {@code q-signature} =
 * HMAC-SHA1(HMAC-SHA1-hex(SecretKey, q-key-time), SHA1-hex(policy JSON)), then the file. Answers
 * 204 (or {@code success_action_status} 200 or 201 with {@code PostResponse} XML). Thread-safe.
 */
final class CosPostObject {
  private final Map<String, String> secrets;
  private final Map<String, String> tokens;
  private final Clock clock;
  private final CosReplies replies;
  private final ObjectStore store;

  CosPostObject(
      Map<String, String> secrets,
      Map<String, String> tokens,
      Clock clock,
      CosReplies replies,
      ObjectStore store) {
    this.secrets = secrets;
    this.tokens = tokens;
    this.clock = clock;
    this.replies = replies;
    this.store = store;
  }

  Reply post(Request r, String bucket) throws IOException {
    String resource = CosObjects.resource(r);
    if (r.form().isEmpty()) {
      return replies.error(
          400,
          "MalformedPOSTRequest",
          "The body of your POST request is not well-formed multipart/form-data.",
          resource);
    }
    Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Multipart.Part file = null;
    for (Multipart.Part p : r.form().get().parts()) {
      if (p.name().equals("file")) {
        file = p;
        break;
      }
      if (!p.isFile()) {
        fields.putIfAbsent(p.name(), p.value());
      }
    }
    if (file == null || !file.isFile()) {
      return replies.error(
          400, "InvalidArgument", "POST requires exactly one file field, the last one.", resource);
    }
    String rawKey = fields.get("key");
    if (rawKey == null || rawKey.isEmpty()) {
      return replies.error(
          400, "InvalidArgument", "The key field of the form is missing.", resource);
    }
    String name = file.filename() == null ? "" : file.filename();
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    String key = rawKey.replace("${filename}", name);
    Optional<Reply> denied = authorize(fields, bucket, key, file.size(), resource);
    if (denied.isPresent()) {
      return denied.get();
    }
    Optional<Reply> kept =
        CosObjects.keepsExisting(
            fields.get("x-cos-forbid-overwrite"), store, replies, bucket, key, resource);
    if (kept.isPresent()) {
      return kept.get();
    }
    try {
      store.adopt(bucket, key, file.file(), true);
    } catch (IllegalArgumentException e) {
      return replies.error(400, "InvalidURI", e.getMessage(), resource);
    }
    String type = fields.get("Content-Type");
    store.contentType(bucket, key, type != null ? type : file.contentType());
    ObjectStore.Meta meta = store.meta(bucket, key).orElseThrow();
    String location = "http://" + r.header("Host") + "/" + key;
    String status = fields.getOrDefault("success_action_status", "204");
    Reply reply;
    switch (status) {
      case "200" -> reply = replies.status(200);
      case "201" ->
          reply =
              replies.xml(
                  201,
                  "<PostResponse>"
                      + CosXml.el("Location", location)
                      + CosXml.el("Bucket", bucket)
                      + CosXml.el("Key", key)
                      + CosXml.el("ETag", meta.etag())
                      + "</PostResponse>");
      default -> reply = replies.status(204);
    }
    return reply
        .header("ETag", meta.etag())
        .header("Location", location)
        .header("x-cos-hash-crc64ecma", Long.toUnsignedString(meta.crc()));
  }

  private Optional<Reply> authorize(
      Map<String, String> fields, String bucket, String key, long size, String resource) {
    String policyText = fields.get("policy");
    String ak = fields.get("q-ak");
    String keyTime = fields.get("q-key-time");
    String signature = fields.get("q-signature");
    if (policyText == null || ak == null || keyTime == null || signature == null) {
      return Optional.of(
          replies.error(
              403,
              "AccessDenied",
              "A POST upload needs policy, q-ak, q-key-time and q-signature.",
              resource));
    }
    if (!"sha1".equals(fields.getOrDefault("q-sign-algorithm", "sha1"))) {
      return Optional.of(
          replies.error(400, "InvalidArgument", "q-sign-algorithm must be sha1.", resource));
    }
    String secret = secrets.get(ak);
    if (secret == null) {
      return Optional.of(
          replies.error(
              403,
              "InvalidAccessKeyId",
              "The access key Id format you provided is invalid, please check.",
              resource));
    }
    String json;
    JsonObject policy;
    try {
      json = new String(Base64.getDecoder().decode(policyText.trim()), StandardCharsets.UTF_8);
      policy = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      return Optional.of(
          replies.error(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.", resource));
    }
    HexFormat hex = HexFormat.of();
    String signKey =
        hex.formatHex(Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), keyTime));
    String expected =
        hex.formatHex(
            Hashes.hmac(
                "HmacSHA1",
                signKey.getBytes(StandardCharsets.UTF_8),
                hex.formatHex(Hashes.digest("SHA-1", json.getBytes(StandardCharsets.UTF_8)))));
    if (!Hashes.same(expected, signature.trim().toLowerCase(Locale.ROOT))) {
      return Optional.of(
          replies.error(
              403, "SignatureDoesNotMatch", "The Signature you specified is invalid.", resource));
    }
    String[] window = keyTime.split(";");
    long now = clock.instant().getEpochSecond();
    try {
      if (window.length != 2 || now > Long.parseLong(window[1].trim())) {
        return Optional.of(replies.error(403, "AccessDenied", "Request has expired", resource));
      }
    } catch (NumberFormatException e) {
      return Optional.of(
          replies.error(400, "InvalidArgument", "q-key-time must be <start>;<end>.", resource));
    }
    String token = tokens.get(ak);
    if (token != null && !Hashes.same(token, fields.get("x-cos-security-token"))) {
      return Optional.of(
          replies.error(
              403, "InvalidAccessKeyId", "The security token you provided is invalid.", resource));
    }
    if (!policy.has("expiration")
        || !policy.has("conditions")
        || !policy.get("conditions").isJsonArray()) {
      return Optional.of(
          replies.error(
              400,
              "InvalidPolicyDocument",
              "Invalid Policy: the policy needs expiration and conditions.",
              resource));
    }
    try {
      if (clock.instant().isAfter(Instant.parse(policy.get("expiration").getAsString()))) {
        return Optional.of(
            replies.error(
                403, "AccessDenied", "Invalid according to Policy: Policy expired.", resource));
      }
    } catch (DateTimeParseException | UnsupportedOperationException e) {
      return Optional.of(
          replies.error(
              400,
              "InvalidPolicyDocument",
              "Invalid Policy: Invalid 'expiration' value.",
              resource));
    }
    Optional<PolicyConditions.Failure> failed =
        PolicyConditions.check(
            policy.getAsJsonArray("conditions"),
            field -> {
              String low = field.toLowerCase(Locale.ROOT);
              if (low.equals("bucket")) {
                return bucket;
              }
              if (low.equals("key")) {
                return key;
              }
              if (low.equals("q-sign-time")) {
                return keyTime;
              }
              return fields.getOrDefault(field, "");
            },
            size);
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    PolicyConditions.Failure f = failed.get();
    return Optional.of(
        switch (f.kind()) {
          case INVALID ->
              replies.error(
                  400,
                  "InvalidPolicyDocument",
                  "Invalid Policy: Invalid Condition: " + f.condition(),
                  resource);
          case FAILED ->
              replies.error(
                  403,
                  "AccessDenied",
                  "Invalid according to Policy: Policy Condition failed: " + f.condition(),
                  resource);
          case TOO_LARGE ->
              replies.error(
                  400,
                  "EntityTooLarge",
                  "Your proposed upload exceeds the maximum allowed size.",
                  resource);
          case TOO_SMALL ->
              replies.error(
                  400,
                  "EntityTooSmall",
                  "Your proposed upload is smaller than the minimum allowed size.",
                  resource);
        });
  }
}
