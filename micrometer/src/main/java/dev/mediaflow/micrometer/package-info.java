/**
 * Mediaflow's metrics and traces in Micrometer: {@link
 * dev.mediaflow.micrometer.MicrometerMediaObserver} implements {@link
 * dev.mediaflow.observe.MediaObserver} with meters in a {@code MeterRegistry} and, given an {@code
 * ObservationRegistry}, observations (spans, and timers through the registry's handlers). The
 * names, units and tags are listed in docs/metrics.md.
 *
 * <p><b>Tier: public API.</b> Thread-safe.
 */
package dev.mediaflow.micrometer;
