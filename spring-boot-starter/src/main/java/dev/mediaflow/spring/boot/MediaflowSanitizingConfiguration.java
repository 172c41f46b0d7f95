package dev.mediaflow.spring.boot;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hides Mediaflow's secrets in the actuator's {@code env} and {@code configprops} endpoints, even
 * with {@code show-values=always}: every property whose last name is a setting Mediaflow or a
 * provider declares secret ({@code mediaflow.instances.oss.access-key-secret}, {@code
 * media.qiniu.secretKey}, {@code MEDIA_OSS_ACCESSKEYSECRET}), and the vendors' variables for them
 * ({@code OSS_ACCESS_KEY_SECRET}, {@code QINIU_SECRET_KEY}). The same types serve Spring Boot 3 and
 * 4.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
class MediaflowSanitizingConfiguration {
  @Bean
  SanitizingFunction mediaflowSanitizingFunction() {
    ClassLoader loader = MediaflowSanitizingConfiguration.class.getClassLoader();
    Set<String> names = DeclaredSettings.secretNames(loader);
    Set<String> variables = DeclaredSettings.secretVariables(loader);
    return data -> isSecret(data.getKey(), names, variables) ? data.withSanitizedValue() : data;
  }

  /**
   * True when {@code key} (a property name, an environment variable or a map key) is one of the
   * secret settings, or a vendor variable for one.
   */
  static boolean isSecret(String key, Set<String> names, Set<String> variables) {
    if (key == null) {
      return false;
    }
    if (variables.contains(key.toUpperCase(Locale.ROOT))) {
      return true;
    }
    String k = key.toLowerCase(Locale.ROOT).replace("-", "");
    for (String n : names) {
      if (k.equals(n)
          || k.endsWith("." + n)
          || k.endsWith("_" + n)
          || k.contains("." + n + ".")
          || k.contains("_" + n + "_")) {
        return true;
      }
    }
    return false;
  }
}
