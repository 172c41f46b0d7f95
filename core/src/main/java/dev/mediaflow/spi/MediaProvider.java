package dev.mediaflow.spi;

import java.util.List;

/**
 * A media back end, discovered with {@link java.util.ServiceLoader} and picked by {@link #id()}.
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.mediaflow.spi.MediaProvider}, have
 * a public no-argument constructor that does no I/O, and are thread-safe. Reading configuration and
 * building clients happens in {@link #create(ProviderContext)}.
 *
 * <pre>{@code
 * public final class AcmeProvider implements MediaProvider {
 *   public String id() { return "acme"; }
 *   public List<Setting> settings() { return AcmeSettings.DECLARED; }
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
   * Returns every setting the provider reads under {@code media.<instance>.}, declared once. {@code
   * MediaClient} checks an instance's configuration against it before {@link #create}: unknown
   * keys, ill-typed values and missing required settings are refused with a message naming the key.
   * The declarations also decide which values may be shown, and feed the documentation and the
   * CLI's {@code settings} command.
   */
  List<Setting> settings();

  /**
   * Creates a client from validated configuration.
   *
   * @throws dev.mediaflow.MediaConfigException when a setting is missing or invalid
   */
  ProviderClient create(ProviderContext context);
}
