/**
 * Fake OSS and Qiniu servers for tests.
 *
 * <p>Not implemented yet: this module holds no provider until its issue lands, so nothing here pretends to
 * work. See the README's table of operations by provider.
 */
package dev.mediaflow.testkit;
