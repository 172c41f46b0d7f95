package dev.mediaflow.cos;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.cos.CosSettings.Service;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * COS upload grants: a POST Object form (https://cloud.tencent.com/document/product/436/14690)
 * whose policy COS checks, signed as the Java SDK's {@code COSSigner.buildPostObjectSignature} does
 * ({@code q-signature = HMAC-SHA1(HMAC-SHA1(SecretKey, KeyTime), SHA1(policy))}), or a presigned
 * PUT ({@link UploadGrantRequest.Method#PUT}) whose signature covers the headers the browser must
 * send.
 *
 * <p>The policy's conditions, in order: the bucket; the key ({@code eq}, or {@code starts-with} the
 * prefix); {@code q-sign-algorithm}, {@code q-ak} and {@code q-sign-time}; {@code
 * content-length-range}; the content type ({@code eq} one type, {@code starts-with} for {@code
 * image/*}); {@code x-cos-forbid-overwrite=true} unless overwriting is allowed (COS then answers
 * 409 {@code FileAlreadyExists}); {@code success_action_status=201}. Each sent field is pinned by
 * its condition, so the uploader can change nothing but the key's free part and the file.
 *
 * <p>COS makes no upload callback and runs no pipeline on a form upload, and a policy here takes
 * one content type or one {@code type/*} pattern: grants asking for more are refused. Pure given
 * the signer's clock; thread-safe.
 */
final class CosUploadGrants implements UploadGranter {
  /** The largest object POST Object takes, 5 GB, which bounds a size range without a maximum. */
  static final long MAX_POST_SIZE = 5L * 1024 * 1024 * 1024;

  /** The status COS answers a stored form with: 201 and an XML naming the object. */
  static final String SUCCESS_STATUS = "201";

  private static final DateTimeFormatter EXPIRATION =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final CosRequests requests;

  CosUploadGrants(CosRequests requests) {
    this.requests = requests;
  }

  @Override
  public UploadGrant grant(UploadGrantRequest request) {
    if (request.process().isPresent()) {
      throw refused(
          "process",
          "COS runs no pipeline on a browser upload; submit it (media.submit) once the object is"
              + " stored");
    }
    if (request.callback().isPresent()) {
      throw refused(
          "callback",
          "COS calls no server when an upload ends; have the browser report the upload instead");
    }
    if (request.keyName() == KeyName.CONTENT_HASH) {
      throw refused(
          "keyName",
          "COS cannot name an object by its content hash; use CHOSEN_BY_UPLOADER or FILE_NAME");
    }
    MediaObject checked =
        request.key().orElseGet(() -> MediaObject.of(request.bucket(), request.keyPrefix().get()));
    CosRequests.check(checked, request.key().isPresent() ? "key" : "keyPrefix");
    requests.settings().bucket(request.bucket());
    return request.method() == UploadGrantRequest.Method.PUT ? put(request) : post(request);
  }

  private UploadGrant post(UploadGrantRequest request) {
    CosSigner signer = requests.signer();
    Instant now = Instant.ofEpochSecond(signer.clock().instant().getEpochSecond());
    Instant expiresAt = now.plus(request.expiry());
    String keyTime = signer.keyTime(request.expiry());
    CosSettings settings = requests.settings();
    String bucket = settings.bucket(request.bucket());

    JsonArray conditions = new JsonArray();
    conditions.add(exact("bucket", bucket));
    String key;
    if (request.key().isPresent()) {
      key = request.key().get().key();
      conditions.add(condition("eq", "$key", key));
    } else {
      String prefix = request.keyPrefix().get();
      key = request.keyName() == KeyName.FILE_NAME ? prefix + "${filename}" : prefix;
      conditions.add(condition("starts-with", "$key", prefix));
    }
    conditions.add(exact("q-sign-algorithm", "sha1"));
    conditions.add(exact("q-ak", signer.secretId()));
    conditions.add(exact("q-sign-time", keyTime));
    if (request.limitsSize()) {
      JsonArray range = new JsonArray();
      range.add("content-length-range");
      range.add(request.minSize());
      range.add(Math.min(request.maxSize(), MAX_POST_SIZE));
      conditions.add(range);
    }
    String contentType = contentTypeCondition(request.contentTypes(), conditions);
    if (!request.overwrite()) {
      conditions.add(condition("eq", "$x-cos-forbid-overwrite", "true"));
    }
    conditions.add(condition("eq", "$success_action_status", SUCCESS_STATUS));
    JsonObject policy = new JsonObject();
    policy.addProperty("expiration", EXPIRATION.format(expiresAt));
    policy.add("conditions", conditions);
    String policyJson = GSON.toJson(policy);

    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("key", key);
    fields.put(
        "policy", Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8)));
    fields.put("q-sign-algorithm", "sha1");
    fields.put("q-ak", signer.secretId());
    fields.put("q-key-time", keyTime);
    fields.put("q-signature", signer.policySignature(keyTime, policyJson));
    signer.securityToken().ifPresent(t -> fields.put(CosSigner.COS_TOKEN_HEADER, t.reveal()));
    if (contentType != null) {
      fields.put("Content-Type", contentType);
    }
    if (!request.overwrite()) {
      fields.put("x-cos-forbid-overwrite", "true");
    }
    fields.put("success_action_status", SUCCESS_STATUS);
    HttpUrl url = settings.base(Service.COS, bucket);
    return new UploadGrant(
        url.uri(),
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
   * when the uploader sends the file's own type in the {@code Content-Type} field.
   */
  private static String contentTypeCondition(List<String> types, JsonArray conditions) {
    if (types.isEmpty()) {
      return null;
    }
    if (types.size() > 1) {
      throw refused(
          "contentTypes",
          "a COS form policy here takes one content type or one type/* pattern, not " + types);
    }
    String t = types.get(0);
    if (t.endsWith("/*")) {
      conditions.add(condition("starts-with", "$Content-Type", t.substring(0, t.length() - 1)));
      return null;
    }
    conditions.add(condition("eq", "$Content-Type", t));
    return t;
  }

  private UploadGrant put(UploadGrantRequest request) {
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
    CosSettings settings = requests.settings();
    CosSigner signer = requests.signer();
    HttpUrl base = settings.base(Service.COS, settings.bucket(object.bucket()));
    Map<String, String> headers = new LinkedHashMap<>();
    if (types.size() == 1) {
      headers.put("Content-Type", types.get(0));
    }
    if (!request.overwrite()) {
      headers.put("x-cos-forbid-overwrite", "true");
    }
    Duration expiry = request.expiry();
    Instant expiresAt =
        Instant.ofEpochSecond(signer.clock().instant().getEpochSecond()).plus(expiry);
    String query =
        signer.presign(
            "PUT",
            CosRequests.hostHeader(base),
            base.encodedPath() + object.key(),
            headers,
            Map.of(),
            expiry);
    return new UploadGrant(
        URI.create(base + CosSigner.encodePath(object.key()) + "?" + query),
        "PUT",
        Map.of(),
        headers,
        "",
        expiresAt,
        0,
        Long.MAX_VALUE,
        types);
  }

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
    return new UnsupportedMediaOperationException(CosRequests.ID, "grantUpload", option, why);
  }

  @Override
  public String toString() {
    return "CosUploadGrants{" + requests.settings() + "}";
  }
}
