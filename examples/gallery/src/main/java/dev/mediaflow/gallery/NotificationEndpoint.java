package dev.mediaflow.gallery;

import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.notify.NotificationRouter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes the vendors' job notifications at {@code mediaflow.notifications.path}: Qiniu's POST to a
 * pipeline's notify URL, MNS pushes of the OSS topic. The starter's router hands each to the
 * instance it comes from, which verifies it and ends the job it names at once; a forged one is
 * refused.
 *
 * <p>The intake gets the headers as the servlet container received them: Spring's {@code
 * HttpHeaders} add the request's character encoding to {@code Content-Type}, which Qiniu's
 * signature of a notification covers as sent.
 */
@RestController
class NotificationEndpoint {
  private final NotificationRouter router;

  NotificationEndpoint(NotificationRouter router) {
    this.router = router;
  }

  @PostMapping("${mediaflow.notifications.path:/mediaflow/notify}")
  ResponseEntity<String> receive(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(NotificationReceiver.MAX_BODY + 1);
    }
    if (body.length > NotificationReceiver.MAX_BODY) {
      return ResponseEntity.status(413).build();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    String uri =
        request.getRequestURI()
            + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    IntakeResult answer =
        router.receive(InboundRequest.of(request.getMethod(), uri, headers, body));
    ResponseEntity.BodyBuilder reply = ResponseEntity.status(answer.status());
    if (answer.body().isEmpty()) {
      return reply.build();
    }
    return reply.contentType(MediaType.parseMediaType(answer.contentType())).body(answer.body());
  }
}
