package dev.mediaflow.job;

import dev.mediaflow.JobTimeoutException;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.internal.GuardedObserver;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.pipeline.MediaObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches many jobs at once on a fixed, small number of threads: one scheduler thread and {@link
 * WatchPolicy#pollThreads()} poll threads (one by default), however many jobs are watched.
 *
 * <p>Each job is polled at once, then with exponential backoff plus jitter up to a cap, until it
 * reaches a terminal state (its future completes with that status, whatever it is) or its deadline
 * (the future fails with {@link JobTimeoutException}). A failed read that may pass (an I/O error,
 * HTTP 429 or 5xx) is retried on the same schedule; any other error fails that job's future.
 * Listeners hear of every change.
 *
 * <p>Pushed changes: {@link #accept(JobEvent)} takes a verified notification (from {@code
 * MediaClient.receive} or a {@code NotificationRouter}). An event for a watched job updates it at
 * once and, when it is the job's end, completes its future without waiting for a poll; from then on
 * (or from the start, for a job watched as notified) the job is polled only every {@link
 * WatchPolicy#safetyInterval()}, so a lost notification still ends it. A duplicate (the same
 * message id, or the same job and state again) and an event older than what is known (running after
 * succeeded) change nothing. Events for jobs this watcher does not watch go to the {@link
 * #addUnwatchedListener unwatched listeners}, and to the store when it keeps the job.
 *
 * <p>Durable jobs: a watcher created with a {@link JobStore} writes each watched job to it, holds
 * it under a lease it renews (owner {@link #owner()}), records each change of state, records a
 * job's end before its future completes and listeners are called, and marks the end delivered once
 * the listeners returned; {@link #resume} watches again the jobs a previous process left open, so
 * listeners hear of each end at least once.
 *
 * <p>Leases and stalls: a stored job is polled only while this watcher knows it still holds the
 * lease with a margin. Each watch remembers when its lease was last confirmed (claimed, written or
 * renewed), as the monotonic time read before the store call was sent, so the lease surely runs
 * until at least that time plus the lease. A poll starts only while {@code now < confirmed + lease
 * - margin}, where the margin is a quarter of the lease plus the time recent polls took (at most
 * another quarter). Leases are renewed every third of a lease, so a watcher that runs on time never
 * waits; one whose renewal came late (a paused or starved process) renews that job's lease first,
 * and stops watching it (its future is cancelled, as when a background renewal finds it taken over)
 * when another process took it meanwhile; when the store cannot be reached, the job is not polled
 * until its lease is confirmed again. A read that has started is not cut short: the lease must be
 * longer than a status read takes plus the margin, or a read that outlasts the lease may overlap
 * the next owner's (reads longer than a quarter of the lease are logged).
 *
 * <pre>{@code
 * try (JobWatcher watcher = JobWatcher.create()) {
 *   CompletableFuture<JobStatus> done = watcher.watch(jobId, client::status);
 *   done.thenAccept(s -> System.out.println(s.summary()));
 * }
 * }</pre>
 *
 * <p>Metrics: a watcher created with a {@link MediaObserver} reports each status poll and each
 * watched job's end (once per job) to it; see docs/metrics.md.
 *
 * <p>Thread-safe. Cancelling a returned future stops watching that job. {@link #close()} stops all.
 */
public final class JobWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWatcher.class);
  private static final AtomicInteger WATCHERS = new AtomicInteger();

  /** How many recent message ids (and job states of unwatched jobs) are kept to spot duplicates. */
  private static final int REMEMBERED_EVENTS = 100_000;

  /** The lease on stored jobs when none is given. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

  private final WatchPolicy policy;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService poller;
  private final JobStore store;
  private final Clock clock;
  private final Duration lease;
  private final MediaObserver observer;
  private final String owner = Owners.newOwner();
  private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JobEvent>> unwatchedListeners = new CopyOnWriteArrayList<>();
  private final Set<Watch> active = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Watch>> byKey = new ConcurrentHashMap<>();

  /**
   * The watches of jobs with several vendor ids, by the key of each of their vendor ids alone
   * ({@link #partKey}): a vendor that pushes one message per vendor job names one part of the job.
   */
  private final Map<String, Set<Part>> byPart = new ConcurrentHashMap<>();

  /**
   * The latest pushed state of jobs not watched (yet), by job key: a vendor can push a job's end
   * before the submission's answer has been read and the job watched, and the watch that starts
   * then takes it instead of waiting for a poll. Bounded like {@link #seen}.
   */
  private final Map<String, JobStatus> early =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JobStatus> eldest) {
              return size() > REMEMBERED_EVENTS;
            }
          });

  private final Set<String> seen =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(1024, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED_EVENTS;
                }
              }));
  private final String threadPrefix;
  private volatile boolean closed;
  private boolean renewing;

  /**
   * How long recent status reads took, in nanoseconds: the longest one, shrinking by an eighth at
   * each faster read. Part of the margin a stored job's lease must have left before a poll.
   */
  private volatile long pollNanos;

  private volatile boolean warnedSlowPoll;

  private JobWatcher(
      WatchPolicy policy,
      JobStore store,
      Duration lease,
      MediaObserver observer,
      String threadPrefix) {
    this(
        policy,
        System::nanoTime,
        scheduler(threadPrefix),
        new ThreadPoolExecutor(
            policy.pollThreads(),
            policy.pollThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            daemon(threadPrefix + "poll")),
        store,
        Clock.systemUTC(),
        lease,
        observer,
        threadPrefix);
  }

  /**
   * A watcher that reads the time from {@code nanoTime} (nanoseconds that only move forward, as
   * {@link System#nanoTime()}), schedules each poll on {@code scheduler} and runs it on {@code
   * poller}: the seam that lets tests run on a manual clock instead of real time. {@link #close()}
   * shuts both executors down.
   */
  JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller) {
    this(
        policy,
        nanoTime,
        scheduler,
        poller,
        JobStore.none(),
        Clock.systemUTC(),
        DEFAULT_LEASE,
        MediaObserver.noop(),
        "");
  }

  /** Like the test seam above, writing to {@code store} with instants from {@code clock}. */
  JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller,
      JobStore store,
      Clock clock,
      Duration lease) {
    this(policy, nanoTime, scheduler, poller, store, clock, lease, MediaObserver.noop(), "");
  }

  /** Like the test seam above, reporting polls and ends to {@code observer}. */
  JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller,
      MediaObserver observer) {
    this(
        policy,
        nanoTime,
        scheduler,
        poller,
        JobStore.none(),
        Clock.systemUTC(),
        DEFAULT_LEASE,
        observer,
        "");
  }

  private JobWatcher(
      WatchPolicy policy,
      LongSupplier nanoTime,
      ScheduledExecutorService scheduler,
      ExecutorService poller,
      JobStore store,
      Clock clock,
      Duration lease,
      MediaObserver observer,
      String threadPrefix) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.poller = Objects.requireNonNull(poller, "poller");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.observer = GuardedObserver.of(Objects.requireNonNull(observer, "observer"));
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be > 0: " + lease);
    }
    this.threadPrefix = threadPrefix;
  }

  private static ScheduledExecutorService scheduler(String threadPrefix) {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, daemon(threadPrefix + "scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return scheduler;
  }

  /** Returns a watcher with {@link WatchPolicy#defaults()}. Close it when done. */
  public static JobWatcher create() {
    return create(WatchPolicy.defaults());
  }

  /** Returns a watcher with {@code policy} that keeps no jobs. Close it when done. */
  public static JobWatcher create(WatchPolicy policy) {
    return create(policy, JobStore.none(), DEFAULT_LEASE);
  }

  /**
   * Returns a watcher with {@code policy} that keeps its jobs in {@code store}, holding each under
   * a lease of {@code lease} that it renews while it watches. Close it when done.
   */
  public static JobWatcher create(WatchPolicy policy, JobStore store, Duration lease) {
    return create(policy, store, lease, MediaObserver.noop());
  }

  /**
   * Like {@link #create(WatchPolicy, JobStore, Duration)}, reporting each status poll and each
   * watched job's end to {@code observer}. Close it when done.
   */
  public static JobWatcher create(
      WatchPolicy policy, JobStore store, Duration lease, MediaObserver observer) {
    return new JobWatcher(
        Objects.requireNonNull(policy, "policy"),
        Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(lease, "lease"),
        Objects.requireNonNull(observer, "observer"),
        "mediaflow-watcher-" + WATCHERS.incrementAndGet() + "-");
  }

  public WatchPolicy policy() {
    return policy;
  }

  /** Returns where this watcher keeps its jobs ({@link JobStore#none()} when nowhere). */
  public JobStore store() {
    return store;
  }

  /**
   * Returns the observer this watcher reports polls and ends to ({@link MediaObserver#noop()} by
   * default).
   */
  public MediaObserver observer() {
    return observer;
  }

  /** Returns the owner id this watcher's leases are held under: {@code pid@host/random}. */
  public String owner() {
    return owner;
  }

  /** Returns how long a lease on a stored job lasts before it must be renewed. */
  public Duration lease() {
    return lease;
  }

  /** Watches a job with the policy's deadline. */
  public CompletableFuture<JobStatus> watch(JobId id, StatusSource source) {
    return watch(id, source, null, policy.deadline());
  }

  /** Watches a job, reporting its changes to {@code listener} (besides the watcher's listeners). */
  public CompletableFuture<JobStatus> watch(JobId id, StatusSource source, JobListener listener) {
    return watch(id, source, listener, policy.deadline());
  }

  /**
   * Watches a job until it ends or {@code deadline} passes.
   *
   * @param listener hears this job's changes; may be null
   */
  public CompletableFuture<JobStatus> watch(
      JobId id, StatusSource source, JobListener listener, Duration deadline) {
    return watch(id, source, listener, deadline, false);
  }

  /**
   * Watches a job until it ends or {@code deadline} passes; with {@code notified}, the vendor is
   * known to push the job's changes to this application (it feeds them to {@link #accept}), so
   * after the first poll it is polled only every {@link WatchPolicy#safetyInterval()}. With a
   * store, the job is written to it and leased to this watcher.
   *
   * @param listener hears this job's changes; may be null
   */
  public CompletableFuture<JobStatus> watch(
      JobId id, StatusSource source, JobListener listener, Duration deadline, boolean notified) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(deadline, "deadline");
    if (closed) {
      throw new IllegalStateException("this JobWatcher is closed");
    }
    boolean stored = store != JobStore.none();
    // read before the lease is written: the lease runs at least until this time plus the lease
    long confirmed = nanoTime.getAsLong();
    if (stored) {
      Instant now = clock.instant();
      JobRecord r =
          JobRecord.submitted(
                  id, now.plus(deadline.isNegative() ? Duration.ZERO : deadline), "", now)
              .withLease(owner, now, lease);
      notified |= store.put(notified ? r.withNotified(now) : r).notified();
    }
    return start(id, source, listener, deadline, notified, stored, confirmed);
  }

  /**
   * Watches again every open job of {@code instance} in the store that no live process holds:
   * claims each, and watches it until its stored deadline (a job past it gets one poll). Returns
   * the futures by job id; empty without a store. Jobs other processes hold are left to them; call
   * again later to take over those whose lease expired.
   *
   * @param listener hears these jobs' changes; may be null
   */
  public Map<JobId, CompletableFuture<JobStatus>> resume(
      String instance, StatusSource source, JobListener listener) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(source, "source");
    if (closed) {
      throw new IllegalStateException("this JobWatcher is closed");
    }
    Map<JobId, CompletableFuture<JobStatus>> resumed = new LinkedHashMap<>();
    if (store == JobStore.none()) {
      return resumed;
    }
    // read before the claim is sent: the leases run at least until this time plus the lease
    long confirmed = nanoTime.getAsLong();
    Instant now = clock.instant();
    for (JobRecord r : store.claim(instance, owner, now, lease, Integer.MAX_VALUE)) {
      if (isWatched(r.key())) {
        continue;
      }
      Duration left = Duration.between(now, r.deadline());
      resumed.put(
          r.id(),
          start(
              r.id(),
              source,
              listener,
              left.isNegative() ? Duration.ZERO : left,
              r.notified(),
              true,
              confirmed));
    }
    if (!resumed.isEmpty()) {
      log.info("Resumed watching {} job(s) of {}", resumed.size(), instance);
    }
    return resumed;
  }

  private boolean isWatched(String key) {
    Set<Watch> ws = byKey.get(key);
    return ws != null && !ws.isEmpty();
  }

  private CompletableFuture<JobStatus> start(
      JobId id,
      StatusSource source,
      JobListener listener,
      Duration deadline,
      boolean notified,
      boolean stored,
      long confirmed) {
    long now = nanoTime.getAsLong();
    Watch w =
        new Watch(
            id,
            source,
            listener,
            now,
            now + Math.max(0, deadline.toNanos()),
            notified,
            stored,
            confirmed);
    active.add(w);
    byKey.computeIfAbsent(w.key, k -> ConcurrentHashMap.newKeySet()).add(w);
    indexParts(w);
    w.future.whenComplete(
        (s, e) -> {
          active.remove(w);
          byKey.computeIfPresent(
              w.key,
              (k, set) -> {
                set.remove(w);
                return set.isEmpty() ? null : set;
              });
          ScheduledFuture<?> next = w.next;
          if (next != null) {
            next.cancel(false);
          }
        });
    if (stored) {
      startRenewing();
    }
    JobStatus pushedEarly = early.remove(w.key);
    if (pushedEarly != null) {
      push(w, pushedEarly);
    }
    pushEarlyParts(w);
    schedule(w, 0);
    return w.future;
  }

  /**
   * Takes a verified event: updates the watched job it names (matched by provider, instance and
   * vendor ids), completing its future at once when the job ended. An event that names one vendor
   * id of a watched job with several (a vendor that pushes once per vendor job) updates that part:
   * the output of that vendor id takes the event's result, and the job's state is recomputed from
   * its outputs with {@link JobState#combine}, so the job ends at once when its last part pushed
   * its end (see {@link JobEvent}). Hands an event for a job not watched here to the unwatched
   * listeners (and records its state in the store, when the store keeps that job). Returns true
   * when the event was new: it changed a watched job, or it is the first of its job and state for a
   * job not watched here; false for a duplicate, or an event older than what is known.
   */
  public boolean accept(JobEvent event) {
    Objects.requireNonNull(event, "event");
    JobStatus status = event.status();
    if (!seen.add("m:" + event.messageId())) {
      log.debug("Ignoring duplicate message {}", event.messageId());
      return false;
    }
    String key = JobRecord.key(status.id());
    Set<Watch> ws = byKey.get(key);
    if ((ws == null || ws.isEmpty()) && !isPartWatched(status.id(), key)) {
      if (seen.contains("e:" + key) || !seen.add("s:" + key + "#" + status.state())) {
        return false;
      }
      early.put(key, status);
      Set<Watch> started = byKey.get(key);
      if ((started != null && !started.isEmpty()) || isPartWatched(status.id(), key)) {
        // a watch started meanwhile, after looking for early pushes: hand it this one
        early.remove(key);
        return pushAll(started, status, key);
      }
      if (store != JobStore.none()) {
        Instant now = clock.instant();
        try {
          store.update(status.id(), r -> r.withState(status.state(), now).withNotified(now));
        } catch (RuntimeException e) {
          log.warn("Cannot record {} of job {} in {}", status.state(), status.id(), store, e);
        }
      }
      for (Consumer<JobEvent> l : unwatchedListeners) {
        try {
          l.accept(event);
        } catch (RuntimeException e) {
          log.warn("An unwatched-event listener threw; ignoring it", e);
        }
      }
      return true;
    }
    return pushAll(ws, status, key);
  }

  /** Hands {@code status} to the watches of its job and to those it names a part of. */
  private boolean pushAll(Set<Watch> ws, JobStatus status, String key) {
    boolean changed = false;
    if (ws != null) {
      for (Watch w : ws) {
        changed |= push(w, status);
      }
    }
    if (status.id().vendorIds().size() == 1) {
      Set<Part> parts = byPart.get(key);
      if (parts != null) {
        for (Part p : parts) {
          changed |= pushPart(p.watch(), p.index(), status);
        }
      }
    }
    return changed;
  }

  private boolean isPartWatched(JobId id, String key) {
    if (id.vendorIds().size() != 1) {
      return false;
    }
    Set<Part> parts = byPart.get(key);
    return parts != null && !parts.isEmpty();
  }

  /** The key of vendor id {@code index} of {@code id} alone: how an event naming it is keyed. */
  private static String partKey(JobId id, int index) {
    return JobRecord.key(
        JobId.of(
            id.provider(),
            id.instance().orElse(null),
            List.of(id.vendorIds().get(index)),
            Map.of()));
  }

  /**
   * Indexes a watch of a job with several vendor ids by each of them, until it completes; once it
   * ended, a later event for one of its parts is older than what is known.
   */
  private void indexParts(Watch w) {
    int n = w.id.vendorIds().size();
    if (n < 2) {
      return;
    }
    for (int i = 0; i < n; i++) {
      Part p = new Part(w, i);
      byPart.computeIfAbsent(partKey(w.id, i), k -> ConcurrentHashMap.newKeySet()).add(p);
    }
    w.future.whenComplete(
        (s, e) -> {
          for (int i = 0; i < n; i++) {
            String pk = partKey(w.id, i);
            if (s != null && s.isTerminal()) {
              seen.add("e:" + pk);
            }
            Part p = new Part(w, i);
            byPart.computeIfPresent(
                pk,
                (k, set) -> {
                  set.remove(p);
                  return set.isEmpty() ? null : set;
                });
          }
        });
  }

  /** Takes the parts of a multi-part watch that were pushed before it started. */
  private void pushEarlyParts(Watch w) {
    int n = w.id.vendorIds().size();
    for (int i = 0; n > 1 && i < n; i++) {
      JobStatus pushed = early.remove(partKey(w.id, i));
      if (pushed != null) {
        pushPart(w, i, pushed);
      }
    }
  }

  /**
   * Takes the pushed status of part {@code index} of {@code w} (the vendor job of its vendor id
   * {@code index}, which runs its output {@code index}): ignores a part state already known or
   * older than the known one, else merges it into the job's status and applies that.
   */
  private boolean pushPart(Watch w, int index, JobStatus pushed) {
    synchronized (w) {
      if (w.future.isDone()) {
        return false;
      }
      OutputResult part = partResult(index, pushed);
      OutputResult known = w.parts.get(index);
      if (known == null && w.last != null) {
        known = outputAt(w.last, index);
      }
      if (known != null
          && (known.state() == part.state() || !known.state().canMoveTo(part.state()))) {
        return false; // the same part and state again, or older than what is known
      }
      boolean firstPush = !w.notified;
      w.notified = true;
      w.parts.put(index, part);
      Applied applied = apply(w, merged(w, pushed, index));
      if (applied == Applied.CHANGED && !w.future.isDone() && firstPush) {
        schedule(w, Math.min(policy.safetyDelayNanos(random()), left(w, nanoTime.getAsLong())));
      } else if (applied == Applied.NOT_RECORDED) {
        schedule(w, 0);
      }
      return applied == Applied.CHANGED;
    }
  }

  /**
   * The result of output {@code index} as a part's own status says: its state, and the objects,
   * code and message of its outputs (one, for a vendor job that runs one output).
   */
  private static OutputResult partResult(int index, JobStatus part) {
    List<MediaObject> objects = new ArrayList<>();
    String code = "";
    String message = part.message();
    for (OutputResult o : part.outputs()) {
      objects.addAll(o.objects());
      if (code.isEmpty()) {
        code = o.vendorCode();
      }
      if (!o.message().isEmpty()) {
        message = o.message();
      }
    }
    return new OutputResult(index, part.state(), objects, code, message);
  }

  private static OutputResult outputAt(JobStatus status, int index) {
    for (OutputResult o : status.outputs()) {
      if (o.index() == index) {
        return o;
      }
    }
    return null;
  }

  /**
   * The status of {@code w} with its pushed parts: each output is the later of its pushed part and
   * its last read result (running when neither is known), the state is {@link JobState#combine} of
   * the outputs, as the providers compute it from their vendor jobs. The details are the last
   * read's with the pushed part's over them, and the pushed part's again as {@code
   * outputs[i].name}.
   */
  private static JobStatus merged(Watch w, JobStatus pushed, int index) {
    JobStatus base = w.last;
    List<OutputResult> outputs = new ArrayList<>();
    for (int i = 0; i < w.id.vendorIds().size(); i++) {
      OutputResult read = base == null ? null : outputAt(base, i);
      OutputResult part = w.parts.get(i);
      OutputResult o;
      if (part == null) {
        o = read != null ? read : OutputResult.of(i, JobState.RUNNING);
      } else if (read != null
          && read.state() != part.state()
          && part.state().canMoveTo(read.state())) {
        o = read; // read after the push, and further along
      } else {
        o = part;
      }
      outputs.add(o);
    }
    JobState state = JobState.combine(outputs.stream().map(OutputResult::state).toList());
    JobStatus.Builder b =
        JobStatus.builder(w.id, state).outputs(outputs).observedAt(pushed.observedAt());
    if (base != null) {
      base.progress().ifPresent(p -> b.progress(state.isTerminal() ? 100 : p));
      b.message(base.message());
      base.warnings().forEach(b::warning);
      base.details().forEach(b::detail);
    }
    // as a push that names the whole job, the push's details win; each part keeps its own too
    pushed.details().forEach(b::detail);
    pushed.details().forEach((k, v) -> b.detail("outputs[" + index + "]." + k, v));
    outputs.stream()
        .filter(o -> o.state() == JobState.FAILED)
        .findFirst()
        .ifPresent(
            o ->
                b.message(
                    "output "
                        + o.index()
                        + ": "
                        + (o.vendorCode().isEmpty() ? "" : o.vendorCode() + " ")
                        + o.message()));
    return b.build();
  }

  /** Vendor id {@code index} of a watched job: the vendor job that runs output {@code index}. */
  private record Part(Watch watch, int index) {}

  private boolean push(Watch w, JobStatus pushed) {
    synchronized (w) {
      if (w.future.isDone()) {
        return false;
      }
      boolean firstPush = !w.notified;
      w.notified = true;
      JobStatus status = pushed.id().equals(w.id) ? pushed : pushed.withId(w.id);
      if (w.last != null && w.last.state() == status.state()) {
        return false; // the same job and state again
      }
      Applied applied = apply(w, status);
      if (applied == Applied.CHANGED && !w.future.isDone() && firstPush) {
        schedule(w, Math.min(policy.safetyDelayNanos(random()), left(w, nanoTime.getAsLong())));
      } else if (applied == Applied.NOT_RECORDED) {
        schedule(w, 0);
      }
      return applied == Applied.CHANGED;
    }
  }

  /** Adds a listener that hears of verified events for jobs this watcher does not watch. */
  public void addUnwatchedListener(Consumer<JobEvent> listener) {
    unwatchedListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeUnwatchedListener(Consumer<JobEvent> listener) {
    unwatchedListeners.remove(listener);
  }

  /** Adds a listener that hears of every watched job's changes. */
  public void addListener(JobListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(JobListener listener) {
    listeners.remove(listener);
  }

  /** Returns the prefix of this watcher's thread names. */
  String threadPrefix() {
    return threadPrefix;
  }

  /** Returns how many jobs are being watched. */
  public int watching() {
    return active.size();
  }

  /**
   * Stops watching: the leases of stored jobs are given back (another process may take them at
   * once), every unfinished future is cancelled, and the threads end.
   */
  @Override
  public void close() {
    closed = true;
    List<JobId> held = storedWatches();
    if (!held.isEmpty()) {
      try {
        store.release(owner, held, clock.instant());
      } catch (RuntimeException e) {
        log.warn("Cannot release the leases of {} job(s) in {}", held.size(), store, e);
      }
    }
    scheduler.shutdownNow();
    poller.shutdownNow();
    for (Watch w : active) {
      w.future.cancel(false);
    }
  }

  private void schedule(Watch w, long delayNanos) {
    synchronized (w) {
      if (w.future.isDone()) {
        return;
      }
      ScheduledFuture<?> previous = w.next;
      if (previous != null) {
        previous.cancel(false); // at most one poll waits for each job
      }
      try {
        w.next = scheduler.schedule(() -> dispatch(w), delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        w.future.cancel(false);
      }
    }
  }

  private List<JobId> storedWatches() {
    List<JobId> ids = new ArrayList<>();
    for (Watch w : active) {
      if (w.stored && !w.future.isDone()) {
        ids.add(w.id);
      }
    }
    return ids;
  }

  /** Renews the leases of the stored jobs every third of a lease; a job taken over is dropped. */
  private synchronized void startRenewing() {
    if (renewing || closed) {
      return;
    }
    renewing = true;
    long period = Math.max(1, lease.toNanos() / 3);
    try {
      scheduler.schedule(this::renew, period, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      renewing = false;
    }
  }

  private void renew() {
    synchronized (this) {
      renewing = false;
    }
    if (closed) {
      return;
    }
    List<JobId> ids = storedWatches();
    if (ids.isEmpty()) {
      return;
    }
    try {
      // read before the renewal is sent: the leases run at least until this time plus the lease
      long sent = nanoTime.getAsLong();
      Set<JobId> held = Set.copyOf(store.renew(owner, ids, clock.instant(), lease));
      Set<JobId> asked = Set.copyOf(ids);
      for (Watch w : active) {
        if (!w.stored || w.future.isDone()) {
          continue;
        }
        if (held.contains(w.id)) {
          w.confirmed(sent);
        } else if (asked.contains(w.id)) {
          takenOver(w);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Cannot renew the leases of {} job(s) in {}", ids.size(), store, e);
    }
    startRenewing();
  }

  private void takenOver(Watch w) {
    log.warn("Job {} is now watched by another process; stopping here", w.id);
    w.future.cancel(false);
  }

  /**
   * Returns true when {@code w} may be polled at {@code now}: it is not stored, or its lease,
   * confirmed at {@link Watch#confirmed}, runs for longer than the margin after {@code now}.
   */
  private boolean leaseHeld(Watch w, long now) {
    if (!w.stored) {
      return true;
    }
    long quarter = lease.toNanos() / 4;
    long margin = quarter + Math.min(pollNanos, quarter);
    return now - w.confirmed() < lease.toNanos() - margin;
  }

  /**
   * Makes sure this watcher still holds the lease on {@code w} before a poll: renews it when the
   * last confirmation is too old (a late background renewal). Returns true when the poll may go
   * ahead; otherwise the watch was stopped (taken over) or its next attempt scheduled.
   */
  private boolean confirmLease(Watch w) {
    if (leaseHeld(w, nanoTime.getAsLong())) {
      return true;
    }
    long sent = nanoTime.getAsLong();
    List<JobId> held;
    try {
      held = store.renew(owner, List.of(w.id), clock.instant(), lease);
    } catch (RuntimeException e) {
      log.warn("Cannot renew the lease of {} in {}; not polling it meanwhile", w.id, store, e);
      next(w, nanoTime.getAsLong());
      return false;
    }
    if (!held.contains(w.id)) {
      takenOver(w);
      return false;
    }
    w.confirmed(sent);
    long now = nanoTime.getAsLong();
    if (!leaseHeld(w, now)) { // the renewal itself took most of a lease
      next(w, now);
      return false;
    }
    return true;
  }

  /**
   * Takes the time a status read of {@code w} took into {@link #pollNanos}; warns once when a read
   * of a stored job took longer than a quarter of the lease, since such reads leave little of the
   * lease to poll in and may outlast the lease they started under.
   */
  private void timed(Watch w, long took) {
    long slow = pollNanos;
    pollNanos = Math.max(took, slow - slow / 8);
    if (w.stored && took > lease.toNanos() / 4 && !warnedSlowPoll) {
      warnedSlowPoll = true;
      log.warn(
          "Reading the status of {} took {} ms, more than a quarter of the lease ({}): another"
              + " process may take a job over while it is read; make the lease longer"
              + " (media.jobs.lease)",
          w.id,
          TimeUnit.NANOSECONDS.toMillis(took),
          lease);
    }
  }

  private void dispatch(Watch w) {
    try {
      poller.execute(w);
    } catch (RejectedExecutionException e) {
      w.future.cancel(false);
    }
  }

  private void poll(Watch w) {
    if (w.future.isDone() || !confirmLease(w)) {
      return;
    }
    long now = nanoTime.getAsLong();
    JobStatus status;
    try {
      try {
        status = w.source.fetch(w.id);
      } finally {
        timed(w, nanoTime.getAsLong() - now);
      }
      if (status == null) {
        throw new IllegalStateException("status source returned null for " + w.id);
      }
      w.errors = 0;
    } catch (RuntimeException e) {
      observer.statusPolled(w.origin, e);
      if (!isPassing(e)) {
        w.future.completeExceptionally(e);
        return;
      }
      w.errors++;
      log.debug("Reading the status of {} failed ({} in a row); retrying", w.id, w.errors, e);
      next(w, now);
      return;
    }
    observer.statusPolled(w.origin, null);
    synchronized (w) {
      if (w.future.isDone()) {
        return;
      }
      apply(w, status);
      if (!w.future.isDone()) {
        next(w, now);
      }
    }
  }

  /** What {@link #apply} did with a status. */
  private enum Applied {
    CHANGED,
    UNCHANGED,
    /** An end that could not be recorded in the store: read it again soon. */
    NOT_RECORDED
  }

  /**
   * Takes a status read or pushed for {@code w}: ignores one that cannot follow the last, reports a
   * change to the listeners, and ends the watch on a terminal state (recorded in the store first,
   * then the listeners, then marked delivered, then the future). Called holding {@code w}.
   */
  private Applied apply(Watch w, JobStatus status) {
    JobStatus previous = w.last;
    if (previous != null && !previous.state().canMoveTo(status.state())) {
      log.debug("Ignoring {} for {}: it cannot follow {}", status.state(), w.id, previous.state());
      return Applied.UNCHANGED;
    }
    if (status.sameAs(previous)) {
      return Applied.UNCHANGED;
    }
    boolean newState = previous == null || previous.state() != status.state();
    if (w.stored && newState) {
      Instant now = clock.instant();
      try {
        store.update(
            w.id,
            r ->
                w.notified
                    ? r.withState(status.state(), now).withNotified(now)
                    : r.withState(status.state(), now));
      } catch (RuntimeException e) {
        if (status.isTerminal()) {
          log.warn("Cannot record the end of {} in {}; reading it again", w.id, store, e);
          return Applied.NOT_RECORDED;
        }
        log.warn("Cannot record {} of {} in {}", status.state(), w.id, store, e);
      }
    }
    w.last = status;
    notifyListeners(w, previous, status);
    if (status.isTerminal()) {
      if (seen.add("e:" + w.key)) { // a later event for it is older than what is known
        observer.jobEnded(w.origin, status.state(), nanoTime.getAsLong() - w.startNanos);
      }
      if (w.stored) {
        try {
          store.delivered(w.id, clock.instant());
        } catch (RuntimeException e) {
          log.warn("Cannot mark the end of {} delivered in {}", w.id, store, e);
        }
      }
      w.future.complete(status);
    }
    return Applied.CHANGED;
  }

  private static double random() {
    return ThreadLocalRandom.current().nextDouble();
  }

  private static long left(Watch w, long now) {
    return Math.max(0, w.deadlineNanos - now);
  }

  private void next(Watch w, long now) {
    long delay =
        w.notified ? policy.safetyDelayNanos(random()) : policy.delayNanos(w.attempt++, random());
    long left = w.deadlineNanos - now;
    if (left <= 0) {
      w.future.completeExceptionally(
          new JobTimeoutException(
              "Job "
                  + w.id
                  + " did not finish within its watch deadline"
                  + (w.last == null ? "" : "; last state " + w.last.state())
                  + ". The job may still finish: watch it again with its id.",
              w.last));
      return;
    }
    schedule(w, Math.min(delay, left));
  }

  private void notifyListeners(Watch w, JobStatus previous, JobStatus current) {
    if (w.listener != null) {
      call(w.listener, previous, current);
    }
    for (JobListener l : listeners) {
      call(l, previous, current);
    }
  }

  private static void call(JobListener l, JobStatus previous, JobStatus current) {
    try {
      l.onChange(previous, current);
    } catch (RuntimeException e) {
      log.warn("A JobListener threw; ignoring it", e);
    }
  }

  /** True for failures that may pass on their own: I/O errors, throttling and server errors. */
  static boolean isPassing(RuntimeException e) {
    return e instanceof MediaClientException
        || (e instanceof MediaServiceException s && s.isRetryable());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * One watched job. Polled by one poll thread at a time; its state changes (from polls and pushes)
   * happen holding the watch's lock.
   */
  private final class Watch implements Runnable {
    final JobId id;
    final String key;
    final StatusSource source;
    final JobListener listener;
    final Origin origin;
    final long startNanos;
    final long deadlineNanos;
    final boolean stored;
    final CompletableFuture<JobStatus> future = new CompletableFuture<>();

    /** When the lease was last confirmed: read before the store call that claimed or renewed it. */
    private long confirmed;

    volatile ScheduledFuture<?> next;
    JobStatus last;

    /** The results of the parts pushed one vendor id at a time, by output index. */
    final Map<Integer, OutputResult> parts = new HashMap<>();

    boolean notified;
    int attempt;
    int errors;

    Watch(
        JobId id,
        StatusSource source,
        JobListener listener,
        long startNanos,
        long deadlineNanos,
        boolean notified,
        boolean stored,
        long confirmed) {
      this.id = id;
      this.key = JobRecord.key(id);
      this.source = source;
      this.listener = listener;
      this.origin = Origin.of(id);
      this.startNanos = startNanos;
      this.deadlineNanos = deadlineNanos;
      this.notified = notified;
      this.stored = stored;
      this.confirmed = confirmed;
    }

    synchronized long confirmed() {
      return confirmed;
    }

    /** Records a confirmation of the lease sent at {@code sent}, unless a later one is known. */
    synchronized void confirmed(long sent) {
      if (sent - confirmed > 0) {
        confirmed = sent;
      }
    }

    @Override
    public void run() {
      try {
        poll(this);
      } catch (Throwable t) { // never leave a future that can no longer complete
        future.completeExceptionally(t);
        if (t instanceof Error e) {
          throw e;
        }
      }
    }
  }
}
