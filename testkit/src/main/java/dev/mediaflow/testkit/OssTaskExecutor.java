package dev.mediaflow.testkit;

import java.util.List;
import java.util.Optional;

/**
 * Runs one task of the fake OSS server: an {@code x-oss-async-process} style, or an {@code x-oss-process}
 * image chain. The server calls it on a worker thread (async) or while answering (sync).
 * {@link SimulatedOssExecutor} is the default; {@link LocalOssExecutor} runs tasks for real.
 */
@FunctionalInterface
public interface OssTaskExecutor {
  /**
   * A task to run.
   *
   * @param taskId the TaskId answered to the client ({@code MediaConvert-...}), or a request id for a sync call
   * @param sourceBucket the processed object's bucket
   * @param sourceKey the processed object's key
   * @param process the processing part of the style, without the {@code |sys/...} segments, such as
   *     {@code video/convert,f_mp4,vcodec_h264} or {@code image/resize,w_100/format,png}
   * @param targetBucket where the result goes (the source bucket when saveas names none)
   * @param targetKey the result's key from saveas; it may hold {@code {index}} for numbered results; empty for
   *     a task that stores nothing (blind-watermark decoding)
   * @param objects the server's objects, to read the source and write the results
   */
  record Task(String taskId, String sourceBucket, String sourceKey, String process, String targetBucket,
      Optional<String> targetKey, FakeObjects objects) {
    /** The action, such as {@code video/convert} ({@code image} for an image chain). */
    public String action() {
      if (process.startsWith("image/") && !process.startsWith("image/deblindwatermark")) {
        return "image";
      }
      int comma = process.indexOf(',');
      int slash = process.indexOf('/', process.indexOf('/') + 1);
      int end = comma < 0 ? (slash < 0 ? process.length() : slash) : (slash < 0 ? comma : Math.min(comma, slash));
      return process.substring(0, end);
    }
  }

  /**
   * What a task produced.
   *
   * @param keys the keys written in {@code targetBucket}
   * @param code IMM's error code on failure ({@code InvalidParameter.ResourceContent}...), null on success
   * @param message the failure message, null on success
   */
  record Result(List<String> keys, String code, String message) {
    public static Result ok(List<String> keys) {
      return new Result(List.copyOf(keys), null, null);
    }

    public static Result failed(String code, String message) {
      return new Result(List.of(), code, message);
    }

    public boolean succeeded() {
      return code == null;
    }
  }

  /** Runs {@code task}; an exception counts as a failure with its message. */
  Result run(Task task) throws Exception;
}
