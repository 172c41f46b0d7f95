package dev.mediaflow.gallery.mediaflow;

import dev.mediaflow.MediaClient;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes the vendors' job notifications at {@code mediaflow.notifications.path} (default {@code
 * /mediaflow/notify}): Qiniu's POST to a pipeline's notify URL, MNS pushes of the OSS topic. The
 * client verifies each one and ends the job it names at once; a forged one is refused.
 */
@RestController
class NotificationEndpoint {
  private final MediaClient media;

  NotificationEndpoint(MediaClient media) {
    this.media = media;
  }

  @PostMapping("${mediaflow.notifications.path:/mediaflow/notify}")
  ResponseEntity<String> receive(HttpServletRequest request) throws IOException {
    // The raw bytes: signatures cover the body exactly as sent.
    byte[] body = request.getInputStream().readAllBytes();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    String uri =
        request.getRequestURI()
            + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    IntakeResult answer = media.receive(InboundRequest.of(request.getMethod(), uri, headers, body));
    ResponseEntity.BodyBuilder reply = ResponseEntity.status(answer.status());
    if (!answer.contentType().isEmpty()) {
      reply.contentType(MediaType.parseMediaType(answer.contentType()));
    }
    return reply.body(answer.body());
  }
}
