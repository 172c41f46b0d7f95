package dev.mediaflow.local;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.Operation;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The local provider's delivery settings: URL signing, the media server, its cache, public buckets
 * and styles ({@code media.local.*}, declared in {@link LocalProvider#settings()}).
 *
 * <p>The URL signing key is {@code media.local.urlSigningKey}; when unset, a random key is made
 * once and kept in {@code <root>/.mediaflow/url-signing-key} (readable by its owner only), so that
 * {@code url} and a {@code mediaflow serve} on the same root agree without any setup. The file is
 * read the first time a URL is made or checked, not when the client is created.
 */
final class LocalDeliverySettings {
  static final String KEY_FILE = "url-signing-key";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProviderConfig config;
  private final Path root;
  private final Optional<Secret> signingKey;
  private final Optional<URI> baseUrl;
  private final int serverThreads;
  private final int maxTransforms;
  private final Path cacheDir;
  private final Set<String> publicBuckets;
  private final List<String> corsOrigins;
  private final Map<String, List<Operation>> styles;
  private volatile byte[] key;

  private LocalDeliverySettings(ProviderConfig config, Path root) {
    this.config = config;
    this.root = root;
    this.signingKey = config.secret("urlSigningKey");
    this.baseUrl = config.get("baseUrl").map(v -> baseUrl(config, v));
    this.serverThreads = range(config, "serverThreads", 16, 1, 1024);
    this.maxTransforms =
        range(config, "maxTransforms", Runtime.getRuntime().availableProcessors(), 1, 256);
    this.cacheDir =
        config
            .get("cacheDir")
            .map(v -> Path.of(v).toAbsolutePath().normalize())
            .orElse(root.resolve(LocalStore.WORK_DIR).resolve("cache"));
    Set<String> buckets = new TreeSet<>();
    config
        .get("publicBuckets")
        .ifPresent(
            v -> {
              for (String b : v.split(",")) {
                if (!b.isBlank()) {
                  buckets.add(b.trim());
                }
              }
            });
    this.publicBuckets = Set.copyOf(buckets);
    this.corsOrigins = corsOrigins(config);
    Map<String, List<Operation>> s = new LinkedHashMap<>();
    config
        .map("style")
        .forEach(
            (name, json) -> {
              try {
                List<Operation> steps = PipelineSpec.parseSteps(json);
                LocalUrl.checkSteps(steps);
                s.put(name, steps);
              } catch (MediaValidationException
                  | dev.mediaflow.UnsupportedMediaOperationException e) {
                throw new MediaConfigException(
                    config.fullKey("style." + name),
                    config.fullKey("style." + name)
                        + " must be a JSON array of processing steps (resize, watermark, one "
                        + "snapshot first): "
                        + e.getMessage());
              }
            });
    this.styles = Map.copyOf(s);
  }

  static LocalDeliverySettings from(ProviderConfig config, Path root) {
    return new LocalDeliverySettings(config, root);
  }

  String fullKey(String key) {
    return config.fullKey(key);
  }

  /** Where the media server is, without a trailing '/'; {@code url} needs it. */
  Optional<URI> baseUrl() {
    return baseUrl;
  }

  /**
   * The base URL, which URLs and upload grants need.
   *
   * @throws MediaConfigException when it is not set
   */
  URI requiredBaseUrl() {
    return baseUrl.orElseThrow(
        () ->
            new MediaConfigException(
                fullKey("baseUrl"),
                "Missing setting "
                    + fullKey("baseUrl")
                    + ": local URLs point at the local media server; set it to the "
                    + "address `mediaflow serve` prints, such as http://127.0.0.1:8090."));
  }

  int serverThreads() {
    return serverThreads;
  }

  int maxTransforms() {
    return maxTransforms;
  }

  Path cacheDir() {
    return cacheDir;
  }

  /** The origins whose pages may read the server's answers and upload: {@code *} for any. */
  List<String> corsOrigins() {
    return corsOrigins;
  }

  private static List<String> corsOrigins(ProviderConfig config) {
    List<String> origins = new java.util.ArrayList<>();
    for (String o : config.get("corsOrigins").orElse("*").split(",")) {
      String v = o.trim();
      if (v.isEmpty()) {
        continue;
      }
      // An origin is scheme://host[:port], with no path (RFC 6454).
      if (!v.equals("*") && !v.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
        throw new MediaConfigException(
            config.fullKey("corsOrigins"),
            config.fullKey("corsOrigins")
                + " must be * or origins such as https://app.example.com, comma-separated, had '"
                + v
                + "'");
      }
      origins.add(v);
    }
    return List.copyOf(origins);
  }

  Set<String> publicBuckets() {
    return publicBuckets;
  }

  /** The chain of the style {@code name}, when it is defined. */
  Optional<List<Operation>> style(String name) {
    return Optional.ofNullable(styles.get(name));
  }

  /** The key that signs URLs: the configured one, else the one kept under the root. */
  byte[] signingKey() {
    byte[] k = key;
    if (k == null) {
      synchronized (this) {
        if (key == null) {
          key =
              signingKey.isPresent()
                  ? signingKey.get().reveal().getBytes(StandardCharsets.UTF_8)
                  : keptKey(root.resolve(LocalStore.WORK_DIR).resolve(KEY_FILE));
        }
        k = key;
      }
    }
    return k;
  }

  /**
   * Reads the generated key, or makes it: written to a temporary file, then moved into place
   * without replacing, so that two processes starting at once end up with the same key.
   */
  private byte[] keptKey(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Path tmp = Files.createTempFile(file.getParent(), KEY_FILE, ".tmp");
        try {
          try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
          }
          Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          // another process made it first: use theirs
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (text.length() < 16) {
        throw new MediaConfigException(
            config.fullKey("urlSigningKey"),
            "the URL signing key kept in "
                + file
                + " is too short; delete the file to make a new one, or set "
                + config.fullKey("urlSigningKey"));
      }
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MediaClientException(
          "cannot read or make the URL signing key in "
              + file
              + " ("
              + e.getMessage()
              + "); set "
              + config.fullKey("urlSigningKey")
              + " instead",
          e);
    }
  }

  private static URI baseUrl(ProviderConfig config, String value) {
    String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI u = new URI(v);
      if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()))
          || u.getHost() == null
          || u.getRawQuery() != null
          || u.getRawFragment() != null
          || u.getRawUserInfo() != null) {
        throw new URISyntaxException(v, "not an http(s) URL with a host");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new MediaConfigException(
          config.fullKey("baseUrl"),
          config.fullKey("baseUrl")
              + " must be where the local media server is, such as http://127.0.0.1:8090 or "
              + "https://media.example.com/files, was '"
              + value
              + "'");
    }
  }

  private static int range(ProviderConfig config, String key, int defaultValue, int min, int max) {
    int v = config.getInt(key, defaultValue);
    if (v < min || v > max) {
      throw new MediaConfigException(
          config.fullKey(key),
          config.fullKey(key) + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }
}
