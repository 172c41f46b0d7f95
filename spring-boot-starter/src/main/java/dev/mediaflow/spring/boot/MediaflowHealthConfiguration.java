package dev.mediaflow.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code mediaflow} health contributor: one indicator per instance ({@code
 * /actuator/health/mediaflow/<instance>}), each UP when the vendor accepts the instance's
 * credentials. This class serves Spring Boot 4 ({@code spring-boot-health}); {@link
 * MediaflowBoot3Health} serves Spring Boot 3, whose health types are in another package.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    prefix = "management.health.mediaflow",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@Import(MediaflowBoot3Health.class)
class MediaflowHealthConfiguration {
  /** The bean name: Spring Boot names the contributor {@code mediaflow} after it. */
  static final String BEAN = "mediaflowHealthContributor";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4 {
    @Bean(name = BEAN)
    @ConditionalOnMissingBean(name = BEAN)
    CompositeHealthContributor mediaflowHealthContributor(
        MediaClientRegistry registry, MediaflowProperties properties) {
      Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
      for (String name : registry.names()) {
        indicators.put(
            name,
            () -> {
              InstanceHealth h =
                  InstanceHealth.check(registry.get(name), properties.getHealth().bucketOf(name));
              return Health.status(new Status(h.status())).withDetails(h.details()).build();
            });
      }
      return CompositeHealthContributor.fromMap(indicators);
    }
  }
}
