/**
 * First-party glue shared by core and the providers: HTTP execution with retries, provider
 * discovery, validation helpers.
 *
 * <p><b>Tier: internal.</b> Public only so that the provider modules can use it; no compatibility
 * promise, and not for application code.
 */
package dev.mediaflow.internal;
