package dev.mediaflow.gallery;

import dev.mediaflow.pipeline.MediaObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upload of the gallery and what was made of it. Immutable: each change makes a new item.
 *
 * @param id the gallery's id, which also names the item's objects
 * @param name the file name the user uploaded, given back on download
 * @param contentType the file's type, as the browser reported it and the grant enforced
 * @param source the uploaded object
 * @param state where the item is
 * @param progress the job's progress in percent, -1 when unknown
 * @param jobId the processing job's id, "" before it is submitted
 * @param endedBy how the end of the job was learnt: {@code notification (...)}, {@code poll}, ""
 *     while it runs
 * @param message the failure, or ""
 * @param info the original's media info, as label and value
 * @param log what happened, in order, one line each
 */
record Item(
    String id,
    String name,
    String contentType,
    MediaObject source,
    State state,
    int progress,
    String jobId,
    String endedBy,
    String message,
    Map<String, String> info,
    List<String> log) {

  /** Where an item is. */
  enum State {
    /** A grant was handed out; the browser is uploading. */
    UPLOADING,
    /** The pipeline was submitted; its job runs. */
    PROCESSING,
    /** Every output was made. */
    READY,
    /** The upload or the job failed. */
    FAILED;

    boolean isTerminal() {
      return this == READY || this == FAILED;
    }
  }

  Item {
    info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
    log = List.copyOf(log);
  }

  boolean isVideo() {
    return contentType.startsWith("video/");
  }

  /** The 720p MP4 (videos only). */
  MediaObject video() {
    return output("720p.mp4");
  }

  /** The poster frame (videos only). */
  MediaObject poster() {
    return output("poster.jpg");
  }

  /** The thumbnail the pipeline makes, which URLs then resize for the page. */
  MediaObject thumbnail() {
    return output("thumb.jpg");
  }

  private MediaObject output(String name) {
    return MediaObject.of(source.bucket(), "gallery/" + id + "/" + name);
  }

  Item with(State state, String line) {
    return new Item(
        id,
        name,
        contentType,
        source,
        state,
        progress,
        jobId,
        endedBy,
        message,
        info,
        append(line));
  }

  Item withProgress(int percent, String line) {
    return new Item(
        id, name, contentType, source, state, percent, jobId, endedBy, message, info, append(line));
  }

  Item withJob(String job, Map<String, String> mediaInfo, String line) {
    return new Item(
        id,
        name,
        contentType,
        source,
        State.PROCESSING,
        progress,
        job,
        endedBy,
        message,
        mediaInfo,
        append(line));
  }

  Item ended(State end, String how, String failure, String line) {
    return new Item(
        id,
        name,
        contentType,
        source,
        end,
        end == State.READY ? 100 : progress,
        jobId,
        how,
        failure,
        info,
        append(line));
  }

  private List<String> append(String line) {
    if (line.isEmpty()) {
      return log;
    }
    List<String> l = new ArrayList<>(log);
    l.add(line);
    return l;
  }
}
