package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * {@link OssUrls} against {@code aliyun-sdk-oss} 3.18.5 {@code generatePresignedUrl} with {@code
 * setProcess} and response header overrides, over random keys (CJK, spaces, {@code + ? # % &}),
 * download names and processing, with and without an STS token, V1 and V4, on the regional endpoint
 * (virtual-hosted), an IP endpoint (path-style) and a custom domain (the SDK's CNAME mode): the
 * same URL, parameter for parameter. V1 runs at a fixed clock; the V4 presigner reads the system
 * clock, so ours signs at the {@code x-oss-date} the SDK wrote. SDK 3.18.5 writes {@code ~} as
 * {@code %7E}; both are the same URL (RFC 3986 §2.3).
 */
class OssUrlOracleTest {
  private static final String KEY_CHARS =
      "abcXYZ019 +-_.~!*'()/?#&=%:@;,$|\u00e9\u4e2d\u6587\u52a8\u753b";
  private static final String[] NAME_CHARS = {
    "a",
    "b",
    "X",
    " ",
    "_",
    "-",
    ".",
    "(",
    ")",
    "\"",
    "%",
    ";",
    "'",
    "\u00e9",
    "\u4e2d",
    "\u6587",
    "\ud83c\udfac"
  };

  private enum Endpoint {
    REGIONAL("https://oss-cn-hangzhou.aliyuncs.com", false),
    PATH_STYLE("http://127.0.0.1:9000", false),
    CUSTOM_DOMAIN("https://media.example.com", true);

    final String url;
    final boolean cname;

    Endpoint(String url, boolean cname) {
      this.url = url;
      this.cname = cname;
    }
  }

  @Test
  void v1UrlsMatchTheSdk() {
    check(SignVersion.V1, new Random(21));
  }

  @Test
  void v4UrlsMatchTheSdk() {
    check(SignVersion.V4, new Random(22));
  }

  private static void check(SignVersion version, Random r) {
    Map<String, OSS> clients = new LinkedHashMap<>();
    try {
      for (int i = 0; i < 240; i++) {
        Endpoint endpoint = Endpoint.values()[i % 3];
        String token = r.nextBoolean() ? "STS.tok+en/=" + i % 2 : null;
        OSS sdk =
            clients.computeIfAbsent(
                endpoint + "/" + token, k -> sdk(version, endpoint, token == null ? null : token));
        String key = randomKey(r);
        String bucket = "bucket-" + (i % 7);
        UrlOptions options = randomOptions(r, bucket);
        long validFor = 1 + r.nextInt(604_000);

        GeneratePresignedUrlRequest req =
            new GeneratePresignedUrlRequest(bucket, key, HttpMethod.GET);
        String process = OssUrls.process(MediaObject.of(bucket, key), options);
        if (process != null) {
          req.setProcess(process);
        }
        if (options.downloadName().isPresent() || options.contentType().isPresent()) {
          ResponseHeaderOverrides o = new ResponseHeaderOverrides();
          options.downloadName().ifPresent(n -> o.setContentDisposition(OssUrls.attachment(n)));
          options.contentType().ifPresent(o::setContentType);
          req.setResponseHeaders(o);
        }
        Instant signedAt;
        if (version == SignVersion.V1) {
          long expires = 1_600_000_000L + r.nextInt(200_000_000);
          req.setExpiration(new Date(expires * 1000));
          signedAt = Instant.ofEpochSecond(expires - validFor);
        } else {
          req.setExpiration(new Date(System.currentTimeMillis() + validFor * 1000));
          signedAt = null;
        }
        String expected = sdk.generatePresignedUrl(req).toString();
        if (signedAt == null) {
          HttpUrl u = HttpUrl.get(expected);
          signedAt =
              LocalDateTime.parse(
                      u.queryParameter("x-oss-date"),
                      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                  .toInstant(ZoneOffset.UTC);
          validFor = Long.parseLong(u.queryParameter("x-oss-expires"));
        }
        OssUrls ours = urls(version, endpoint, token, signedAt, bucket);
        UrlOptions mineOptions = options.toBuilder().expiry(Duration.ofSeconds(validFor)).build();
        String mine = ours.url(MediaObject.of(bucket, key), mineOptions).toString();
        assertThat(parts(mine))
            .as("%s %s key=%s %s", version, endpoint, key, options)
            .isEqualTo(parts(expected.replace("%7E", "~")));
        // The same options object again: its rendering is reused, the URL is the same.
        assertThat(ours.url(MediaObject.of(bucket, key), mineOptions).toString())
            .as("again: %s %s key=%s %s", version, endpoint, key, options)
            .isEqualTo(mine);
      }
    } finally {
      clients.values().forEach(OSS::shutdown);
    }
  }

  private static OSS sdk(SignVersion version, Endpoint endpoint, String token) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    conf.setSupportCname(endpoint.cname);
    return OSSClientBuilder.create()
        .endpoint(endpoint.url)
        .credentialsProvider(
            token == null
                ? new DefaultCredentialProvider("ak", "sk")
                : new DefaultCredentialProvider("ak", "sk", token))
        .clientConfiguration(conf)
        .region("cn-hangzhou")
        .build();
  }

  private static OssUrls urls(
      SignVersion version, Endpoint endpoint, String token, Instant at, String bucket) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("accessKeyId", "ak");
    m.put("accessKeySecret", "sk");
    m.put("region", "cn-hangzhou");
    m.put("signatureVersion", version == SignVersion.V1 ? "v1" : "v4");
    if (endpoint == Endpoint.CUSTOM_DOMAIN) {
      m.put("domain." + bucket, "media.example.com");
    } else {
      m.put("endpoint", endpoint.url);
    }
    OssSettings settings = OssSettings.from(ProviderConfig.of("oss", m));
    return new OssUrls(
        settings,
        new OssSigner(
            "ak",
            Secret.of("sk"),
            token == null ? null : Secret.of(token),
            "cn-hangzhou",
            Clock.fixed(at, ZoneOffset.UTC)));
  }

  private static String randomKey(Random r) {
    while (true) {
      StringBuilder b = new StringBuilder();
      for (int j = 0, n = 1 + r.nextInt(30); j < n; j++) {
        b.append(KEY_CHARS.charAt(r.nextInt(KEY_CHARS.length())));
      }
      String key = b.toString().replaceAll("^[/?\\\\]+", "a");
      List<String> segments = List.of(key.split("/", -1));
      if (!segments.contains(".") && !segments.contains("..")) {
        return key;
      }
    }
  }

  private static UrlOptions randomOptions(Random r, String bucket) {
    UrlOptions.Builder b = UrlOptions.builder();
    switch (r.nextInt(5)) {
      case 0 -> {} // the original
      case 1 -> b.style("thumb_" + r.nextInt(100) + ".v-1");
      case 2 ->
          b.process(
              ImageResize.builder()
                  .size(1 + r.nextInt(2000), 1 + r.nextInt(2000))
                  .fit(FitMode.values()[r.nextInt(FitMode.values().length)])
                  .format(r.nextBoolean() ? ImageFormat.WEBP : ImageFormat.PNG)
                  .quality(1 + r.nextInt(100))
                  .build());
      case 3 ->
          b.process(
              ImageResize.builder().width(1 + r.nextInt(800)).build(),
              Watermark.text("\u00a9 \u4e2d\u6587 " + r.nextInt(1000) + " ?&#/+")
                  .gravity(Gravity.SOUTH_EAST)
                  .offset(10, 10)
                  .build());
      default ->
          b.process(
              Snapshot.builder()
                  .at(Duration.ofMillis(r.nextInt(100_000)))
                  .format(r.nextBoolean() ? ImageFormat.JPG : ImageFormat.PNG)
                  .height(1 + r.nextInt(1000))
                  .build());
    }
    if (r.nextBoolean()) {
      StringBuilder name = new StringBuilder();
      for (int j = 0, n = 1 + r.nextInt(12); j < n; j++) {
        name.append(NAME_CHARS[r.nextInt(NAME_CHARS.length)]);
      }
      String n = name.toString();
      b.downloadName(n.isBlank() ? "a" : n);
    }
    if (r.nextInt(3) == 0) {
      b.contentType(r.nextBoolean() ? "image/webp" : "application/octet-stream");
    }
    return b.build();
  }

  /** The part before the query, then the query's parameters as written, sorted. */
  private static List<String> parts(String url) {
    int q = url.indexOf('?');
    List<String> params = new ArrayList<>();
    for (String p : url.substring(q + 1).split("&")) {
      params.add(p.endsWith("=") ? p.substring(0, p.length() - 1) : p);
    }
    params.sort(null);
    List<String> all = new ArrayList<>();
    all.add(url.substring(0, q));
    all.addAll(params);
    return all;
  }
}
