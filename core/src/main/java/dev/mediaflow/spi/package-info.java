/**
 * The provider SPI: what a media back end implements to plug into Mediaflow. A {@link
 * dev.mediaflow.spi.MediaProvider}, found with {@link java.util.ServiceLoader}, makes a {@link
 * dev.mediaflow.spi.ProviderClient} from a {@link dev.mediaflow.spi.ProviderContext} (its settings,
 * the shared HTTP client, the clock, the retry policy); the client declares its {@link
 * dev.mediaflow.spi.Capabilities}, renders, submits, reads status and, optionally, speaks an upload
 * protocol.
 *
 * <p><b>Tier: SPI, for provider authors.</b> Applications need none of it; they use {@link
 * dev.mediaflow.MediaClient}. {@code MediaProvider} and {@code ProviderClient} implementations must
 * be thread-safe: one client serves every thread of the application.
 */
package dev.mediaflow.spi;
