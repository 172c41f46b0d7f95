package dev.mediaflow.testkit.qiniu;

import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.Forms;
import dev.mediaflow.testkit.JobEngine;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake Qiniu's processing: {@code POST /pfop/} and persistentOps from uploads start jobs on the
 * {@link JobEngine}, one task per fop; {@code /status/get/prefop} reports them in Qiniu's JSON, and
 * a job with a notifyURL ends once its notification is answered. Thread-safe.
 */
final class QiniuProcessing {
  private final FakeObjects objects;
  private final JobEngine jobs;
  private final QiniuReplies replies;
  private final QiniuNotifications notifications;
  private final Map<String, QiniuJob> byId = new ConcurrentHashMap<>();

  QiniuProcessing(
      FakeObjects objects, JobEngine jobs, QiniuReplies replies, QiniuNotifications notifications) {
    this.objects = objects;
    this.jobs = jobs;
    this.replies = replies;
    this.notifications = notifications;
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
