package dev.mediaflow.job;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.mediaflow.MediaClientException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job records as {@code <hash of key>.job} JSON files in one folder. Each write goes to a temporary
 * file renamed over the old one, so a crash leaves the old or the new record. Writers take the
 * folder's lock file ({@code .lock}) for the whole read-modify-write, which serialises the
 * processes of one machine, and a lock per folder inside this JVM. Reads take no lock. A file that
 * cannot be read is skipped with a warning.
 */
final class FileJobStore implements JobStore {
  private static final Logger log = LoggerFactory.getLogger(FileJobStore.class);
  private static final Gson GSON = new Gson();
  private static final String SUFFIX = ".job";
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final ReentrantLock lock;

  FileJobStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.dir, d -> new ReentrantLock());
  }

  /** The stored form: plain strings and booleans, so the file reads well and parses strictly. */
  private static final class Stored {
    String id;
    String state;
    boolean delivered;
    boolean notified;
    String deadline;
    String owner;
    String leaseExpiry;
    String tag;
    String updated;

    static Stored from(JobRecord r) {
      Stored s = new Stored();
      s.id = r.id().toString();
      s.state = r.state().name();
      s.delivered = r.delivered();
      s.notified = r.notified();
      s.deadline = r.deadline().toString();
      s.owner = r.owner();
      s.leaseExpiry = r.leaseExpiry().toString();
      s.tag = r.tag();
      s.updated = r.updated().toString();
      return s;
    }

    JobRecord record() {
      JobId jobId = JobId.parse(id);
      return new JobRecord(
          jobId,
          JobRecord.instanceOf(jobId),
          JobState.valueOf(state),
          delivered,
          notified,
          Instant.parse(deadline),
          Objects.requireNonNull(owner, "owner"),
          Instant.parse(leaseExpiry),
          Objects.requireNonNull(tag, "tag"),
          Instant.parse(updated));
    }
  }

  @Override
  public JobRecord put(JobRecord record) {
    Objects.requireNonNull(record, "record");
    return locked(
        () -> {
          JobRecord stored = read(file(record.key())).map(r -> r.merge(record)).orElse(record);
          write(stored);
          return stored;
        });
  }

  @Override
  public Optional<JobRecord> get(JobId id) {
    return read(file(JobRecord.key(id)));
  }

  @Override
  public Optional<JobRecord> update(JobId id, UnaryOperator<JobRecord> change) {
    Objects.requireNonNull(change, "change");
    return locked(
        () -> {
          Optional<JobRecord> old = read(file(JobRecord.key(id)));
          if (old.isEmpty()) {
            return old;
          }
          JobRecord next = Objects.requireNonNull(change.apply(old.get()), "change returned null");
          if (!next.key().equals(old.get().key())) {
            throw new IllegalArgumentException("a change must keep the job: " + next.id());
          }
          if (!next.equals(old.get())) {
            write(next);
          }
          return Optional.of(next);
        });
  }

  @Override
  public List<JobRecord> open() {
    List<JobRecord> open = new ArrayList<>();
    for (JobRecord r : all()) {
      if (r.isOpen()) {
        open.add(r);
      }
    }
    open.sort(Comparator.comparing(JobRecord::updated));
    return open;
  }

  @Override
  public List<JobRecord> claim(
      String instance, String owner, Instant now, Duration lease, int limit) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(owner, "owner");
    return locked(
        () -> {
          List<JobRecord> taken = new ArrayList<>();
          for (JobRecord r : open()) {
            if (taken.size() >= limit) {
              break;
            }
            if (r.instance().equals(instance)
                && (r.isFree(now) || Owners.isGoneLocalProcess(r.owner()))) {
              JobRecord mine = r.withLease(owner, now, lease);
              write(mine);
              taken.add(mine);
            }
          }
          return taken;
        });
  }

  @Override
  public List<JobId> renew(String owner, Collection<JobId> ids, Instant now, Duration lease) {
    return locked(
        () -> {
          List<JobId> held = new ArrayList<>();
          for (JobId id : ids) {
            Optional<JobRecord> r = read(file(JobRecord.key(id)));
            if (r.isPresent() && r.get().isOpen() && r.get().isClaimableBy(owner, now)) {
              write(r.get().withLease(owner, now, lease));
              held.add(id);
            }
          }
          return held;
        });
  }

  @Override
  public void release(String owner, Collection<JobId> ids, Instant now) {
    locked(
        () -> {
          for (JobId id : ids) {
            Optional<JobRecord> r = read(file(JobRecord.key(id)));
            if (r.isPresent() && r.get().owner().equals(owner)) {
              write(r.get().released(now));
            }
          }
          return null;
        });
  }

  @Override
  public int purge(Instant before) {
    return locked(
        () -> {
          int removed = 0;
          for (Path f : files()) {
            Optional<JobRecord> r = read(f);
            if (r.isPresent() && r.get().delivered() && r.get().updated().isBefore(before)) {
              delete(f);
              removed++;
            }
          }
          return removed;
        });
  }

  private List<JobRecord> all() {
    List<JobRecord> records = new ArrayList<>();
    for (Path f : files()) {
      read(f).ifPresent(records::add);
    }
    return records;
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : s) {
        if (!f.getFileName().toString().startsWith(".")) {
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw new MediaClientException("Cannot list the job store " + dir + ": " + e.getMessage(), e);
    }
    return files;
  }

  private Optional<JobRecord> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot read the job record " + file + ": " + e.getMessage(), e);
    }
    try {
      Stored s = GSON.fromJson(text, Stored.class);
      if (s == null) {
        throw new JsonParseException("empty");
      }
      return Optional.of(s.record());
    } catch (RuntimeException e) {
      log.warn("Ignoring the job record {}: it cannot be read ({})", file, e.getMessage());
      return Optional.empty();
    }
  }

  private void write(JobRecord r) {
    Path target = file(r.key());
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, GSON.toJson(Stored.from(r)), StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot write the job record " + target + ": " + e.getMessage(), e);
    }
  }

  private void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot delete the job record " + f + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code body} holding this JVM's lock of the folder and the folder's lock file. */
  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock l = ch.lock()) {
        return body.get();
      }
    } catch (IOException e) {
      throw new MediaClientException("Cannot lock the job store " + dir + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private Path file(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(hash, 0, 16) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "JobStore.inDirectory(" + dir + ")";
  }
}
