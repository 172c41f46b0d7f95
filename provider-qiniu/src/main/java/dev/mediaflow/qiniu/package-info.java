/**
 * The Qiniu provider ({@code media.provider=qiniu}): pipelines rendered as pfop fops, signed with Qiniu's
 * {@code Qiniu} (v2) or {@code QBox} tokens, tracked with prefop; upload tokens and notification checks on
 * {@link dev.mediaflow.qiniu.QiniuOperations}. Start with {@link dev.mediaflow.qiniu.QiniuProvider}.
 */
package dev.mediaflow.qiniu;
