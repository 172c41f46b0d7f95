/**
 * Notification intake: the requests vendors send when jobs end or uploads complete ({@link
 * dev.mediaflow.notify.InboundRequest}), and what intake made of them ({@link
 * dev.mediaflow.notify.IntakeResult}: the answer to send back and the verified {@link
 * dev.mediaflow.notify.JobEvent}s). Public API; providers implement {@link
 * dev.mediaflow.spi.NotificationIntake}.
 *
 * <p>Types here are immutable and thread-safe; no method takes or returns null.
 */
package dev.mediaflow.notify;
