package dev.mediaflow.job;

import dev.mediaflow.pipeline.MediaObject;
import java.util.List;
import java.util.Objects;

/**
 * The result of one pipeline output: its state, the objects it saved (several for multi-frame
 * snapshots), and the vendor's code and message (empty strings when the vendor gave none).
 *
 * @param index the output's index in {@link dev.mediaflow.pipeline.Pipeline#outputs()}
 * @param state the output's own state
 * @param objects the saved objects; empty until it succeeds
 * @param vendorCode the vendor's status or error code for this output, or ""
 * @param message the vendor's message (an error for a failed output), or ""
 */
public record OutputResult(
    int index, JobState state, List<MediaObject> objects, String vendorCode, String message) {
  public OutputResult {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    Objects.requireNonNull(state, "state");
    objects = List.copyOf(objects);
    vendorCode = vendorCode == null ? "" : vendorCode;
    message = message == null ? "" : message;
  }

  public static OutputResult of(int index, JobState state) {
    return new OutputResult(index, state, List.of(), "", "");
  }
}
