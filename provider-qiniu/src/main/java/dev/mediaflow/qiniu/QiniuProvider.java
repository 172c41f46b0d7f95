package dev.mediaflow.qiniu;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import dev.mediaflow.spi.Setting.Type;
import java.util.List;

/**
 * The Qiniu provider, {@code media.provider=qiniu}: pipelines become pfop jobs, tracked with
 * prefop.
 *
 * <p>Settings ({@code media.qiniu.*}) are declared in {@link #settings()}; {@code mediaflow
 * settings} lists them.
 *
 * <p>{@code MediaClient.grantUpload} gives browser form uploads whose upload token carries every
 * limit. Qiniu-only features (upload tokens, workflow templates, notifications) are on {@link
 * QiniuOperations}, from {@code MediaClient.unwrap(QiniuOperations.class)}.
 */
public final class QiniuProvider implements MediaProvider {
  private static final List<Setting> SETTINGS =
      List.of(
          Setting.builder("accessKey")
              .required()
              .environment("QINIU_ACCESS_KEY")
              .description("the AccessKey")
              .build(),
          Setting.builder("secretKey")
              .required()
              .secret()
              .environment("QINIU_SECRET_KEY")
              .description("the SecretKey")
              .build(),
          Setting.builder("region")
              .values(QiniuSettings.REGIONS.keySet().toArray(String[]::new))
              .description("picks the API, upload and rs hosts")
              .build(),
          Setting.builder("apiHost")
              .type(Type.HOST)
              .defaultValue("the region's, else api.qiniu.com")
              .description("the API host; https unless written http://host:port")
              .build(),
          Setting.builder("upHost")
              .type(Type.HOST)
              .defaultValue("up-<region>.qiniup.com, else upload.qiniup.com")
              .description("the upload host")
              .build(),
          Setting.builder("rsHost")
              .type(Type.HOST)
              .defaultValue("rs-<region>.qiniuapi.com, else rs.qiniu.com")
              .description("the object management host, for stat")
              .build(),
          Setting.builder("auth")
              .values("qiniu", "qbox")
              .defaultValue("qiniu")
              .description("qiniu (v2, with X-Qiniu-Date) or the legacy qbox")
              .build(),
          Setting.builder("signDate")
              .type(Type.BOOLEAN)
              .defaultValue("true")
              .description("add and sign X-Qiniu-Date (qiniu auth only)")
              .build(),
          Setting.builder("signStatus")
              .type(Type.BOOLEAN)
              .defaultValue("true")
              .description("sign prefop status reads too")
              .build(),
          Setting.builder("domain")
              .description(
                  "the download domain for URLs Qiniu takes (watermark images, concat inputs); "
                      + "{bucket} stands for the bucket")
              .build(),
          Setting.builder("domain")
              .map("bucket")
              .description("the download domain of one bucket")
              .build(),
          Setting.builder("publicBuckets")
              .type(Type.LIST)
              .description("the public-read buckets, whose delivery URLs are not signed")
              .build(),
          Setting.builder("styleSeparator")
              .values(QiniuSettings.STYLE_SEPARATORS.toArray(String[]::new))
              .defaultValue("-")
              .description(
                  "what joins a key and a style name in delivery URLs (<key>-<style>), as set for"
                      + " the bucket in Qiniu's console")
              .build(),
          Setting.builder("uploadTokenTtl")
              .type(Type.DURATION)
              .defaultValue("24h")
              .description("how long Mediaflow's upload tokens last")
              .build());

  @Override
  public String id() {
    return QiniuJobClient.ID;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new QiniuJobClient(
        QiniuSettings.from(context.config()),
        context.http(),
        context.retryPolicy(),
        context.clock());
  }
}
