package dev.mediaflow;

import dev.mediaflow.internal.ProviderRegistry;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Setting;
import dev.mediaflow.spi.Setting.Type;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Mediaflow's configuration: {@code media.provider} picks the default provider instance, and each
 * instance reads its keys under {@code media.<instance>.}.
 *
 * <p>Sources, highest precedence first:
 *
 * <ol>
 *   <li>values set in code ({@link Builder#put}, {@link Builder#properties});
 *   <li>Java system properties ({@code -Dmedia.oss.region=cn-hangzhou});
 *   <li>environment variables: the key upper-cased with dots as underscores ({@code
 *       MEDIA_PROVIDER}, {@code MEDIA_OSS_REGION}, {@code MEDIA_OSS_ACCESSKEYID}; matched without
 *       regard to case);
 *   <li>the properties file given by {@link Builder#file}, or named by {@code media.config} /
 *       {@code MEDIA_CONFIG};
 *   <li>the vendors' own environment variables ({@code OSS_ACCESS_KEY_ID}, {@code
 *       QINIU_SECRET_KEY}, ...), for a credential no other source sets;
 *   <li>defaults ({@code media.provider=local}).
 * </ol>
 *
 * <p>Several instances of one provider: name them, and give each its provider id.
 *
 * <pre>
 * media.provider=east
 * media.east.provider=oss
 * media.east.region=cn-hangzhou
 * media.west.provider=oss
 * media.west.region=cn-shanghai
 * </pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} hides secret values.
 */
public final class MediaConfig {
  /** The key that names the default provider instance. */
  public static final String PROVIDER = "media.provider";

  /** The key (or {@code MEDIA_CONFIG}) naming a properties file to read. */
  public static final String CONFIG_FILE = "media.config";

  /** The default provider: runs pipelines on this machine. */
  public static final String DEFAULT_PROVIDER = "local";

  /** Mediaflow's own settings, by namespace: {@code media.<namespace>.<name>}. */
  private static final Map<String, List<Setting>> SETTINGS =
      Map.of(
          "http",
              List.of(
                  Setting.builder("connectTimeout")
                      .type(Type.DURATION)
                      .defaultValue("10s")
                      .description("HTTP connect timeout")
                      .build(),
                  Setting.builder("readTimeout")
                      .type(Type.DURATION)
                      .defaultValue("30s")
                      .description("HTTP read timeout")
                      .build(),
                  Setting.builder("callTimeout")
                      .type(Type.DURATION)
                      .defaultValue("2m")
                      .description("HTTP whole-call timeout")
                      .build(),
                  Setting.builder("retries")
                      .type(Type.INTEGER)
                      .defaultValue("3")
                      .description(
                          "retries for idempotent requests (submissions are never blindly retried)")
                      .build()),
          "watch",
              List.of(
                  Setting.builder("initialDelay")
                      .type(Type.DURATION)
                      .defaultValue("1s")
                      .description("job polling: the first delay")
                      .build(),
                  Setting.builder("maxDelay")
                      .type(Type.DURATION)
                      .defaultValue("30s")
                      .description("job polling: the cap on the delay")
                      .build(),
                  Setting.builder("deadline")
                      .type(Type.DURATION)
                      .defaultValue("24h")
                      .description("job polling: when the watcher gives up")
                      .build(),
                  Setting.builder("safetyInterval")
                      .type(Type.DURATION)
                      .defaultValue("5m")
                      .description(
                          "job polling: the interval for jobs whose changes the vendor pushes")
                      .build()),
          "jobs",
              List.of(
                  Setting.builder("store")
                      .values("file", "none", "jdbc")
                      .defaultValue("file")
                      .description(
                          "where submitted and watched jobs are kept, so resume finds them after a restart")
                      .build(),
                  Setting.builder("dir")
                      .type(Type.PATH)
                      .defaultValue("~/.mediaflow/jobs")
                      .description("the folder of the file job store")
                      .build(),
                  Setting.builder("jdbcUrl")
                      .description(
                          "the JDBC URL of the jdbc job store (needs mediaflow-jobs-jdbc and the database's driver)")
                      .build(),
                  Setting.builder("jdbcUser")
                      .description("the database user of the jdbc job store")
                      .build(),
                  Setting.builder("jdbcPassword")
                      .secret()
                      .description("the database password of the jdbc job store")
                      .build(),
                  Setting.builder("lease")
                      .type(Type.DURATION)
                      .defaultValue("2m")
                      .description(
                          "how long a process holds a stored job it watches before another may take it")
                      .build(),
                  Setting.builder("keep")
                      .type(Type.DURATION)
                      .defaultValue("168h")
                      .description("how long ended jobs stay in the store")
                      .build()),
          "upload",
              List.of(
                  Setting.builder("checkpointDir")
                      .type(Type.PATH)
                      .defaultValue("~/.mediaflow/checkpoints")
                      .description("where upload checkpoints are kept")
                      .build()));

