package dev.mediaflow.spring.boot;

import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.notify.NotificationRouter;
import java.net.URI;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Mounts the notification intake at {@code mediaflow.notifications.path} on WebFlux. Verifying a
 * notification may read the vendor's certificate or the job over HTTP, so it runs on the
 * bounded-elastic scheduler, off the event loop.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = "org.springframework.web.reactive.function.server.RouterFunction")
@ConditionalOnProperty(
    prefix = "mediaflow.notifications",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
class MediaflowWebFluxConfiguration {
  @Bean
  RouterFunction<ServerResponse> mediaflowReactiveNotificationRoute(
      MediaflowProperties properties, NotificationRouter router) {
    String path = NotificationPaths.normalize(properties.getNotifications().getPath());
    return RouterFunctions.route(
        RequestPredicates.path(path).or(RequestPredicates.path(NotificationPaths.below(path))),
        request -> handle(router, request));
  }

  private static Mono<ServerResponse> handle(NotificationRouter router, ServerRequest request) {
    byte[] tooLarge = new byte[0];
    return DataBufferUtils.join(
            request.body((message, context) -> message.getBody()), NotificationReceiver.MAX_BODY)
        .map(SpringBodies::bytes)
        .defaultIfEmpty(new byte[0])
        .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge))
        .flatMap(
            body -> {
              if (body == tooLarge) {
                return ServerResponse.status(413).build();
              }
              URI uri = request.uri();
              String target =
                  uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
              InboundRequest inbound =
                  InboundRequest.of(
                      request.method().name(),
                      target,
                      NotificationPaths.headers(request.headers().asHttpHeaders()),
                      body);
              return Mono.fromCallable(() -> router.receive(inbound))
                  .subscribeOn(Schedulers.boundedElastic())
                  .flatMap(MediaflowWebFluxConfiguration::answer);
            });
  }

  private static Mono<ServerResponse> answer(IntakeResult r) {
    ServerResponse.BodyBuilder answer = ServerResponse.status(r.status());
    if (r.body().isEmpty()) {
      return answer.build();
    }
    return answer.contentType(MediaType.parseMediaType(r.contentType())).bodyValue(r.body());
  }

  /** Reads a joined buffer's bytes and releases it. */
  static final class SpringBodies {
    private SpringBodies() {}

    static byte[] bytes(DataBuffer buffer) {
      try {
        byte[] b = new byte[buffer.readableByteCount()];
        buffer.read(b);
        return b;
      } finally {
        DataBufferUtils.release(buffer);
      }
    }
  }
}
