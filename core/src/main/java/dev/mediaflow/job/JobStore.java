package dev.mediaflow.job;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.ProviderConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Where watched jobs are kept so they outlive the process: one {@link JobRecord} per job, filed
 * under {@link JobRecord#key(JobId)} (provider, instance and vendor ids; attributes do not count).
 * The watcher writes a record when a job is submitted or watched, on every change of state, and
 * when the job's end has reached its listeners; {@code MediaClient.resume()} watches the open
 * records again after a restart.
 *
 * <p>Ownership: a process watching a job holds it under a lease (an owner id and an expiry) taken
 * with {@link #claim}, kept with {@link #renew} and given back with {@link #release}. A lease that
 * expires (its process died) lets another process claim the job.
 *
 * <p>What every implementation must guarantee, and what a store shared by several processes or
 * machines (a database) must guarantee across all of them:
 *
 * <ul>
 *   <li>{@link #put} and {@link #update} are atomic per record: concurrent changes of one record
 *       are applied one after the other, none lost; a crash leaves the record either before or
 *       after a change, never torn;
 *   <li>a state only moves forward ({@link JobState#canMoveTo}); a record's end, once delivered,
 *       stays delivered; delivered records are never claimed;
 *   <li>{@link #claim} is atomic: at any instant at most one owner holds an unexpired lease on a
 *       record, and two concurrent claims never return the same record (with SQL, {@code SELECT ...
 *       FOR UPDATE SKIP LOCKED} or an equal conditional update);
 *   <li>{@link #renew} extends only leases the owner still holds, and says which those are;
 *   <li>a write is visible to every later read of every process ({@link #open}, {@link #get}), so
 *       an end recorded by one process (for example from a notification) ends the job for all.
 * </ul>
 *
 * <p>Instants come from the caller's clock; a shared store may use its own (the database's) clock
 * for leases instead, as long as it uses it consistently. Implementations are thread-safe and
 * report I/O failures as {@link dev.mediaflow.MediaClientException}.
 */
public interface JobStore {
  /**
   * Stores {@code record}; when the store holds the same job already, keeps the {@link
   * JobRecord#merge merge} of both. Returns what is stored now.
   */
  JobRecord put(JobRecord record);

  /** Returns the record of {@code id} (matched by {@link JobRecord#key(JobId)}), if any. */
  Optional<JobRecord> get(JobId id);

  /**
   * Replaces the record of {@code id} with {@code change} applied to it, atomically; returns the
   * record now stored, or empty when the store has none (then nothing is written).
   */
  Optional<JobRecord> update(JobId id, UnaryOperator<JobRecord> change);

  /** Returns every open record (not yet delivered), oldest change first. */
  List<JobRecord> open();

  /**
   * Takes up to {@code limit} open records of {@code instance} that are {@link JobRecord#isFree
   * free} at {@code now} (no owner, or an expired lease), and leases them to {@code owner} until
   * {@code now + lease}. Returns them; records {@code owner} holds already are not returned again.
   */
  List<JobRecord> claim(String instance, String owner, Instant now, Duration lease, int limit);

  /**
   * Extends to {@code now + lease} the leases {@code owner} still holds among {@code ids}; returns
   * the ids whose lease it holds (the others were taken over, or ended).
   */
  List<JobId> renew(String owner, Collection<JobId> ids, Instant now, Duration lease);

  /** Gives up {@code owner}'s leases on {@code ids}, so another process may claim them at once. */
  void release(String owner, Collection<JobId> ids, Instant now);

  /** Removes delivered records last changed before {@code before}; returns how many. */
  int purge(Instant before);

  /** Records that {@code id} was seen in {@code state}; an older state changes nothing. */
  default Optional<JobRecord> advance(JobId id, JobState state, Instant now) {
    return update(id, r -> r.withState(state, now));
  }

  /** Records that the end of {@code id} reached its listeners. */
  default Optional<JobRecord> delivered(JobId id, Instant now) {
    return update(id, r -> r.withDelivered(now));
  }

  /**
   * Keeps records as JSON files in {@code dir} (created when first needed): written atomically
   * (temporary file, then rename), shared safely by the processes of one machine through a lock
   * file. A lease held by a process of this machine that has exited is free at once.
   */
  static JobStore inDirectory(Path dir) {
    return new FileJobStore(dir);
  }

  /**
   * Returns the store {@code config} names: {@code media.jobs.store} ({@code file}, the default, in
   * the folder {@code media.jobs.dir}, default {@link #defaultDirectory()}; {@code none}; or the
   * {@link Factory#name() name} of a {@link Factory} on the class path, such as {@code jdbc}).
   *
   * @throws dev.mediaflow.MediaConfigException for an unknown store or ill-typed value
   */
  static JobStore configured(MediaConfig config) {
    ProviderConfig jobs = config.section("jobs");
    String kind = jobs.get("store").orElse("file");
    if (kind.equals("none")) {
      return none();
    }
    if (kind.equals("file")) {
      return inDirectory(jobs.get("dir").map(Path::of).orElseGet(JobStore::defaultDirectory));
    }
    for (Factory f : ServiceLoader.load(Factory.class, JobStore.class.getClassLoader())) {
      if (f.name().equals(kind)) {
        return f.create(jobs);
      }
    }
    throw new MediaConfigException(
        jobs.fullKey("store"),
        jobs.fullKey("store")
            + " names the job store '"
            + kind
            + "', which is not on the class path (for jdbc, add mediaflow-jobs-jdbc)");
  }

  /**
   * Makes a store other modules provide (such as {@code mediaflow-jobs-jdbc}), found with {@link
   * ServiceLoader} by the name {@code media.jobs.store} gives.
   */
  interface Factory {
    /** The value of {@code media.jobs.store} that picks this store. */
    String name();

    /**
     * Returns the store the {@code media.jobs.*} settings describe.
     *
     * @throws dev.mediaflow.MediaConfigException for missing or ill-typed settings
     */
    JobStore create(ProviderConfig jobs);
  }

  /** Keeps nothing: jobs are forgotten when the process ends. */
  static JobStore none() {
    return NoJobStore.INSTANCE;
  }

  /** The default folder: {@code media.jobs.dir}, else {@code ~/.mediaflow/jobs}. */
  static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".mediaflow", "jobs");
  }
}

enum NoJobStore implements JobStore {
  INSTANCE;

  @Override
  public JobRecord put(JobRecord record) {
    return record;
  }

  @Override
  public Optional<JobRecord> get(JobId id) {
    return Optional.empty();
  }

  @Override
  public Optional<JobRecord> update(JobId id, UnaryOperator<JobRecord> change) {
    return Optional.empty();
  }

  @Override
  public List<JobRecord> open() {
    return List.of();
  }

  @Override
  public List<JobRecord> claim(
      String instance, String owner, Instant now, Duration lease, int limit) {
    return List.of();
  }

  @Override
  public List<JobId> renew(String owner, Collection<JobId> ids, Instant now, Duration lease) {
    return List.copyOf(ids);
  }

  @Override
  public void release(String owner, Collection<JobId> ids, Instant now) {}

  @Override
  public int purge(Instant before) {
    return 0;
  }

  @Override
  public String toString() {
    return "JobStore.none()";
  }
}
