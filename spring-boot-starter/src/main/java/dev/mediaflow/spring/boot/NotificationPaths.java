package dev.mediaflow.spring.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * The notification endpoint's path as configured, the pattern of the paths below it, and the
 * request headers as the intake takes them; shared by the Spring MVC and WebFlux endpoints.
 */
final class NotificationPaths {
  private NotificationPaths() {}

  /** Returns {@code path} with one leading '/' and no trailing one. */
  static String normalize(String path) {
    String p = path == null || path.isBlank() ? "/mediaflow/notify" : path.trim();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Returns the pattern of the paths below {@code path}: a segment may name the instance. */
  static String below(String path) {
    return normalize(path) + "/**";
  }

  /** Returns the headers as a map; HttpHeaders is one on Spring Framework 6 and not on 7. */
  static Map<String, List<String>> headers(HttpHeaders headers) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    headers.forEach((name, values) -> m.put(name, List.copyOf(values)));
    return m;
  }
}
