package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfigException;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link MediaClient} bean per configured instance, named {@code <name>MediaClient}
 * and qualified by the instance name, so {@code @Qualifier("east") MediaClient east} injects the
 * instance {@code east}. Each is the registry's client, injected only where a qualifier names it; a
 * bean the application already registered under that name wins.
 */
final class MediaflowInstanceBeans
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {
  private Environment environment;
  private BeanFactory beanFactory;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Set<String> names;
    try {
      names = SpringMediaConfig.load(environment).instances();
    } catch (MediaConfigException e) {
      return; // making the configuration bean fails with the same error, which start-up reports
    }
    for (String name : names) {
      String beanName = beanName(name);
      if (registry.containsBeanDefinition(beanName)) {
        continue;
      }
      RootBeanDefinition d = new RootBeanDefinition(MediaClient.class);
      d.setInstanceSupplier(() -> beanFactory.getBean(MediaClientRegistry.class).get(name));
      d.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
      d.setDestroyMethodName(""); // the registry closes its clients
      // injected only where a qualifier names it: a plain MediaClient is the default instance's,
      // or the application's own
      d.setDefaultCandidate(false);
      registry.registerBeanDefinition(beanName, d);
    }
  }

  /** Returns the bean name of the instance {@code name}'s client. */
  static String beanName(String name) {
    return name + "MediaClient";
  }
}
