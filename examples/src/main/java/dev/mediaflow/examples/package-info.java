/**
 * Runnable examples, written against the public API only: the quickstart ({@link
 * dev.mediaflow.examples.Quickstart}, what {@code ./quickstart} runs) and the README's pipeline
 * built in Java.
 *
 * <p><b>Tier: examples.</b> Read and copy them; they are not a library and carry no compatibility
 * promise.
 */
package dev.mediaflow.examples;
