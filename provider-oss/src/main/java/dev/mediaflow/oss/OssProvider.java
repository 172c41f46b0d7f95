package dev.mediaflow.oss;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import dev.mediaflow.spi.Setting.Type;
import java.util.List;

/**
 * The Alibaba Cloud OSS provider, {@code media.provider=oss}: each output becomes an {@code
 * x-oss-async-process} task (or an {@code x-oss-process} call for image chains), one job per
 * pipeline.
 *
 * <p>Settings ({@code media.oss.*}) are declared in {@link #settings()}; {@code mediaflow settings}
 * lists them.
 *
 * <p>Topic messages are parsed by {@link OssOperations}, from {@code
 * MediaClient.unwrap(OssOperations.class)}.
 */
public final class OssProvider implements MediaProvider {
  private static final List<Setting> SETTINGS =
      List.of(
          Setting.builder("region")
              .required()
              .environment("OSS_REGION")
              .description(
                  "the region id V4 signs, such as cn-hangzhou (an oss- prefix is dropped)")
              .build(),
          Setting.builder("accessKeyId")
              .required()
              .environment("OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID")
              .description("the AccessKey ID")
              .build(),
          Setting.builder("accessKeySecret")
              .required()
              .secret()
              .environment("OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
              .description("the AccessKey secret")
              .build(),
          Setting.builder("securityToken")
              .secret()
              .environment("OSS_SESSION_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN")
              .description("an STS security token, with temporary credentials")
              .build(),
          Setting.builder("endpoint")
              .type(Type.HOST)
              .defaultValue("oss-<region>.aliyuncs.com")
              .description("the OSS endpoint; https unless written http://")
              .build(),
          Setting.builder("pathStyle")
              .type(Type.BOOLEAN)
              .defaultValue("false")
              .description(
                  "path-style addressing (<endpoint>/<bucket>/<key>); always for an IP address")
              .build(),
          Setting.builder("signatureVersion")
              .values("v4", "v1")
              .defaultValue("v4")
              .description("v4 (OSS4-HMAC-SHA256) or v1")
              .build(),
          Setting.builder("immProject")
              .description("the IMM project bound to the bucket, to track tasks with IMM GetTask")
              .build(),
          Setting.builder("immEndpoint")
              .type(Type.HOST)
              .defaultValue("imm.<region>.aliyuncs.com")
              .description("the IMM endpoint")
              .build(),
          Setting.builder("immTaskType")
              .map("prefix")
              .defaultValue("the prefix itself")
              .description("GetTask's TaskType for a TaskId prefix")
              .build(),
          Setting.builder("domain")
              .map("bucket")
              .type(Type.HOST)
              .description(
                  "the custom domain (CNAME) or CDN host of a bucket's delivery URLs; https unless written http://")
              .build(),
          Setting.builder("publicBuckets")
              .type(Type.LIST)
              .description("public-read buckets, whose delivery URLs are unsigned")
              .build(),
          Setting.builder("trackTimeout")
              .type(Type.DURATION)
              .defaultValue("6h")
              .description("how long tracking by output objects waits for an output")
              .build(),
          Setting.builder("mnsCertHosts")
              .type(Type.LIST)
              .defaultValue(MnsCertificates.DEFAULT_HOSTS)
              .description(
                  "hosts whose MNS signing certificates are trusted (https; * is one label); "
                      + "http://host:port trusts a local fake")
              .build());

  @Override
  public String id() {
    return OssJobClient.ID;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new OssJobClient(
        OssSettings.from(context.config()),
        context.http(),
        context.retryPolicy(),
        context.clock(),
        MnsCertificates.from(context.config(), context.http()));
  }
}
