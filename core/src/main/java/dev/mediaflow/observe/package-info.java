/**
 * Metrics and traces without a dependency: {@link dev.mediaflow.observe.MediaObserver} hears what
 * Mediaflow does (jobs submitted and ended, status polls, notifications, uploads, vendor HTTP
 * calls) and brackets the four activities traces show ({@link dev.mediaflow.observe.Activity}). Set
 * one with {@code MediaClient.builder().observer(...)}; the default, {@link
 * dev.mediaflow.observe.MediaObserver#noop()}, costs nothing. The {@code mediaflow-micrometer}
 * module implements it with Micrometer meters and observations; docs/metrics.md lists their names
 * and tags.
 *
 * <p><b>Tier: public API.</b> Every value an observer is handed has low cardinality: provider ids,
 * instance names, operation names, states, status codes and exception class names; never an object
 * key, a job id, a URL or a secret.
 */
package dev.mediaflow.observe;
