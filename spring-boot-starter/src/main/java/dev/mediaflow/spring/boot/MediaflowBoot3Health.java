package dev.mediaflow.spring.boot;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * The {@code mediaflow} health contributor on Spring Boot 3, whose health types are in {@code
 * org.springframework.boot.actuate.health} (Spring Boot 4 moved them to {@code
 * spring-boot-health}). This jar is compiled against Spring Boot 4, so the Boot 3 types are reached
 * by name: each instance's indicator is a proxy of Boot 3's {@code HealthIndicator} that builds its
 * {@code Health} through the public builder, from the same {@link InstanceHealth} as on Boot 4.
 * Loaded only when Boot 3's {@code HealthIndicator} is present and Boot 4's is not.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = MediaflowBoot3Health.INDICATOR)
@ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
@Import(MediaflowBoot3Health.Registrar.class)
class MediaflowBoot3Health {
  static final String PACKAGE = "org.springframework.boot.actuate.health.";
  static final String INDICATOR = PACKAGE + "HealthIndicator";

  /** Registers the composite contributor unless the application has a bean of that name. */
  static final class Registrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {
    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      if (registry.containsBeanDefinition(MediaflowHealthConfiguration.BEAN)) {
        return;
      }
      ClassLoader loader = MediaflowBoot3Health.class.getClassLoader();
      Class<?> composite = load(PACKAGE + "CompositeHealthContributor", loader);
      RootBeanDefinition d = new RootBeanDefinition(composite);
      d.setInstanceSupplier(() -> contributor(beanFactory, loader));
      registry.registerBeanDefinition(MediaflowHealthConfiguration.BEAN, d);
    }
  }

  /** Returns {@code CompositeHealthContributor.fromMap(indicator per instance)}. */
  static Object contributor(BeanFactory beanFactory, ClassLoader loader) {
    MediaClientRegistry registry = beanFactory.getBean(MediaClientRegistry.class);
    MediaflowProperties properties = beanFactory.getBean(MediaflowProperties.class);
    Class<?> indicatorType = load(INDICATOR, loader);
    Map<String, Object> indicators = new LinkedHashMap<>();
    for (String name : registry.names()) {
      InvocationHandler handler =
          (proxy, method, args) -> {
            if (method.getName().equals("health") && method.getParameterCount() == 0) {
              return health(
                  InstanceHealth.check(registry.get(name), properties.getHealth().bucketOf(name)),
                  loader);
            }
            if (method.isDefault()) {
              return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return objectMethod(proxy, method, args, name);
          };
      indicators.put(name, Proxy.newProxyInstance(loader, new Class<?>[] {indicatorType}, handler));
    }
    try {
      Method fromMap =
          load(PACKAGE + "CompositeHealthContributor", loader).getMethod("fromMap", Map.class);
      return fromMap.invoke(null, indicators);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Spring Boot 3's health API is not as expected", e);
    }
  }

  /** Returns {@code Health.status(status).withDetails(details).build()} of Boot 3. */
  private static Object health(InstanceHealth h, ClassLoader loader) throws Exception {
    Class<?> health = load(PACKAGE + "Health", loader);
    Object builder = health.getMethod("status", String.class).invoke(null, h.status());
    builder = builder.getClass().getMethod("withDetails", Map.class).invoke(builder, h.details());
    return builder.getClass().getMethod("build").invoke(builder);
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "MediaflowHealthIndicator{" + name + "}";
      default:
        throw new UnsupportedOperationException(method.toString());
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return ClassUtils.forName(name, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is missing: Spring Boot 3's actuator is needed", e);
    }
  }
}
