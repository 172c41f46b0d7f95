/**
 * What every fake vendor server shares: the {@link dev.mediaflow.testkit.FakeServer} base (a
 * loopback listener, JUnit 5 lifecycle, request log, injected {@link dev.mediaflow.testkit.Fault
 * faults}), the {@link dev.mediaflow.testkit.Request} and {@link dev.mediaflow.testkit.Reply} its
 * handlers exchange, objects on disk ({@link dev.mediaflow.testkit.FakeObjects}, {@link
 * dev.mediaflow.testkit.PartFiles}), the clock-driven {@link dev.mediaflow.testkit.JobEngine}, and
 * one {@link dev.mediaflow.testkit.TaskExecutor} abstraction, simulated or run for real with the
 * local provider. The vendors' fakes are in {@code dev.mediaflow.testkit.oss} and {@code
 * dev.mediaflow.testkit.qiniu}.
 */
package dev.mediaflow.testkit;
