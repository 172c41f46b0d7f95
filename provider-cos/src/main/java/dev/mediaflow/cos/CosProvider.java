package dev.mediaflow.cos;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import dev.mediaflow.spi.Setting.Type;
import java.util.List;

/**
 * The Tencent Cloud COS provider, {@code media.provider=cos}: objects on COS buckets, processing by
 * Cloud Infinite, every request signed with the COS XML signature.
 *
 * <p>Settings ({@code media.cos.*}) are declared in {@link #settings()}; {@code mediaflow settings}
 * lists them. Buckets are written {@code <name>-<APPID>}, or by name alone with {@code
 * media.cos.appId} set.
 */
public final class CosProvider implements MediaProvider {
  private static final List<Setting> SETTINGS =
      List.of(
          Setting.builder("region")
              .required()
              .environment("COS_REGION", "TENCENTCLOUD_REGION")
              .description("the region of the buckets, such as ap-beijing")
              .build(),
          Setting.builder("appId")
              .description(
                  "the APPID appended to bucket names written without one (name becomes"
                      + " name-<appId>)")
              .build(),
          Setting.builder("secretId")
              .required()
              .environment("COS_SECRET_ID", "TENCENTCLOUD_SECRET_ID")
              .description("the SecretId")
              .build(),
          Setting.builder("secretKey")
              .required()
              .secret()
              .environment("COS_SECRET_KEY", "TENCENTCLOUD_SECRET_KEY")
              .description("the SecretKey")
              .build(),
          Setting.builder("securityToken")
              .secret()
              .environment("COS_SECURITY_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN")
              .description("an STS token, with temporary credentials")
              .build(),
          Setting.builder("endpoint")
              .type(Type.HOST)
              .defaultValue("cos.<region>.myqcloud.com")
              .description(
                  "the COS endpoint, buckets in front (<bucket>.<endpoint>); an IP address or"
                      + " localhost takes the bucket as the first path segment; https unless"
                      + " written http://")
              .build(),
          Setting.builder("ciEndpoint")
              .type(Type.HOST)
              .defaultValue("ci.<region>.myqcloud.com; the endpoint when that is local")
              .description("the Cloud Infinite endpoint for media and document jobs, as endpoint")
              .build(),
          Setting.builder("publicBuckets")
              .type(Type.LIST)
              .description("public-read buckets, whose delivery URLs are unsigned")
              .build(),
          Setting.builder("styleSeparator")
              .values(CosSettings.STYLE_SEPARATORS.toArray(String[]::new))
              .description(
                  "what joins a key and a style name in delivery URLs (<key><separator><style>), as"
                      + " chosen for the bucket in the Cloud Infinite console")
              .build());

  @Override
  public String id() {
    return CosRequests.ID;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new CosJobClient(
        CosSettings.from(context.config()), context.http(), context.retryPolicy(), context.clock());
  }
}
