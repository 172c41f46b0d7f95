package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.qiniu.util.Auth;
import com.qiniu.util.Etag;
import com.qiniu.util.StringMap;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Form uploads (and resumable v2 completions) to the fake Qiniu with upload tokens made by the
 * official SDK's {@code Auth}: every put-policy limit holds, each violation answered as Qiniu
 * answers it (https://developer.qiniu.com/kodo/1206/put-policy,
 * https://developer.qiniu.com/kodo/3928/error-responses), and {@code saveKey}/{@code returnBody}
 * magic variables are filled in.
 */
class FakeQiniuUploadLimitsTest {
  @RegisterExtension
  static final FakeQiniuServer qiniu = FakeQiniuServer.builder().credentials("AK", "SK").build();

  static final Auth AUTH = Auth.create("AK", "SK");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A token for {@code scope} ({@code bucket} or {@code bucket:key}) with {@code policy}. */
  static String token(String key, StringMap policy) {
    return AUTH.uploadToken("media", key, 3600, policy, true);
  }

  static HttpResponse<String> upload(
      String token, String key, String fileName, String type, byte[] data) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("token", token);
    if (key != null) {
      fields.put("key", key);
    }
    return upload(fields, fileName, type, data);
  }

  /** Posts a multipart/form-data body built by hand: the fields, then the file part. */
  static HttpResponse<String> upload(
      Map<String, String> fields, String fileName, String type, byte[] data) throws Exception {
    String boundary = "----mediaflow" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + f.getKey()
                  + "\"\r\n\r\n"
                  + f.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(data);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(qiniu.baseUrl() + "/"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + n);
    }
    return b;
  }

  static String error(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
  }

  @Test
  void fsizeLimit_aLargerFileIsRefusedWith413() throws Exception {
    String token = token("limits/large.bin", new StringMap().put("fsizeLimit", 10));
    HttpResponse<String> tooLarge = upload(token, "limits/large.bin", "a.bin", null, bytes(11));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(error(tooLarge)).isEqualTo("exceed FsizeLimit");
    assertThat(tooLarge.headers().firstValue("X-Reqid")).isPresent();
    assertThat(qiniu.objects().exists("media", "limits/large.bin")).isFalse();
    assertThat(upload(token, "limits/large.bin", "a.bin", null, bytes(10)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void fsizeMin_aSmallerFileIsRefusedWith403() throws Exception {
    String token = token("limits/small.bin", new StringMap().put("fsizeMin", 5));
    HttpResponse<String> tooSmall = upload(token, "limits/small.bin", "a.bin", null, bytes(4));
    assertThat(tooSmall.statusCode()).isEqualTo(403);
    assertThat(qiniu.objects().exists("media", "limits/small.bin")).isFalse();
    assertThat(upload(token, "limits/small.bin", "a.bin", null, bytes(5)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void mimeLimit_anotherTypeIsRefusedWith403() throws Exception {
    String token = token(null, new StringMap().put("mimeLimit", "image/*;video/mp4"));
    HttpResponse<String> text = upload(token, "mime/a.txt", "a.txt", "text/plain", bytes(3));
    assertThat(text.statusCode()).isEqualTo(403);
    assertThat(error(text)).startsWith("limited mimeType");
    // without a Content-Type, the file name's extension decides
    assertThat(upload(token, "mime/b", "b.txt", null, bytes(3)).statusCode()).isEqualTo(403);
    assertThat(upload(token, "mime/c.png", "c.png", "image/png", bytes(3)).statusCode())
        .isEqualTo(200);
    assertThat(upload(token, "mime/d.mp4", "d.mp4", "video/mp4", bytes(3)).statusCode())
        .isEqualTo(200);
    assertThat(upload(token, "mime/e.webm", "e.webm", "video/webm", bytes(3)).statusCode())
        .isEqualTo(403);

    String excluding = token(null, new StringMap().put("mimeLimit", "!text/plain;text/html"));
    assertThat(upload(excluding, "mime/f.txt", "f.txt", "text/plain", bytes(3)).statusCode())
        .isEqualTo(403);
    assertThat(upload(excluding, "mime/g.jpg", "g.jpg", "image/jpeg", bytes(3)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void scope_aKeyOutsideThePrefixOrAnotherKeyIsRefusedWith403() throws Exception {
    String prefix = token("users/42/", new StringMap().put("isPrefixalScope", 1));
    HttpResponse<String> outside = upload(prefix, "users/43/a.jpg", "a.jpg", null, bytes(3));
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(error(outside)).isEqualTo("key doesn't match with scope");
    assertThat(upload(prefix, "users/42/a.jpg", "a.jpg", null, bytes(3)).statusCode())
        .isEqualTo(200);
    // no key: Qiniu names the object by its hash, which is outside the prefix
    assertThat(upload(prefix, null, "a.jpg", null, bytes(4)).statusCode()).isEqualTo(403);

    String exact = token("users/42/avatar.jpg", null);
    assertThat(upload(exact, "users/42/other.jpg", "a.jpg", null, bytes(3)).statusCode())
        .isEqualTo(403);
    assertThat(upload(exact, null, "a.jpg", null, bytes(3)).statusCode()).isEqualTo(403);
  }

  @Test
  void deadline_anExpiredTokenIsRefusedWith401() throws Exception {
    long past = System.currentTimeMillis() / 1000 - 5;
    String expired = AUTH.uploadTokenWithDeadline("media", "late.bin", past, null, true);
    HttpResponse<String> r = upload(expired, "late.bin", "a.bin", null, bytes(3));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r)).isEqualTo("expired token");
    assertThat(qiniu.objects().exists("media", "late.bin")).isFalse();
  }

  @Test
  void signature_aTamperedOrForeignTokenIsRefusedWith401() throws Exception {
    String token = token("tamper.bin", new StringMap().put("fsizeLimit", 10));
    String[] parts = token.split(":");
    JsonObject policy =
        JsonParser.parseString(
                new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8))
            .getAsJsonObject();
    policy.addProperty("fsizeLimit", 1_000_000);
    String widened =
        parts[0]
            + ":"
            + parts[1]
            + ":"
            + Base64.getUrlEncoder()
                .encodeToString(policy.toString().getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = upload(widened, "tamper.bin", "a.bin", null, bytes(20));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r)).isEqualTo("bad token");
    String foreign = Auth.create("AK", "other").uploadToken("media", "tamper.bin");
    assertThat(upload(foreign, "tamper.bin", "a.bin", null, bytes(3)).statusCode()).isEqualTo(401);
    HttpResponse<String> none = upload(Map.of("key", "tamper.bin"), "a.bin", null, bytes(3));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(error(none)).isEqualTo("token not specified");
    assertThat(qiniu.objects().exists("media", "tamper.bin")).isFalse();
  }

  @Test
  void insertOnly_anExistingObjectIsNotReplaced_614() throws Exception {
    qiniu.objects().put("media", "once/a.bin", bytes(8));
    String token = token("once/a.bin", new StringMap().put("insertOnly", 1));
    HttpResponse<String> r = upload(token, "once/a.bin", "a.bin", null, bytes(9));
    assertThat(r.statusCode()).isEqualTo(614);
    assertThat(error(r)).isEqualTo("file exists");
    assertThat(qiniu.objects().get("media", "once/a.bin")).contains(bytes(8));
    // the same content again is not a conflict
    assertThat(upload(token, "once/a.bin", "a.bin", null, bytes(8)).statusCode()).isEqualTo(200);

    // a prefixal scope never overwrites; an exact scope without insertOnly does
    String prefix = token("once/", new StringMap().put("isPrefixalScope", 1));
    assertThat(upload(prefix, "once/a.bin", "a.bin", null, bytes(10)).statusCode()).isEqualTo(614);
    String overwrite = token("once/a.bin", null);
    assertThat(upload(overwrite, "once/a.bin", "a.bin", null, bytes(11)).statusCode())
        .isEqualTo(200);
    assertThat(qiniu.objects().get("media", "once/a.bin")).contains(bytes(11));
  }

  @Test
  void saveKey_fillsTheFileNameHashAndCustomVariables_andReturnBodyToo() throws Exception {
    byte[] data = bytes(100);
    String token =
        token(
            "photos/",
            new StringMap()
                .put("isPrefixalScope", 1)
                .put("saveKey", "photos/$(x:uid)/$(fname)")
                .put("forceSaveKey", true)
                .put(
                    "returnBody",
                    "{\"key\":\"$(key)\",\"hash\":\"$(etag)\",\"fsize\":$(fsize),"
                        + "\"mimeType\":\"$(mimeType)\",\"bucket\":\"$(bucket)\","
                        + "\"name\":\"$(fname)\",\"ext\":\"$(ext)\",\"uid\":\"$(x:uid)\"}"));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("token", token);
    fields.put("key", "ignored/because/forced.jpg");
    fields.put("x:uid", "42");
    HttpResponse<String> r = upload(fields, "sun flower 向日葵.jpg", "image/jpeg", data);
    assertThat(r.statusCode()).isEqualTo(200);
    String key = "photos/42/sun flower 向日葵.jpg";
    JsonObject expected = new JsonObject();
    expected.addProperty("key", key);
    expected.addProperty("hash", Etag.data(data));
    expected.addProperty("fsize", 100);
    expected.addProperty("mimeType", "image/jpeg");
    expected.addProperty("bucket", "media");
    expected.addProperty("name", "sun flower 向日葵.jpg");
    expected.addProperty("ext", ".jpg");
    expected.addProperty("uid", "42");
    assertThat(JsonParser.parseString(r.body())).isEqualTo(expected);
    assertThat(qiniu.objects().get("media", key)).contains(data);
    assertThat(r.headers().firstValue("X-Reqid")).isPresent();
    assertThat(r.headers().firstValue("ETag")).contains("\"" + Etag.data(data) + "\"");

    String byHash =
        token(
            "hashed/",
            new StringMap()
                .put("isPrefixalScope", 1)
                .put("saveKey", "hashed/$(etag)")
                .put("forceSaveKey", true));
    HttpResponse<String> h = upload(byHash, null, "x.bin", null, data);
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(JsonParser.parseString(h.body()).getAsJsonObject().get("key").getAsString())
        .isEqualTo("hashed/" + Etag.data(data));
    assertThat(qiniu.objects().get("media", "hashed/" + Etag.data(data))).contains(data);
  }

  @Test
  void saveKey_withoutForce_appliesOnlyWhenNoKeyIsSent() throws Exception {
    String token = token(null, new StringMap().put("saveKey", "plain/$(fname)"));
    HttpResponse<String> sent = upload(token, "chosen/by-me.bin", "a.bin", null, bytes(5));
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(qiniu.objects().exists("media", "chosen/by-me.bin")).isTrue();
    HttpResponse<String> none = upload(token, null, "b.bin", null, bytes(6));
    assertThat(JsonParser.parseString(none.body()).getAsJsonObject().get("key").getAsString())
        .isEqualTo("plain/b.bin");
    // neither a key nor a saveKey: the object is named by its hash
    HttpResponse<String> hashed = upload(token(null, null), null, "c.bin", null, bytes(7));
    assertThat(JsonParser.parseString(hashed.body()).getAsJsonObject().get("key").getAsString())
        .isEqualTo(Etag.data(bytes(7)));
  }

  @Test
  void crc32_aMismatchIsRefusedWith406() throws Exception {
    byte[] data = bytes(30);
    CRC32 crc = new CRC32();
    crc.update(data);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("token", token("crc.bin", null));
    fields.put("key", "crc.bin");
    fields.put("crc32", String.valueOf(crc.getValue() + 1));
    assertThat(upload(fields, "crc.bin", null, data).statusCode()).isEqualTo(406);
    fields.put("crc32", String.valueOf(crc.getValue()));
    assertThat(upload(fields, "crc.bin", null, data).statusCode()).isEqualTo(200);
  }

  @Test
  void put_isNotAnUploadQiniuTakes() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(qiniu.baseUrl() + "/"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(3)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void resumableV2_theLimitsHoldWhenTheUploadCompletes() throws Exception {
    String key = "v2/limited.bin";
    String token = token(key, new StringMap().put("fsizeLimit", 10).put("insertOnly", 1));
    String base =
        qiniu.baseUrl()
            + "/buckets/media/objects/"
            + Base64.getUrlEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
            + "/uploads";
    String id = json(v2("POST", base, token, "")).get("uploadId").getAsString();
    HttpResponse<String> part =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/" + id + "/1"))
                .header("Authorization", "UpToken " + token)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(11)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String etag = json(part).get("etag").getAsString();
    HttpResponse<String> done =
        v2(
            "POST",
            base + "/" + id,
            token,
            "{\"parts\":[{\"partNumber\":1,\"etag\":\"" + etag + "\"}]}");
    assertThat(done.statusCode()).isEqualTo(413);
    assertThat(qiniu.objects().exists("media", key)).isFalse();

    String other =
        qiniu.baseUrl()
            + "/buckets/media/objects/"
            + Base64.getUrlEncoder().encodeToString("v2/other.bin".getBytes(StandardCharsets.UTF_8))
            + "/uploads";
    assertThat(v2("POST", other, token, "").statusCode()).isEqualTo(403);
  }

  static HttpResponse<String> v2(String method, String url, String token, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "UpToken " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }
}
