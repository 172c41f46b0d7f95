package dev.mediaflow.testkit.oss;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.testkit.Hashes;
import dev.mediaflow.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a PostObject form as OSS does: its signature (V4 {@code x-oss-signature} or V1 {@code
 * Signature} over the Base64 policy), the policy's {@code expiration}, and each condition ({@code
 * {"field":"value"}}, {@code eq}, {@code starts-with}, {@code in}, {@code not-in}, {@code
 * content-length-range}), answering OSS's errors
 * (https://help.aliyun.com/en/oss/user-guide/0006-00000227 and the neighbouring error pages).
 * Conditions on {@code $Content-Type} see the type the object will be stored with. Thread-safe.
 */
final class OssPostPolicies {
  private static final DateTimeFormatter V4_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

  /** The longest a V4 form is valid after its {@code x-oss-date}. */
  static final Duration V4_MAX_VALIDITY = Duration.ofDays(7);

  private final Map<String, String> credentials;
  private final Clock clock;
  private final String region;
  private final OssReplies replies;

  OssPostPolicies(Map<String, String> credentials, Clock clock, String region, OssReplies replies) {
    this.credentials = credentials;
    this.clock = clock;
    this.region = region;
    this.replies = replies;
  }

  /**
   * Checks the form; returns OSS's error, or null when the upload may go ahead.
   *
   * @param fields the text fields before the file, looked up without regard to case
   * @param bucket the bucket of the URL
   * @param size the file's size
   * @param contentType the type the object will be stored with
   */
  Reply check(Map<String, String> fields, String bucket, long size, String contentType) {
    String policyText = fields.get("policy");
    if (policyText == null) {
      return replies.error(
          403,
          "AccessDenied",
          "You have no right to access this bucket because of bucket acl.",
          Map.of(),
          "0000-00000000");
    }
    JsonObject policy;
    try {
      policy =
          JsonParser.parseString(
                  new String(Base64.getDecoder().decode(policyText), StandardCharsets.UTF_8))
              .getAsJsonObject();
    } catch (RuntimeException e) {
      return invalid("Invalid Policy: Invalid JSON.", "0000-00000000");
    }
    Reply denied = signature(fields, policyText);
    if (denied != null) {
      return denied;
    }
    if (!policy.has("expiration") || !policy.get("expiration").isJsonPrimitive()) {
      return invalid("Invalid Policy: Policy missing expiration.", "0006-00000208");
    }
    Instant expiration;
    try {
      expiration = Instant.parse(policy.get("expiration").getAsString());
    } catch (DateTimeParseException e) {
      return invalid("Invalid Policy: Invalid 'expiration' value.", "0006-00000209");
    }
    if (!policy.has("conditions")
        || !policy.get("conditions").isJsonArray()
        || policy.getAsJsonArray("conditions").isEmpty()) {
      return invalid("Invalid Policy: Policy missing conditions.", "0006-00000211");
    }
    if (clock.instant().isAfter(expiration)) {
      return replies.error(
          403,
          "AccessDenied",
          "Invalid according to Policy: Policy expired.",
          Map.of(),
          "0006-00000213");
    }
    for (JsonElement c : policy.getAsJsonArray("conditions")) {
      Reply failed = condition(c, fields, bucket, size, contentType);
      if (failed != null) {
        return failed;
      }
    }
    return null;
  }

  private Reply signature(Map<String, String> fields, String policyText) {
    String version = fields.get("x-oss-signature-version");
    if (version != null) {
      if (!version.equals("OSS4-HMAC-SHA256")) {
        return replies.error(
            400,
            "InvalidArgument",
            "x-oss-signature-version must be OSS4-HMAC-SHA256.",
            Map.of(),
            "0002-00000215");
      }
      String[] credential = fields.getOrDefault("x-oss-credential", "").split("/");
      String secret = credential.length == 5 ? credentials.get(credential[0]) : null;
      if (secret == null) {
        return unknownKey(credential.length > 0 ? credential[0] : "");
      }
      String date = fields.getOrDefault("x-oss-date", "");
      Instant at;
      try {
        at = Instant.from(V4_DATE.parse(date));
      } catch (DateTimeParseException e) {
        return replies.error(
            400,
            "InvalidArgument",
            "x-oss-date must be given as 20060102T150405Z for V4.",
            Map.of(),
            "0002-00000215");
      }
      Instant now = clock.instant();
      if (at.isAfter(now.plus(FakeOssServer.MAX_SKEW))) {
        return replies.error(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            Map.of("RequestTime", date),
            "0002-00000504");
      }
      if (now.isAfter(at.plus(V4_MAX_VALIDITY))) {
        return replies.error(
            403, "AccessDenied", "Request has expired.", Map.of(), "0002-00000069");
      }
      String scope = credential[1] + "/" + credential[2] + "/" + credential[3];
      if (!credential[1].equals(date.substring(0, 8))
          || !credential[2].equals(region)
          || !credential[3].equals("oss")
          || !credential[4].equals("aliyun_v4_request")) {
        return replies.error(
            403,
            "SignatureDoesNotMatch",
            "Invalid signing scope " + scope + ".",
            Map.of(),
            "0002-00000040");
      }
      byte[] key =
          Hashes.hmac(
              "HmacSHA256", ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), credential[1]);
      key = Hashes.hmac("HmacSHA256", key, credential[2]);
      key = Hashes.hmac("HmacSHA256", key, "oss");
      key = Hashes.hmac("HmacSHA256", key, "aliyun_v4_request");
      String expected = HexFormat.of().formatHex(Hashes.hmac("HmacSHA256", key, policyText));
      String given = fields.getOrDefault("x-oss-signature", "");
      if (!Hashes.same(expected, given)) {
        return mismatch(credential[0], given, policyText);
      }
      return null;
    }
    String accessKeyId = fields.get("OSSAccessKeyId");
    String secret = accessKeyId == null ? null : credentials.get(accessKeyId);
    if (secret == null) {
      return unknownKey(accessKeyId == null ? "" : accessKeyId);
    }
    String expected =
        Base64.getEncoder()
            .encodeToString(
                Hashes.hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8), policyText));
    String given = fields.getOrDefault("Signature", "");
    if (!Hashes.same(expected, given)) {
      return mismatch(accessKeyId, given, policyText);
    }
    return null;
  }

  private Reply condition(
      JsonElement c, Map<String, String> fields, String bucket, long size, String contentType) {
    if (c.isJsonObject()) {
      JsonObject o = c.getAsJsonObject();
      if (o.size() != 1 || !o.entrySet().iterator().next().getValue().isJsonPrimitive()) {
        return invalid(
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
            "0000-00000000");
      }
      Map.Entry<String, JsonElement> e = o.entrySet().iterator().next();
      String actual = value(e.getKey(), fields, bucket, contentType);
      return e.getValue().getAsString().equals(actual) ? null : failed(c);
    }
    if (!c.isJsonArray() || c.getAsJsonArray().size() != 3) {
      return invalid("Invalid Policy: Invalid Condition: " + c + ".", "0000-00000000");
    }
    JsonArray a = c.getAsJsonArray();
    String op = a.get(0).getAsString().toLowerCase(Locale.ROOT);
    if (op.equals("content-length-range")) {
      long min;
      long max;
      try {
        min = a.get(1).getAsLong();
        max = a.get(2).getAsLong();
      } catch (RuntimeException e) {
        return invalid("Invalid Policy: Invalid content-length-range: " + c + ".", "0006-00000219");
      }
      if (min < 0 || max < 0) {
        return invalid(
            "Invalid Policy: content-length-range must not be negative.", "0006-00000220");
      }
      if (min > max) {
        return invalid(
            "Invalid Policy: content-length-range minimum is greater than maximum.",
            "0006-00000221");
      }
      if (size > max) {
        return replies.error(
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size.",
            Map.of(),
            "0006-00000003");
      }
      if (size < min) {
        return replies.error(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size.",
            Map.of(),
            "0006-00000004");
      }
      return null;
    }
    String field = a.get(1).getAsString();
    if (!field.startsWith("$")) {
      return invalid("Invalid Policy: Invalid Condition: " + c + ".", "0000-00000000");
    }
    String actual = value(field.substring(1), fields, bucket, contentType);
    switch (op) {
      case "eq":
        return a.get(2).getAsString().equals(actual) ? null : failed(c);
      case "starts-with":
        return actual != null && actual.startsWith(a.get(2).getAsString()) ? null : failed(c);
      case "in":
      case "not-in":
        if (!a.get(2).isJsonArray()) {
          return invalid(
              "Invalid Policy: " + op + " needs a list of values: " + c + ".", "0006-00000224");
        }
        boolean found = false;
        for (JsonElement v : a.get(2).getAsJsonArray()) {
          found |= v.getAsString().equals(actual);
        }
        return found == op.equals("in") ? null : failed(c);
      default:
        return invalid("Invalid Policy: Invalid Condition: " + c + ".", "0000-00000000");
    }
  }

  /**
   * The value a condition names: the bucket, the stored Content-Type, else the form field (absent:
   * "").
   */
  private static String value(
      String name, Map<String, String> fields, String bucket, String contentType) {
    String low = name.toLowerCase(Locale.ROOT);
    if (low.equals("bucket")) {
      return bucket;
    }
    if (low.equals("content-type")) {
      return contentType;
    }
    return fields.getOrDefault(name, "");
  }

  /** {@code Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a"]}. */
  private Reply failed(JsonElement c) {
    return replies.error(
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: " + render(c),
        Map.of(),
        "0006-00000227");
  }

  private static String render(JsonElement c) {
    if (c.isJsonObject()) {
      Map.Entry<String, JsonElement> e = c.getAsJsonObject().entrySet().iterator().next();
      return "[\"eq\", \"$" + e.getKey() + "\", " + e.getValue() + "]";
    }
    List<String> parts = new ArrayList<>();
    for (JsonElement e : c.getAsJsonArray()) {
      parts.add(e.isJsonArray() ? render(e) : e.toString());
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private Reply invalid(String message, String ec) {
    return replies.error(400, "InvalidPolicyDocument", message, Map.of(), ec);
  }

  private Reply unknownKey(String accessKeyId) {
    return replies.error(
        403,
        "InvalidAccessKeyId",
        "The OSS Access Key Id you provided does not exist in our records.",
        Map.of("OSSAccessKeyId", accessKeyId),
        "0000-00000000");
  }

  private Reply mismatch(String accessKeyId, String given, String policyText) {
    return replies.error(
        403,
        "SignatureDoesNotMatch",
        MISMATCH,
        Map.of(
            "OSSAccessKeyId", accessKeyId, "SignatureProvided", given, "StringToSign", policyText),
        "0002-00000040");
  }
}
