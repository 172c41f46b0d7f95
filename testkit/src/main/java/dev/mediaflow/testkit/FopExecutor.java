package dev.mediaflow.testkit;

import java.util.List;
import java.util.Optional;

/**
 * Runs one fop of a fake Qiniu job (one {@code ;}-separated command, one item in prefop). The fake server calls
 * it on a worker thread, once per item, in order. {@link SimulatedFopExecutor} is the default.
 */
@FunctionalInterface
public interface FopExecutor {
  /**
   * A fop to run.
   *
   * @param persistentId the job's id
   * @param sourceBucket the pfop source's bucket
   * @param sourceKey the pfop source's key
   * @param cmd the whole command as submitted, saveas included
   * @param stages the {@code |}-separated stages, without the saveas stage
   * @param saveBucket where the result goes (the source bucket when the command names none)
   * @param saveKey the result's key, when the command has a saveas with a key
   * @param pattern the key pattern with {@code $(count)} of a multi-frame command (vsample), when present
   * @param objects the server's objects, to read the source and write the results
   */
  record Task(String persistentId, String sourceBucket, String sourceKey, String cmd, List<String> stages,
      String saveBucket, Optional<String> saveKey, Optional<String> pattern, FakeObjects objects) {}

  /**
   * What a fop produced.
   *
   * @param keys the keys written (in {@code saveBucket}); one for most commands, several for vsample
   * @param error the failure message, or null on success
   * @param errorIndex the failing stage's 0-based index, or -1
   */
  record Result(List<String> keys, String error, int errorIndex) {
    public static Result ok(List<String> keys) {
      return new Result(List.copyOf(keys), null, -1);
    }

    public static Result failed(String error, int errorIndex) {
      return new Result(List.of(), error, errorIndex);
    }

    public boolean succeeded() {
      return error == null;
    }
  }

  /** Runs {@code task}; an exception counts as a failure of stage 0 with its message. */
  Result run(Task task) throws Exception;
}
