package dev.mediaflow.spi;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.internal.Names;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The settings of one provider instance: the keys under {@code media.<instance>.} with the prefix
 * removed, already resolved by precedence, plus the process environment for the vendors' own
 * variables.
 *
 * <p>Keys match without regard to case (environment variables cannot keep it), and may be written
 * in kebab-case ({@code access-key-id} for {@code accessKeyId}). Errors name the full key ({@code
 * media.oss.region}) so users know what to set. Once {@link #declare declared}, unknown keys and
 * ill-typed values are refused, and {@link #toString()} shows only the values of settings declared
 * not secret. Immutable and thread-safe.
 */
public final class ProviderConfig {
  /** Orders keys as settings compare them: see {@link Setting#canonical}. */
  public static final Comparator<String> KEY_ORDER = Comparator.comparing(Setting::canonical);

  private final String instance;
  private final String providerId;
  private final Map<String, String> values;
  private final Map<String, String> environment;
  private final List<Setting> declared;

  /**
   * Creates a config.
   *
   * @param instance the instance name ({@code media.<instance>.*}); equals the provider id by
   *     default
   * @param providerId the provider's id
   * @param values the instance's keys without the {@code media.<instance>.} prefix
   * @param environment the process environment, for vendor variables such as {@code
   *     OSS_ACCESS_KEY_ID}
   */
  public ProviderConfig(
      String instance,
      String providerId,
      Map<String, String> values,
      Map<String, String> environment) {
    this(instance, providerId, sorted(values), Map.copyOf(environment), List.of());
  }

  private ProviderConfig(
      String instance,
      String providerId,
      Map<String, String> values,
      Map<String, String> environment,
      List<Setting> declared) {
    this.instance = Objects.requireNonNull(instance, "instance");
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    this.values = values;
    this.environment = environment;
    this.declared = declared;
  }

  private static Map<String, String> sorted(Map<String, String> values) {
    Map<String, String> v = new TreeMap<>(KEY_ORDER);
    v.putAll(values);
    return Collections.unmodifiableMap(v);
  }

  /**
   * Returns this config checked against {@code settings}: every key is a declared setting, every
   * value has its setting's type, and every required setting is set (or its vendor environment
   * variable is).
   *
   * @throws MediaConfigException naming the first key that is unknown, ill-typed or missing
   */
  public ProviderConfig declare(List<Setting> settings) {
    List<Setting> all = List.copyOf(settings);
    for (String key : values.keySet()) {
      Setting s = find(all, key).orElseThrow(() -> unknown(all, key));
      checkType(s, key);
    }
    for (Setting s : all) {
      if (s.isRequired() && !s.isMap()) {
        require(s.name(), s.environment().toArray(String[]::new));
      }
    }
    return new ProviderConfig(instance, providerId, values, environment, all);
  }

  /** Returns the settings this config was checked against; empty before {@link #declare}. */
  public List<Setting> declared() {
    return declared;
  }

  private static Optional<Setting> find(List<Setting> settings, String key) {
    return settings.stream().filter(s -> s.matches(key)).findFirst();
  }

  private MediaConfigException unknown(List<Setting> settings, String key) {
    String head = Setting.canonical(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
    String near =
        settings.stream()
            .filter(s -> Names.distance(Setting.canonical(s.name()), head) <= 2)
            .map(s -> fullKey(s.key()))
            .findFirst()
            .map(k -> " Did you mean " + k + "?")
            .orElse("");
    return new MediaConfigException(
        fullKey(key),
        fullKey(key)
            + " is not a setting of provider '"
            + providerId
            + "'."
            + near
            + " Its settings are: "
            + settings.stream().map(Setting::key).collect(Collectors.joining(", "))
            + ".");
  }

  private void checkType(Setting s, String key) {
    switch (s.type()) {
      case BOOLEAN -> getBoolean(key, false);
      case INTEGER -> getInt(key, 0);
      case DURATION -> getDuration(key, Duration.ZERO);
      case HOST -> getBaseUrl(key, "example.com");
      case ENUM -> {
        String v = get(key).orElse("");
        if (!v.isEmpty() && s.values().stream().noneMatch(x -> x.equalsIgnoreCase(v))) {
          throw new MediaConfigException(
              fullKey(key),
              fullKey(key)
                  + " must be one of "
                  + String.join(", ", s.values())
                  + ", was '"
                  + v
                  + "'");
        }
      }
      case STRING, PATH, LIST -> {}
    }
  }

  /** Returns a config with just {@code values}, for tests. */
  public static ProviderConfig of(String providerId, Map<String, String> values) {
    return new ProviderConfig(providerId, providerId, values, Map.of());
  }

  public String instance() {
    return instance;
  }

  public String providerId() {
    return providerId;
  }

  /** Returns the full key users set, such as {@code media.oss.region}. */
  public String fullKey(String key) {
    return "media." + instance + "." + key;
  }

  /** Returns all of this instance's keys and values (secrets included: do not print). */
  public Map<String, String> values() {
    return values;
  }

  /**
   * Returns the keys of the map setting {@code name} ({@code domain.<bucket>}) with their values:
   * the part after {@code name.} as written, in key order.
   */
  public Map<String, String> map(String name) {
    Map<String, String> m = new LinkedHashMap<>();
    String canonical = Setting.canonical(name) + ".";
    values.forEach(
        (k, v) -> {
          if (Setting.canonical(k).startsWith(canonical) && !v.isBlank()) {
            m.put(k.substring(k.indexOf('.') + 1), v.trim());
          }
        });
    return Collections.unmodifiableMap(m);
  }

  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * Returns the value of {@code key}, or the first of the vendor environment variables that is set.
   */
  public Optional<String> get(String key, String... environmentFallbacks) {
    Optional<String> v = get(key);
    if (v.isPresent()) {
      return v;
    }
    for (String name : environmentFallbacks) {
      String e = environment.get(name);
      if (e != null && !e.isBlank()) {
        return Optional.of(e.trim());
      }
    }
    return Optional.empty();
  }

  /** Returns the value of {@code key} or throws a config error that says what to set. */
  public String require(String key, String... environmentFallbacks) {
    return get(key, environmentFallbacks)
        .orElseThrow(
            () ->
                new MediaConfigException(
                    fullKey(key),
                    "Missing setting "
                        + fullKey(key)
                        + " for provider '"
                        + providerId
                        + "'"
                        + (environmentFallbacks.length == 0
                            ? ""
                            : " (or environment variable "
                                + String.join(" / ", environmentFallbacks)
                                + ")")
                        + "."));
  }

  /** Returns a secret setting, with optional vendor environment variables to fall back on. */
  public Optional<Secret> secret(String key, String... environmentFallbacks) {
    return get(key, environmentFallbacks).map(Secret::of);
  }

  /** Returns a required secret setting. */
  public Secret requireSecret(String key, String... environmentFallbacks) {
    return Secret.of(require(key, environmentFallbacks));
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new MediaConfigException(
              fullKey(key), fullKey(key) + " must be true or false, was '" + v.get() + "'");
    };
  }

  public int getInt(String key, int defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new MediaConfigException(
          fullKey(key), fullKey(key) + " must be a whole number, was '" + v.get() + "'");
    }
  }

  /**
   * Reads a duration written as ISO-8601 ({@code PT30S}) or as a number with a unit: {@code 500ms},
   * {@code 30s}, {@code 5m}, {@code 2h}.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    Duration d = dev.mediaflow.internal.Durations.parse(v.get());
    if (d == null || d.isNegative()) {
      throw new MediaConfigException(
          fullKey(key),
          fullKey(key)
              + " must be a duration such as 500ms, 30s, 5m, 2h or PT30S, was '"
              + v.get()
              + "'");
    }
    return d;
  }

  /**
   * Reads a service's base URL written as a host ({@code api.example.com}, https) or a URL with a
   * scheme and no path ({@code http://127.0.0.1:9000}); {@code example} is the host the error
   * message suggests.
   */
  public Optional<okhttp3.HttpUrl> getBaseUrl(String key, String example) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().contains("://") ? value.get() : "https://" + value.get();
    okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(v.endsWith("/") ? v : v + "/");
    if (url == null || !url.encodedPath().equals("/") || url.query() != null) {
      throw new MediaConfigException(
          fullKey(key),
          fullKey(key)
              + " must be a host such as "
              + example
              + " (or http://127.0.0.1:9000 for a fake server), was '"
              + value.get()
              + "'");
    }
    return Optional.of(url);
  }

  /**
   * Returns whether the value of {@code key} may be shown: only a declared setting that is not
   * secret. Before {@link #declare}, nothing is known to be safe, so nothing is shown.
   */
  public boolean isShown(String key) {
    return find(declared, key).map(s -> !s.isSecret()).orElse(false);
  }

  /**
   * Lists the keys, with the values of declared settings that are not secret; other values show as
   * {@code ****}.
   */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("ProviderConfig{instance=")
            .append(instance)
            .append(", provider=")
            .append(providerId);
    values.forEach((k, v) -> s.append(", ").append(k).append('=').append(isShown(k) ? v : "****"));
    return s.append('}').toString();
  }
}
