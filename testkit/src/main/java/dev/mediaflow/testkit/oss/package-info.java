/**
 * A fake Alibaba Cloud OSS (with IMM's GetTask): {@link dev.mediaflow.testkit.oss.FakeOssServer}
 * routes; signature checks, objects, uploads, processing and notifications each have a class;
 * {@link dev.mediaflow.testkit.oss.OssStyles} parses processing styles as OSS reads them and reads
 * them back into operations.
 */
package dev.mediaflow.testkit.oss;
