package dev.mediaflow.oss;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The {@code media.oss.*} settings, validated.
 *
 * @param accessKeyId {@code accessKeyId} (or OSS_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_ID)
 * @param secret {@code accessKeySecret} (or OSS_ACCESS_KEY_SECRET /
 *     ALIBABA_CLOUD_ACCESS_KEY_SECRET)
 * @param securityToken {@code securityToken}, an STS token (or OSS_SESSION_TOKEN /
 *     ALIBABA_CLOUD_SECURITY_TOKEN)
 * @param region the region id such as {@code cn-hangzhou} (an {@code oss-} prefix is dropped); V4
 *     signs it
 * @param endpoint the OSS endpoint: {@code endpoint} if set (https unless it says http://), else
 *     {@code oss-<region>.aliyuncs.com}
 * @param pathStyle true for {@code <endpoint>/<bucket>/<key>} URLs ({@code pathStyle}; always for
 *     an IP address) instead of {@code <bucket>.<endpoint>/<key>}
 * @param v1 true to sign with V1 ({@code signatureVersion=v1}) instead of V4
 * @param immProject the IMM project bound to the buckets ({@code immProject}); with it, tasks are
 *     tracked by IMM GetTask, without it by the appearance of their output objects
 * @param imm the IMM endpoint: {@code immEndpoint}, else {@code imm.<region>.aliyuncs.com}
 * @param taskTypes {@code immTaskType.<TaskId prefix>=<TaskType>} overrides for GetTask
 * @param trackTimeout how long output-object tracking waits for an output before it calls the task
 *     failed ({@code trackTimeout}, default 6h)
 * @param domains {@code domain.<bucket>}: the custom domain (CNAME) or CDN host of a bucket's
 *     delivery URLs, whose path is the key alone
 * @param publicBuckets {@code publicBuckets}: the public-read buckets, whose delivery URLs are
 *     unsigned
 */
record OssSettings(
    String accessKeyId,
    Secret secret,
    Optional<Secret> securityToken,
    String region,
    HttpUrl endpoint,
    boolean pathStyle,
    boolean v1,
    Optional<String> immProject,
    HttpUrl imm,
    Map<String, String> taskTypes,
    Duration trackTimeout,
    Map<String, HttpUrl> domains,
    Set<String> publicBuckets) {

  static OssSettings from(ProviderConfig c) {
    String accessKeyId =
        c.require("accessKeyId", "OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID");
    Secret secret =
        c.requireSecret(
            "accessKeySecret", "OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    Optional<Secret> token =
        c.secret("securityToken", "OSS_SESSION_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN");
    if (!accessKeyId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new MediaConfigException(
          c.fullKey("accessKeyId"),
          c.fullKey("accessKeyId")
              + " must be an AccessKey ID (letters, digits, '.', '_' and '-')");
    }
    String region = c.require("region", "OSS_REGION").toLowerCase(Locale.ROOT);
    if (region.startsWith("oss-")) {
      region = region.substring(4);
    }
    if (!region.matches("[a-z0-9-]{2,40}")) {
      throw new MediaConfigException(
          c.fullKey("region"),
          c.fullKey("region") + " must be a region id such as cn-hangzhou, was '" + region + "'");
    }
    String r = region;
    HttpUrl endpoint =
        c.getBaseUrl("endpoint", "oss-cn-hangzhou.aliyuncs.com")
            .orElseGet(() -> HttpUrl.get("https://oss-" + r + ".aliyuncs.com/"));
    boolean ip = endpoint.host().matches("[0-9.]+|.*:.*") || endpoint.host().equals("localhost");
    String version = c.get("signatureVersion").orElse("v4").toLowerCase(Locale.ROOT);
    if (!version.equals("v4") && !version.equals("v1")) {
      throw new MediaConfigException(
          c.fullKey("signatureVersion"),
          c.fullKey("signatureVersion") + " must be v4 (the default) or v1, was '" + version + "'");
    }
    Optional<String> project = c.get("immProject");
    project.ifPresent(
        p -> {
          if (!p.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}")) {
            throw new MediaConfigException(
                c.fullKey("immProject"),
                c.fullKey("immProject")
                    + " must be an IMM project name (letters, digits, '_' and '-'), was '"
                    + p
                    + "'");
          }
        });
    HttpUrl imm =
        c.getBaseUrl("immEndpoint", "imm.cn-hangzhou.aliyuncs.com")
            .orElseGet(() -> HttpUrl.get("https://imm." + r + ".aliyuncs.com/"));
    Map<String, String> types = new LinkedHashMap<>();
    c.map("immTaskType")
        .forEach(
            (prefix, v) -> {
              if (!prefix.matches("[A-Za-z]+") || !v.matches("[A-Za-z]+")) {
                throw new MediaConfigException(
                    c.fullKey("immTaskType." + prefix),
                    c.fullKey("immTaskType." + prefix)
                        + " maps a TaskId prefix to an IMM TaskType, such as immTaskType.DocConvert=OfficeConversion");
              }
              types.put(prefix, v);
            });
    Map<String, HttpUrl> domains = new LinkedHashMap<>();
    c.map("domain")
        .forEach(
            (bucket, v) ->
                domains.put(
                    bucket.toLowerCase(Locale.ROOT),
                    c.getBaseUrl("domain." + bucket, "media.example.com").orElseThrow()));
    Set<String> publicBuckets = new LinkedHashSet<>();
    for (String b : c.get("publicBuckets").orElse("").split(",")) {
      if (!b.isBlank()) {
        publicBuckets.add(b.trim());
      }
    }
    return new OssSettings(
        accessKeyId,
        secret,
        token,
        region,
        endpoint,
        ip || c.getBoolean("pathStyle", false),
        version.equals("v1"),
        project,
        imm,
        Map.copyOf(types),
        c.getDuration("trackTimeout", Duration.ofHours(6)),
        Map.copyOf(domains),
        Set.copyOf(publicBuckets));
  }

  /**
   * The IMM TaskType of a TaskId: an override for its prefix, else the prefix itself ({@code
   * MediaConvert-...}).
   */
  String taskType(String taskId) {
    int dash = taskId.indexOf('-');
    String prefix = dash > 0 ? taskId.substring(0, dash) : taskId;
    return taskTypes.getOrDefault(prefix, prefix);
  }

  /** The URL of an object (or of a bucket, with a null key): virtual-hosted or path-style. */
  HttpUrl objectUrl(String bucket, String key) {
    HttpUrl.Builder b = endpoint.newBuilder();
    StringBuilder path = new StringBuilder("/");
    if (pathStyle) {
      path.append(bucket).append('/');
    } else {
      b.host(bucket + "." + endpoint.host());
    }
    if (key != null) {
      path.append(OssSigner.encode(key, true));
    }
    return b.encodedPath(path.toString()).build();
  }

  /**
   * The URL of an object for delivery: on the bucket's custom domain ({@code domain.<bucket>}, the
   * key as the whole path) when one is set, else {@link #objectUrl}.
   */
  HttpUrl deliveryUrl(String bucket, String key) {
    HttpUrl domain = domains.get(bucket);
    if (domain == null) {
      return objectUrl(bucket, key);
    }
    return domain.newBuilder().encodedPath("/" + OssSigner.encode(key, true)).build();
  }

  @Override
  public String toString() {
    return "OssSettings{accessKeyId="
        + accessKeyId
        + ", region="
        + region
        + ", endpoint="
        + endpoint
        + (pathStyle ? ", pathStyle" : "")
        + ", signature="
        + (v1 ? "v1" : "v4")
        + immProject.map(p -> ", immProject=" + p).orElse("")
        + "}";
  }
}
