/**
 * Qiniu provider (issue 3, in progress).
 *
 * <p>So far only the fops renderer exists (package-private, with golden tests), for transcode, audio, snapshots,
 * GIF/WebP and watermarks. No provider is registered yet: {@code media.provider=qiniu} still fails with "no media
 * provider with id 'qiniu'". See the README's table of operations by provider.
 */
package dev.mediaflow.qiniu;
