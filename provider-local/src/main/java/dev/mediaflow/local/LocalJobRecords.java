package dev.mediaflow.local;

import com.google.gson.Gson;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records under {@code <root>/.mediaflow/jobs/<id>.json}, written when a job is queued and when
 * it ends, so that other processes can read a local job's outcome. A record that stays unfinished
 * after its process died reads as failed.
 */
final class LocalJobRecords {
  private static final Logger log = LoggerFactory.getLogger(LocalJobRecords.class);
  private static final Pattern ID = Pattern.compile("l[0-9a-f]{16}");
  private static final Gson GSON = new Gson();

  private final Path dir;

  LocalJobRecords(Path dir) {
    this.dir = dir;
  }

  private record Saved(long pid, String state, String message, List<SavedOutput> outputs) {}

  private record SavedOutput(
      int index, String state, List<MediaObject> objects, String code, String message) {}

  void write(JobStatus status) {
    List<SavedOutput> outs = new ArrayList<>();
    for (OutputResult r : status.outputs()) {
      outs.add(
          new SavedOutput(r.index(), r.state().name(), r.objects(), r.vendorCode(), r.message()));
    }
    Saved saved =
        new Saved(ProcessHandle.current().pid(), status.state().name(), status.message(), outs);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
      Files.writeString(tmp, GSON.toJson(saved), StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dir.resolve(status.id().vendorId() + ".json"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("cannot record local job {}: {}", status.id().vendorId(), e.toString());
    }
  }

  Optional<JobStatus> read(JobId id) {
    if (!ID.matcher(id.vendorId()).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(id.vendorId() + ".json");
    Saved saved;
    try {
      saved = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Saved.class);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    JobState state = JobState.valueOf(saved.state());
    List<OutputResult> results = new ArrayList<>();
    boolean orphan =
        !state.isTerminal()
            && ProcessHandle.of(saved.pid()).map(ProcessHandle::isAlive).orElse(false) == false;
    for (SavedOutput o : saved.outputs()) {
      JobState s = JobState.valueOf(o.state());
      if (orphan && !s.isTerminal()) {
        results.add(
            new OutputResult(
                o.index(),
                JobState.FAILED,
                List.of(),
                "Interrupted",
                "the process (pid "
                    + saved.pid()
                    + ") that ran this job ended before the output was done"));
      } else {
        results.add(
            new OutputResult(
                o.index(),
                s,
                o.objects() == null ? List.of() : o.objects(),
                o.code() == null ? "" : o.code(),
                o.message() == null ? "" : o.message()));
      }
    }
    JobState now = JobState.combine(results.stream().map(OutputResult::state).toList());
    JobStatus.Builder b =
        JobStatus.builder(id, now).outputs(results).detail("trackedBy", "local job record " + file);
    if (orphan) {
      b.message("the process (pid " + saved.pid() + ") that ran this job ended before it finished");
    } else if (!now.isTerminal()) {
      b.message("running in process " + saved.pid() + "; this record shows its state when queued");
    } else if (saved.message() != null && !saved.message().isEmpty()) {
      b.message(saved.message());
    }
    return Optional.of(b.build());
  }
}
