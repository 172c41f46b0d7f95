package dev.mediaflow.spi;

/**
 * A media back end, discovered with {@link java.util.ServiceLoader} and picked by {@link #id()}.
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.mediaflow.spi.MediaProvider}, have a public
 * no-argument constructor that does no I/O, and are thread-safe. Reading configuration and building
 * clients happens in {@link #create(ProviderContext)}.
 *
 * <pre>{@code
 * public final class AcmeProvider implements MediaProvider {
 *   public String id() { return "acme"; }
 *   public ProviderClient create(ProviderContext context) {
 *     AcmeSettings settings = AcmeSettings.from(context.config()); // throws MediaConfigException
 *     return new AcmeJobClient(settings, context.http());
 *   }
 * }
 * }</pre>
 */
public interface MediaProvider {
  /** Returns the stable, lower-case id used in configuration, such as {@code "oss"}. */
  String id();

  /**
   * Creates a client from validated configuration.
   *
   * @throws dev.mediaflow.MediaConfigException when a setting is missing or invalid
   */
  ProviderClient create(ProviderContext context);
}
