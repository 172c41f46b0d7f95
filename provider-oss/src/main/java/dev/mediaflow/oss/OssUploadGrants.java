package dev.mediaflow.oss;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OSS upload grants: a PostObject form
 * (https://help.aliyun.com/en/oss/developer-reference/postobject) whose policy the vendor checks,
 * signed V4 by default ({@code signatureVersion=v1} for V1), or a presigned PUT ({@link
 * UploadGrantRequest.Method#PUT}).
 *
 * <p>The policy's conditions, in order: the bucket; the V4 signer fields; the STS token; the key
 * ({@code eq}, or {@code starts-with} the prefix); {@code content-length-range}; the content type
 * ({@code eq} one type, {@code starts-with} for {@code image/*}, {@code in} several); {@code
 * x-oss-forbid-overwrite=true} unless overwriting is allowed; {@code success_action_status=201};
 * the {@code callback}. Each sent field is pinned by its condition, so the uploader can change
 * nothing but the key's free part and the file.
 *
 * <p>{@code success_action_status} is 201: OSS answers with a {@code PostResponse} XML that names
 * the stored {@code Key} (the one a {@code ${filename}} key became), {@code Bucket}, {@code
 * Location} and {@code ETag}; the default 204 has no body. With a callback, the answer is the
 * callback server's body instead.
 *
 * <p>A callback body may use the uploader's own variables, {@code ${x:name}}: the uploader sends
 * them as {@code x:name} form fields, which the policy leaves free. OSS runs no pipeline on an
 * upload, so a grant with {@code process} is refused: submit the pipeline from the callback. Pure
 * given the signer's clock; thread-safe.
 */
final class OssUploadGrants implements UploadGranter {
  /** The largest object PostObject takes, 5 GiB, which bounds a size range without a maximum. */
  static final long MAX_POST_SIZE = 5L * 1024 * 1024 * 1024;

  /** The status OSS answers a stored form with: 201 and a {@code PostResponse} XML. */
  static final String SUCCESS_STATUS = "201";

  private static final DateTimeFormatter EXPIRATION =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final OssSettings settings;
  private final OssSigner signer;

  OssUploadGrants(OssSettings settings, OssSigner signer) {
    this.settings = settings;
    this.signer = signer;
  }

  @Override
  public UploadGrant grant(UploadGrantRequest request) {
    if (request.process().isPresent()) {
      throw refused(
          "process",
          "OSS runs no pipeline on an upload; submit it from the upload callback "
              + "(media.submit) once the object is stored");
    }
    OssSigner.Version version = settings.v1() ? OssSigner.Version.V1 : OssSigner.Version.V4;
    if (version == OssSigner.Version.V4
        && request.expiry().compareTo(OssSigner.V4_MAX_EXPIRY) > 0) {
      throw refused("expiry", "a V4 grant lasts at most 7 days, was " + request.expiry());
    }
    if (request.keyName() == KeyName.CONTENT_HASH) {
      throw refused(
          "keyName",
          "OSS cannot name an object by its content hash; use CHOSEN_BY_UPLOADER or FILE_NAME");
    }
    MediaObject checked =
        request.key().orElseGet(() -> MediaObject.of(request.bucket(), request.keyPrefix().get()));
    OssObjects.check(checked, request.key().isPresent() ? "key" : "keyPrefix");
    return request.method() == UploadGrantRequest.Method.PUT
        ? put(request, version)
        : post(request, version);
  }

  private UploadGrant post(UploadGrantRequest request, OssSigner.Version version) {
    Instant now = signer.now();
    Instant expiresAt = now.plus(request.expiry());
    String bucket = request.bucket();
    Map<String, String> signerFields = signer.postFields(version, now);

    JsonArray conditions = new JsonArray();
    conditions.add(exact("bucket", bucket));
    signerFields.forEach(
        (name, value) -> {
          if (!name.equals("OSSAccessKeyId")) {
            conditions.add(exact(name, value));
          }
        });
    Map<String, String> fields = new LinkedHashMap<>();
    String key;
    if (request.key().isPresent()) {
      key = request.key().get().key();
      conditions.add(condition("eq", "$key", key));
    } else {
      String prefix = request.keyPrefix().get();
      key = request.keyName() == KeyName.FILE_NAME ? prefix + "${filename}" : prefix;
      conditions.add(condition("starts-with", "$key", prefix));
    }
    if (request.limitsSize()) {
      JsonArray range = new JsonArray();
      range.add("content-length-range");
      range.add(request.minSize());
      range.add(Math.min(request.maxSize(), MAX_POST_SIZE));
      conditions.add(range);
    }
    String contentType = contentTypeCondition(request.contentTypes(), conditions);
    if (!request.overwrite()) {
      conditions.add(condition("eq", "$x-oss-forbid-overwrite", "true"));
    }
    conditions.add(condition("eq", "$success_action_status", SUCCESS_STATUS));
    String callback = request.callback().map(OssUploads::callbackHeader).orElse(null);
    if (callback != null) {
      conditions.add(condition("eq", "$callback", callback));
    }
    JsonObject policy = new JsonObject();
    policy.addProperty("expiration", EXPIRATION.format(expiresAt));
    policy.add("conditions", conditions);
    String policyText =
        Base64.getEncoder().encodeToString(GSON.toJson(policy).getBytes(StandardCharsets.UTF_8));

    fields.put("key", key);
    if (version == OssSigner.Version.V1) {
      fields.put("OSSAccessKeyId", signerFields.get("OSSAccessKeyId"));
      fields.put("policy", policyText);
      fields.put("Signature", signer.postSignature(version, now, policyText));
    } else {
      fields.put("policy", policyText);
      fields.put("x-oss-signature-version", signerFields.get("x-oss-signature-version"));
      fields.put("x-oss-credential", signerFields.get("x-oss-credential"));
      fields.put("x-oss-date", signerFields.get("x-oss-date"));
      fields.put("x-oss-signature", signer.postSignature(version, now, policyText));
    }
    if (signerFields.containsKey("x-oss-security-token")) {
      fields.put("x-oss-security-token", signerFields.get("x-oss-security-token"));
    }
    if (contentType != null) {
      fields.put("Content-Type", contentType);
    }
    if (!request.overwrite()) {
      fields.put("x-oss-forbid-overwrite", "true");
    }
    fields.put("success_action_status", SUCCESS_STATUS);
    if (callback != null) {
      fields.put("callback", callback);
    }
    URI url = settings.objectUrl(bucket, null).uri();
    return new UploadGrant(
        url,
        "POST",
        fields,
        Map.of(),
        "file",
        expiresAt,
        request.minSize(),
        request.maxSize(),
        request.contentTypes());
  }

  /**
   * Adds the condition on {@code $Content-Type}; returns the one type the form must send, or null
   * when the uploader sends the file's own type.
   */
  private static String contentTypeCondition(List<String> types, JsonArray conditions) {
    if (types.isEmpty()) {
      return null;
    }
    boolean wildcard = types.stream().anyMatch(t -> t.endsWith("/*"));
    if (types.size() == 1 && !wildcard) {
      conditions.add(condition("eq", "$Content-Type", types.get(0)));
      return types.get(0);
    }
    if (types.size() == 1) {
      String t = types.get(0);
      conditions.add(condition("starts-with", "$Content-Type", t.substring(0, t.length() - 1)));
      return null;
    }
    if (wildcard) {
      throw refused(
          "contentTypes",
          "an OSS policy allows one type/* pattern or a list of exact types, not both: " + types);
    }
    JsonArray in = new JsonArray();
    in.add("in");
    // Field names are matched without regard to case; the SDK writes this one in lower case.
    in.add("$content-type");
    JsonArray list = new JsonArray();
    types.forEach(list::add);
    in.add(list);
    conditions.add(in);
    return null;
  }

  private UploadGrant put(UploadGrantRequest request, OssSigner.Version version) {
    if (request.key().isEmpty()) {
      throw refused("keyPrefix", "a presigned PUT is signed for one key; give an exact key");
    }
    if (request.limitsSize()) {
      throw refused("size", "a presigned PUT cannot limit the size; use a form POST");
    }
    List<String> types = request.contentTypes();
    if (types.size() > 1 || (types.size() == 1 && types.get(0).endsWith("/*"))) {
      throw refused(
          "contentTypes",
          "a presigned PUT signs one exact Content-Type; use a form POST for " + types);
    }
    MediaObject object = request.key().get();
    Map<String, String> headers = new LinkedHashMap<>();
    if (types.size() == 1) {
      headers.put("Content-Type", types.get(0));
    }
    if (!request.overwrite()) {
      headers.put("x-oss-forbid-overwrite", "true");
    }
    request.callback().ifPresent(c -> headers.put("x-oss-callback", OssUploads.callbackHeader(c)));
    OssSigner.Presigned p =
        signer.presign(
            version,
            "PUT",
            settings.objectUrl(object.bucket(), object.key()),
            object.bucket(),
            object.key(),
            Map.of(),
            headers,
            request.expiry());
    return new UploadGrant(
        URI.create(p.url()),
        "PUT",
        Map.of(),
        p.headers(),
        "",
        p.expiresAt(),
        0,
        Long.MAX_VALUE,
        types);
  }

  private static final com.google.gson.Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private static JsonObject exact(String name, String value) {
    JsonObject o = new JsonObject();
    o.addProperty(name, value);
    return o;
  }

  private static JsonArray condition(String op, String field, String value) {
    JsonArray a = new JsonArray();
    a.add(op);
    a.add(field);
    a.add(value);
    return a;
  }

  private static UnsupportedMediaOperationException refused(String option, String why) {
    return new UnsupportedMediaOperationException(OssJobClient.ID, "grantUpload", option, why);
  }
}
