package dev.mediaflow.qiniu;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.spi.NotificationIntake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Qiniu's requests to the application: pfop results POSTed to {@code notifyURL} / {@code
 * persistentNotifyUrl} (the prefop JSON), and upload callbacks ({@code callbackUrl}). A result
 * signed {@code Qiniu <AK>:<sign>} with this client's keys is taken as it is; an unsigned one is a
 * hint, confirmed by one prefop read. A verified upload callback that names a {@code persistentId}
 * becomes a {@link JobState#QUEUED} event for the job the upload started. See {@code
 * docs/vendor-notes.md}, "Qiniu notifications".
 */
final class QiniuNotificationIntake implements NotificationIntake {
  /** Larger bodies are refused: a prefop JSON of many outputs stays far below it. */
  static final int MAX_BODY = 1 << 20;

  private static final String JSON = "application/json";

  /** Reads a job's prefop JSON: the confirming read. */
  interface Prefop {
    JsonObject read(String persistentId);
  }

  private final QiniuAuth auth;
  private final Prefop prefop;
  private final Clock clock;

  QiniuNotificationIntake(QiniuAuth auth, Prefop prefop, Clock clock) {
    this.auth = auth;
    this.prefop = prefop;
    this.clock = clock;
  }

  /**
   * Recognises what Qiniu sends: a request signed {@code Qiniu} or {@code QBox}, or an unsigned
   * JSON result (which {@link #receive} confirms with a read); never an MNS push or an OSS
   * callback.
   */
  @Override
  public boolean accepts(InboundRequest request) {
    if (request.header("x-mns-signing-cert-url").isPresent()
        || request.header("x-oss-pub-key-url").isPresent()) {
      return false;
    }
    String authorization = request.header("Authorization").orElse("");
    return authorization.startsWith("Qiniu ")
        || authorization.startsWith("QBox ")
        || request.header("Content-Type").orElse("").startsWith("application/json");
  }

  @Override
  public IntakeResult receive(InboundRequest request) {
    if (!request.method().equals("POST")) {
      return refuse(405, "Qiniu POSTs its notifications and callbacks");
    }
    byte[] body = request.body();
    if (body.length > MAX_BODY) {
      return refuse(413, "the body is larger than " + MAX_BODY + " bytes");
    }
    String authorization = request.header("Authorization").orElse(null);
    JsonObject result = prefopJson(body);
    if (result != null) {
      return authorization == null ? confirm(result) : signedResult(request, authorization, body);
    }
    if (authorization == null) {
      return refuse(
          400, "neither a pfop result (the prefop JSON) nor a signed upload callback from Qiniu");
    }
    return uploadCallback(request, authorization, body);
  }

  // ---- pfop results

  /** A result Qiniu signed: the signature covers the body, so no read is needed. */
  private IntakeResult signedResult(InboundRequest request, String authorization, byte[] body) {
    if (!genuine(request, authorization, body)) {
      return refuse(403, "the Authorization header is not Qiniu's signature with this AccessKey");
    }
    JsonObject o = prefopJson(body);
    String id = o.get("id").getAsString();
    JobStatus status =
        QiniuStatus.parse(o, JobId.of(QiniuJobClient.ID, id), clock.instant()).toBuilder()
            .detail("verifiedBy", "signature")
            .build();
    if (!status.isTerminal()) {
      return ok(List.of()); // Qiniu posts only ends; anything else changes nothing
    }
    return ok(List.of(new JobEvent(id + ":" + code(o), status)));
  }

  /**
   * An unsigned result, as Qiniu's documents describe them: read the job back. Qiniu posts a result
   * once every command has ended but before the job itself counts as ended (its code stays 2 until
   * the POST is answered, then becomes 0, 3 or 4), so a read whose every item has ended confirms
   * the end with Qiniu's own items.
   */
  private IntakeResult confirm(JsonObject claimed) {
    String id = claimed.get("id").getAsString();
    if (!id.matches("[A-Za-z0-9._-]{1,256}")) {
      return refuse(400, "the id is not a persistentId");
    }
    JsonObject read;
    try {
      read = prefop.read(id);
    } catch (MediaServiceException e) {
      if (e.httpStatus() == 612) {
        // Qiniu does not know the job: answer 200 so nothing is retried, and report nothing.
        return ok(List.of());
      }
      return refuse(503, "prefop could not confirm the job now (" + e.httpStatus() + ")");
    } catch (MediaException e) {
      return refuse(503, "prefop could not confirm the job now");
    }
    int code = code(read);
    if (code != 0 && code != 3 && code != 4) {
      Boolean failed = itemsEnded(read);
      if (failed == null) {
        return refuse(409, "Qiniu says the job has not ended");
      }
      read = read.deepCopy();
      read.addProperty("code", failed ? 3 : 0);
      code = failed ? 3 : 0;
    }
    JobStatus status =
        QiniuStatus.parse(read, JobId.of(QiniuJobClient.ID, id), clock.instant()).toBuilder()
            .detail("verifiedBy", "prefop")
            .build();
    return ok(List.of(new JobEvent(id + ":" + code, status)));
  }

