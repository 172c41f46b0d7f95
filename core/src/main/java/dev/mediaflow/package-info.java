/**
 * Mediaflow's entry points: {@link dev.mediaflow.MediaClient} (render, submit, track and upload on
 * one configured provider), {@link dev.mediaflow.MediaConfig} (settings and their precedence) and
 * the exceptions, all unchecked and rooted at {@link dev.mediaflow.MediaException}.
 *
 * <p><b>Tier: public API.</b> Start here; the model is in {@link dev.mediaflow.op} and {@link
 * dev.mediaflow.pipeline}, jobs in {@link dev.mediaflow.job}.
 *
 * <p>{@code MediaClient} and {@code MediaConfig} are thread-safe (share one of each); their
 * builders are not.
 */
package dev.mediaflow;
