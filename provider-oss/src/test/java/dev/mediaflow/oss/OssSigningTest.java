package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public vectors of the Go, Python and Java v2 SDKs' signer tests (listed in {@code docs/vendor-notes.md},
 * "OSS request signing") and the ACS3 documentation's RunInstances example
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 */
class OssSigningTest {
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
    h.put("x-oss-date", OssSigning.V4_DATE.format(t));
    return h;
  }

  @Test
  void v4HeaderVectorFromTheSdks() {
    Instant t = Instant.ofEpochSecond(1702743657);
    String canonical = OssSigning.v4CanonicalRequest("PUT", "bucket", "1234+-/123/1.txt", vectorQuery(), vectorHeaders(t), Set.of());
    assertThat(canonical).isEqualTo("PUT\n/bucket/1234%2B-/123/1.txt\n"
        + "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n"
        + "content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n"
        + "\n\nUNSIGNED-PAYLOAD");
    assertThat(OssSigning.v4StringToSign(t, OssSigning.v4Scope(t, "cn-hangzhou", "oss"), canonical))
        .endsWith("f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4");
    assertThat(OssSigning.v4Authorization("ak", "sk", "cn-hangzhou", "oss", t, "PUT", "bucket", "1234+-/123/1.txt",
        vectorQuery(), vectorHeaders(t), Set.of()))
        .isEqualTo("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,"
            + "Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
  }

  @Test
  void v4WithAdditionalHeaders() {
    Instant t = Instant.ofEpochSecond(1702747512);
    assertThat(OssSigning.v4Authorization("ak", "sk", "cn-hangzhou", "oss", t, "PUT", "bucket", "1234+-/123/1.txt",
        vectorQuery(), vectorHeaders(t), Set.of("zabc", "abc")))
        .isEqualTo("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,"
            + "Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f");
  }

  @Test
  void v4WithSecurityToken() {
    Instant t = Instant.ofEpochSecond(1702784856);
    Map<String, String> h = vectorHeaders(t);
    h.put("x-oss-security-token", "token");
    assertThat(OssSigning.v4Authorization("ak", "sk", "cn-hangzhou", "oss", t, "PUT", "bucket", "1234+-/123/1.txt",
        vectorQuery(), h, Set.of()))
        .isEqualTo("OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,"
            + "Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
  }

  @Test
  void oneClientsKeptSigningKeyFollowsTheDayAcrossTheVectors() {
    OssSigning.V4Keys keys = new OssSigning.V4Keys(dev.mediaflow.spi.Secret.of("sk"));
    Instant day16 = Instant.ofEpochSecond(1702743657);
    Instant day16Later = Instant.ofEpochSecond(1702747512);
    Instant day17 = Instant.ofEpochSecond(1702784856);
    Map<String, String> withToken = vectorHeaders(day17);
    withToken.put("x-oss-security-token", "token");
    for (int round = 0; round < 2; round++) { // the second round goes back a day: the key is derived again
      assertThat(OssSigning.v4Authorization("ak", keys, "cn-hangzhou", "oss", day16, "PUT", "bucket", "1234+-/123/1.txt",
          vectorQuery(), vectorHeaders(day16), Set.of())).endsWith("Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
      assertThat(OssSigning.v4Authorization("ak", keys, "cn-hangzhou", "oss", day16Later, "PUT", "bucket", "1234+-/123/1.txt",
          vectorQuery(), vectorHeaders(day16Later), Set.of("zabc", "abc")))
          .endsWith("Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f");
      assertThat(OssSigning.v4Authorization("ak", keys, "cn-hangzhou", "oss", day17, "PUT", "bucket", "1234+-/123/1.txt",
          vectorQuery(), withToken, Set.of())).endsWith("Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
    }
    // another region has another key; the same keys object then signs the vector's region correctly again
    assertThat(OssSigning.v4Authorization("ak", keys, "cn-shanghai", "oss", day16, "PUT", "bucket", "1234+-/123/1.txt",
        vectorQuery(), vectorHeaders(day16), Set.of())).doesNotEndWith("e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
    assertThat(OssSigning.v4Authorization("ak", keys, "cn-hangzhou", "oss", day16, "PUT", "bucket", "1234+-/123/1.txt",
        vectorQuery(), vectorHeaders(day16), Set.of())).endsWith("Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
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
    String s = OssSigning.v1StringToSign("PUT", "examplebucket", "nelson", Map.of(), h);
    assertThat(s).isEqualTo("PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n"
        + "x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson");
    assertThat(OssSigning.v1Authorization("ak", "sk", s)).isEqualTo("OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
    assertThat(OssSigning.v1Authorization("ak", "sk", OssSigning.v1StringToSign("PUT", "examplebucket", "nelson",
        Map.of("acl", ""), h))).isEqualTo("OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=");
  }

  @Test
  void v1SignsTheAsyncProcessSubresourceAndNotOtherParameters() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("x-oss-async-process", "");
    q.put("foo", "bar");
    assertThat(OssSigning.v1StringToSign("POST", "b", "k", q, Map.of("Date", "D"))).isEqualTo("POST\n\n\nD\n/b/k?x-oss-async-process");
  }

  @Test
  void acs3DocumentationVector() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "ecs.cn-shanghai.aliyuncs.com");
    h.put("x-acs-action", "RunInstances");
    h.put("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h.put("x-acs-date", "2023-10-26T10:22:32Z");
    h.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
    h.put("x-acs-version", "2014-05-26");
    h.put("Accept", "application/json");
    Map<String, String> q = Map.of("RegionId", "cn-shanghai", "ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
    assertThat(OssSigning.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .isEqualTo("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
            + "x-acs-date;x-acs-signature-nonce;x-acs-version,"
            + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  }

  @Test
  void acs3GetTaskWithSecurityToken() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("host", "imm.cn-hangzhou.aliyuncs.com");
    h.put("x-acs-action", "GetTask");
    h.put("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h.put("x-acs-date", "2024-08-20T07:03:10Z");
    h.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
    h.put("x-acs-version", "2020-09-30");
    Map<String, String> q = Map.of("ProjectName", "immtest", "TaskId", "MediaConvert-db7faf5a-99c5-4afe-8309-d167fe530000",
        "TaskType", "MediaConvert");
    assertThat(OssSigning.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .endsWith("Signature=78b98cdd8b49c97a05fb04fb3bab248dc9f5cce32b64c5f0ee8b31d164979d80");
    h.put("x-acs-security-token", "STS.token-example");
    assertThat(OssSigning.acsAuthorization("YourAccessKeyId", "YourAccessKeySecret", "POST", "/", q, h))
        .endsWith("Signature=afee3734de127d5f0ef7f5e315050da010bde3a9d9ae34799079aa700148a9f2");
  }
}
