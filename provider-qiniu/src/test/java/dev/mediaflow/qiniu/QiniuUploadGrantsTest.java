package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.qiniu.util.Auth;
import com.qiniu.util.StringMap;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Upload grants with a fixed clock: the form they describe, the put policy their token carries,
 * what Qiniu cannot grant, and the official SDK's {@code Auth.uploadToken} as an oracle over random
 * requests.
 */
class QiniuUploadGrantsTest {
  static final String AK = "abcdefghklmnopq";
  static final String SK = "1234567890";
  static final Auth SDK = Auth.create(AK, SK);
  static final Instant NOW = Instant.parse("2024-05-01T08:00:00Z");

  /** What the uploader gets back without a callback (our template, of Qiniu's magic variables). */
  static final String RETURN_BODY =
      "{\"bucket\":\"$(bucket)\",\"key\":\"$(key)\",\"hash\":\"$(etag)\",\"fsize\":$(fsize),"
          + "\"mimeType\":\"$(mimeType)\"}";

  static final String RETURN_BODY_WITH_JOB =
      "{\"bucket\":\"$(bucket)\",\"key\":\"$(key)\",\"hash\":\"$(etag)\",\"fsize\":$(fsize),"
          + "\"mimeType\":\"$(mimeType)\",\"persistentId\":\"$(persistentId)\"}";

  static QiniuSettings settings(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("accessKey", AK);
    m.put("secretKey", SK);
    m.put("domain", "http://img.example.com");
    m.putAll(extra);
    return QiniuSettings.from(ProviderConfig.of("qiniu", m));
  }

  static QiniuUploadGrants grants(Instant now) {
    QiniuSettings s = settings(Map.of("region", "z2"));
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new QiniuUploadGrants(
        s, new QiniuSigner(AK, Secret.of(SK), clock), new QiniuPfop(s), clock);
  }

