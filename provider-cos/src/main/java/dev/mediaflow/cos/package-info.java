/**
 * The Tencent Cloud COS provider ({@code media.provider=cos}): pipelines on COS buckets with Cloud
 * Infinite, requests signed with the COS XML signature ({@code q-sign-algorithm=sha1}). Start with
 * {@link dev.mediaflow.cos.CosProvider}.
 *
 * <p><b>Tier: public API</b>: the public classes; every other class is package-private
 * implementation. Use the provider through {@link dev.mediaflow.MediaClient}.
 */
package dev.mediaflow.cos;
