package dev.mediaflow.cos;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The {@code media.cos.*} settings, validated: credentials, region, APPID and where the COS and
 * Cloud Infinite APIs are.
 *
 * <p>A bucket is named {@code <name>-<APPID>} on the wire. Pipelines may write either form: {@link
 * #bucket} appends {@code appId} to a bare name, and a name already ending in {@code -<digits>} is
 * used as written when no {@code appId} is set.
 *
 * <p>Hosts (https://cloud.tencent.com/document/product/436/6224): objects and synchronous
 * processing on {@code <bucket>.cos.<region>.myqcloud.com}, media and document jobs on {@code
 * <bucket>.ci.<region>.myqcloud.com}. An {@code endpoint} (or {@code ciEndpoint}) that is a domain
 * takes the bucket in front ({@code <bucket>.<endpoint>}); one that is an IP address or {@code
 * localhost} (a fake server) takes it as the first path segment ({@code
 * <endpoint>/<bucket>/<key>}), and the signature covers that path and host as sent.
 *
 * @param secretId {@code secretId} (or COS_SECRET_ID / TENCENTCLOUD_SECRET_ID)
 * @param secretKey {@code secretKey} (or COS_SECRET_KEY / TENCENTCLOUD_SECRET_KEY)
 * @param securityToken {@code securityToken}, an STS token (or COS_SECURITY_TOKEN /
 *     TENCENTCLOUD_SECURITY_TOKEN)
 * @param region the region such as {@code ap-beijing} (or COS_REGION / TENCENTCLOUD_REGION)
 * @param appId the APPID appended to bare bucket names ({@code appId})
 * @param endpoint the COS endpoint override ({@code endpoint}), https unless written http://
 * @param ciEndpoint the Cloud Infinite endpoint override ({@code ciEndpoint}); defaults to {@code
 *     endpoint} when that is a local address
 * @param publicBuckets {@code publicBuckets}: the public-read buckets, as written in pipelines,
 *     whose delivery URLs are unsigned
 * @param styleSeparator {@code styleSeparator}: what joins a key and a style name in delivery URLs,
 *     as chosen in the Cloud Infinite console
 */
record CosSettings(
    String secretId,
    Secret secretKey,
    Optional<Secret> securityToken,
    String region,
    Optional<String> appId,
    Optional<HttpUrl> endpoint,
    Optional<HttpUrl> ciEndpoint,
    Set<String> publicBuckets,
    Optional<String> styleSeparator) {

  /**
   * The style separators Cloud Infinite offers
   * (https://cloud.tencent.com/document/product/460/6929).
   */
  static final List<String> STYLE_SEPARATORS = List.of("-", "_", "/", "!");

  /** A region id: {@code ap-beijing}, {@code na-siliconvalley}, {@code eu-frankfurt}... */
  private static final Pattern REGION = Pattern.compile("[a-z]+(-[a-z0-9]+)+");

  /** An APPID: digits. */
  private static final Pattern APP_ID = Pattern.compile("[0-9]{1,20}");

  /**
   * A bucket as COS names it, {@code <name>-<APPID>}: lower-case letters, digits and '-', at most
   * 50 characters in all (https://cloud.tencent.com/document/product/436/13312).
   */
  private static final Pattern FULL_BUCKET =
      Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+");

  private static final Pattern BARE_BUCKET = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");

  /** What kind of host a request goes to. */
  enum Service {
    /** The object API and synchronous processing: {@code <bucket>.cos.<region>.myqcloud.com}. */
    COS("cos", CosSigner.COS_TOKEN_HEADER),
    /** Cloud Infinite jobs: {@code <bucket>.ci.<region>.myqcloud.com}. */
    CI("ci", CosSigner.CI_TOKEN_HEADER);

    final String label;
    final String tokenHeader;

    Service(String label, String tokenHeader) {
      this.label = label;
      this.tokenHeader = tokenHeader;
    }
  }

  static CosSettings from(ProviderConfig c) {
    String secretId = c.require("secretId", "COS_SECRET_ID", "TENCENTCLOUD_SECRET_ID");
    Secret secretKey = c.requireSecret("secretKey", "COS_SECRET_KEY", "TENCENTCLOUD_SECRET_KEY");
    Optional<Secret> token =
        c.secret("securityToken", "COS_SECURITY_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN");
    if (!secretId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new MediaConfigException(
          c.fullKey("secretId"),
          c.fullKey("secretId") + " must be a SecretId (letters, digits, '.', '_' and '-')");
    }
    String region =
        c.require("region", "COS_REGION", "TENCENTCLOUD_REGION").trim().toLowerCase(Locale.ROOT);
    if (!REGION.matcher(region).matches()) {
      throw new MediaConfigException(
          c.fullKey("region"),
          c.fullKey("region") + " must be a region id such as ap-beijing, was '" + region + "'");
    }
    Optional<String> appId = c.get("appId").map(String::trim);
    appId.ifPresent(
        a -> {
          if (!APP_ID.matcher(a).matches()) {
            throw new MediaConfigException(
                c.fullKey("appId"),
                c.fullKey("appId")
                    + " must be an APPID (digits, such as 1250000000), was '"
                    + a
                    + "'");
          }
        });
    Optional<HttpUrl> endpoint = c.getBaseUrl("endpoint", "cos.ap-beijing.myqcloud.com");
    Optional<HttpUrl> ciEndpoint = c.getBaseUrl("ciEndpoint", "ci.ap-beijing.myqcloud.com");
    if (ciEndpoint.isEmpty() && endpoint.isPresent() && isLocal(endpoint.get())) {
      ciEndpoint = endpoint;
    }
    Set<String> publicBuckets = new LinkedHashSet<>();
    for (String b : c.get("publicBuckets").orElse("").split(",")) {
      if (!b.isBlank()) {
        publicBuckets.add(b.trim());
      }
    }
    Optional<String> separator = c.get("styleSeparator");
    separator.ifPresent(
        v -> {
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
        });
    return new CosSettings(
        secretId,
        secretKey,
        token,
        region,
        appId,
        endpoint,
        ciEndpoint,
        Set.copyOf(publicBuckets),
        separator);
  }

  /**
   * Returns the bucket as COS names it, {@code <name>-<APPID>}: {@code name} with {@code appId}
   * appended unless it already ends with it; without {@code appId}, {@code name} must already end
   * with {@code -<APPID>}.
   *
   * @throws MediaValidationException when the name is not a COS bucket name
   * @throws MediaConfigException when {@code name} has no APPID and none is configured
   */
  String bucket(String name) {
    return bucket(name, "bucket");
  }

  /**
   * Like {@link #bucket(String)}, naming the pipeline's {@code field} (such as {@code
   * source.bucket}) when the name is not a COS bucket name.
   */
  String bucket(String name, String field) {
    if (appId.isPresent()) {
      String suffix = "-" + appId.get();
      String full = name.endsWith(suffix) ? name : name + suffix;
      checkBucket(full, name, field);
      return full;
    }
    if (FULL_BUCKET.matcher(name).matches()) {
      checkBucket(name, name, field);
      return name;
    }
    if (BARE_BUCKET.matcher(name).matches()) {
      throw new MediaConfigException(
          "media.cos.appId",
          "COS names bucket '"
              + name
              + "' with its APPID: write it as "
              + name
              + "-<APPID> (such as "
              + name
              + "-1250000000), or set media.cos.appId");
    }
    checkBucket(name, name, field);
    return name;
  }

  private static void checkBucket(String full, String written, String field) {
    if (full.length() > 50 || !FULL_BUCKET.matcher(full).matches()) {
      throw new MediaValidationException(
          field,
          "a COS bucket is written <name>-<APPID> with lower-case letters, digits and '-', at most "
              + "50 characters in all, was \""
              + written
              + "\"");
    }
  }

  /**
   * Returns the base URL of {@code bucket} (a full {@code name-APPID}) on {@code service}'s host,
   * ending with {@code /}: virtual-hosted, or path-style under a local endpoint.
   */
  HttpUrl base(Service service, String bucket) {
    Optional<HttpUrl> override = service == Service.COS ? endpoint : ciEndpoint;
    if (override.isEmpty()) {
      return HttpUrl.get(
          "https://" + bucket + "." + service.label + "." + region + ".myqcloud.com/");
    }
    HttpUrl e = override.get();
    if (isLocal(e)) {
      return e.newBuilder().encodedPath("/" + bucket + "/").build();
    }
    return e.newBuilder().host(bucket + "." + e.host()).encodedPath("/").build();
  }

  /**
   * Returns true for an endpoint that cannot take a bucket in front: an IP address or localhost.
   */
  static boolean isLocal(HttpUrl url) {
    String h = url.host();
    return h.equals("localhost") || h.matches("[0-9.]+") || h.contains(":");
  }

  @Override
  public String toString() {
    return "CosSettings{secretId="
        + secretId
        + ", region="
        + region
        + appId.map(a -> ", appId=" + a).orElse("")
        + endpoint.map(e -> ", endpoint=" + e).orElse("")
        + ciEndpoint.map(e -> ", ciEndpoint=" + e).orElse("")
        + (securityToken.isPresent() ? ", temporary credentials" : "")
        + "}";
  }
}
