/**
 * Benchmark mains that compare Mediaflow with what users do today, side by side in one run: the job
 * watcher, the local provider's overhead over the same FFmpeg commands, and uploads against the
 * official OSS SDK. The README's "Benchmarks" section gives the commands and the last figures.
 *
 * <p><b>Tier: internal.</b> Not a library; no compatibility promise.
 */
package dev.mediaflow.benchmarks;
