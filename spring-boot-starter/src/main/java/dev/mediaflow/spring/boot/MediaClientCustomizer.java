package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaClient;

/**
 * Adjusts the builder of each {@link MediaClient} the starter makes, before it is built: declare
 * beans of this type to set a clock, a checkpoint store, an observer, and so on. Every customizer
 * bean is applied to every instance, in the beans' order.
 *
 * <pre>{@code
 * @Bean
 * MediaClientCustomizer checkpointsInRedis(CheckpointStore store) {
 *   return (instance, builder) -> builder.checkpoints(store);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MediaClientCustomizer {
  /** Adjusts {@code builder}, which makes the client of the instance named {@code instance}. */
  void customize(String instance, MediaClient.Builder builder);
}
