package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.job.JobWatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured provider instance's {@link MediaClient}, by instance name: the default one
 * ({@code mediaflow.provider}) and each one under {@code mediaflow.instances}. The clients share
 * one HTTP client and one {@link JobWatcher}. Closing the registry closes the clients (not the
 * shared watcher or HTTP client, which have their own beans).
 *
 * <p>Thread-safe; immutable once made.
 */
public final class MediaClientRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaClientRegistry.class);

  private final String defaultName;
  private final Map<String, MediaClient> clients;

  private MediaClientRegistry(String defaultName, Map<String, MediaClient> clients) {
    this.defaultName = defaultName;
    this.clients = Collections.unmodifiableMap(clients);
  }

  /**
   * Makes a client for each instance of {@code config}, sharing {@code http} and {@code watcher};
   * each builder passes through {@code customizers} first.
   *
   * @throws MediaConfigException when an instance is misconfigured (every client made so far is
   *     closed)
   */
  public static MediaClientRegistry create(
      MediaConfig config,
      OkHttpClient http,
      JobWatcher watcher,
      List<MediaClientCustomizer> customizers) {
    Map<String, MediaClient> clients = new LinkedHashMap<>();
    String defaultName = config.defaultInstance();
    try {
      for (String name : config.instances()) {
        MediaClient.Builder b =
            MediaClient.builder().config(config).instance(name).httpClient(http).watcher(watcher);
        for (MediaClientCustomizer c : customizers) {
          c.customize(name, b);
        }
        clients.put(name, b.build());
      }
    } catch (RuntimeException e) {
      clients.values().forEach(MediaClient::close);
      throw e;
    }
    return new MediaClientRegistry(defaultName, clients);
  }

  /** Returns the default instance's client ({@code mediaflow.provider}, else {@code local}). */
  public MediaClient defaultClient() {
    return clients.get(defaultName);
  }

  /** Returns the name of the default instance. */
  public String defaultName() {
    return defaultName;
  }

  /**
   * Returns the client of the instance {@code name}.
   *
   * @throws MediaConfigException when no such instance is configured
   */
  public MediaClient get(String name) {
    MediaClient c = clients.get(name);
    if (c == null) {
      throw new MediaConfigException(
          "mediaflow.instances." + name,
          "No Mediaflow instance '"
              + name
              + "' is configured; the instances are "
              + clients.keySet()
              + ". Configure it under mediaflow.instances."
              + name
              + ".");
    }
    return c;
  }

  /** Returns the instance names, the default one included. */
  public Set<String> names() {
    return clients.keySet();
  }

  /** Returns every client by instance name. */
  public Map<String, MediaClient> clients() {
    return clients;
  }

  /** Returns every client, in name order. */
  public List<MediaClient> all() {
    return new ArrayList<>(clients.values());
  }

  /** Closes every client (their provider clients; the shared watcher is not theirs to close). */
  @Override
  public void close() {
    for (MediaClient c : clients.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.warn("Cannot close {}", c, e);
      }
    }
  }

  @Override
  public String toString() {
    return "MediaClientRegistry{default=" + defaultName + ", instances=" + clients.keySet() + "}";
  }
}
