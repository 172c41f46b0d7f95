package dev.mediaflow.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mediaflow.*} properties. Everything but {@code notifications}, {@code health} and
 * {@code metrics} is Mediaflow's own configuration under another prefix: {@code mediaflow.provider}
 * is {@code media.provider}, {@code mediaflow.instances.<name>.<key>} is {@code
 * media.<name>.<key>}, and {@code mediaflow.http.*}, {@code mediaflow.watch.*}, {@code
 * mediaflow.jobs.*} and {@code mediaflow.upload.*} are {@code media.http.*} and so on. Each key is
 * checked against the settings Mediaflow and the providers declare when the clients are made; the
 * configuration metadata lists them all.
 *
 * <p>Mutable, as Spring Boot binds it; not thread-safe while bound.
 */
@ConfigurationProperties(prefix = MediaflowProperties.PREFIX)
public class MediaflowProperties {
  /** The prefix of every property. */
  public static final String PREFIX = "mediaflow";

  /** The default provider instance: local, oss, qiniu, cos or a name under mediaflow.instances. */
  private String provider;

  /** A properties file of media.* settings to read as well (media.config). */
  private String config;

  /**
   * The provider instances, by name: each one's settings (mediaflow.instances.oss.region). An
   * instance whose name is not a provider id names its provider with its provider key.
   */
  private Map<String, Map<String, String>> instances = new LinkedHashMap<>();

  /** HTTP timeouts and retries (media.http.*). */
  private Map<String, String> http = new LinkedHashMap<>();

  /** Job polling (media.watch.*). */
  private Map<String, String> watch = new LinkedHashMap<>();

  /** Where jobs are kept (media.jobs.*); a DataSource bean is used when jobs-jdbc is present. */
  private Map<String, String> jobs = new LinkedHashMap<>();

  /** Uploads (media.upload.*). */
  private Map<String, String> upload = new LinkedHashMap<>();

  private final Notifications notifications = new Notifications();

  private final Health health = new Health();

  private final Metrics metrics = new Metrics();

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public String getConfig() {
    return config;
  }

  public void setConfig(String config) {
    this.config = config;
  }

  public Map<String, Map<String, String>> getInstances() {
    return instances;
  }

  public void setInstances(Map<String, Map<String, String>> instances) {
    this.instances = instances;
  }

  public Map<String, String> getHttp() {
    return http;
  }

  public void setHttp(Map<String, String> http) {
    this.http = http;
  }

  public Map<String, String> getWatch() {
    return watch;
  }

  public void setWatch(Map<String, String> watch) {
    this.watch = watch;
  }

  public Map<String, String> getJobs() {
    return jobs;
  }

  public void setJobs(Map<String, String> jobs) {
    this.jobs = jobs;
  }

  public Map<String, String> getUpload() {
    return upload;
  }

  public void setUpload(Map<String, String> upload) {
    this.upload = upload;
  }

  public Notifications getNotifications() {
    return notifications;
  }

  public Health getHealth() {
    return health;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  /** The endpoint that takes the vendors' job notifications. */
  public static class Notifications {
    /**
     * Whether the endpoint is mounted (on Spring MVC or WebFlux, whichever the application runs).
     */
    private boolean enabled = true;

    /**
     * The path of the endpoint; a notification URL may add a segment naming the instance
     * (/mediaflow/notify/east).
     */
    private String path = "/mediaflow/notify";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** The health check of each instance: one signed read of an absent object. */
  public static class Health {
    /** The bucket every instance's health check reads in (OSS and Qiniu need one). */
    private String bucket = "";

    /**
     * The bucket of one instance's health check, by instance name, over mediaflow.health.bucket.
     */
    private Map<String, String> buckets = new LinkedHashMap<>();

    public String getBucket() {
      return bucket;
    }

    public void setBucket(String bucket) {
      this.bucket = bucket;
    }

    public Map<String, String> getBuckets() {
      return buckets;
    }

    public void setBuckets(Map<String, String> buckets) {
      this.buckets = buckets;
    }

    /** Returns the bucket of {@code instance}'s check, or "" for none. */
    public String bucketOf(String instance) {
      String b = buckets.get(instance);
      return b != null && !b.isBlank() ? b.trim() : bucket == null ? "" : bucket.trim();
    }
  }

  /** Mediaflow's meters and observations in the application's Micrometer. */
  public static class Metrics {
    /**
     * Whether every client and the shared watcher report to Micrometer, when mediaflow-micrometer
     * and a MeterRegistry bean are present.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
