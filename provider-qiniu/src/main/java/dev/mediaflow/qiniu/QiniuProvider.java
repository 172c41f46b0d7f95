package dev.mediaflow.qiniu;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;

/**
 * The Qiniu provider, {@code media.provider=qiniu}: pipelines become pfop jobs, tracked with prefop.
 *
 * <p>Settings ({@code media.qiniu.*}): {@code accessKey} and {@code secretKey} (or {@code QINIU_ACCESS_KEY} /
 * {@code QINIU_SECRET_KEY}); {@code region} ({@code z0}, {@code cn-east-2}, {@code z1}, {@code z2}, {@code na0},
 * {@code as0}) or {@code apiHost} (default {@code api.qiniu.com}, https unless written {@code http://...});
 * {@code auth} ({@code qiniu}, the default, or the legacy {@code qbox}); {@code signDate} (default true);
 * {@code signStatus} (default true); {@code domain} and {@code domain.<bucket>}, the download domains that
 * name objects where Qiniu takes a URL (watermark images, concat inputs).
 *
 * <p>Qiniu-only features (upload tokens, workflow templates, notifications) are on {@link QiniuOperations},
 * from {@code MediaClient.unwrap(QiniuOperations.class)}.
 */
public final class QiniuProvider implements MediaProvider {
  @Override
  public String id() {
    return QiniuJobClient.ID;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new QiniuJobClient(QiniuSettings.from(context.config()), context.http(), context.retryPolicy(), context.clock());
  }
}
