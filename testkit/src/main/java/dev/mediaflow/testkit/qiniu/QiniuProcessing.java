package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Forms;
import dev.mediaflow.testkit.JobEngine;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake Qiniu's processing: {@code POST /pfop/} and persistentOps from uploads start jobs on the
 * {@link JobEngine}, one task per fop; {@code /status/get/prefop} reports them in Qiniu's JSON, and
 * a job with a notifyURL ends once its notification is answered. Fops on a download URL ({@code
 * imageView2}, {@code imageMogr2}, {@code watermark}, {@code vframe}, {@code avinfo}, {@code
 * imageInfo}) are applied at once: with a {@link LocalExecutor} for real, else images with Java's
 * ImageIO where it can, and Qiniu's error for the rest, never the original. Thread-safe.
 */
final class QiniuProcessing {
  private final FakeObjects objects;
  private final JobEngine jobs;
  private final QiniuReplies replies;
  private final QiniuNotifications notifications;
  private final TaskExecutor executor;
  private final Map<String, QiniuJob> byId = new ConcurrentHashMap<>();

  QiniuProcessing(
      FakeObjects objects,
      JobEngine jobs,
      QiniuReplies replies,
      QiniuNotifications notifications,
      TaskExecutor executor) {
    this.objects = objects;
    this.jobs = jobs;
    this.replies = replies;
    this.notifications = notifications;
    this.executor = executor;
  }

  // ---- fops on download URLs

  private static final Set<String> URL_COMMANDS =
      Set.of("imageView2", "imageMogr2", "watermark", "vframe");

  /**
   * Applies {@code chain} (stages joined by {@code |}) to an object on a download URL and answers
   * the result: the processed bytes with their MIME type, or the JSON of {@code avinfo} and {@code
   * imageInfo}; a chain Qiniu refuses, or one the fake cannot run here, gets Qiniu's 400.
   */
  Reply applyOnDownload(String bucket, String key, String chain) throws IOException {
    List<String> stages;
    try {
      if (chain.indexOf(';') >= 0 || chain.contains("saveas/")) {
        throw new QiniuFops.Invalid(
            "invalid fop: a download URL takes one fop chain, without ';' or saveas");
      }
      stages = QiniuFops.parse(chain, bucket).get(0).stages();
      String first = stages.get(0).split("/", 2)[0];
      if (first.equals("avinfo") || first.equals("imageInfo")) {
        if (stages.size() != 1) {
          throw new QiniuFops.Invalid("invalid fop: " + first + " cannot be piped");
        }
        return first.equals("avinfo") ? avinfo(bucket, key) : imageInfo(bucket, key);
      }
      for (int i = 0; i < stages.size(); i++) {
        String command = stages.get(i).split("/", 2)[0];
        if (!URL_COMMANDS.contains(command)) {
          throw new QiniuFops.Invalid(
              "invalid fop: " + command + " is not applied on a download URL");
        }
        if (command.equals("vframe") && i != 0) {
          throw new QiniuFops.Invalid("invalid fop: vframe reads a video, so it comes first");
        }
      }
      String format = outputFormat(stages, key);
      byte[] result;
      if (executor instanceof LocalExecutor local) {
        result = runLocally(local, bucket, key, chain, stages, format);
      } else if (stages.get(0).startsWith("vframe/")
          || stages.stream().anyMatch(s -> s.startsWith("watermark/"))) {
        throw new QiniuFops.Invalid(
            "vframe and watermark are applied by the fake only with a LocalExecutor"
                + " (mediaflow fake-server qiniu --execute local)");
      } else {
        result = QiniuImages.apply(objects.file(bucket, key), stages, format);
      }
      return Reply.body(200, QiniuImages.mimeType(format), result);
    } catch (QiniuFops.Invalid e) {
      return replies.error(400, e.getMessage());
    }
  }

