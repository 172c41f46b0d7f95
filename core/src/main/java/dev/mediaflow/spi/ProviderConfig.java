package dev.mediaflow.spi;

import dev.mediaflow.MediaConfigException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings of one provider instance: the keys under {@code media.<instance>.} with the prefix removed,
 * already resolved by precedence, plus the process environment for the vendors' own variables.
 *
 * <p>Keys match without regard to case (environment variables cannot keep it). Errors name the full key ({@code media.oss.region}) so users know what to set. {@link #toString()}
 * hides secret values. Immutable and thread-safe.
 */
public final class ProviderConfig {
  private final String instance;
  private final String providerId;
  private final Map<String, String> values;
  private final Map<String, String> environment;

  /**
   * Creates a config.
   *
   * @param instance the instance name ({@code media.<instance>.*}); equals the provider id by default
   * @param providerId the provider's id
   * @param values the instance's keys without the {@code media.<instance>.} prefix
   * @param environment the process environment, for vendor variables such as {@code OSS_ACCESS_KEY_ID}
   */
  public ProviderConfig(String instance, String providerId, Map<String, String> values, Map<String, String> environment) {
    this.instance = Objects.requireNonNull(instance, "instance");
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    Map<String, String> v = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
    this.environment = Map.copyOf(environment);
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

  public Optional<String> get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** Returns the value of {@code key}, or the first of the vendor environment variables that is set. */
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
    return get(key, environmentFallbacks).orElseThrow(() -> new MediaConfigException(fullKey(key),
        "Missing setting " + fullKey(key) + " for provider '" + providerId + "'"
            + (environmentFallbacks.length == 0 ? "" : " (or environment variable " + String.join(" / ", environmentFallbacks) + ")")
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
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new MediaConfigException(fullKey(key), fullKey(key) + " must be true or false, was '" + v.get() + "'");
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
      throw new MediaConfigException(fullKey(key), fullKey(key) + " must be a whole number, was '" + v.get() + "'");
    }
  }

  /** Reads a duration written as ISO-8601 ({@code PT30S}) or as a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}. */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    Duration d = dev.mediaflow.internal.Durations.parse(v.get());
    if (d == null || d.isNegative()) {
      throw new MediaConfigException(fullKey(key),
          fullKey(key) + " must be a duration such as 500ms, 30s, 5m, 2h or PT30S, was '" + v.get() + "'");
    }
    return d;
  }

  /**
   * Reads a service's base URL written as a host ({@code api.example.com}, https) or a URL with a scheme and
   * no path ({@code http://127.0.0.1:9000}); {@code example} is the host the error message suggests.
   */
  public Optional<okhttp3.HttpUrl> getBaseUrl(String key, String example) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().contains("://") ? value.get() : "https://" + value.get();
    okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(v.endsWith("/") ? v : v + "/");
    if (url == null || !url.encodedPath().equals("/") || url.query() != null) {
      throw new MediaConfigException(fullKey(key), fullKey(key) + " must be a host such as " + example
          + " (or http://127.0.0.1:9000 for a fake server), was '" + value.get() + "'");
    }
    return Optional.of(url);
  }

  /** Returns true for key names that hold credentials; their values are never printed. */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("secret") || k.contains("token") || k.contains("password") || k.contains("privatekey");
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ProviderConfig{instance=").append(instance)
        .append(", provider=").append(providerId);
    values.forEach((k, v) -> s.append(", ").append(k).append('=').append(isSecretKey(k) ? "****" : v));
    return s.append('}').toString();
  }
}
