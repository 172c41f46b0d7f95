/**
 * The Alibaba Cloud OSS provider ({@code media.provider=oss}): {@link
 * dev.mediaflow.oss.OssProvider} renders pipelines as {@code x-oss-async-process} / {@code
 * x-oss-process} styles, signs requests with V4 or V1, and tracks tasks with IMM GetTask or by
 * their output objects; {@link dev.mediaflow.oss.OssOperations} parses the messages OSS publishes
 * to a topic.
 *
 * <p><b>Tier: public API</b>: the public classes; every other class is package-private
 * implementation. Use the provider through {@link dev.mediaflow.MediaClient}.
 */
package dev.mediaflow.oss;
