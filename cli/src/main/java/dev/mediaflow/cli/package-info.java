/**
 * The {@code mediaflow} command line ({@link dev.mediaflow.cli.Main}): render, submit, status,
 * watch, upload, and the testkit's fake servers, on the providers configured with {@code -Dmedia.*}
 * settings or a properties file.
 *
 * <p><b>Tier: internal.</b> The command, its options and exit codes (see the README) are the
 * interface; these classes carry no compatibility promise.
 */
package dev.mediaflow.cli;
