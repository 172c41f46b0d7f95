package dev.mediaflow.gallery.mediaflow;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link MediaClient} from the {@code mediaflow.*} properties, which map onto
 * Mediaflow's settings: {@code mediaflow.<key>} is {@code media.<key>} (such as {@code
 * mediaflow.provider}, {@code mediaflow.local.root}, {@code mediaflow.qiniu.access-key}), {@code
 * mediaflow.instances.<name>.<key>} is {@code media.<name>.<key>}, and {@code
 * mediaflow.notifications.*} is this application's. {@code MEDIA_*} variables, Java system
 * properties {@code media.*} and the vendors' variables work too, below these.
 */
@Configuration(proxyBeanMethods = false)
public class MediaflowConfiguration {
  private static final String INSTANCES = "instances.";

  @Bean
  MediaConfig mediaConfig(Environment environment) {
    Map<String, String> properties =
        Binder.get(environment)
            .bind("mediaflow", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    MediaConfig.Builder config = MediaConfig.builder().systemProperties().environment();
    properties.forEach(
        (key, value) -> {
          if (!key.startsWith("notifications.")) {
            String name = key.startsWith(INSTANCES) ? key.substring(INSTANCES.length()) : key;
            config.put("media." + name, value);
          }
        });
    return config.build();
  }

  @Bean(destroyMethod = "close")
  MediaClient mediaClient(MediaConfig config) {
    return MediaClient.create(config);
  }
}