  /**
   * Names under {@code media.} that are not provider instances: Mediaflow's own settings ({@code
   * provider}, {@code config}, {@code http}, {@code watch}, {@code upload}, {@code jobs}) and
   * namespaces kept for its features ({@code notify}, {@code notifications}, {@code delivery},
   * {@code server}, {@code metrics}). The one list both {@link #instances()} and instance-name
   * checks use.
   */
  public static final Set<String> RESERVED = reserved();

  private static Set<String> reserved() {
    Set<String> names = new TreeSet<>(SETTINGS.keySet());
    names.addAll(
        List.of(
            "provider",
            "config",
            "jobs",
            "notify",
            "notifications",
            "delivery",
            "server",
            "metrics"));
    return Collections.unmodifiableSet(names);
  }

  private static final Pattern INSTANCE = Pattern.compile("[a-z][a-z0-9-]*");

  /** A source of settings, in precedence order (first wins). */
  enum Tier {
    CODE,
    SYSTEM,
    ENVIRONMENT,
    FILE
  }

  /** The tiers from lowest to highest precedence, for merging where a later tier overwrites. */
  private static final List<Tier> LOWEST_FIRST =
      List.of(Tier.FILE, Tier.ENVIRONMENT, Tier.SYSTEM, Tier.CODE);

  private final Map<Tier, Map<String, String>> tiers;
  private final Map<String, String> environment;
  private final List<String> sources;

  private MediaConfig(
      Map<Tier, Map<String, String>> tiers, Map<String, String> environment, List<String> sources) {
    this.tiers = tiers;
    this.environment = environment;
    this.sources = sources;
  }

  /**
   * Returns the usual configuration: system properties, environment, and the file named by
   * media.config.
   */
  public static MediaConfig load() {
    return builder().systemProperties().environment().build();
  }

  /**
   * Returns a configuration of exactly {@code properties} (no system properties, no environment).
   */
  public static MediaConfig fromProperties(Properties properties) {
    return builder().properties(properties).build();
  }

