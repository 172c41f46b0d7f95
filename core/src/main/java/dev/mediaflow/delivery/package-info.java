/**
 * Delivery: URLs that show objects to browsers, signed with an expiry or public, with processing
 * applied by the vendor on the fly, named styles and response overrides ({@link
 * dev.mediaflow.delivery.UrlOptions}, used by {@code MediaClient.url}, which returns a {@link
 * dev.mediaflow.delivery.SignedUrl}). Public API; providers implement {@link
 * dev.mediaflow.spi.UrlSigner}.
 *
 * <p>Types here are immutable and thread-safe; no method takes or returns null.
 */
package dev.mediaflow.delivery;
