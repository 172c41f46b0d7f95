package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.MatchMode;
import com.aliyun.oss.model.PolicyConditions;
import com.google.gson.JsonParser;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadCallback;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Upload grants against the official SDK ({@code aliyun-sdk-oss} 3.18.5 {@code generatePostPolicy}
 * and {@code calculatePostSignature}) and the vectors it produced ({@code docs/signing.md}).
 */
class OssUploadGrantsTest {
  /** POST-V1: aliyun-sdk-oss 3.18.5, AK {@code ak}, SK {@code sk}. */
  private static final String POST_V1_POLICY =
      "eyJleHBpcmF0aW9uIjoiMjAyMy0xMS0xNFQyMjoxMzoyMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlclwvNDJcLyJdLFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTA0ODU3NjBdLFsiZXEiLCIkQ29udGVudC1UeXBlIiwiaW1hZ2VcL2pwZWciXSxbImVxIiwiJHN1Y2Nlc3NfYWN0aW9uX3N0YXR1cyIsIjIwMSJdXX0=";

  /** POST-V4: aliyun-sdk-oss 3.18.5, region cn-hangzhou, signed at 2023-12-17T02:54:37Z. */
  private static final String POST_V4_POLICY =
      "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0xN1QwMzo1NDozNy4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiYWtcLzIwMjMxMjE3XC9jbi1oYW5nemhvdVwvb3NzXC9hbGl5dW5fdjRfcmVxdWVzdCJ9LHsieC1vc3MtZGF0ZSI6IjIwMjMxMjE3VDAyNTQzN1oifSxbInN0YXJ0cy13aXRoIiwiJGtleSIsInVzZXJcLzQyXC8iXSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwNDg1NzYwXSxbImVxIiwiJENvbnRlbnQtVHlwZSIsImltYWdlXC9qcGVnIl1dfQ==";

  private static final Instant V4_TIME = Instant.ofEpochSecond(1702781677);

  private static OssSigner signer(Instant at, String token) {
    return new OssSigner(
        "ak",
        Secret.of("sk"),
        token == null ? null : Secret.of(token),
        "cn-hangzhou",
        Clock.fixed(at, ZoneOffset.UTC));
  }

