package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings Mediaflow and the providers on the class path declare, as the starter needs them:
 * for the configuration metadata, for naming what to set in a start-up report, and for knowing
 * which values are secret.
 */
final class DeclaredSettings {
  private DeclaredSettings() {}

  /** Returns the providers on the class path by id, in id order. */
  static Map<String, MediaProvider> providers(ClassLoader loader) {
    Map<String, MediaProvider> found = new TreeMap<>();
    for (MediaProvider p : ServiceLoader.load(MediaProvider.class, loader)) {
      found.putIfAbsent(p.id(), p);
    }
    return found;
  }

  /**
   * Returns every declared setting by the {@code media.*} key it is written under, for Mediaflow's
   * own namespaces and for each provider's instance named after its id ({@code media.oss.region}).
   */
  static Map<String, Setting> all(ClassLoader loader) {
    Map<String, Setting> all = new TreeMap<>();
    MediaConfig.settings()
        .forEach((ns, list) -> list.forEach(s -> all.put("media." + ns + "." + s.name(), s)));
    providers(loader)
        .forEach((id, p) -> p.settings().forEach(s -> all.put("media." + id + "." + s.name(), s)));
    return all;
  }

  /**
   * Returns the setting {@code mediaKey} names ({@code media.oss.accessKeySecret}), if declared.
   */
  static Optional<Setting> find(String mediaKey, ClassLoader loader) {
    String[] parts = mediaKey.split("\\.", 3);
    if (parts.length != 3 || !parts[0].equals("media")) {
      return Optional.empty();
    }
    List<Setting> declared = MediaConfig.settings().get(parts[1]);
    if (declared == null) {
      MediaProvider p = providers(loader).get(parts[1]);
      declared = p == null ? List.of() : p.settings();
    }
    return declared.stream().filter(s -> s.matches(parts[2])).findFirst();
  }

  /**
   * Returns the secret settings' names in canonical form ({@code accesskeysecret}), across
   * Mediaflow and every provider on the class path.
   */
  static Set<String> secretNames(ClassLoader loader) {
    Set<String> names = new TreeSet<>();
    for (Setting s : secrets(loader)) {
      names.add(Setting.canonical(s.name()));
    }
    return names;
  }

  /** Returns the vendors' environment variables that hold secrets, upper case. */
  static Set<String> secretVariables(ClassLoader loader) {
    Set<String> names = new TreeSet<>();
    for (Setting s : secrets(loader)) {
      s.environment().forEach(e -> names.add(e.toUpperCase(Locale.ROOT)));
    }
    return names;
  }

  private static List<Setting> secrets(ClassLoader loader) {
    List<Setting> secret = new ArrayList<>();
    all(loader).values().stream().filter(Setting::isSecret).forEach(secret::add);
    return secret;
  }
}
