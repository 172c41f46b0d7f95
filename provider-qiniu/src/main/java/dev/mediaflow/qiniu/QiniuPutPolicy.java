package dev.mediaflow.qiniu;

import com.google.gson.Gson;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Qiniu put policy, the JSON an upload token carries: where the upload may go ({@code scope}),
 * until when ({@code deadline}), and what Qiniu does after it, such as running a pipeline on the
 * uploaded object ({@code persistentOps}).
 *
 * <pre>{@code
 * Pipeline onUpload = Pipeline.from("media", "raw/in.mp4").then(transcode).saveAs("media", "out/in.mp4").build();
 * QiniuPutPolicy policy = QiniuPutPolicy.builder("media").key("raw/in.mp4")
 *     .deadline(Instant.now().plusSeconds(3600))
 *     .process(client.render(onUpload), onUpload)   // persistentOps, persistentNotifyUrl, persistentPipeline
 *     .build();
 * String token = auth.uploadToken(policy);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class QiniuPutPolicy {
  /**
   * The policy fields Qiniu accepts (java-sdk {@code Auth.policyFields}); {@code asyncOps} is
   * deprecated.
   */
  public static final Set<String> FIELDS =
      Set.of(
          "callbackUrl",
          "callbackBody",
          "callbackHost",
          "callbackBodyType",
          "callbackFetchKey",
          "returnUrl",
          "returnBody",
          "endUser",
          "saveKey",
          "forceSaveKey",
          "insertOnly",
          "isPrefixalScope",
          "detectMime",
          "mimeLimit",
          "fsizeLimit",
          "fsizeMin",
          "trafficLimit",
          "persistentType",
          "persistentOps",
          "persistentNotifyUrl",
          "persistentPipeline",
          "persistentWorkflowTemplateID",
          "deleteAfterDays",
          "fileType");

  private static final Gson GSON = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();

  private final Map<String, Object> fields;

  private QiniuPutPolicy(Map<String, Object> fields) {
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * Starts a policy for uploads to {@code bucket}; the deadline defaults to one hour from {@link
   * Builder#build()}.
   */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  /** Returns the fields, {@code scope} and {@code deadline} first. */
  public Map<String, Object> fields() {
    return fields;
  }

  /** Returns the policy as the JSON the token encodes. */
  public String toJson() {
    return GSON.toJson(fields);
  }

  @Override
  public String toString() {
    return "QiniuPutPolicy" + toJson();
  }

  /** Builds a {@link QiniuPutPolicy}. Not thread-safe. */
  public static final class Builder {
    private final String bucket;
    private String key;
    private boolean prefix;
    private Instant deadline;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Builder(String bucket) {
      this.bucket = MediaObject.of(bucket, "x").bucket();
    }

    /** Limits the upload to this key (and lets it overwrite). */
    public Builder key(String key) {
      this.key = MediaObject.of(bucket, key).key();
      this.prefix = false;
      return this;
    }

    /** Limits the upload to keys starting with {@code prefix} ({@code isPrefixalScope}). */
    public Builder keyPrefix(String prefix) {
      this.key = MediaObject.of(bucket, prefix).key();
      this.prefix = true;
      return this;
    }

    /** Sets when the token expires (checked by Qiniu when the upload completes). */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /** Runs fops on the uploaded object: {@code persistentOps}, joined with {@code ;}. */
    public Builder persistentOps(String fops) {
      return field("persistentOps", fops);
    }

    public Builder persistentNotifyUrl(String url) {
      return field("persistentNotifyUrl", url);
    }

    public Builder persistentPipeline(String queue) {
      return field("persistentPipeline", queue);
    }

    /** Runs the processing as an idle-time task ({@code persistentType} 1). */
    public Builder idleTime(boolean idle) {
      return field("persistentType", idle ? 1 : 0);
    }

    /** Runs a workflow template on upload instead of fops. */
    public Builder persistentWorkflowTemplateId(String id) {
      return field("persistentWorkflowTemplateID", id);
    }

    /**
     * Runs {@code pipeline} on the uploaded object: the fops Qiniu's client rendered for it (from
     * {@code MediaClient.render}), its notification URL, queue and idle-time option.
     */
    public Builder process(List<VendorRequest> rendered, Pipeline pipeline) {
      if (rendered.size() != 1) {
        throw new MediaValidationException(
            "persistentOps", "takes one rendered Qiniu request, was " + rendered.size());
      }
      persistentOps(rendered.get(0).processing());
      pipeline
          .notification()
          .flatMap(n -> n.url())
          .ifPresent(u -> persistentNotifyUrl(u.toString()));
      pipeline.options().queue().ifPresent(this::persistentPipeline);
      pipeline.options().idleTime().filter(i -> i).ifPresent(i -> idleTime(true));
      return this;
    }

    /**
     * Asks Qiniu to POST {@code body} to {@code url} after the upload; verify it with {@link
     * QiniuAuth#isValidCallback}.
     */
    public Builder callback(String url, String body, String bodyType) {
      field("callbackUrl", url);
      field("callbackBody", body);
      return bodyType == null ? this : field("callbackBodyType", bodyType);
    }

    /**
     * Names the stored object from {@code template} with magic variables such as {@code $(fname)}
     * or {@code $(etag)} ({@code saveKey}); with {@code force}, even when the uploader sends a key
     * ({@code forceSaveKey}, https://developer.qiniu.com/kodo/1206/put-policy).
     */
    public Builder saveKey(String template, boolean force) {
      field("saveKey", template);
      return force ? field("forceSaveKey", true) : field("forceSaveKey", null);
    }

    /** Refuses to overwrite an existing object ({@code insertOnly}). */
    public Builder insertOnly(boolean insertOnly) {
      return field("insertOnly", insertOnly ? 1 : 0);
    }

    /** Sets any other policy field by its Qiniu name (see {@link #FIELDS}). */
    public Builder field(String name, Object value) {
      if (!FIELDS.contains(name)) {
        throw new MediaValidationException(
            "putPolicy." + name, "is not a Qiniu put-policy field; use one of " + FIELDS);
      }
      if (value == null || value instanceof String s && s.isEmpty()) {
        fields.remove(name);
      } else if (value instanceof String || value instanceof Number) {
        fields.put(name, value);
      } else if (value instanceof Boolean b) {
        // forceSaveKey is a JSON boolean in the put policy; the other flags are integers.
        fields.put(name, name.equals("forceSaveKey") ? b : (Object) (b ? 1 : 0));
      } else {
        throw new MediaValidationException("putPolicy." + name, "must be a string or a number");
      }
      return this;
    }

    public QiniuPutPolicy build() {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("scope", key == null ? bucket : bucket + ":" + key);
      all.put(
          "deadline",
          (deadline == null ? Instant.now().plusSeconds(3600) : deadline).getEpochSecond());
      if (prefix) {
        all.put("isPrefixalScope", 1);
      }
      all.putAll(fields);
      return new QiniuPutPolicy(all);
    }
  }
}
