package dev.mediaflow.oss;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;

/**
 * The Alibaba Cloud OSS provider, {@code media.provider=oss}: each output becomes an
 * {@code x-oss-async-process} task (or an {@code x-oss-process} call for image chains), one job per pipeline.
 *
 * <p>Settings ({@code media.oss.*}): {@code accessKeyId} and {@code accessKeySecret} (or
 * {@code OSS_ACCESS_KEY_ID} / {@code OSS_ACCESS_KEY_SECRET}), optional {@code securityToken} (STS);
 * {@code region} (required: V4 signs it), {@code endpoint} (default {@code oss-<region>.aliyuncs.com}, https
 * unless written {@code http://...}), {@code pathStyle} (default false; always for an IP address);
 * {@code signatureVersion} ({@code v4}, the default, or {@code v1}); {@code immProject}, the IMM project bound
 * to the bucket, to track tasks with IMM GetTask ({@code immEndpoint} overrides {@code imm.<region>.aliyuncs.com},
 * {@code immTaskType.<prefix>=<type>} the TaskType taken from a TaskId's prefix); without it tasks are tracked by
 * their output objects, for at most {@code trackTimeout} (default 6h).
 *
 * <p>Topic messages are parsed by {@link OssOperations}, from {@code MediaClient.unwrap(OssOperations.class)}.
 */
public final class OssProvider implements MediaProvider {
  @Override
  public String id() {
    return OssJobClient.ID;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    return new OssJobClient(OssSettings.from(context.config()), context.http(), context.retryPolicy(), context.clock());
  }
}
