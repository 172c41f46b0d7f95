/**
 * Alibaba Cloud OSS provider: x-oss-async-process styles, V4/V1 signing, task tracking.
 *
 * <p>Not implemented yet: this module holds no provider until its issue lands, so nothing here pretends to
 * work. See the README's table of operations by provider.
 */
package dev.mediaflow.oss;
