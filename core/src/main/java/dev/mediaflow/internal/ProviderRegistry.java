package dev.mediaflow.internal;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.MediaProvider;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Finds providers on the class path, indexed by id, failing fast on clashes. */
public final class ProviderRegistry {
  private final Map<String, MediaProvider> byId;

  public ProviderRegistry(Iterable<MediaProvider> providers) {
    Map<String, MediaProvider> map = new TreeMap<>();
    for (MediaProvider p : providers) {
      MediaProvider clash = map.putIfAbsent(p.id(), p);
      if (clash != null) {
        throw new MediaConfigException(
            p.id(),
            String.format(
                "Two media providers claim the id '%s': %s and %s. Keep only one of them on the class path.",
                p.id(), clash.getClass().getName(), p.getClass().getName()));
      }
    }
    this.byId = Map.copyOf(map);
  }

  /** Loads the providers listed in {@code META-INF/services/dev.mediaflow.spi.MediaProvider}. */
  public static ProviderRegistry fromClassPath() {
    return fromClassPath(MediaProvider.class.getClassLoader());
  }

  public static ProviderRegistry fromClassPath(ClassLoader loader) {
    try {
      return new ProviderRegistry(ServiceLoader.load(MediaProvider.class, loader));
    } catch (ServiceConfigurationError e) {
      throw new MediaConfigException(
          "",
          "A media provider on the class path failed to load: "
              + e.getMessage()
              + ". Check that the provider jar matches this mediaflow-core version.",
          e);
    }
  }

  public Set<String> ids() {
    return new TreeSet<>(byId.keySet());
  }

  /**
   * Returns the provider with {@code id}, or throws an error that lists the ids found and the fix.
   */
  public MediaProvider get(String id) {
    MediaProvider p = byId.get(id);
    if (p == null) {
      throw new MediaConfigException(
          id,
          String.format(
              "No media provider with id '%s' on the class path (found: %s). Add the dependency "
                  + "dev.mediaflow:mediaflow-provider-%s, or set media.provider to one of the ids found.",
              id, byId.isEmpty() ? "none" : String.join(", ", ids()), id));
    }
    return p;
  }
}
