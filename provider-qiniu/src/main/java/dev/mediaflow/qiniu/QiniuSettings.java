package dev.mediaflow.qiniu;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * The {@code media.qiniu.*} settings, validated: credentials, where the API is, how requests are
 * signed, and the download domains that turn objects into the URLs some fops take.
 *
 * @param auth the credentials ({@code accessKey}, {@code secretKey}; or QINIU_ACCESS_KEY /
 *     QINIU_SECRET_KEY)
 * @param api the API base URL: {@code apiHost} if set (https unless it says http://), else the
 *     {@code region}'s host, else {@code api.qiniu.com}
 * @param qbox true to sign with the legacy {@code QBox} scheme ({@code auth=qbox}) instead of
 *     {@code Qiniu}
 * @param timestamp true to add and sign {@code X-Qiniu-Date} ({@code signDate}, default true; Qiniu
 *     scheme only)
 * @param signStatus true to sign prefop reads too ({@code signStatus}, default true; Qiniu also
 *     answers unsigned)
 * @param domains download base URLs by bucket ({@code domain.<bucket>}), with {@code domain} for
 *     any other; a {@code {bucket}} in a URL stands for the bucket's name
 * @param up the upload host: {@code upHost} if set, else {@code up-<region>.qiniup.com}, else
 *     {@code upload.qiniup.com}
 * @param rs the object management host ({@code stat}): {@code rsHost} if set, else {@code
 *     rs-<region>.qiniuapi.com}, else {@code rs.qiniu.com}
 * @param uploadTokenTtl how long the upload tokens Mediaflow makes stay valid ({@code
 *     uploadTokenTtl}, default 24h); Qiniu checks the deadline when an upload completes
 * @param publicBuckets the buckets that are public-read ({@code publicBuckets}): their delivery
 *     URLs are not signed
 * @param styleSeparator what joins a key and a style name in a delivery URL ({@code
 *     styleSeparator}, default {@code -}), as set in Qiniu's console for the bucket
 */
record QiniuSettings(
    QiniuAuth auth,
    HttpUrl api,
    boolean qbox,
    boolean timestamp,
    boolean signStatus,
    Map<String, String> domains,
    HttpUrl up,
    HttpUrl rs,
    java.time.Duration uploadTokenTtl,
    java.util.Set<String> publicBuckets,
    String styleSeparator) {
  /**
   * The style separators Mediaflow writes, among those Qiniu allows
   * (https://developer.qiniu.com/dora/8264/the-picture-style).
   */
  static final java.util.List<String> STYLE_SEPARATORS =
      java.util.List.of("-", "_", "!", "~", "@", "/");

  /** java-sdk {@code storage/Region.java}: the API host of each region. */
  static final Map<String, String> REGIONS = regions();

  static QiniuSettings from(ProviderConfig c) {
    String accessKey = c.require("accessKey", "QINIU_ACCESS_KEY");
    Secret secretKey = c.requireSecret("secretKey", "QINIU_SECRET_KEY");
    QiniuAuth auth;
    try {
      auth = QiniuAuth.of(accessKey, secretKey);
    } catch (dev.mediaflow.MediaValidationException e) {
      throw new MediaConfigException(
          c.fullKey("accessKey"), c.fullKey("accessKey") + " " + e.problem());
    }
    HttpUrl api =
        c.getBaseUrl("apiHost", "api-z1.qiniuapi.com")
            .orElseGet(
                () -> {
                  String region = c.get("region").map(r -> r.toLowerCase(Locale.ROOT)).orElse(null);
                  if (region == null) {
                    return HttpUrl.get("https://api.qiniu.com/");
                  }
                  String host = REGIONS.get(region);
                  if (host == null) {
                    throw new MediaConfigException(
                        c.fullKey("region"),
                        c.fullKey("region")
                            + " '"
                            + region
                            + "' is not a Qiniu region; use one of "
                            + String.join(", ", REGIONS.keySet())
                            + ", or set "
                            + c.fullKey("apiHost"));
                  }
                  return HttpUrl.get("https://" + host + "/");
                });
    String scheme = c.get("auth").orElse("qiniu").toLowerCase(Locale.ROOT);
    if (!scheme.equals("qiniu") && !scheme.equals("qbox")) {
      throw new MediaConfigException(
          c.fullKey("auth"), c.fullKey("auth") + " must be qiniu or qbox, was '" + scheme + "'");
    }
    Map<String, String> domains = new LinkedHashMap<>();
    c.get("domain").ifPresent(v -> domains.put("", domain(c, "domain", v)));
    c.map("domain").forEach((bucket, v) -> domains.put(bucket, domain(c, "domain." + bucket, v)));
    HttpUrl up =
        c.getBaseUrl("upHost", "up-z1.qiniup.com")
            .orElseGet(
                () ->
                    c.get("region")
                        .map(
                            r ->
                                HttpUrl.get(
                                    "https://up-" + r.toLowerCase(Locale.ROOT) + ".qiniup.com/"))
                        .orElse(HttpUrl.get("https://upload.qiniup.com/")));
    HttpUrl rs =
        c.getBaseUrl("rsHost", "rs-z1.qiniuapi.com")
            .orElseGet(
                () ->
                    c.get("region")
                        .map(
                            r ->
                                HttpUrl.get(
                                    "https://rs-" + r.toLowerCase(Locale.ROOT) + ".qiniuapi.com/"))
                        .orElse(HttpUrl.get("https://rs.qiniu.com/")));
    return new QiniuSettings(
        auth,
        api,
        scheme.equals("qbox"),
        c.getBoolean("signDate", true),
        c.getBoolean("signStatus", true),
        Map.copyOf(domains),
        up,
        rs,
        c.getDuration("uploadTokenTtl", java.time.Duration.ofHours(24)),
        publicBuckets(c),
        styleSeparator(c));
  }

  /**
   * Returns the download base URL of {@code bucket} ({@code domain.<bucket>}, else {@code domain},
   * with {@code {bucket}} replaced), without a trailing {@code /}.
   *
   * @throws MediaConfigException naming {@code media.qiniu.domain.<bucket>} when there is none:
   *     Qiniu serves objects only from a bucket's download domain
   */
  String downloadBase(String bucket, String purpose) {
    String base = domains.getOrDefault(bucket, domains.get(""));
    if (base == null) {
      throw new MediaConfigException(
          "media.qiniu.domain." + bucket,
          "Qiniu serves "
              + purpose
              + " from a bucket's download domain: set media.qiniu.domain."
              + bucket
              + " (or media.qiniu.domain) to the domain bound to bucket '"
              + bucket
              + "', such as cdn.example.com");
    }
    return base.replace("{bucket}", bucket);
  }

  private static java.util.Set<String> publicBuckets(ProviderConfig c) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String b : c.get("publicBuckets").orElse("").split(",")) {
      if (!b.isBlank()) {
        out.add(b.trim());
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  private static String styleSeparator(ProviderConfig c) {
    String v = c.get("styleSeparator").orElse("-");
    if (!STYLE_SEPARATORS.contains(v)) {
      throw new MediaConfigException(
          c.fullKey("styleSeparator"),
          c.fullKey("styleSeparator")
              + " must be one of "
              + String.join(" ", STYLE_SEPARATORS)
              + ", was '"
              + v
              + "'");
    }
    return v;
  }

  /** Returns the public URL of {@code o} under its bucket's download domain. */
  String url(MediaObject o, String field) {
    String base = domains.getOrDefault(o.bucket(), domains.get(""));
    if (base == null) {
      throw new MediaConfigException(
          "media.qiniu.domain",
          "Qiniu takes "
              + field
              + " as a URL: set media.qiniu.domain."
              + o.bucket()
              + " (or media.qiniu.domain) to the download domain of bucket '"
              + o.bucket()
              + "'");
    }
    HttpUrl.Builder b = HttpUrl.get(base.replace("{bucket}", o.bucket())).newBuilder();
    for (String segment : o.key().split("/", -1)) {
      b.addPathSegment(segment);
    }
    return b.build().toString();
  }

  private static String domain(ProviderConfig c, String key, String value) {
    String v = value.trim();
    String withScheme = v.contains("://") ? v : "https://" + v;
    HttpUrl url = HttpUrl.parse(withScheme.replace("{bucket}", "bucket"));
    if (url == null || url.query() != null) {
      throw new MediaConfigException(
          c.fullKey(key),
          c.fullKey(key)
              + " must be a download domain such as cdn.example.com or http://cdn.example.com, was '"
              + value
              + "'");
    }
    return withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme;
  }

  private static Map<String, String> regions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("z0", "api.qiniuapi.com");
    m.put("cn-east-2", "api-cn-east-2.qiniuapi.com");
    m.put("z1", "api-z1.qiniuapi.com");
    m.put("z2", "api-z2.qiniuapi.com");
    m.put("na0", "api-na0.qiniuapi.com");
    m.put("as0", "api-as0.qiniuapi.com");
    return java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "QiniuSettings{accessKey="
        + auth.accessKey()
        + ", api="
        + api
        + ", auth="
        + (qbox ? "qbox" : "qiniu")
        + "}";
  }
}
