package dev.mediaflow.testkit.oss;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.JobEngine;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake OSS's processing: {@code x-oss-process} image calls answered at once, {@code
 * x-oss-async-process} tasks run by the {@link JobEngine}, IMM {@code GetTask} for them, and their
 * topic messages. Thread-safe.
 */
final class OssProcessing {
  private final FakeObjects objects;
  private final JobEngine jobs;
  private final OssReplies replies;
  private final OssNotifications notifications;
  private final Clock clock;
  private final String region;
  private final String immProject;
  private final Set<String> detached = ConcurrentHashMap.newKeySet();
  private final Map<String, OssTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, String> styles;
  private final OssMedia media;

  OssProcessing(
      FakeObjects objects,
      JobEngine jobs,
      OssReplies replies,
      OssNotifications notifications,
      Clock clock,
      String region,
      String immProject,
      Map<String, String> styles,
      TaskExecutor executor) {
    this.styles = styles;
    this.media = new OssMedia(objects, executor);
    this.objects = objects;
    this.jobs = jobs;
    this.replies = replies;
    this.notifications = notifications;
    this.clock = clock;
    this.region = region;
    this.immProject = immProject;
  }

  void detach(String bucket) {
    detached.add(bucket);
  }

  int taskCount() {
    return tasks.size();
  }

  Optional<String> taskJson(String taskId) {
    jobs.advance();
    OssTask t = tasks.get(taskId);
    return t == null ? Optional.empty() : Optional.of(Reply.toJson(t.json()));
  }

  /**
   * Answers {@code POST /<bucket>/<key>?x-oss-process} ({@code sync}) or {@code
   * ?x-oss-async-process}.
   */
  Reply process(Request r, String bucket, String key, boolean sync) {
    String parameter = sync ? "x-oss-process" : "x-oss-async-process";
    String text = r.bodyText().strip();
    if (!text.startsWith(parameter + "=")) {
      return replies.error(
          400,
          "InvalidArgument",
          "the body must be " + parameter + "=<process>, was " + abbreviate(text));
    }
    String value = text.substring(parameter.length() + 1);
    if (FORM_ESCAPE.matcher(value).find()) {
      // Form-encoded, as clients that send the body as an HTML form field write it: OSS reads the
      // field's value. A raw process never holds '%': its names are Base64.
      value = java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
    OssStyles.Style style;
    try {
      style = OssStyles.parse(value, sync);
    } catch (OssStyles.Invalid e) {
      return replies.error(400, "InvalidArgument", e.getMessage());
    }
    if (!objects.exists(bucket, key)) {
      return replies.error(
          404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key));
    }
    String target = style.saveBucket().orElse(bucket);
    if (style.saveKey().isPresent()) {
      try {
        objects.file(target, style.saveKey().get().replace(Task.INDEX, "1"));
      } catch (IllegalArgumentException e) {
        return replies.error(400, "InvalidArgument", "invalid saveas: " + e.getMessage());
      }
    }
    if (!sync && detached.contains(bucket)) {
      return replies.error(
          400, "Imm Client", "ResourceNotFound, The specified resource Attachment is not found.");
    }
    if (sync) {
      TaskExecutor.Result result = jobs.runNow(task(replies.requestId(), bucket, key, style));
      if (!result.succeeded()) {
        return replies.error(400, "InvalidArgument", failure(result.failure())[1]);
      }
      long size =
          result.keys().isEmpty()
              ? 0
              : objects.get(target, result.keys().get(0)).map(d -> (long) d.length).orElse(0L);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("bucket", style.saveBucket().orElse(""));
      answer.put("fileSize", size);
      answer.put("object", style.saveKey().orElse(""));
      answer.put("status", "OK");
      return replies.json(200, answer);
    }
    String type =
        switch (style.action()) {
          case "doc/convert" -> "DocConvert";
          case "image/deblindwatermark" -> "DecodeBlindWatermark";
          default -> "MediaConvert";
        };
    OssTask task = new OssTask(type + "-" + UUID.randomUUID(), type, bucket, key, style, target);
    tasks.put(task.id, task);
    task.job = jobs.submit(task.id, List.of(task(task.id, bucket, key, style)), task);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("EventId", replies.eventId());
    answer.put("RequestId", task.requestId);
    answer.put("TaskId", task.id);
    return replies.json(200, answer);
  }