  /** The format of a chain's result: the last one a stage names, else the source's extension. */
  private static String outputFormat(List<String> stages, String key) {
    String ext = key.lastIndexOf('.') < 0 ? "" : key.substring(key.lastIndexOf('.') + 1);
    String format =
        ext.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : ext.toLowerCase(Locale.ROOT);
    for (String stage : stages) {
      String[] s = stage.split("/", -1);
      if (s[0].equals("vframe")) {
        format = s[1];
      }
      for (int i = 1; i + 1 < s.length; i++) {
        if (s[i].equals("format") && !s[0].equals("watermark")) {
          format = s[i + 1];
        }
      }
    }
    return format;
  }

  private byte[] runLocally(
      LocalExecutor local,
      String bucket,
      String key,
      String chain,
      List<String> stages,
      String format)
      throws QiniuFops.Invalid, IOException {
    String dir = ".fake-qiniu-fops/" + replies.hex(8);
    Task task =
        Task.builder()
            .id("download")
            .command(stages.get(0).split("/", 2)[0], chain)
            .steps(stages)
            .source(bucket, key)
            .target(bucket, dir + "/result." + format)
            .translator(QiniuFops::operation)
            .objects(objects)
            .build();
    TaskExecutor.Result result;
    try {
      result = local.run(task);
    } catch (Exception e) {
      throw new QiniuFops.Invalid("execute fop cmd failed: " + e.getMessage());
    }
    try {
      if (!result.succeeded()) {
        throw new QiniuFops.Invalid(error(result.failure()));
      }
      return java.nio.file.Files.readAllBytes(objects.file(bucket, result.keys().get(0)));
    } finally {
      deleteTree(objects.file(bucket, dir + "/x").getParent());
    }
  }

