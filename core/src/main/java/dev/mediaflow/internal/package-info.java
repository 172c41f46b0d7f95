/**
 * First-party glue shared by core and the providers: HTTP execution with retries, provider discovery,
 * validation helpers. No compatibility guarantees: do not use from application code.
 */
package dev.mediaflow.internal;