  /** Whether any item failed once all ended; null while any runs (or there are none). */
  private static Boolean itemsEnded(JsonObject o) {
    if (!o.has("items") || !o.get("items").isJsonArray() || o.getAsJsonArray("items").isEmpty()) {
      return null;
    }
    boolean failed = false;
    for (JsonElement e : o.getAsJsonArray("items")) {
      if (!e.isJsonObject() || !e.getAsJsonObject().has("code")) {
        return null;
      }
      int c = e.getAsJsonObject().get("code").getAsInt();
      if (c != 0 && c != 3 && c != 4) {
        return null;
      }
      failed |= c == 3;
    }
    return failed;
  }

  // ---- upload callbacks

  private IntakeResult uploadCallback(InboundRequest request, String authorization, byte[] body) {
    if (!genuine(request, authorization, body)) {
      return refuse(403, "the Authorization header is not Qiniu's signature with this AccessKey");
    }
    String persistentId = persistentId(request.header("Content-Type").orElse(""), body);
    if (persistentId == null) {
      return ok(List.of());
    }
    JobStatus queued =
        JobStatus.builder(JobId.of(QiniuJobClient.ID, persistentId), JobState.QUEUED)
            .output(OutputResult.of(0, JobState.QUEUED))
            .observedAt(clock.instant())
            .detail("trigger", "upload")
            .detail("verifiedBy", "signature")
            .build();
    // Qiniu hands the answer to the uploader in place of its own, so it names the job again.
    JsonObject answer = new JsonObject();
    answer.addProperty("ok", true);
    answer.addProperty("persistentId", persistentId);
    return new IntakeResult(
        200, JSON, answer.toString(), List.of(new JobEvent(persistentId + ":upload", queued)));
  }

  /** The {@code persistentId} a callback body carries ({@code $(persistentId)}), or null. */
  private static String persistentId(String contentType, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String id = null;
    if (contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      try {
        JsonElement e = JsonParser.parseString(text);
        if (e.isJsonObject()
            && e.getAsJsonObject().has("persistentId")
            && e.getAsJsonObject().get("persistentId").isJsonPrimitive()) {
          id = e.getAsJsonObject().get("persistentId").getAsString();
        }
      } catch (RuntimeException e) {
        return null;
      }
    } else {
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals("persistentId")) {
          id = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return id != null && id.matches("[A-Za-z0-9._-]{1,256}") ? id : null;
  }

  // ---- helpers

  /**
   * Checks the signature over the URL Qiniu called: the request URI on the {@code Host} it named
   * (behind a proxy, also on {@code X-Forwarded-Host}).
   */
  private boolean genuine(InboundRequest request, String authorization, byte[] body) {
    String host = request.header("Host").orElse("");
    if (check(request, authorization, body, host)) {
      return true;
    }
    String forwarded = request.header("X-Forwarded-Host").orElse("");
    return !forwarded.isEmpty() && check(request, authorization, body, forwarded.split(",")[0]);
  }

  private boolean check(InboundRequest request, String authorization, byte[] body, String host) {
    if (host.isBlank()) {
      return false;
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(request.headers());
    headers.put("Host", List.of(host.strip()));
    try {
      return auth.isValidCallback(
          authorization, request.method(), "http://" + host.strip() + request.uri(), headers, body);
    } catch (RuntimeException e) {
      return false; // a URI or header that does not parse is no signature of Qiniu's
    }
  }

  /** The body as prefop JSON, or null when it is not. */
  private static JsonObject prefopJson(byte[] body) {
    try {
      JsonObject o = QiniuStatus.json(body, "notification");
      o.get("code").getAsInt();
      o.get("id").getAsString();
      return o;
    } catch (MediaValidationException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException e) {
      return null;
    }
  }

  private static int code(JsonObject o) {
    return o.get("code").getAsInt();
  }

  private static IntakeResult ok(List<JobEvent> events) {
    return new IntakeResult(200, JSON, "{\"ok\":true}", events);
  }

  private static IntakeResult refuse(int status, String why) {
    JsonObject error = new JsonObject();
    error.addProperty("error", why);
    return new IntakeResult(status, JSON, error.toString(), List.of());
  }
}
