package dev.mediaflow.spring.boot;

import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.notify.NotificationRouter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts the notification intake at {@code mediaflow.notifications.path} on Spring MVC: each
 * request is verified by the instance it comes from and its events end the watched jobs at once;
 * the vendor gets the answer it expects.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
@ConditionalOnProperty(
    prefix = "mediaflow.notifications",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
class MediaflowWebMvcConfiguration {
  @Bean
  RouterFunction<ServerResponse> mediaflowNotificationRoute(
      MediaflowProperties properties, NotificationRouter router) {
    String path = NotificationPaths.normalize(properties.getNotifications().getPath());
    return RouterFunctions.route(
        RequestPredicates.path(path).or(RequestPredicates.path(NotificationPaths.below(path))),
        request -> handle(router, request));
  }

  private static ServerResponse handle(NotificationRouter router, ServerRequest request)
      throws IOException {
    byte[] body;
    try (InputStream in = request.servletRequest().getInputStream()) {
      body = in.readNBytes(NotificationReceiver.MAX_BODY + 1);
    }
    if (body.length > NotificationReceiver.MAX_BODY) {
      return ServerResponse.status(413).build();
    }
    URI uri = request.uri();
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    IntakeResult r =
        router.receive(
            InboundRequest.of(
                request.method().name(), target, rawHeaders(request.servletRequest()), body));
    return answer(r);
  }

  /**
   * The headers as the vendor sent them: Spring's view of a servlet request's headers adds a
   * charset to Content-Type, which would break a signature over it.
   */
  private static Map<String, List<String>> rawHeaders(HttpServletRequest request) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      m.put(name, Collections.list(request.getHeaders(name)));
    }
    return m;
  }

  private static ServerResponse answer(IntakeResult r) {
    ServerResponse.BodyBuilder answer = ServerResponse.status(r.status());
    if (r.body().isEmpty()) {
      return answer.build();
    }
    return answer.contentType(MediaType.parseMediaType(r.contentType())).body(r.body());
  }
}
