package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Turns the {@code mediaflow.*} properties of a Spring {@link Environment} into Mediaflow's {@code
 * media.*} keys, generically: whatever Mediaflow or a provider declares is passed on, so settings
 * added later work without a change here. Also names a {@code media.*} key the way a Spring user
 * writes it, for error reports.
 */
final class SpringMediaConfig {
  /** Namespaces under {@code mediaflow.} that the starter reads itself. */
  static final Set<String> OWN = Set.of("notifications", "health", "metrics");

  /**
   * A list element as Spring's binder flattens it: {@code public-buckets[0]} comes as {@code
   * public-buckets.0} (no bucket or prefix name is all digits).
   */
  private static final Pattern INDEXED = Pattern.compile("(.*)(?:\\[(\\d+)]|\\.(\\d+))");

  private SpringMediaConfig() {}

  /**
   * Returns Mediaflow's configuration: the {@code mediaflow.*} properties (from any Spring source,
   * {@code MEDIAFLOW_*} environment variables included) over {@code media.*} system properties,
   * {@code MEDIA_*} environment variables, the file {@code media.config} names, and the vendors'
   * variables.
   *
   * @throws MediaConfigException for a {@code mediaflow.*} key that is no Mediaflow setting
   */
  static MediaConfig load(Environment environment) {
    MediaConfig.Builder b = MediaConfig.builder().systemProperties().environment();
    mediaKeys(environment).forEach(b::put);
    return b.build();
  }

  /** Returns the {@code media.*} keys and values the {@code mediaflow.*} properties stand for. */
  static Map<String, String> mediaKeys(Environment environment) {
    Map<String, String> flat =
        Binder.get(environment)
            .bind(MediaflowProperties.PREFIX, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    Map<String, TreeMap<Integer, String>> lists = new TreeMap<>();
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
      String key = mediaKey(e.getKey());
      if (key == null) {
        continue;
      }
      Matcher m = INDEXED.matcher(key);
      if (m.matches()) {
        // a YAML list: Mediaflow's lists are comma-separated
        int index = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
        lists.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(index, e.getValue());
      } else {
        out.put(key, e.getValue());
      }
    }
    lists.forEach((k, v) -> out.put(k, String.join(",", v.values())));
    return out;
  }

  /**
   * Returns the {@code media.*} key of {@code name} (below {@code mediaflow.}), or null for the
   * starter's own properties.
   */
  private static String mediaKey(String name) {
    int dot = name.indexOf('.');
    String head = (dot < 0 ? name : name.substring(0, dot)).toLowerCase(Locale.ROOT);
    if (OWN.contains(head)) {
      return null;
    }
    if (dot < 0) {
      if (head.equals("provider") || head.equals("config")) {
        return "media." + head;
      }
    } else if (head.equals("instances")) {
      String rest = name.substring(dot + 1);
      int second = rest.indexOf('.');
      if (second > 0 && second < rest.length() - 1) {
        return "media."
            + rest.substring(0, second).toLowerCase(Locale.ROOT)
            + "."
            + rest.substring(second + 1);
      }
    } else if (MediaConfig.settings().containsKey(head)) {
      return "media." + head + name.substring(dot);
    }
    throw new MediaConfigException(
        "mediaflow." + name,
        "mediaflow."
            + name
            + " is not a Mediaflow setting: a provider instance's settings go under "
            + "mediaflow.instances.<name>., Mediaflow's own under mediaflow."
            + new TreeMap<>(MediaConfig.settings()).keySet()
            + ", plus mediaflow.provider, mediaflow.config, mediaflow.notifications.*, "
            + "mediaflow.health.* and mediaflow.metrics.*");
  }

  /**
   * Returns how a Spring user writes the {@code media.*} key {@code mediaKey}: {@code
   * media.oss.region} is {@code mediaflow.instances.oss.region}, {@code media.http.retries} is
   * {@code mediaflow.http.retries}; a {@code mediaflow.*} key stays as it is.
   */
  static String springKey(String mediaKey) {
    if (mediaKey.startsWith("mediaflow.") || !mediaKey.startsWith("media.")) {
      return mediaKey;
    }
    String rest = mediaKey.substring("media.".length());
    int dot = rest.indexOf('.');
    String head = dot < 0 ? rest : rest.substring(0, dot);
    if (dot < 0 || MediaConfig.settings().containsKey(head)) {
      return "mediaflow." + rest;
    }
    return "mediaflow.instances." + rest;
  }

  /**
   * Returns the environment variable Spring Boot reads as {@code springKey}: upper case, '.' and
   * '-' as '_' ({@code MEDIAFLOW_INSTANCES_OSS_ACCESSKEYID}).
   */
  static String environmentVariable(String springKey) {
    return springKey.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** Returns the {@code MEDIA_*} variable Mediaflow itself reads as {@code mediaKey}. */
  static String mediaVariable(String mediaKey) {
    return mediaKey.replace('.', '_').toUpperCase(Locale.ROOT);
  }
}
