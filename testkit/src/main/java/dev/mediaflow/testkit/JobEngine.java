package dev.mediaflow.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the fake servers' jobs on the server's {@link Clock}: a job waits {@code queueDelay}, then
 * its tasks run one after the other, each taking the executor's {@link TaskExecutor#duration} on
 * that clock before its result is made, and the vendor's {@link Hooks#finish} (notifications) runs
 * once all are done. Nothing sleeps: every status read calls {@link #advance()}, and so does a tick
 * every few milliseconds of real time, so with the system clock jobs progress in real time, and
 * with a clock a test moves they progress when it moves. Thread-safe.
 */
public final class JobEngine {
  /** How often, in real time, the engine looks at its clock while jobs are pending. */
  static final Duration TICK = Duration.ofMillis(10);

  /** What a vendor fake does at points of a job's life. */
  public interface Hooks {
    /**
     * Returns true when task {@code index} need not run (its result is already there); it then
     * counts as done.
     */
    default boolean reuse(int index, Task task) {
      return false;
    }

    /**
     * Runs on a worker once every task is done, before the job counts as ended (for notifications).
     */
    default void finish(Job job) {}
  }

  /** Where a job is in its life. */
  public enum Phase {
    /** Waiting for the queue delay to pass. */
    QUEUED,
    /** Running its tasks. */
    RUNNING,
    /** Every task done; the finishing hook runs. */
    FINISHING,
    /** Over. */
    ENDED
  }

  /** Where a task is in its life. */
  public enum StepState {
    WAITING,
    RUNNING,
    DONE
  }

  private final String name;
  private final Clock clock;
  private final TaskExecutor executor;
  private final Duration queueDelay;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private ScheduledExecutorService ticker;
  private ExecutorService workers;

  JobEngine(String name, Clock clock, TaskExecutor executor, Duration queueDelay) {
    this.name = name;
    this.clock = clock;
    this.executor = executor;
    this.queueDelay = queueDelay;
  }

  synchronized void start() {
    if (ticker != null) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    workers = Executors.newCachedThreadPool(r -> daemon(r, name + "-job-" + n.incrementAndGet()));
    ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-clock"));
    ticker.scheduleWithFixedDelay(
        this::advance, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    if (ticker == null) {
      return;
    }
    ticker.shutdownNow();
    workers.shutdownNow();
    ticker = null;
    workers = null;
  }

  /** Returns the clock jobs progress on. */
  public Clock clock() {
    return clock;
  }

  /** Creates a job of {@code tasks} (run in order), queued from now; returns it. */
  public Job submit(String id, List<Task> tasks, Hooks hooks) {
    Job job = new Job(id, tasks, hooks, clock.instant());
    if (jobs.putIfAbsent(id, job) != null) {
      throw new IllegalStateException("job id used twice: " + id);
    }
    advance();
    return job;
  }

  /**
   * Runs {@code task} now, while answering (a synchronous call): no queue, no simulated duration.
   */
  public TaskExecutor.Result runNow(Task task) {
    return execute(task);
  }

  /** Returns job {@code id} brought up to the clock's time, or null. */
  public Job job(String id) {
    advance();
    return jobs.get(id);
  }

  /**
   * Cancels job {@code id} while it waits in its queue: it then ends without running a task, and
   * its finishing hook does not run. Returns whether it was cancelled (false once it runs).
   */
  public boolean cancel(String id) {
    Job job = job(id);
    return job != null && job.cancel();
  }

  /** Returns how many jobs were submitted. */
  public int count() {
    return jobs.size();
  }

  /**
   * Moves every job as far as the clock's time allows: starts due tasks, and runs those due to
   * finish.
   */
  public void advance() {
    for (Job job : jobs.values()) {
      if (job.phase != Phase.ENDED) {
        job.advance();
      }
    }
  }

  private TaskExecutor.Result execute(Task task) {
    try {
      return Objects.requireNonNull(executor.run(task), "the executor answered null");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskExecutor.Result.failed(TaskExecutor.Failure.Kind.ERROR, "interrupted", 0);
    } catch (Exception e) {
      return TaskExecutor.Result.failed(
          TaskExecutor.Failure.Kind.ERROR, String.valueOf(e.getMessage()), 0);
    }
  }

  private boolean offload(Runnable work) {
    ExecutorService w;
    synchronized (this) {
      w = workers;
    }
    if (w == null) {
      return false;
    }
    try {
      w.execute(work);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** One task of a job, with its state and result. */
  public final class Step {
    private final Task task;
    private volatile StepState state = StepState.WAITING;
    private volatile boolean reused;
    private Instant started;
    private Instant ended;
    private TaskExecutor.Result result;

    private Step(Task task) {
      this.task = task;
    }

    public Task task() {
      return task;
    }

    public StepState state() {
      return state;
    }

    /** Returns true when the task did not run because its result was already there. */
    public boolean reused() {
      return reused;
    }

    /** Returns the result once {@link StepState#DONE}, else null. */
    public synchronized TaskExecutor.Result result() {
      return result;
    }

    /** Returns when the step started on the engine's clock, or null. */
    public synchronized Instant started() {
      return started;
    }

    /** Returns when the step ended on the engine's clock, or null. */
    public synchronized Instant ended() {
      return ended;
    }

    private synchronized void done(TaskExecutor.Result r, Instant at) {
      result = r;
      ended = at;
      state = StepState.DONE;
    }
  }

  /** A job: its tasks in order, and where it is. */
  public final class Job {
    private final String id;
    private final List<Step> steps = new ArrayList<>();
    private final Hooks hooks;
    private final Instant created;
    private volatile Phase phase = Phase.QUEUED;
    private volatile boolean cancelled;
    private Instant due;
    private boolean executing;

    private Job(String id, List<Task> tasks, Hooks hooks, Instant created) {
      this.id = id;
      tasks.forEach(t -> steps.add(new Step(t)));
      this.hooks = hooks;
      this.created = created;
      this.due = created.plus(queueDelay);
    }

    public String id() {
      return id;
    }

    public Instant created() {
      return created;
    }

    public Phase phase() {
      return phase;
    }

    public List<Step> steps() {
      return List.copyOf(steps);
    }

    /** Returns true when the job was cancelled before it ran. */
    public boolean cancelled() {
      return cancelled;
    }

    private synchronized boolean cancel() {
      if (phase != Phase.QUEUED) {
        return false;
      }
      cancelled = true;
      phase = Phase.ENDED;
      return true;
    }

    /** Returns true once every task is done (the finishing hook may still run). */
    public boolean tasksDone() {
      return phase == Phase.FINISHING || phase == Phase.ENDED;
    }

    private synchronized void advance() {
      while (!executing && phase != Phase.FINISHING && phase != Phase.ENDED) {
        Instant now = clock.instant();
        if (now.isBefore(due)) {
          return;
        }
        if (phase == Phase.QUEUED) {
          phase = Phase.RUNNING;
        }
        Step step = steps.stream().filter(s -> s.state != StepState.DONE).findFirst().orElse(null);
        if (step == null) {
          phase = Phase.FINISHING;
          if (!offload(this::finish)) {
            finish();
          }
          return;
        }
        int index = steps.indexOf(step);
        if (step.state == StepState.WAITING) {
          synchronized (step) {
            step.started = due;
          }
          if (hooks.reuse(index, step.task)) {
            step.reused = true;
            step.done(TaskExecutor.Result.ok(step.task.targetKey().stream().toList()), due);
            continue;
          }
          step.state = StepState.RUNNING;
          due = due.plus(executor.duration(step.task));
          continue;
        }
        // RUNNING and due: make its result
        if (executor.runsInline()) {
          step.done(execute(step.task), due);
          continue;
        }
        executing = true;
        Instant at = due;
        boolean queued =
            offload(
                () -> {
                  TaskExecutor.Result r = execute(step.task);
                  Instant end = clock.instant();
                  step.done(r, end.isAfter(at) ? end : at);
                  synchronized (this) {
                    executing = false;
                    due = step.ended();
                  }
                  JobEngine.this.advance();
                });
        if (!queued) {
          executing = false;
          return;
        }
      }
    }

    private void finish() {
      try {
        hooks.finish(this);
      } finally {
        phase = Phase.ENDED;
      }
    }
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