  private static final java.util.regex.Pattern FORM_ESCAPE =
      java.util.regex.Pattern.compile("%[0-9A-Fa-f]{2}");
  private static final java.util.regex.Pattern STYLE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,63}");

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }

  /**
   * Answers {@code GET /<bucket>/<key>?x-oss-process=...}: the processed bytes in their own {@code
   * Content-Type}, {@code image/info} and {@code video/info} as JSON, a named style applied, or
   * OSS's error; never the original as if processed.
   */
  Reply deliver(Request r, String bucket, String key, String process, String storedType)
      throws java.io.IOException {
    if (process.startsWith("style/")) {
      String name = process.substring("style/".length());
      if (!STYLE_NAME.matcher(name).matches()) {
        return replies.error(
            400, "InvalidArgument", "The value: " + name + " of parameter: stylename is invalid.");
      }
      String defined = styles.get(bucket + "/" + name);
      if (defined == null) {
        return replies.error(404, "NotSuchStyle", "The style " + name + " does not exist.");
      }
      process = defined;
    }
    if (process.contains("|")) {
      return replies.error(
          400,
          "InvalidArgument",
          "sys/saveas and other |sys actions are only for POST ?x-oss-process, not for GET.");
    }
    java.util.Optional<byte[]> source = objects.get(bucket, key);
    if (source.isEmpty()) {
      return replies.error(
          404,
          "NoSuchKey",
          "The specified key does not exist.",
          Map.of("Key", key),
          "0026-00000001");
    }
    try {
      if (process.equals("image/info")) {
        return replies.json(200, OssImages.info(source.get()));
      }
      if (process.startsWith("image/")) {
        OssImages.Result out =
            OssImages.apply(
                source.get(),
                process.substring("image/".length()),
                k -> objects.get(bucket, k).orElse(null));
        return OssObjects.overrides(
            r, replies.common(Reply.body(200, out.contentType(), out.bytes())));
      }
      if (process.equals("video/info")) {
        if (OssVerifier.anonymous(r)) {
          return replies.error(403, "AccessDenied", "video/info does not allow anonymous access.");
        }
        if (!OssMedia.available()) {
          return unsupported("video/info");
        }
        return replies.json(200, media.videoInfo(objects.file(bucket, key)));
      }
      if (process.startsWith("video/snapshot,")) {
        if (!OssMedia.available()) {
          return unsupported("video/snapshot");
        }
        Map<String, String> p = new LinkedHashMap<>();
        for (String pair : process.substring("video/snapshot,".length()).split(",", -1)) {
          int u = pair.indexOf('_');
          if (u <= 0) {
            throw new OssStyles.Invalid("malformed parameter '" + pair + "' in video/snapshot");
          }
          p.put(pair.substring(0, u), pair.substring(u + 1));
        }
        OssImages.Result out;
        try {
          out = media.snapshot(bucket, key, p);
        } catch (java.io.IOException e) {
          return replies.error(
              400,
              "InvalidArgument",
              "video/snapshot failed on " + key + ": " + e.getMessage(),
              Map.of(),
              "0053-00000109");
        }
        return OssObjects.overrides(
            r, replies.common(Reply.body(200, out.contentType(), out.bytes())));
      }
      return replies.error(
          400, "InvalidArgument", "The process " + abbreviate(process) + " is not supported.");
    } catch (OssStyles.Invalid e) {
      return replies.error(400, "InvalidArgument", e.getMessage());
    } catch (OssImages.Unsupported e) {
      return replies.error(
          400,
          "InvalidArgument",
          "the fake OSS cannot apply this: " + e.getMessage() + " (stored as " + storedType + ")");
    }
  }

  private Reply unsupported(String action) {
    return replies.error(
        400,
        "InvalidArgument",
        action
            + " needs dev.mediaflow:mediaflow-provider-local on the fake server's class path"
            + " (mediaflow fake-server --execute local)");
  }

  void close() {
    media.close();
  }

  /** The neutral task of a style. */
  private Task task(String id, String bucket, String key, OssStyles.Style style) {
    Task.Builder b =
        Task.builder()
            .id(id)
            .command(style.action(), style.process())
            .source(bucket, key)
            .translator(OssStyles::operation)
            .objects(objects);
    String saveKey = style.saveKey().orElse(null);
    b.target(style.saveBucket().orElse(bucket), saveKey);
    if (saveKey != null && saveKey.contains(Task.INDEX)) {
      b.keyPattern(saveKey, 0);
    }
    return b.build();
  }

  /** Answers IMM's {@code GetTask} (the only IMM action the fake knows). */
  Reply getTask(Request r) {
    String action = r.header("x-acs-action");
    if (!"GetTask".equals(action)) {
      return replies.acsError(
          400,
          "InvalidAction.NotFound",
          "Specified api is not found, please check your url and method.");
    }
    if (!"2020-09-30".equals(r.header("x-acs-version"))) {
      return replies.acsError(400, "InvalidVersion", "Specified parameter Version is not valid.");
    }
    Map<String, String> query = r.query();
    for (String required : List.of("ProjectName", "TaskType", "TaskId")) {
      if (query.getOrDefault(required, "").isEmpty()) {
        return replies.acsError(
            400, "MissingParameter", "The parameter " + required + " is required.");
      }
    }
    if (!query.get("ProjectName").equals(immProject)) {
      return replies.acsError(
          404, "ResourceNotFound", "The specified resource project is not found.");
    }
    jobs.advance();
    OssTask task = tasks.get(query.get("TaskId"));
    if (task == null || !task.type.equals(query.get("TaskType"))) {
      return replies.acsError(404, "ResourceNotFound", "The specified resource task is not found.");
    }
    return replies.json(200, task.json());
  }

  /** IMM's words for a failed task. */
  private static String[] failure(TaskExecutor.Failure f) {
    return switch (f.kind()) {
      case DECLARED ->
          new String[] {
            f.code() == null ? "InvalidParameter.ResourceContent" : f.code(), f.message()
          };
      case UNSUPPORTED ->
          new String[] {"InvalidParameter.NotSupported", "not run locally: " + f.message()};
      case FAILED -> new String[] {"InvalidParameter.ResourceContent", f.message()};
      case ERROR -> new String[] {"InternalError", f.message()};
    };
  }

  /** An async task as IMM reports it; publishes to its topic once done. */
  private final class OssTask implements JobEngine.Hooks {
    final String id;
    final String type;
    final String bucket;
    final String key;
    final OssStyles.Style style;
    final String target;
    final String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    volatile JobEngine.Job job;

    OssTask(
        String id, String type, String bucket, String key, OssStyles.Style style, String target) {
      this.id = id;
      this.type = type;
      this.bucket = bucket;
      this.key = key;
      this.style = style;
      this.target = target;
    }

    @Override
    public void finish(JobEngine.Job done) {
      style
          .topic()
          .ifPresent(
              topic -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("id", "25E-" + HexFormat.of().formatHex(replies.bytes(10)));
                envelope.put("source", "acs.imm");
                envelope.put("type", "imm:Task:" + type);
                envelope.put(
                    "subject", "acs:imm:" + region + ":0:" + immProject + "/imm:Task:" + type);
                envelope.put("time", String.valueOf(clock.millis()));
                envelope.put("content", Reply.toJson(json(done, true)));
                notifications.publish(topic, Reply.toJson(envelope));
              });
    }

    /**
     * Returns the task as GetTask reports it: running until the job has ended, which is after its
     * topic message went out, as IMM publishes when the task ends.
     */
    Map<String, Object> json() {
      return json(job, job != null && job.phase() == JobEngine.Phase.ENDED);
    }

    Map<String, Object> json(JobEngine.Job j, boolean ended) {
      JobEngine.Step step = j == null ? null : j.steps().get(0);
      TaskExecutor.Result result = step == null || !ended ? null : step.result();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("RequestId", requestId);
      m.put("ProjectName", immProject);
      m.put("TaskType", type);
      m.put("TaskId", id);
      String[] failure =
          result == null || result.succeeded() ? new String[] {"", ""} : failure(result.failure());
      m.put("Status", result == null ? "Running" : result.succeeded() ? "Succeeded" : "Failed");
      m.put("Code", failure[0]);
      m.put("Message", failure[1]);
      m.put("StartTime", (j == null ? clock.instant() : j.created()).toString());
      m.put("EndTime", result == null ? "" : step.ended().toString());
      m.put("UserData", "");
      m.put("Sources", List.of(Map.of("URI", "oss://" + bucket + "/" + key)));
      List<Map<String, Object>> targets = new ArrayList<>();
      for (String k : result == null ? List.<String>of() : result.keys()) {
        targets.add(Map.of("URI", "oss://" + target + "/" + k));
      }
      m.put("Targets", targets);
      return m;
    }
  }
}
