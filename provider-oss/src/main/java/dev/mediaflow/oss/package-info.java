/**
 * Alibaba Cloud OSS provider (issue 4, in progress).
 *
 * <p>So far only the style renderer exists (package-private, with golden tests from OSS's documents and SDK
 * tests). No provider is registered yet: {@code media.provider=oss} still fails with "no media provider with
 * id 'oss'". Signing, submission, task tracking and the fake OSS server are to come.
 */
package dev.mediaflow.oss;
