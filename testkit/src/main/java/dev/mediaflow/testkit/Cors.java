package dev.mediaflow.testkit;

/**
 * One CORS rule, as a bucket's CORS configuration holds it (OSS {@code CORSRule}:
 * https://help.aliyun.com/en/oss/developer-reference/putbucketcors): an allowed origin ({@code *}
 * for any), the methods GET, PUT, POST, DELETE and HEAD, any request header, and the exposed {@code
 * ETag} and request-id header. Immutable.
 */
final class Cors {
  static final String METHODS = "GET, PUT, POST, DELETE, HEAD";
  static final String MAX_AGE = "600";

  private final String origin;
  private final String expose;

  Cors(String origin, String requestIdHeader) {
    this.origin = origin;
    this.expose = requestIdHeader == null ? "ETag" : "ETag, " + requestIdHeader;
  }

  /** Returns whether {@code r} is a CORS preflight: OPTIONS with Origin and a method asked for. */
  static boolean isPreflight(Request r) {
    return r.method().equals("OPTIONS")
        && r.header("Origin") != null
        && r.header("Access-Control-Request-Method") != null;
  }

  boolean allows(String requestOrigin) {
    return requestOrigin != null && (origin.equals("*") || origin.equalsIgnoreCase(requestOrigin));
  }

  /**
   * Answers a preflight: 200 with the rule's headers when the origin and method are allowed, else
   * 403 without CORS headers.
   */
  Reply preflight(Request r) {
    String method = r.header("Access-Control-Request-Method").trim();
    if (!allows(r.header("Origin")) || !METHODS.contains(method) || method.isEmpty()) {
      return Reply.status(403).errorCode("AccessForbidden");
    }
    Reply reply = Reply.status(200);
    common(r, reply);
    String asked = r.header("Access-Control-Request-Headers");
    if (asked != null && !asked.isBlank()) {
      reply.header("Access-Control-Allow-Headers", asked);
    }
    return reply;
  }

  /** Adds the rule's headers to an answer to an allowed origin. */
  void decorate(Request r, Reply reply) {
    if (allows(r.header("Origin"))) {
      common(r, reply);
    }
  }

  private void common(Request r, Reply reply) {
    reply
        .header("Access-Control-Allow-Origin", r.header("Origin"))
        .header("Access-Control-Allow-Methods", METHODS)
        .header("Access-Control-Expose-Headers", expose)
        .header("Access-Control-Max-Age", MAX_AGE)
        .header("Vary", "Origin");
  }
}