  static OssUploadGrants grants(String version, Instant at, String token) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("accessKeyId", "ak");
    m.put("accessKeySecret", "sk");
    m.put("region", "cn-hangzhou");
    m.put("signatureVersion", version);
    OssSettings settings = OssSettings.from(ProviderConfig.of("oss", m));
    return new OssUploadGrants(settings, signer(at, token));
  }

  @Test
  void postSignature_v1_isTheSdkVector() {
    assertThat(signer(V4_TIME, null).postSignature(OssSigner.Version.V1, V4_TIME, POST_V1_POLICY))
        .isEqualTo("N/1004B/Kw0T/dkKA+Ilj0b2Wy4=");
  }

  @Test
  void postSignature_v4_isTheSdkVector() {
    assertThat(signer(V4_TIME, null).postSignature(OssSigner.Version.V4, V4_TIME, POST_V4_POLICY))
        .isEqualTo("ca25a277fbd1a8c928172169d56c832e6f1805daadcea83471aab5f55807492f");
  }

  @Test
  void v4Grant_ofTheVectorsRequest_hasTheVectorsConditions_andSignerFields() {
    UploadGrant g =
        grants("v4", V4_TIME, null)
            .grant(
                UploadGrantRequest.builder()
                    .keyPrefix("examplebucket", "user/42/")
                    .size(1, 10485760)
                    .contentTypes("image/jpeg")
                    .expiry(Duration.ofHours(1))
                    .overwrite(true)
                    .build());
    String vector = new String(Base64.getDecoder().decode(POST_V4_POLICY), StandardCharsets.UTF_8);
    String ours =
        new String(Base64.getDecoder().decode(g.fields().get("policy")), StandardCharsets.UTF_8);
    // The vector without success_action_status; ours pins it to 201.
    var expected = JsonParser.parseString(vector).getAsJsonObject();
    expected
        .getAsJsonArray("conditions")
        .add(JsonParser.parseString("[\"eq\",\"$success_action_status\",\"201\"]"));
    assertThat(JsonParser.parseString(ours)).isEqualTo(expected);
    assertThat(g.fields())
        .containsEntry("key", "user/42/")
        .containsEntry("x-oss-signature-version", "OSS4-HMAC-SHA256")
        .containsEntry("x-oss-credential", "ak/20231217/cn-hangzhou/oss/aliyun_v4_request")
        .containsEntry("x-oss-date", "20231217T025437Z")
        .containsEntry("Content-Type", "image/jpeg")
        .containsEntry("success_action_status", "201");
    assertThat(g.method()).isEqualTo("POST");
    assertThat(g.fileField()).isEqualTo("file");
    assertThat(g.url().toString()).isEqualTo("https://examplebucket.oss-cn-hangzhou.aliyuncs.com/");
    assertThat(g.expiresAt()).isEqualTo(V4_TIME.plus(Duration.ofHours(1)));
  }

  @Test
  void v1Grant_ofTheVectorsRequest_hasTheVectorsPolicy() {
    UploadGrant g =
        grants("v1", Instant.ofEpochMilli(1700000000000L).minusSeconds(900), null)
            .grant(
                UploadGrantRequest.builder()
                    .keyPrefix("examplebucket", "user/42/")
                    .size(1, 10485760)
                    .contentTypes("image/jpeg")
                    .overwrite(true)
                    .build());
    String vector = new String(Base64.getDecoder().decode(POST_V1_POLICY), StandardCharsets.UTF_8);
    String ours =
        new String(Base64.getDecoder().decode(g.fields().get("policy")), StandardCharsets.UTF_8);
    assertThat(JsonParser.parseString(ours)).isEqualTo(JsonParser.parseString(vector));
    assertThat(g.fields()).containsEntry("OSSAccessKeyId", "ak").containsKey("Signature");
  }

  /** Random grants, V1 and V4: the same policy as the SDK's, signed as the SDK signs it. */
  @Test
  void randomGrants_matchTheSdksPolicyAndSignature() {
    Random r = new Random(16);
    OSS v1 = sdk(SignVersion.V1, null);
    OSS v4 = sdk(SignVersion.V4, null);
    try {
      for (int i = 0; i < 200; i++) {
        boolean useV4 = i % 2 == 0;
        Instant at = Instant.ofEpochSecond(1_600_000_000L + r.nextInt(200_000_000));
        UploadGrantRequest.Builder b = UploadGrantRequest.builder();
        String bucket = "bucket-" + r.nextInt(5);
        boolean exact = r.nextBoolean();
        String key = "in/" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "/ä b+c.jpg";
        if (exact) {
          b.key(MediaObject.of(bucket, key));
        } else {
          b.keyPrefix(bucket, "u/" + r.nextInt(100) + "/", KeyName.values()[r.nextInt(2)]);
        }
        long min = r.nextInt(3) == 0 ? 0 : r.nextInt(1000);
        long max = min + 1 + r.nextInt(1 << 30);
        boolean sized = r.nextBoolean();
        if (sized) {
          b.size(min, max);
        }
        List<String> types =
            List.of(
                    List.<String>of(),
                    List.of("image/png"),
                    List.of("image/*"),
                    List.of("image/jpeg", "video/mp4"))
                .get(r.nextInt(4));
        b.contentTypes(types.toArray(String[]::new));
        boolean overwrite = r.nextBoolean();
        b.overwrite(overwrite);
        UploadCallback cb =
            r.nextBoolean()
                ? UploadCallback.json("https://app.example.com/cb?x=" + i, "{\"k\":\"${object}\"}")
                : null;
        if (cb != null) {
          b.callback(cb);
        }
        Duration expiry = Duration.ofSeconds(1 + r.nextInt(86400));
        b.expiry(expiry);
        UploadGrantRequest request = b.build();
        UploadGrant g = grants(useV4 ? "v4" : "v1", at, null).grant(request);

        PolicyConditions c = new PolicyConditions();
        c.addConditionItem("bucket", bucket);
        if (useV4) {
          String day = OssSigner.V4_DATE.format(at);
          c.addConditionItem("x-oss-signature-version", "OSS4-HMAC-SHA256");
          c.addConditionItem(
              "x-oss-credential",
              "ak/" + day.substring(0, 8) + "/cn-hangzhou/oss/aliyun_v4_request");
          c.addConditionItem("x-oss-date", day);
        }
        if (exact) {
          c.addConditionItem(MatchMode.Exact, "key", key);
        } else {
          c.addConditionItem(MatchMode.StartWith, "key", request.keyPrefix().get());
        }
        if (sized) {
          c.addConditionItem("content-length-range", min, max);
        }
        if (types.size() == 1 && !types.get(0).endsWith("*")) {
          c.addConditionItem(MatchMode.Exact, "Content-Type", types.get(0));
        } else if (types.size() == 1) {
          c.addConditionItem(MatchMode.StartWith, "Content-Type", "image/");
        } else if (types.size() > 1) {
          c.addConditionItem(MatchMode.In, "Content-Type", types.toArray(String[]::new));
        }
        if (!overwrite) {
          c.addConditionItem(MatchMode.Exact, "x-oss-forbid-overwrite", "true");
        }
        c.addConditionItem(MatchMode.Exact, "success_action_status", "201");
        if (cb != null) {
          c.addConditionItem(MatchMode.Exact, "callback", OssUploads.callbackHeader(cb));
        }
        OSS sdk = useV4 ? v4 : v1;
        String sdkPolicy = sdk.generatePostPolicy(Date.from(at.plus(expiry)), c);
        String ours =
            new String(
                Base64.getDecoder().decode(g.fields().get("policy")), StandardCharsets.UTF_8);
        assertThat(JsonParser.parseString(ours))
            .as("policy %d", i)
            .isEqualTo(JsonParser.parseString(sdkPolicy));
        if (useV4) {
          assertThat(g.fields().get("x-oss-signature"))
              .isEqualTo(sdk.calculatePostSignature(ours, Date.from(at)));
        } else {
          assertThat(g.fields().get("Signature")).isEqualTo(sdk.calculatePostSignature(ours));
        }
      }
    } finally {
      v1.shutdown();
      v4.shutdown();
    }
  }

  @Test
  void stsToken_isAFieldAndAnExactCondition() {
    UploadGrant g =
        grants("v4", V4_TIME, "STS.token")
            .grant(UploadGrantRequest.builder().key(MediaObject.of("media", "a.jpg")).build());
    assertThat(g.fields()).containsEntry("x-oss-security-token", "STS.token");
    assertThat(
            new String(
                Base64.getDecoder().decode(g.fields().get("policy")), StandardCharsets.UTF_8))
        .contains("{\"x-oss-security-token\":\"STS.token\"}");
    assertThat(g.toString()).doesNotContain("STS.token");
  }

  @Test
  void contentHash_isRefusedNamingKeyName() {
    assertThatThrownBy(
            () ->
                grants("v4", V4_TIME, null)
                    .grant(
                        UploadGrantRequest.builder()
                            .keyPrefix("media", "in/", KeyName.CONTENT_HASH)
                            .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("keyName"));
  }

  @Test
  void typePatternMixedWithExactTypes_isRefusedNamingContentTypes() {
    assertThatThrownBy(
            () ->
                grants("v4", V4_TIME, null)
                    .grant(
                        UploadGrantRequest.builder()
                            .key(MediaObject.of("media", "a.jpg"))
                            .contentTypes("image/*", "video/mp4")
                            .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("contentTypes"));
  }

  @Test
  void v4GrantLongerThanSevenDays_isRefusedNamingExpiry() {
    assertThatThrownBy(
            () ->
                grants("v4", V4_TIME, null)
                    .grant(
                        UploadGrantRequest.builder()
                            .key(MediaObject.of("media", "a.jpg"))
                            .expiry(Duration.ofDays(8))
                            .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("expiry"));
  }

  @Test
  void put_cannotLimitSizeOrTypePatternsOrAPrefix_eachRefusedNamingTheOption() {
    OssUploadGrants g = grants("v4", V4_TIME, null);
    UploadGrantRequest.Builder put =
        UploadGrantRequest.builder()
            .key(MediaObject.of("media", "a.jpg"))
            .method(UploadGrantRequest.Method.PUT);
    assertThatThrownBy(() -> g.grant(put.size(0, 10).build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("size"));
    UploadGrantRequest.Builder put2 =
        UploadGrantRequest.builder()
            .key(MediaObject.of("media", "a.jpg"))
            .method(UploadGrantRequest.Method.PUT);
    assertThatThrownBy(() -> g.grant(put2.contentTypes("image/*").build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("contentTypes"));
    assertThatThrownBy(
            () ->
                g.grant(
                    UploadGrantRequest.builder()
                        .keyPrefix("media", "in/")
                        .method(UploadGrantRequest.Method.PUT)
                        .build()))
        .isInstanceOfSatisfying(
            UnsupportedMediaOperationException.class,
            e -> assertThat(e.parameter()).isEqualTo("keyPrefix"));
  }

  @Test
  void put_listsTheHeadersThatMustBeSent_signedInTheUrl() {
    UploadGrant g =
        grants("v4", V4_TIME, null)
            .grant(
                UploadGrantRequest.builder()
                    .key(MediaObject.of("media", "a.jpg"))
                    .contentTypes("image/jpeg")
                    .method(UploadGrantRequest.Method.PUT)
                    .build());
    assertThat(g.method()).isEqualTo("PUT");
    assertThat(g.headers())
        .containsEntry("Content-Type", "image/jpeg")
        .containsEntry("x-oss-forbid-overwrite", "true");
    assertThat(g.url().toString())
        .startsWith("https://media.oss-cn-hangzhou.aliyuncs.com/a.jpg?")
        .contains("x-oss-signature=");
    assertThat(g.fields()).isEmpty();
    assertThat(g.expiresAt()).isEqualTo(V4_TIME.plus(UploadGrantRequest.DEFAULT_EXPIRY));
  }

  private static OSS sdk(SignVersion version, String token) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    return OSSClientBuilder.create()
        .endpoint("https://oss-cn-hangzhou.aliyuncs.com")
        .region("cn-hangzhou")
        .credentialsProvider(
            token == null
                ? new DefaultCredentialProvider("ak", "sk")
                : new DefaultCredentialProvider("ak", "sk", token))
        .clientConfiguration(conf)
        .build();
  }
}
