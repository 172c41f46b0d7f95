package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.Reply;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake Qiniu's answers: JSON with an {@code X-Reqid}, and Qiniu's {@code {"error": ...}}
 * errors. Thread-safe.
 */
final class QiniuReplies {
  private final AtomicLong requestIds = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  /** Returns a fresh request id, as {@code X-Reqid} and prefop's {@code reqid} carry it. */
  String reqid() {
    byte[] b = new byte[4];
    random.nextBytes(b);
    return "fake" + Long.toString(requestIds.incrementAndGet(), 36) + HexFormat.of().formatHex(b);
  }

  /** Returns a random hex id of {@code n} bytes. */
  String hex(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  Reply json(int status, Object body) {
    return Reply.json(status, "application/json", body).header("X-Reqid", reqid());
  }

  /** Returns Qiniu's JSON error; a 401 also carries {@code error_code: BadToken}. */
  Reply error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (status == 401) {
      body.put("error_code", "BadToken");
    }
    return json(status, body).errorCode(message);
  }
}
