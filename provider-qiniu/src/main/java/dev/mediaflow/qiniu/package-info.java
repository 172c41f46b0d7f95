/**
 * The Qiniu provider ({@code media.provider=qiniu}): pipelines rendered as pfop fops, signed with
 * Qiniu's {@code Qiniu} (v2) or {@code QBox} tokens, tracked with prefop; upload tokens and
 * notification checks on {@link dev.mediaflow.qiniu.QiniuOperations}. Start with {@link
 * dev.mediaflow.qiniu.QiniuProvider}.
 *
 * <p><b>Tier: public API</b>: the public classes; every other class is package-private
 * implementation. Use the provider through {@link dev.mediaflow.MediaClient}.
 */
package dev.mediaflow.qiniu;
