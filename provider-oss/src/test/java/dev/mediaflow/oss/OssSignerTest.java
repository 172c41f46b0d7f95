package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * The public vectors: the Go, Python and Java v2 SDKs' signer tests (header signing), the ACS3
 * documentation's RunInstances example, and the presigned URLs {@code
 * com.aliyun.oss:aliyun-sdk-oss} 3.18.5 {@code generatePresignedUrl} makes for fixed inputs (V4 at
 * 2023-12-17T02:54:37Z, credentials {@code ak} / {@code sk} / STS {@code token}, the inputs of the
 * Go SDK v2's {@code TestV1AuthQuery} and {@code TestV4AuthQuery}). jclouds style: a fixed clock
 * and exact expected values.
 */
class OssSignerTest {
  private static Map<String, String> vectorQuery() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("param1", "value1");
    q.put("+param1", "value3");
    q.put("|param1", "value4");
    q.put("+param2", "");
    q.put("|param2", "");
    q.put("param2", "");
    return q;
  }

  private static Map<String, String> vectorHeaders(Instant t) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-oss-head1", "value");
    h.put("abc", "value");
    h.put("ZAbc", "value");
    h.put("XYZ", "value");
    h.put("content-type", "text/plain");
    h.put("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
    h.put("x-oss-date", OssSigner.V4_DATE.format(t));
    return h;
  }

  @Test
  void v4HeaderVectorFromTheSdks() {
    Instant t = Instant.ofEpochSecond(1702743657);
    String canonical =
        OssSigner.v4CanonicalRequest(
            "PUT", "bucket", "1234+-/123/1.txt", vectorQuery(), vectorHeaders(t), Set.of());
    assertThat(canonical)
        .isEqualTo(
            "PUT\n/bucket/1234%2B-/123/1.txt\n"
                + "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n"
                + "content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n"
                + "\n\nUNSIGNED-PAYLOAD");
    assertThat(OssSigner.v4StringToSign(t, OssSigner.v4Scope(t, "cn-hangzhou", "oss"), canonical))
        .endsWith("f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4");
    assertThat(
            OssSigner.v4Authorization(
                "ak",
                "sk",
                "cn-hangzhou",
                "oss",
                t,
                "PUT",
                "bucket",
                "1234+-/123/1.txt",
                vectorQuery(),
                vectorHeaders(t),
                Set.of()))
        .isEqualTo(
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
                + "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
  }

  @Test
  void v4WithAdditionalHeaders() {
    Instant t = Instant.ofEpochSecond(1702747512);
    assertThat(
            OssSigner.v4Authorization(
                "ak",
                "sk",
                "cn-hangzhou",
                "oss",
                t,
                "PUT",
                "bucket",
                "1234+-/123/1.txt",
                vectorQuery(),
                vectorHeaders(t),
                Set.of("zabc", "abc")))
        .isEqualTo(
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,"
                + "Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f");
  }

  @Test
  void v4WithSecurityToken() {
    Instant t = Instant.ofEpochSecond(1702784856);
    Map<String, String> h = vectorHeaders(t);
    h.put("x-oss-security-token", "token");
    assertThat(
            OssSigner.v4Authorization(
                "ak",
                "sk",
                "cn-hangzhou",
                "oss",
                t,
                "PUT",
                "bucket",
                "1234+-/123/1.txt",
                vectorQuery(),
                h,
                Set.of()))
        .isEqualTo(
            "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,"
                + "Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
  }

  @Test
  void oneClientsKeptSigningKeyFollowsTheDayAcrossTheVectors() {
    OssSigner.V4Keys keys = new OssSigner.V4Keys(dev.mediaflow.spi.Secret.of("sk"));
    Instant day16 = Instant.ofEpochSecond(1702743657);
    Instant day16Later = Instant.ofEpochSecond(1702747512);
    Instant day17 = Instant.ofEpochSecond(1702784856);
    Map<String, String> withToken = vectorHeaders(day17);
    withToken.put("x-oss-security-token", "token");
    for (int round = 0;
        round < 2;
        round++) { // the second round goes back a day: the key is derived again
      assertThat(
              OssSigner.v4Authorization(
                  "ak",
                  keys,
                  "cn-hangzhou",
                  "oss",
                  day16,
                  "PUT",
                  "bucket",
                  "1234+-/123/1.txt",
                  vectorQuery(),
                  vectorHeaders(day16),
                  Set.of()))
          .endsWith("Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
      assertThat(
              OssSigner.v4Authorization(
                  "ak",
                  keys,
                  "cn-hangzhou",
                  "oss",
                  day16Later,
                  "PUT",
                  "bucket",
                  "1234+-/123/1.txt",
                  vectorQuery(),
                  vectorHeaders(day16Later),
                  Set.of("zabc", "abc")))
          .endsWith("Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f");
      assertThat(
              OssSigner.v4Authorization(
                  "ak",
                  keys,
                  "cn-hangzhou",
                  "oss",
                  day17,
                  "PUT",
                  "bucket",
                  "1234+-/123/1.txt",
                  vectorQuery(),
                  withToken,
                  Set.of()))
          .endsWith("Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
    }
    // another region has another key; the same keys object then signs the vector's region correctly
    // again
    assertThat(
            OssSigner.v4Authorization(
                "ak",
                keys,
                "cn-shanghai",
                "oss",
                day16,
                "PUT",
                "bucket",
                "1234+-/123/1.txt",
                vectorQuery(),
                vectorHeaders(day16),
                Set.of()))
        .doesNotEndWith("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
    assertThat(
            OssSigner.v4Authorization(
                "ak",
                keys,
                "cn-hangzhou",
                "oss",
                day16,
                "PUT",
                "bucket",
                "1234+-/123/1.txt",
                vectorQuery(),
                vectorHeaders(day16),
                Set.of()))
        .endsWith("Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
    assertThat(keys.toString()).doesNotContain("sk");
  }

  @Test
  void v1VectorFromTheGoSdk() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw==");
    h.put("Content-Type", "text/html");
    h.put("x-oss-meta-author", "alice");
    h.put("x-oss-meta-magic", "abracadabra");
    h.put("x-oss-date", "Wed, 28 Dec 2022 10:27:41 GMT");
    String s = OssSigner.v1StringToSign("PUT", "examplebucket", "nelson", Map.of(), h);
    assertThat(s)
        .isEqualTo(
            "PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n"
                + "x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson");
    assertThat(OssSigner.v1Authorization("ak", "sk", s))
        .isEqualTo("OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
    assertThat(
            OssSigner.v1Authorization(
                "ak",
                "sk",
                OssSigner.v1StringToSign("PUT", "examplebucket", "nelson", Map.of("acl", ""), h)))
        .isEqualTo("OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=");
  }

  @Test
  void v1SignsTheAsyncProcessSubresourceAndNotOtherParameters() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("x-oss-async-process", "");
    q.put("foo", "bar");
    assertThat(OssSigner.v1StringToSign("POST", "b", "k", q, Map.of("Date", "D")))
        .isEqualTo("POST\n\n\nD\n/b/k?x-oss-async-process");
  }

  @Test
  void acs3DocumentationVector() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "ecs.cn-shanghai.aliyuncs.com");
    h.put("x-acs-action", "RunInstances");
    h.put(
        "x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h.put("x-acs-date", "2023-10-26T10:22:32Z");
    h.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
    h.put("x-acs-version", "2014-05-26");
    h.put("Accept", "application/json");
    Map<String, String> q =
        Map.of(
            "RegionId",
            "cn-shanghai",
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
    assertThat(
            OssSigner.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .isEqualTo(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
                + "x-acs-date;x-acs-signature-nonce;x-acs-version,"
                + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  }

  @Test
  void acs3GetTaskWithSecurityToken() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "imm.cn-hangzhou.aliyuncs.com");
    h.put("x-acs-action", "GetTask");
    h.put(
        "x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h.put("x-acs-date", "2024-08-20T07:03:10Z");
    h.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
    h.put("x-acs-version", "2020-09-30");
    Map<String, String> q =
        Map.of(
            "ProjectName",
            "immtest",
            "TaskId",
            "MediaConvert-db7faf5a-99c5-4afe-8309-d167fe530000",
            "TaskType",
            "MediaConvert");
    assertThat(
            OssSigner.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .endsWith("Signature=78b98cdd8b49c97a05fb04fb3bab248dc9f5cce32b64c5f0ee8b31d164979d80");
    h.put("x-acs-security-token", "STS.token-example");
    assertThat(
            OssSigner.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .endsWith("Signature=afee3734de127d5f0ef7f5e315050da010bde3a9d9ae34799079aa700148a9f2");
  }

  // ---- the signer, with a fixed clock

  private static final Instant PRESIGN_TIME =
      Instant.ofEpochSecond(1702781677); // 2023-12-17T02:54:37Z

  private static OssSigner signer(Instant at, String token) {
    return new OssSigner(
        "ak",
        Secret.of("sk"),
        token == null ? null : Secret.of(token),
        "cn-hangzhou",
        Clock.fixed(at, ZoneOffset.UTC));
  }

  private static HttpUrl objectUrl(String bucket, String key) {
    return OssSettings.from(
            ProviderConfig.of(
                "oss",
                Map.of("accessKeyId", "ak", "accessKeySecret", "sk", "region", "cn-hangzhou")))
        .objectUrl(bucket, key);
  }

  @Test
  void sign_v4_addsDateHeadersAndTheVectorsAuthorization() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-oss-head1", "value");
    h.put("abc", "value");
    h.put("ZAbc", "value");
    h.put("XYZ", "value");
    h.put("content-type", "text/plain");
    Map<String, String> sent =
        signer(Instant.ofEpochSecond(1702743657), null)
            .sign(OssSigner.Version.V4, "PUT", "bucket", "1234+-/123/1.txt", vectorQuery(), h);
    assertThat(sent)
        .containsEntry("Date", "Sat, 16 Dec 2023 16:20:57 GMT")
        .containsEntry("x-oss-date", "20231216T162057Z")
        .containsEntry("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
        .containsEntry(
            "Authorization",
            "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
                + "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe")
        .doesNotContainKey("x-oss-security-token");
    h.put("x-oss-date", "x"); // the signer's own date wins
    assertThat(
            signer(Instant.ofEpochSecond(1702784856), "token")
                .sign(OssSigner.Version.V4, "PUT", "bucket", "1234+-/123/1.txt", vectorQuery(), h))
        .containsEntry("x-oss-security-token", "token")
        .containsEntry(
            "Authorization",
            "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,"
                + "Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
  }

  @Test
  void sign_v1_signsTheClocksDate() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw==");
    h.put("Content-Type", "text/html");
    h.put("x-oss-meta-author", "alice");
    h.put("x-oss-meta-magic", "abracadabra");
    h.put("x-oss-date", "Wed, 28 Dec 2022 10:27:41 GMT");
    Map<String, String> sent =
        signer(Instant.parse("2022-12-28T10:27:41Z"), null)
            .sign(OssSigner.Version.V1, "PUT", "examplebucket", "nelson", Map.of(), h);
    assertThat(sent)
        .containsEntry("Date", "Wed, 28 Dec 2022 10:27:41 GMT")
        .containsEntry("Authorization", "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
  }

  @Test
  void signAcs_addsTheAcsHeadersAndTheGetTaskSignature() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-acs-action", "GetTask");
    h.put("x-acs-version", "2020-09-30");
    Map<String, String> q =
        Map.of(
            "ProjectName",
            "immtest",
            "TaskId",
            "MediaConvert-db7faf5a-99c5-4afe-8309-d167fe530000",
            "TaskType",
            "MediaConvert");
    OssSigner s =
        new OssSigner(
            "YourAccessKeyId",
            Secret.of("YourAccessKeySecret"),
            Secret.of("STS.token-example"),
            "cn-hangzhou",
            Clock.fixed(Instant.parse("2024-08-20T07:03:10Z"), ZoneOffset.UTC));
    Map<String, String> sent =
        s.signAcs(
            "POST", "imm.cn-hangzhou.aliyuncs.com", "/", q, h, "3156853299f313e23d1673dc12e1703d");
    assertThat(sent)
        .containsEntry("host", "imm.cn-hangzhou.aliyuncs.com")
        .containsEntry("x-acs-date", "2024-08-20T07:03:10Z")
        .containsEntry("x-acs-security-token", "STS.token-example")
        .hasEntrySatisfying(
            "Authorization",
            a ->
                assertThat(a)
                    .endsWith(
                        "Signature=afee3734de127d5f0ef7f5e315050da010bde3a9d9ae34799079aa700148a9f2"));
  }

  @Test
  void presign_v1_vectorsOfTheJavaSdk() {
    OssSigner s = signer(Instant.ofEpochSecond(1699807420 - 600), null);
    assertThat(
            s.presign(
                    OssSigner.Version.V1,
                    "GET",
                    HttpUrl.get("http://bucket.oss-cn-hangzhou.aliyuncs.com/key"),
                    "bucket",
                    "key",
                    Map.of("versionId", "versionId"),
                    Map.of(),
                    Duration.ofSeconds(600))
                .url())
        .isEqualTo(
            "http://bucket.oss-cn-hangzhou.aliyuncs.com/key?Expires=1699807420&OSSAccessKeyId=ak"
                + "&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D&versionId=versionId");
    OssSigner at = signer(Instant.ofEpochSecond(1700000000 - 3600), null);
    Duration hour = Duration.ofHours(1);
    assertThat(
            at.presign(
                    OssSigner.Version.V1,
                    "GET",
                    objectUrl("examplebucket", "dir/example.jpg"),
                    "examplebucket",
                    "dir/example.jpg",
                    Map.of("x-oss-process", "image/resize,w_100/quality,q_80"),
                    Map.of(),
                    hour)
                .url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/example.jpg?Expires=1700000000&OSSAccessKeyId=ak"
                + "&Signature=Q8Yety9hnfThmeiNogmqTWtp2GI%3D&x-oss-process=image%2Fresize%2Cw_100%2Fquality%2Cq_80");
    assertThat(
            at.presign(
                    OssSigner.Version.V1,
                    "GET",
                    objectUrl("examplebucket", "video/a.mp4"),
                    "examplebucket",
                    "video/a.mp4",
                    Map.of("x-oss-process", "video/snapshot,t_1000,f_jpg,w_800,h_600,m_fast"),
                    Map.of(),
                    hour)
                .url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/video/a.mp4?Expires=1700000000&OSSAccessKeyId=ak"
                + "&Signature=FerzA6Z2CqfRwsvX2pQ7n2%2Fgqlg%3D"
                + "&x-oss-process=video%2Fsnapshot%2Ct_1000%2Cf_jpg%2Cw_800%2Ch_600%2Cm_fast");
    OssSigner.Presigned put =
        at.presign(
            OssSigner.Version.V1,
            "PUT",
            objectUrl("examplebucket", "up/a.txt"),
            "examplebucket",
            "up/a.txt",
            Map.of(),
            Map.of("Content-Type", "text/plain"),
            hour);
    assertThat(put.url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/up/a.txt?Expires=1700000000"
                + "&OSSAccessKeyId=ak&Signature=y5B12jYJdE5%2FUN1LwtXuu1q9Fn8%3D");
    assertThat(put.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
    assertThat(put.expiresAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
    // a parameter V1 does not sign rides along unsigned
    assertThat(
            at.presign(
                    OssSigner.Version.V1,
                    "GET",
                    objectUrl("examplebucket", "dir/example.jpg"),
                    "examplebucket",
                    "dir/example.jpg",
                    Map.of("foo", "bar"),
                    Map.of(),
                    hour)
                .url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/example.jpg?Expires=1700000000&OSSAccessKeyId=ak"
                + "&Signature=IwOMk1kqFMHD0bAbzrnkg3D38vk%3D&foo=bar");
  }

  @Test
  void presign_v1_stsTokenNonAsciiKeyAndDisposition() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response-content-disposition", "attachment; filename=\"a b.jpg\"");
    q.put("x-oss-process", "style/thumb");
    OssSigner.Presigned p =
        signer(Instant.ofEpochSecond(1700000000 - 60), "token")
            .presign(
                OssSigner.Version.V1,
                "GET",
                objectUrl("examplebucket", "dir/中文 a+b.jpg"),
                "examplebucket",
                "dir/中文 a+b.jpg",
                q,
                Map.of(),
                Duration.ofSeconds(60));
    assertThat(p.url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/%E4%B8%AD%E6%96%87%20a%2Bb.jpg"
                + "?Expires=1700000000&OSSAccessKeyId=ak&Signature=6CA7HtLiz5s%2BQReVrl%2B6gAZKnNo%3D"
                + "&response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22&x-oss-process=style%2Fthumb"
                + "&security-token=token");
    assertThat(p.toString()).doesNotContain("token").doesNotContain("Signature");
  }

  @Test
  void presign_v4_vectorsOfTheJavaSdk() {
    OssSigner s = signer(PRESIGN_TIME, null);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("+param2", "");
    q.put("+param1", "value3");
    q.put("param1", "value1");
    q.put("|param2", "");
    q.put("|param1", "value4");
    q.put("param2", "");
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-oss-head1", "value");
    h.put("Content-Type", "application/octet-stream");
    h.put("abc", "value");
    h.put("ZAbc", "value");
    h.put("XYZ", "value");
    OssSigner.Presigned put =
        s.presign(
            OssSigner.Version.V4,
            "PUT",
            HttpUrl.get("http://bucket.oss-cn-hangzhou.aliyuncs.com/" + "1234%2B-/123/1.txt"),
            "bucket",
            "1234+-/123/1.txt",
            q,
            h,
            Duration.ofSeconds(599));
    // The SDK writes the empty values as "name=", which OSS reads as the bare name signed here.
    assertThat(put.url())
        .isEqualTo(
            "http://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?%2Bparam2&%2Bparam1=value3"
                + "&param1=value1&%7Cparam2&%7Cparam1=value4&param2&x-oss-date=20231217T025437Z&x-oss-expires=599"
                + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-signature=a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe");
    assertThat(put.expiresAt()).isEqualTo(Instant.ofEpochSecond(1702782276));
    assertThat(
            s.presign(
                    OssSigner.Version.V4,
                    "GET",
                    objectUrl("examplebucket", "dir/example.jpg"),
                    "examplebucket",
                    "dir/example.jpg",
                    Map.of("x-oss-process", "image/resize,w_100/quality,q_80"),
                    Map.of(),
                    Duration.ofHours(1))
                .url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/example.jpg"
                + "?x-oss-process=image%2Fresize%2Cw_100%2Fquality%2Cq_80&x-oss-date=20231217T025437Z&x-oss-expires=3600"
                + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-signature=f8724ec39f3401351a7aa2d2bf916cbbdd81e63e55d1db47303d2f704eec9156");
  }

  @Test
  void presign_v4_stsTokenNonAsciiKeyAndDisposition_forSevenDays() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response-content-disposition", "attachment; filename=\"a b.jpg\"");
    q.put("x-oss-process", "style/thumb");
    OssSigner.Presigned p =
        signer(PRESIGN_TIME, "token")
            .presign(
                OssSigner.Version.V4,
                "GET",
                objectUrl("examplebucket", "dir/中文 a+b.jpg"),
                "examplebucket",
                "dir/中文 a+b.jpg",
                q,
                Map.of(),
                Duration.ofDays(7));
    assertThat(p.url())
        .isEqualTo(
            "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/%E4%B8%AD%E6%96%87%20a%2Bb.jpg"
                + "?response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22&x-oss-process=style%2Fthumb"
                + "&x-oss-date=20231217T025437Z&x-oss-expires=604800&x-oss-security-token=token"
                + "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"
                + "&x-oss-signature=67aed38367834c4a9dcd612d28638ab9e5dd492e29ff1ea15ae5b194a0aef754");
  }

  @Test
  void presign_refusesWhatWouldChangeTheUrlsMeaning() {
    OssSigner s = signer(PRESIGN_TIME, null);
    HttpUrl url = objectUrl("b", "k");
    for (String name :
        new String[] {
          "Expires",
          "Signature",
          "OSSAccessKeyId",
          "security-token",
          "x-oss-signature",
          "x-oss-credential",
          "x-oss-date",
          "x-oss-expires",
          "x-oss-security-token",
          "x-oss-signature-version"
        }) {
      for (OssSigner.Version v : OssSigner.Version.values()) {
        assertThatThrownBy(
                () ->
                    s.presign(
                        v, "GET", url, "b", "k", Map.of(name, "1"), Map.of(), Duration.ofHours(1)))
            .isInstanceOf(MediaValidationException.class)
            .hasMessageContaining(name);
      }
    }
    assertThatThrownBy(
            () ->
                s.presign(
                    OssSigner.Version.V4,
                    "GET",
                    url,
                    "b",
                    "k",
                    Map.of(),
                    Map.of(),
                    Duration.ofDays(7).plusSeconds(1)))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(
            () ->
                s.presign(
                    OssSigner.Version.V1, "GET", url, "b", "k", Map.of(), Map.of(), Duration.ZERO))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(
            () ->
                s.presign(
                    OssSigner.Version.V1,
                    "GET",
                    objectUrl("b", "a/../k"),
                    "b",
                    "a/../k",
                    Map.of(),
                    Map.of(),
                    Duration.ofHours(1)))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(
            () ->
                s.presign(
                    OssSigner.Version.V1,
                    "GET",
                    url.newBuilder().query("a").build(),
                    "b",
                    "k",
                    Map.of(),
                    Map.of(),
                    Duration.ofHours(1)))
        .isInstanceOf(MediaValidationException.class);
    // a key full of URL syntax stays one path, and a value full of it one parameter
    String key = "a?b#c%d&e=f+g h/中";
    OssSigner.Presigned p =
        s.presign(
            OssSigner.Version.V4,
            "GET",
            objectUrl("b", key),
            "b",
            key,
            Map.of("response-content-disposition", "x&x-oss-expires=9#y"),
            Map.of(),
            Duration.ofHours(1));
    HttpUrl parsed = HttpUrl.get(p.url());
    assertThat(parsed.pathSegments()).containsExactly("a?b#c%d&e=f+g h", "中");
    assertThat(parsed.queryParameter("response-content-disposition"))
        .isEqualTo("x&x-oss-expires=9#y");
    assertThat(parsed.queryParameterValues("x-oss-expires")).containsExactly("3600");
    assertThat(parsed.fragment()).isNull();
    assertThat(s.toString()).contains("ak").doesNotContain("sk");
  }
}