  /** Returns a configuration of exactly {@code values}. */
  public static MediaConfig fromMap(Map<String, String> values) {
    Builder b = builder();
    values.forEach(b::put);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the value of a full key such as {@code media.oss.region}, by precedence. */
  public Optional<String> get(String key) {
    for (Tier t : Tier.values()) {
      String v = tiers.get(t).get(t == Tier.ENVIRONMENT ? key.toLowerCase(Locale.ROOT) : key);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  /** Returns the default provider instance name ({@code media.provider}, default {@code local}). */
  public String defaultInstance() {
    String name = get(PROVIDER).orElse(DEFAULT_PROVIDER);
    checkInstanceName(PROVIDER, name);
    return name;
  }

  /**
   * Returns the provider id of {@code instance}: {@code media.<instance>.provider}, else the name
   * itself.
   */
  public String providerIdOf(String instance) {
    checkInstanceName("instance", instance);
    String id = get("media." + instance + ".provider").orElse(instance);
    if (!INSTANCE.matcher(id).matches()) {
      throw new MediaConfigException(
          "media." + instance + ".provider",
          "media."
              + instance
              + ".provider must be a provider id such as oss, qiniu or local, was '"
              + id
              + "'");
    }
    return id;
  }

  /** Returns the instance names that appear in the configuration (plus the default one). */
  public Set<String> instances() {
    Set<String> names = new TreeSet<>();
    names.add(defaultInstance());
    for (Tier t : Tier.values()) {
      for (String key : tiers.get(t).keySet()) {
        String[] parts = key.split("\\.", 3);
        if (parts.length == 3
            && parts[0].equalsIgnoreCase("media")
            && !RESERVED.contains(parts[1])) {
          names.add(parts[1].toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /**
   * Returns the settings of {@code instance}: its keys without the {@code media.<instance>.}
   * prefix.
   */
  public ProviderConfig instance(String instance) {
    return new ProviderConfig(instance, providerIdOf(instance), keysUnder(instance), environment);
  }

  /**
   * Returns the settings of {@code instance} for the provider {@code providerId}, whatever the
   * configuration says.
   */
  public ProviderConfig instance(String instance, String providerId) {
    checkInstanceName("instance", instance);
    return new ProviderConfig(instance, providerId, keysUnder(instance), environment);
  }

  /**
   * Returns Mediaflow's own settings ({@code media.http.*}, {@code media.watch.*}, ...), by
   * namespace.
   */
  public static Map<String, List<Setting>> settings() {
    return new TreeMap<>(SETTINGS);
  }

  /**
   * Returns the settings under {@code media.<namespace>.} for one of Mediaflow's own namespaces
   * (such as {@code http}), checked against their declarations.
   *
   * @throws MediaConfigException for an unknown namespace or key, or an ill-typed value
   */
  public ProviderConfig section(String namespace) {
    List<Setting> declared = SETTINGS.get(namespace);
    if (declared == null) {
      throw new MediaConfigException(
          "media." + namespace,
          "media."
              + namespace
              + " is not a namespace of Mediaflow's own settings; those are "
              + new TreeSet<>(SETTINGS.keySet()));
    }
    return new ProviderConfig(namespace, namespace, keysUnder(namespace), Map.of())
        .declare(declared);
  }

  private Map<String, String> keysUnder(String name) {
    String prefix = "media." + name + ".";
    Map<String, String> values = new TreeMap<>(ProviderConfig.KEY_ORDER);
    for (Tier t : LOWEST_FIRST) {
      for (Map.Entry<String, String> e : tiers.get(t).entrySet()) {
        if (e.getKey().regionMatches(true, 0, prefix, 0, prefix.length())
            && e.getKey().length() > prefix.length()) {
          String key = e.getKey().substring(prefix.length());
          if (!key.equals("provider") && e.getValue() != null && !e.getValue().isBlank()) {
            values.remove(key); // a higher tier replaces the key's spelling too
            values.put(key, e.getValue());
          }
        }
      }
    }
    return Collections.unmodifiableMap(values);
  }

  /** Returns a copy with {@code key} set to {@code value} at the highest precedence. */
  public MediaConfig with(String key, String value) {
    Map<Tier, Map<String, String>> copy = new EnumMap<>(tiers);
    Map<String, String> code = new LinkedHashMap<>(tiers.get(Tier.CODE));
    code.put(key, value);
    copy.put(Tier.CODE, Collections.unmodifiableMap(code));
    return new MediaConfig(copy, environment, sources);
  }

  /** Returns the process environment this configuration reads vendor variables from. */
  public Map<String, String> environment() {
    return environment;
  }

  private static void checkInstanceName(String key, String name) {
    if (!INSTANCE.matcher(name).matches() || RESERVED.contains(name)) {
      throw new MediaConfigException(
          key,
          key
              + " must name a provider instance (lower-case letters, digits and '-', "
              + "not one of "
              + new TreeSet<>(RESERVED)
              + "), was '"
              + name
              + "'");
    }
  }

  /**
   * Lists every media.* key and where the settings came from. A value is shown only when its
   * setting is declared and not secret (by Mediaflow, or by the instance's provider found on the
   * class path); others show as {@code ****}.
   */
  @Override
  public String toString() {
    Map<String, String> all = new TreeMap<>();
    for (Tier t : LOWEST_FIRST) {
      tiers.get(t).forEach((k, v) -> all.put(k, shown(k) ? v : "****"));
    }
    return "MediaConfig" + all + " from " + sources;
  }

  private boolean shown(String fullKey) {
    String[] parts = fullKey.split("\\.", 3);
    if (parts.length == 2) {
      return true; // media.provider, media.config
    }
    if (parts.length != 3 || parts[2].equalsIgnoreCase("provider")) {
      return parts.length == 3;
    }
    List<Setting> declared = SETTINGS.get(parts[1].toLowerCase(Locale.ROOT));
    if (declared == null) {
      try {
        MediaProvider provider =
            ProviderRegistry.fromClassPath().get(providerIdOf(parts[1].toLowerCase(Locale.ROOT)));
        declared = provider.settings();
      } catch (RuntimeException e) {
        return false; // no provider to say the value is safe to show
      }
    }
    return declared.stream().anyMatch(s -> s.matches(parts[2]) && !s.isSecret());
  }

  /**
   * Builds a {@link MediaConfig}. Each method adds a source at its fixed precedence, so the order
   * of the calls does not matter. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, String> code = new LinkedHashMap<>();
    private Map<String, String> system = Map.of();
    private Map<String, String> env = Map.of();
    private Map<String, String> vendorEnv = Map.of();
    private Path file;
    private final List<String> sources = new ArrayList<>();

    private Builder() {}

    /** Sets a key in code (highest precedence). */
    public Builder put(String key, String value) {
      code.put(key, value);
      return this;
    }

    /** Adds properties set in code (highest precedence). */
    public Builder properties(Properties properties) {
      for (String name : properties.stringPropertyNames()) {
        code.put(name, properties.getProperty(name));
      }
      return this;
    }

    /** Adds the JVM's system properties whose names start with {@code media.}. */
    public Builder systemProperties() {
      return systemProperties(System.getProperties());
    }

    public Builder systemProperties(Properties properties) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String name : properties.stringPropertyNames()) {
        if (name.startsWith("media.")) {
          m.put(name, properties.getProperty(name));
        }
      }
      system = m;
      sources.add("system properties");
      return this;
    }

    /**
     * Adds the process environment: {@code MEDIA_*} variables, and the vendors' variables as
     * fallbacks.
     */
    public Builder environment() {
      return environment(System.getenv());
    }

    /** Adds {@code environment} as if it were the process environment (for tests). */
    public Builder environment(Map<String, String> environment) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : environment.entrySet()) {
        if (e.getKey().startsWith("MEDIA_") && e.getKey().length() > 6) {
          m.put(e.getKey().toLowerCase(Locale.ROOT).replace('_', '.'), e.getValue());
        }
      }
      env = m;
      vendorEnv = Map.copyOf(environment);
      sources.add("environment");
      return this;
    }

    /** Reads a properties file (UTF-8) below system properties and the environment. */
    public Builder file(Path path) {
      this.file = path;
      return this;
    }

    public MediaConfig build() {
      Path path = file;
      if (path == null) {
        String named = first(code.get(CONFIG_FILE), system.get(CONFIG_FILE), env.get(CONFIG_FILE));
        if (named != null && !named.isBlank()) {
          path = Path.of(named.trim());
        }
      }
      Map<String, String> fromFile = Map.of();
      List<String> where = new ArrayList<>();
      if (!code.isEmpty()) {
        where.add("code");
      }
      where.addAll(sources);
      if (path != null) {
        fromFile = readFile(path);
        where.add("file " + path);
      }
      Map<Tier, Map<String, String>> tiers = new EnumMap<>(Tier.class);
      tiers.put(Tier.CODE, Collections.unmodifiableMap(new LinkedHashMap<>(code)));
      tiers.put(Tier.SYSTEM, Collections.unmodifiableMap(system));
      tiers.put(Tier.ENVIRONMENT, Collections.unmodifiableMap(env));
      tiers.put(Tier.FILE, fromFile);
      return new MediaConfig(tiers, vendorEnv, List.copyOf(where));
    }

    private static String first(String... values) {
      for (String v : values) {
        if (v != null) {
          return v;
        }
      }
      return null;
    }

    private static Map<String, String> readFile(Path path) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new MediaConfigException(
            CONFIG_FILE,
            "Cannot read the configuration file "
                + path
                + ": "
                + e.getMessage()
                + ". Check the path given with --config, media.config or MEDIA_CONFIG.",
            e);
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (String name : p.stringPropertyNames()) {
        m.put(name, p.getProperty(name));
      }
      return Collections.unmodifiableMap(m);
    }
  }
}