  private static void deleteTree(java.nio.file.Path dir) throws IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var files = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Runs the ffprobe beside the FFmpeg the local provider finds ({@code
   * LocalProvider.ffmpegProcess}), with its environment; returns its JSON.
   */
  private static String ffprobe(java.nio.file.Path file) throws QiniuFops.Invalid, IOException {
    ProcessBuilder ffmpeg =
        dev.mediaflow.local.LocalProvider.ffmpegProcess(
            dev.mediaflow.MediaConfig.builder()
                .put("media.provider", "local")
                .put("media.local.root", file.getParent().toString())
                .build(),
            List.of());
    String exe =
        java.nio.file.Path.of(ffmpeg.command().get(0)).resolveSibling("ffprobe").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            exe,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            file.toString());
    pb.environment().putAll(ffmpeg.environment());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new QiniuFops.Invalid("execute fop cmd failed: ffprobe cannot read the file");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }

  private Reply imageInfo(String bucket, String key) throws QiniuFops.Invalid, IOException {
    return replies.json(200, QiniuImages.info(objects.file(bucket, key)));
  }

  /**
   * {@code avinfo}: ffprobe's {@code streams} and {@code format}, the shape Qiniu answers
   * (https://developer.qiniu.com/dora/kb/1678/video-meta-information-response-content-properties-and-instructions),
   * from the ffprobe beside the local provider's FFmpeg.
   */
  private Reply avinfo(String bucket, String key) throws QiniuFops.Invalid, IOException {
    if (!(executor instanceof LocalExecutor)) {
      throw new QiniuFops.Invalid(
          "avinfo is answered by the fake only with a LocalExecutor"
              + " (mediaflow fake-server qiniu --execute local)");
    }
    java.nio.file.Path file = objects.file(bucket, key);
    String json = ffprobe(file);
    return Reply.body(
            200, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .header("X-Reqid", replies.reqid());
  }

  int jobCount() {
    return byId.size();
  }

  Optional<String> prefopJson(String persistentId) {
    jobs.advance();
    QiniuJob job = byId.get(persistentId);
    return job == null ? Optional.empty() : Optional.of(Reply.toJson(job.json()));
  }

  /** {@code POST /pfop/}: a signed form with bucket, key and fops (or a workflow template). */
  Reply pfop(Request r) {
    String contentType = r.header("Content-Type");
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return replies.error(400, "pfop takes an application/x-www-form-urlencoded body");
    }
    Map<String, String> form = Forms.pairs(r.bodyText());
    String bucket = form.get("bucket");
    String key = form.get("key");
    String fops = form.get("fops");
    String template = form.get("workflowTemplateID");
    if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
      return replies.error(400, "invalid argument: bucket and key are required");
    }
    if ((fops == null || fops.isEmpty()) == (template == null || template.isEmpty())) {
      return replies.error(400, "invalid argument: give one of fops and workflowTemplateID");
    }
    if (template != null && !template.isEmpty()) {
      fops = "avinfo"; // a fake template: one item
    }
    String id;
    try {
      id =
          start(
              bucket,
              key,
              fops,
              form.get("notifyURL"),
              "1".equals(form.get("force")),
              "1".equals(form.get("type")),
              form.get("pipeline"),
              template);
    } catch (QiniuFops.Invalid e) {
      return replies.error(400, e.getMessage());
    }
    return replies.json(200, Map.of("persistentId", id));
  }

  /** Starts a pfop job; returns its persistentId. */
  String start(
      String bucket,
      String key,
      String fops,
      String notifyUrl,
      boolean force,
      boolean idle,
      String pipeline,
      String template)
      throws QiniuFops.Invalid {
    List<QiniuFops.Fop> parsed = QiniuFops.parse(fops, bucket);
    for (QiniuFops.Fop f : parsed) {
      try {
        objects.file(f.saveBucket().orElse(bucket), f.saveKey().orElse("x"));
      } catch (IllegalArgumentException e) {
        throw new QiniuFops.Invalid("invalid saveas: " + e.getMessage());
      }
    }
    String id = "z0." + replies.hex(12);
    List<Task> tasks = new ArrayList<>();
    for (QiniuFops.Fop f : parsed) {
      tasks.add(task(id, bucket, key, f));
    }
    QiniuJob job =
        new QiniuJob(
            id,
            bucket,
            key,
            parsed,
            notifyUrl,
            force,
            idle,
            Optional.ofNullable(pipeline).filter(p -> !p.isEmpty()).orElse("0.default"),
            template,
            replies.reqid());
    byId.put(id, job);
    job.job = jobs.submit(id, tasks, job);
    return id;
  }

  /** The neutral task of a fop. */
  private Task task(String id, String bucket, String key, QiniuFops.Fop fop) {
    String saveBucket = fop.saveBucket().orElse(bucket);
    Task.Builder b =
        Task.builder()
            .id(id)
            .command(fop.stages().get(0).split("/", 2)[0], fop.cmd())
            .steps(fop.stages())
            .source(bucket, key)
            .target(
                saveBucket,
                fop.saveKey().orElseGet(() -> "fake-" + Integer.toHexString(fop.cmd().hashCode())))
            .translator(QiniuFops::operation)
            .objects(objects);
    fop.pattern().ifPresent(p -> b.keyPattern(p.replace("$(count)", Task.INDEX), 6));
    return b.build();
  }

  /** {@code /status/get/prefop?id=...}: the job's JSON, or 612. */
  Reply prefop(Request r) {
    String query = r.rawQuery();
    String id = Forms.pairs(query == null ? r.bodyText() : query).get("id");
    jobs.advance();
    QiniuJob job = id == null ? null : byId.get(id);
    if (job == null) {
      return replies.error(612, "no such id in prefop");
    }
    return replies.json(200, job.json());
  }

  private static String desc(int code) {
    return switch (code) {
      case 0 -> "The fop was completed successfully";
      case 1 -> "The fop is waiting for execution";
      case 2 -> "The fop is executing now";
      case 3 -> "The fop is failed";
      case 4 -> "Callback failed";
      default -> "";
    };
  }

  /** Qiniu's item error for a failed task. */
  private static String error(TaskExecutor.Failure f) {
    return f.kind() == TaskExecutor.Failure.Kind.DECLARED
        ? f.message()
        : "execute fop cmd failed: " + f.message();
  }

  /** A pfop job as prefop reports it. */
  private final class QiniuJob implements JobEngine.Hooks {
    final String id;
    final String bucket;
    final String key;
    final List<QiniuFops.Fop> fops;
    final String notifyUrl;
    final boolean force;
    final boolean idle;
    final String pipeline;
    final String template;
    final String reqid;
    final Instant created = jobs.clock().instant();
    volatile JobEngine.Job job;
    volatile boolean notifyFailed;

    QiniuJob(
        String id,
        String bucket,
        String key,
        List<QiniuFops.Fop> fops,
        String notifyUrl,
        boolean force,
        boolean idle,
        String pipeline,
        String template,
        String reqid) {
      this.id = id;
      this.bucket = bucket;
      this.key = key;
      this.fops = fops;
      this.notifyUrl = notifyUrl == null || notifyUrl.isEmpty() ? null : notifyUrl;
      this.force = force;
      this.idle = idle;
      this.pipeline = pipeline;
      this.template = template;
      this.reqid = reqid;
    }

    /**
     * Without {@code force}, a fop whose saveas object exists answers it at once ({@code
     * returnOld}).
     */
    @Override
    public boolean reuse(int index, Task task) {
      QiniuFops.Fop fop = fops.get(index);
      return !force
          && fop.saveKey().isPresent()
          && objects.exists(task.targetBucket(), fop.saveKey().get());
    }

    /**
     * POSTs the finished job's JSON to its notifyURL; the job ends (prefop) once the outcome is
     * known.
     */
    @Override
    public void finish(JobEngine.Job done) {
      if (notifyUrl == null) {
        return;
      }
      // The body carries the result; the job's code stays 2 until the notification's outcome is
      // known, so a
      // status read during it cannot see 0 for a job that ends as 4.
      Map<String, Object> body = json(done, true);
      notifyFailed = !notifications.notifyJob(notifyUrl, body);
    }

    Map<String, Object> json() {
      return json(job, false);
    }

    /** Returns the prefop JSON; with {@code final}, as it will read once the job has ended. */
    Map<String, Object> json(JobEngine.Job j, boolean finalCode) {
      List<JobEngine.Step> steps = j == null ? List.of() : j.steps();
      int code = code(j, steps, finalCode);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("pipeline", pipeline);
      m.put("code", code);
      m.put("desc", desc(code));
      m.put("reqid", reqid);
      m.put("inputBucket", bucket);
      m.put("inputKey", key);
      if (idle) {
        m.put("type", 1);
      }
      if (template != null) {
        m.put("taskFrom", "workflow:" + template);
      }
      m.put(
          "creationDate",
          OffsetDateTime.ofInstant(j == null ? created : j.created(), ZoneOffset.ofHours(8))
              .toString());
      List<Map<String, Object>> list = new ArrayList<>();
      for (int i = 0; i < fops.size(); i++) {
        list.add(item(fops.get(i), i < steps.size() ? steps.get(i) : null));
      }
      m.put("items", list);
      return m;
    }

    private int code(JobEngine.Job j, List<JobEngine.Step> steps, boolean finalCode) {
      if (j == null || j.phase() == JobEngine.Phase.QUEUED) {
        return 1;
      }
      boolean ended =
          j.phase() == JobEngine.Phase.ENDED || (j.tasksDone() && (notifyUrl == null || finalCode));
      if (!ended) {
        return 2;
      }
      boolean anyFailed =
          steps.stream().anyMatch(s -> s.result() != null && !s.result().succeeded());
      if (anyFailed) {
        return 3;
      }
      return !finalCode && notifyFailed ? 4 : 0;
    }

    private Map<String, Object> item(QiniuFops.Fop fop, JobEngine.Step step) {
      TaskExecutor.Result result = step == null ? null : step.result();
      int code =
          step == null || step.state() == JobEngine.StepState.WAITING
              ? 1
              : result == null ? 2 : result.succeeded() ? 0 : 3;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cmd", fop.cmd());
      m.put("code", code);
      m.put("desc", desc(code));
      if (result != null && !result.succeeded()) {
        m.put("error", error(result.failure()));
        if (result.failure().step() >= 0) {
          m.put("errorIndex", result.failure().step());
        }
      }
      if (code == 0) {
        List<String> keys = result.keys();
        if (fop.pattern().isPresent()) {
          m.put("keys", keys);
        } else if (!keys.isEmpty()) {
          m.put("key", keys.get(0));
          m.put("hash", "Fake" + Integer.toHexString(keys.get(0).hashCode()));
        }
      }
      m.put("returnOld", step != null && step.reused() ? 1 : 0);
      return m;
    }
  }
}
