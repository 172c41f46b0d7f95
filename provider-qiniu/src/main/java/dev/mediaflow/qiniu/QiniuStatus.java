package dev.mediaflow.qiniu;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Maps Qiniu's prefop JSON (also the body of notifyURL posts) to a {@link JobStatus}: codes 1
 * waiting, 2 processing, 0 done, 3 failed, 4 done but the notification failed (a warning); one
 * output per item, in fops order, with the saved objects from {@code key}/{@code keys}.
 */
final class QiniuStatus {
  static final String NOTIFY_FAILED =
      "Processing finished, but Qiniu could not POST the result to the notifyURL (code 4)";

  private QiniuStatus() {}

  static JsonObject json(byte[] body, String what) {
    try {
      JsonElement e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      if (e.isJsonObject() && e.getAsJsonObject().has("id") && e.getAsJsonObject().has("code")) {
        return e.getAsJsonObject();
      }
    } catch (JsonSyntaxException | IllegalStateException e) {
      // reported below
    }
    throw new MediaValidationException(
        what, "is not Qiniu's prefop JSON (an object with id, code and items)");
  }

  static JobState state(int code) {
    return switch (code) {
      case 0, 4 -> JobState.SUCCEEDED;
      case 1 -> JobState.QUEUED;
      case 2 -> JobState.RUNNING;
      case 3 -> JobState.FAILED;
      default -> JobState.RUNNING; // an unknown code is not an ending
    };
  }

  static JobStatus parse(JsonObject o, JobId id, Instant observedAt) {
    int code = o.get("code").getAsInt();
    String inputBucket = string(o, "inputBucket").orElse(null);
    List<OutputResult> outputs = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    JsonArray items =
        o.has("items") && o.get("items").isJsonArray()
            ? o.getAsJsonArray("items")
            : new JsonArray();
    List<JobState> states = new ArrayList<>();
    List<String[]> details = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.get(i).getAsJsonObject();
      int itemCode = item.has("code") ? item.get("code").getAsInt() : code;
      JobState s = state(itemCode);
      states.add(s);
      String bucket = saveBucket(string(item, "cmd").orElse("")).orElse(inputBucket);
      List<MediaObject> objects = new ArrayList<>();
      if (s == JobState.SUCCEEDED && bucket != null) {
        string(item, "key").ifPresent(k -> objects.add(MediaObject.of(bucket, k)));
        if (item.has("keys") && item.get("keys").isJsonArray()) {
          for (JsonElement k : item.getAsJsonArray("keys")) {
            objects.add(MediaObject.of(bucket, k.getAsString()));
          }
        }
      }
      String message = string(item, "error").orElse(string(item, "desc").orElse(""));
      if (item.has("errorIndex") && s == JobState.FAILED) {
        int step = item.get("errorIndex").getAsInt();
        message = message + " (at step " + step + " of the |-chain, counted from 0)";
        details.add(new String[] {"outputs[" + i + "].errorIndex", String.valueOf(step)});
      }
      if (itemCode == 4) {
        warnings.add("output " + i + ": " + NOTIFY_FAILED);
      }
      String prefix = "outputs[" + i + "]";
      string(item, "cmd").ifPresent(c -> details.add(new String[] {prefix + ".cmd", c}));
      string(item, "hash").ifPresent(h -> details.add(new String[] {prefix + ".hash", h}));
      if (item.has("returnOld") && item.get("returnOld").getAsInt() == 1) {
        warnings.add(
            "output "
                + i
                + ": Qiniu returned an existing result (returnOld); submit with force to redo it");
      }
      if (item.has("result") && !item.has("key") && !item.has("keys")) {
        details.add(new String[] {"outputs[" + i + "].result", item.get("result").toString()});
      }
      outputs.add(new OutputResult(i, s, objects, String.valueOf(itemCode), message));
    }
    JobState jobState = state(code);
    if (jobState.isTerminal()
        && !states.isEmpty()
        && states.stream().allMatch(JobState::isTerminal)) {
      jobState = JobState.combine(states);
    }
    JobStatus.Builder b =
        JobStatus.builder(id, jobState)
            .outputs(outputs)
            .observedAt(observedAt)
            .message(string(o, "desc").orElse(""));
    if (code == 4 && warnings.stream().noneMatch(w -> w.contains("code 4"))) {
      warnings.add(NOTIFY_FAILED);
    }
    warnings.forEach(b::warning);
    b.detail("trackedBy", "prefop");
    b.detail("vendorCode", String.valueOf(code));
    final JobStatus.Builder fb = b;
    for (String name :
        List.of("reqid", "inputBucket", "inputKey", "pipeline", "taskFrom", "creationDate")) {
      string(o, name).ifPresent(v -> fb.detail(name, v));
    }
    if (o.has("type") && o.get("type").getAsInt() == 1) {
      b.detail("idleTime", "true");
    }
    details.forEach(d -> fb.detail(d[0], d[1]));
    return b.build();
  }

  /** The bucket of the last {@code saveas/<entry>} in a fop command, if any. */
  static Optional<String> saveBucket(String cmd) {
    int at = cmd.lastIndexOf("saveas/");
    if (at < 0) {
      return Optional.empty();
    }
    String rest = cmd.substring(at + "saveas/".length());
    int end = rest.indexOf('/');
    String encoded = end < 0 ? rest : rest.substring(0, end);
    try {
      String entry = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = entry.indexOf(':');
      return Optional.of(colon < 0 ? entry : entry.substring(0, colon));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() || !e.isJsonPrimitive()
        ? Optional.empty()
        : Optional.of(e.getAsString());
  }
}