  static JsonObject policy(String token) {
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(token.split(":")[2]), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  @Test
  void exactKey_isAFormPostToTheUploadHost_withTheTokenAndTheKey() {
    UploadGrant g =
        grants(NOW)
            .grant(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media", "users/42/avatar.jpg"))
                    .size(1, 5 * 1024 * 1024)
                    .contentTypes("image/jpeg", "image/*")
                    .build());
    assertThat(g.url()).isEqualTo(URI.create("https://up-z2.qiniup.com/"));
    assertThat(g.method()).isEqualTo("POST");
    assertThat(g.fileField()).isEqualTo("file");
    assertThat(g.fields().keySet()).containsExactly("token", "key");
    assertThat(g.fields()).containsEntry("key", "users/42/avatar.jpg");
    assertThat(g.headers()).isEmpty();
    assertThat(g.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(g.minSize()).isEqualTo(1);
    assertThat(g.maxSize()).isEqualTo(5 * 1024 * 1024);
    assertThat(g.contentTypes()).containsExactly("image/jpeg", "image/*");
    JsonObject expected = new JsonObject();
    expected.addProperty("scope", "media:users/42/avatar.jpg");
    expected.addProperty("deadline", NOW.getEpochSecond() + 900);
    expected.addProperty("insertOnly", 1);
    expected.addProperty("fsizeMin", 1);
    expected.addProperty("fsizeLimit", 5 * 1024 * 1024);
    expected.addProperty("mimeLimit", "image/jpeg;image/*");
    expected.addProperty("returnBody", RETURN_BODY);
    assertThat(policy(g.fields().get("token"))).isEqualTo(expected);
    assertThat(g.fields().get("token"))
        .isEqualTo(
            SDK.signWithData(Base64.getUrlDecoder().decode(g.fields().get("token").split(":")[2])));
    JsonObject json = JsonParser.parseString(g.toJson()).getAsJsonObject();
    assertThat(json.get("url").getAsString()).isEqualTo("https://up-z2.qiniup.com/");
    assertThat(json.getAsJsonObject("fields").get("token").getAsString())
        .isEqualTo(g.fields().get("token"));
    assertThat(g.toString()).doesNotContain(g.fields().get("token"));
  }

  @Test
  void overwrite_dropsInsertOnly_andUnlimitedSizesAreNotInThePolicy() {
    UploadGrant g =
        grants(NOW)
            .grant(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media", "a.bin"))
                    .overwrite(true)
                    .expiry(Duration.ofSeconds(60))
                    .build());
    JsonObject p = policy(g.fields().get("token"));
    assertThat(p.keySet()).containsExactlyInAnyOrder("scope", "deadline", "returnBody");
    assertThat(p.get("deadline").getAsLong()).isEqualTo(NOW.getEpochSecond() + 60);
  }

  @Test
  void prefix_chosenByTheUploader_givesThePrefixAsTheKeyToComplete() {
    UploadGrant g =
        grants(NOW).grant(UploadGrantRequest.builder().keyPrefix("media", "incoming/").build());
    assertThat(g.fields()).containsEntry("key", "incoming/");
    JsonObject p = policy(g.fields().get("token"));
    assertThat(p.get("scope").getAsString()).isEqualTo("media:incoming/");
    assertThat(p.get("isPrefixalScope").getAsInt()).isEqualTo(1);
    assertThat(p.has("saveKey")).isFalse();
  }

  @Test
  void prefix_namedByQiniu_usesAForcedSaveKey_andSendsNoKey() {
    UploadGrant byName =
        grants(NOW)
            .grant(
                UploadGrantRequest.builder().keyPrefix("media", "in/", KeyName.FILE_NAME).build());
    assertThat(byName.fields().keySet()).containsExactly("token");
    JsonObject p = policy(byName.fields().get("token"));
    assertThat(p.get("saveKey").getAsString()).isEqualTo("in/$(fname)");
    assertThat(p.get("forceSaveKey").getAsBoolean()).isTrue();
    UploadGrant byHash =
        grants(NOW)
            .grant(
                UploadGrantRequest.builder()
                    .keyPrefix("media", "in/", KeyName.CONTENT_HASH)
                    .build());
    assertThat(policy(byHash.fields().get("token")).get("saveKey").getAsString())
        .isEqualTo("in/$(etag)");
  }

  @Test
  void whatQiniuCannotGrant_isRefusedNamingTheOption() {
    assertThatThrownBy(
            () ->
                grants(NOW)
                    .grant(
                        UploadGrantRequest.builder()
                            .keyPrefix("media", "in/")
                            .overwrite(true)
                            .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("overwrite"));
    assertThatThrownBy(
            () ->
                grants(NOW)
                    .grant(UploadGrantRequest.builder().keyPrefix("media", "in/$(x:uid)/").build()))
        .isInstanceOfSatisfying(
            MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("keyPrefix"));
    // Qiniu has no presigned PUT: a PUT grant is refused, never quietly turned into a form
    assertThatThrownBy(
            () ->
                grants(NOW)
                    .grant(
                        UploadGrantRequest.builder()
                            .key(MediaObject.of("media", "a.jpg"))
                            .method(UploadGrantRequest.Method.PUT)
                            .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("method"));
    assertThatThrownBy(
            () ->
                grants(NOW)
                    .grant(
                        UploadGrantRequest.builder()
                            .key(MediaObject.of("media.bucket", "a.jpg"))
                            .build()))
        .isInstanceOf(MediaValidationException.class);
  }

  @Test
  void callbackAndPipeline_becomeTheCallbackAndPersistentFields() {
    MediaObject video = MediaObject.of("media", "raw/in.mp4");
    Pipeline cover =
        Pipeline.from(video)
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("media", "out/cover.jpg")
            .notifyUrl("https://app.example.com/jobs")
            .queue("p1")
            .build();
    QiniuUploadGrants grants = grants(NOW);
    JsonObject withJob =
        policy(
            grants
                .grant(UploadGrantRequest.builder().key(video).process(cover).build())
                .fields()
                .get("token"));
    assertThat(withJob.get("persistentOps").getAsString())
        .isEqualTo(new QiniuPfop(settings(Map.of())).form(cover).get("fops"));
    assertThat(withJob.get("persistentNotifyUrl").getAsString())
        .isEqualTo("https://app.example.com/jobs");
    assertThat(withJob.get("persistentPipeline").getAsString()).isEqualTo("p1");
    assertThat(withJob.get("returnBody").getAsString()).isEqualTo(RETURN_BODY_WITH_JOB);

    JsonObject withCallback =
        policy(
            grants
                .grant(
                    UploadGrantRequest.builder()
                        .key(video)
                        .callback(
                            UploadCallback.json(
                                    "https://app.example.com/stored", "{\"key\":\"$(key)\"}")
                                .withHost("app.example.com"))
                        .build())
                .fields()
                .get("token"));
    assertThat(withCallback.get("callbackUrl").getAsString())
        .isEqualTo("https://app.example.com/stored");
    assertThat(withCallback.get("callbackBody").getAsString()).isEqualTo("{\"key\":\"$(key)\"}");
    assertThat(withCallback.get("callbackBodyType").getAsString()).isEqualTo("application/json");
    assertThat(withCallback.get("callbackHost").getAsString()).isEqualTo("app.example.com");
    assertThat(withCallback.has("returnBody")).isFalse();
  }

  /**
   * The SDK computes the deadline from the system clock: our grant is made with a clock fixed at
   * the SDK's deadline minus the expiry, then the two policies are compared field by field (the
   * SDK's Gson writes '=' as \u003d and orders fields its own way, so the texts differ) and our
   * token's signature is checked over our encoded policy.
   */
  @Test
  void tokens_carryTheSdksPolicy_overRandomRequests() {
    Random random = new Random(16);
    String[] types = {"image/*", "image/jpeg", "video/mp4", "text/plain", "application/pdf"};
    for (int i = 0; i < 300; i++) {
      String key = "k" + QiniuAuthTest.randomText(random, 1 + random.nextInt(30));
      boolean prefix = random.nextBoolean();
      KeyName name = prefix ? KeyName.values()[random.nextInt(3)] : KeyName.CHOSEN_BY_UPLOADER;
      boolean overwrite = !prefix && random.nextBoolean();
      long expiry = 1 + random.nextInt(86_400);
      UploadGrantRequest.Builder request =
          UploadGrantRequest.builder().expiry(Duration.ofSeconds(expiry)).overwrite(overwrite);
      StringMap sdk = new StringMap();
      if (prefix) {
        request.keyPrefix("media", key, name);
        sdk.put("isPrefixalScope", 1);
        if (name == KeyName.FILE_NAME) {
          sdk.put("saveKey", key + "$(fname)").put("forceSaveKey", true);
        } else if (name == KeyName.CONTENT_HASH) {
          sdk.put("saveKey", key + "$(etag)").put("forceSaveKey", true);
        }
      } else {
        request.key(MediaObject.of("media", key));
      }
      if (!overwrite) {
        sdk.put("insertOnly", 1);
      }
      if (random.nextBoolean()) {
        long min = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1000);
        long max = min + 1 + (long) random.nextInt(Integer.MAX_VALUE) * random.nextInt(4);
        request.size(min, max);
        if (min > 0) {
          sdk.put("fsizeMin", min);
        }
        sdk.put("fsizeLimit", max);
      }
      List<String> chosen = new ArrayList<>();
      for (String t : types) {
        if (random.nextInt(3) == 0) {
          chosen.add(t);
        }
      }
      if (!chosen.isEmpty()) {
        request.contentTypes(chosen.toArray(String[]::new));
        sdk.put("mimeLimit", String.join(";", chosen));
      }
      if (random.nextBoolean()) {
        String url = "https://app.example.com/cb?v=" + QiniuAuthTest.randomText(random, 8);
        String body = "key=$(key)&hash=$(etag)&x=" + QiniuAuthTest.randomText(random, 6);
        boolean json = random.nextBoolean();
        request.callback(json ? UploadCallback.json(url, body) : UploadCallback.form(url, body));
        sdk.put("callbackUrl", url).put("callbackBody", body);
        if (json) {
          sdk.put("callbackBodyType", "application/json");
        }
      } else {
        sdk.put("returnBody", RETURN_BODY);
      }
      String sdkToken = SDK.uploadToken("media", key, expiry, sdk, true);
      JsonObject expected = policy(sdkToken);
      long deadline = expected.get("deadline").getAsLong();
      UploadGrant g = grants(Instant.ofEpochSecond(deadline - expiry)).grant(request.build());
      String token = g.fields().get("token");
      JsonObject ours = policy(token);
      assertThat(ours).as("request %d: %s", i, request.build()).isEqualTo(expected);
      for (Map.Entry<String, JsonElement> e : expected.entrySet()) {
        assertThat(ours.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(token)
          .isEqualTo(SDK.signWithData(Base64.getUrlDecoder().decode(token.split(":")[2])));
      assertThat(g.expiresAt()).isEqualTo(Instant.ofEpochSecond(deadline));
    }
  }
}
