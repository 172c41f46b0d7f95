package dev.mediaflow;

import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.SignedUrl;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.internal.GuardedObserver;
import dev.mediaflow.internal.ObservedHttp;
import dev.mediaflow.internal.ProviderRegistry;
import dev.mediaflow.internal.SharedHttp;
import dev.mediaflow.internal.upload.UploadEngine;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobListener;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.job.JobWatcher;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.observe.Activity;
import dev.mediaflow.observe.ActivityScope;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.NotificationOutcome;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.AccessCheck;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.NotificationIntake;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UrlSigner;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: renders, submits and tracks pipelines on one configured provider.
 *
 * <pre>{@code
 * MediaClient media = MediaClient.create(MediaConfig.load());       // media.provider=qiniu, or local by default
 *
 * Pipeline pipeline = Pipeline.from("media", "raw/intro.mov")
 *     .then(Transcode.builder().container(MP4).videoCodec(H264).size(1280, 720).build())
 *     .saveAs("media", "out/intro-720p.mp4")
 *     .then(Snapshot.at(Duration.ofSeconds(3)))
 *     .saveAs("media", "out/intro-cover.jpg")
 *     .build();
 *
 * List<VendorRequest> dryRun = media.render(pipeline);              // what would be sent, no secrets
 * Job job = media.submit(pipeline);
 * String id = job.id().toString();                                  // another process: media.job(JobId.parse(id))
 * JobStatus done = job.await(Duration.ofMinutes(10));               // throws JobFailedException on failure
 * }</pre>
 *
 * <p>Every pipeline is checked against the provider's capabilities before any network call, so an
 * operation or value the provider cannot express fails fast with {@link
 * UnsupportedMediaOperationException}. Thread-safe; share one instance. {@link #close()} stops its
 * watcher (not the shared HTTP client).
 */
public final class MediaClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaClient.class);

  /** Each job state in lower case, the value of a status activity's {@code state} tag. */
  private static final String[] STATE_TAGS =
      Arrays.stream(JobState.values())
          .map(st -> st.name().toLowerCase(Locale.ROOT))
          .toArray(String[]::new);

  private final String instance;
  private final ProviderClient provider;
  private final WatchPolicy watchPolicy;
  private final boolean ownsWatcher;
  private final CheckpointStore checkpoints;
  private final Clock clock;
  private final JobStore jobStore;
  private final Duration lease;
  private final Duration keep;
  private final MediaObserver observer;
  private final Origin origin;
  private JobWatcher watcher;

  private MediaClient(
      String instance,
      ProviderClient provider,
      JobWatcher watcher,
      WatchPolicy watchPolicy,
      CheckpointStore checkpoints,
      Clock clock,
      JobStore jobStore,
      Duration lease,
      Duration keep,
      MediaObserver observer) {
    this.instance = instance;
    this.observer = observer;
    this.origin = new Origin(provider.providerId(), instance);
    this.provider = provider;
    this.checkpoints = checkpoints;
    this.clock = clock;
    this.watcher = watcher;
    this.ownsWatcher = watcher == null;
    this.watchPolicy = watchPolicy;
    this.jobStore = watcher != null ? watcher.store() : jobStore;
    this.lease = lease;
    this.keep = keep;
  }

  /** Returns a client for the default instance of {@link MediaConfig#load()}. */
  public static MediaClient create() {
    return create(MediaConfig.load());
  }

  /** Returns a client for the default instance ({@code media.provider}) of {@code config}. */
  public static MediaClient create(MediaConfig config) {
    return builder().config(config).build();
  }

  /** Returns a client for the named instance of {@code config}. */
  public static MediaClient create(MediaConfig config, String instance) {
    return builder().config(config).instance(instance).build();
  }

  /** Returns a client for the instance that submitted {@code id}, so any process can track it. */
  public static MediaClient forJob(MediaConfig config, JobId id) {
    String name = id.instance().orElse(id.provider());
    Builder b = builder().config(config).instance(name);
    if (!config.providerIdOf(name).equals(id.provider())) {
      throw new MediaConfigException(
          "media." + name + ".provider",
          "Job "
              + id
              + " belongs to provider '"
              + id.provider()
              + "', but instance '"
              + name
              + "' is configured for '"
              + config.providerIdOf(name)
              + "'.");
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the provider id, such as {@code oss}. */
  public String providerId() {
    return provider.providerId();
  }

  /** Returns the configured instance name this client uses. */
  public String instance() {
    return instance;
  }

  /** Returns what the provider can express. */
  public Capabilities capabilities() {
    return provider.capabilities();
  }

  /**
   * Returns the requests {@link #submit} would send for {@code pipeline}: a dry run, with no
   * network call and no credentials.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot express part of the
   *     pipeline
   */
  public List<VendorRequest> render(Pipeline pipeline) {
    Objects.requireNonNull(pipeline, "pipeline");
    provider.capabilities().check(pipeline);
    return provider.render(pipeline);
  }

  /**
   * Submits {@code pipeline} as one job. Validation happens first, so nothing is sent for a
   * pipeline the provider cannot run.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot express part of the
   *     pipeline
   * @throws MediaException when submitting fails; check {@link MediaException#isOutcomeUnknown()}
   *     before submitting again
   */
  public Job submit(Pipeline pipeline) {
    return submit(pipeline, "");
  }

  /**
   * Submits {@code pipeline} as one job, like {@link #submit(Pipeline)}, and records the job in the
   * job store with the application's {@code tag} (any text, such as the id of the order it serves;
   * "" for none), so {@link #resume()} finds it after a restart.
   */
  public Job submit(Pipeline pipeline, String tag) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(tag, "tag");
    provider.capabilities().check(pipeline);
    JobId id;
    try {
      try (ActivityScope scope = observer.start(Activity.SUBMIT, origin)) {
        try {
          id = provider.submit(pipeline).withInstance(instance);
        } catch (RuntimeException | Error e) {
          scope.error(e);
          throw e;
        }
      }
    } catch (RuntimeException | Error e) {
      observer.jobSubmitted(origin, e);
      throw e;
    }
    observer.jobSubmitted(origin, null);
    log.info("Submitted job {} to {}", id, instance);
    record(id, tag);
    return new ClientJob(id, this);
  }

  /**
   * Records a submitted job in the store; a job already submitted is not failed for it. It counts
   * as notified (polled at the safety interval) only once a notification for it arrives: a
   * notification target alone does not say that the application feeds notifications back.
   */
  private void record(JobId id, String tag) {
    if (jobStore == JobStore.none()) {
      return;
    }
    Instant now = clock.instant();
    JobRecord r = JobRecord.submitted(id, now.plus(watchPolicy().deadline()), tag, now);
    try {
      jobStore.put(r);
    } catch (RuntimeException e) {
      log.warn("Submitted job {}, but cannot record it in {}", id, jobStore, e);
    }
  }

  private WatchPolicy watchPolicy() {
    return watcher != null ? watcher.policy() : watchPolicy;
  }

  /**
   * Uploads {@code request}'s source to its target and returns what the vendor stored, with its
   * checksum verified end to end. A file larger than one part goes up as a resumable multipart
   * upload: if this call is interrupted (even by a crash), calling it again for the same file and
   * target sends only the missing parts. When the request asks for processing, the pipeline is
   * checked before any byte is sent, then started with the upload (Qiniu) or submitted right after
   * it; {@link UploadResult#job()} names the job.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot upload or cannot run the
   *     pipeline
   * @throws dev.mediaflow.MediaIntegrityException when the stored bytes differ from the source
   * @throws MediaException when the upload fails; a checkpointed upload can be resumed by calling
   *     again
   */
  public UploadResult upload(UploadRequest request) {
    Objects.requireNonNull(request, "request");
    UploadProtocol protocol = uploadProtocol();
    request.process().ifPresent(p -> provider.capabilities().check(p));
    UploadResult result;
    long start = System.nanoTime();
    try (ActivityScope scope = observer.start(Activity.UPLOAD, origin)) {
      try {
        result = new UploadEngine(instance, protocol, checkpoints, clock).upload(request);
      } catch (RuntimeException | Error e) {
        scope.error(e);
        if (protocol.runsPipelineOnUpload() && request.process().isPresent()) {
          observer.jobSubmitted(origin, e);
        }
        throw e;
      }
    }
    observer.uploaded(origin, result.size(), System.nanoTime() - start);
    if (result.job().isPresent()) {
      observer.jobSubmitted(origin, null);
      result = result.withJob(result.job().get().withInstance(instance));
      log.info("Uploaded {} and started job {}", result.object(), result.job().get());
      record(result.job().get(), "");
    } else if (request.process().isPresent()) {
      result = result.withJob(submit(request.process().get()).id());
    }
    return result;
  }

  /**
   * Aborts the checkpointed (interrupted) upload to {@code target} in the default checkpoint store:
   * the vendor deletes the parts it stored, and the checkpoint is removed. Returns false when there
   * was none.
   */
  public boolean abortUpload(MediaObject target) {
    return abortUpload(target, checkpoints);
  }

  /**
   * Aborts the upload to {@code target} checkpointed in {@code store}; see {@link
   * #abortUpload(MediaObject)}.
   */
  public boolean abortUpload(MediaObject target, CheckpointStore store) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(store, "store");
    return new UploadEngine(instance, uploadProtocol(), checkpoints, clock).abort(target, store);
  }

  private UploadProtocol uploadProtocol() {
    return provider
        .uploads()
        .orElseThrow(
            () ->
                new UnsupportedMediaOperationException(
                    provider.providerId(), "upload", "", "this provider cannot upload"));
  }

  /** Returns a handle on a job submitted earlier, possibly by another process. */
  public Job job(JobId id) {
    checkOwn(id);
    return new ClientJob(id, this);
  }

  /** Returns a handle on the job whose id string is {@code id}. */
  public Job job(String id) {
    return job(JobId.parse(id));
  }

  /** Reads the job's status from the provider now. */
  public JobStatus status(JobId id) {
    checkOwn(id);
    return readStatus(id);
  }

  /** Reads a job's status from the provider within a {@link Activity#STATUS} activity. */
  private JobStatus readStatus(JobId id) {
    try (ActivityScope scope = observer.start(Activity.STATUS, origin)) {
      try {
        JobStatus status = provider.status(id);
        if (status != null) {
          scope.tag("state", STATE_TAGS[status.state().ordinal()]);
        }
        return status;
      } catch (RuntimeException | Error e) {
        scope.error(e);
        throw e;
      }
    }
  }

  /** Asks the provider to cancel the job. */
  public void cancel(JobId id) {
    checkOwn(id);
    provider.cancel(id);
  }

  /** Returns a signed URL of {@code object}, valid for {@link UrlOptions#DEFAULT_EXPIRY}. */
  public SignedUrl url(MediaObject object) {
    return url(object, UrlOptions.defaults());
  }

  /**
   * Returns a URL of {@code object} with {@code options} applied: signed with an expiry or
   * unsigned, processed on the fly or through a style, with response overrides. Makes no network
   * call. The result's {@code toString()} is the URL; {@link SignedUrl#toUri()} parses it.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot make URLs, or cannot apply
   *     an option
   * @throws MediaValidationException for a value the vendor refuses, such as an expiry past its
   *     maximum
   */
  public SignedUrl url(MediaObject object, UrlOptions options) {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(options, "options");
    UrlSigner signer = facet(provider.urls(), "url", "this provider cannot make delivery URLs");
    try (ActivityScope scope = observer.start(Activity.URL_SIGN, origin)) {
      try {
        scope.tag("signed", options.isUnsigned() ? "false" : "true");
        return signer.url(object, options);
      } catch (RuntimeException | Error e) {
        scope.error(e);
        throw e;
      }
    }
  }

  /**
   * Returns the basic facts of {@code object}: format, duration, size, bitrate, streams, image
   * size. Safe to retry.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot probe files
   * @throws MediaServiceException when the vendor cannot read the object
   */
  public MediaInfo probe(MediaObject object) {
    Objects.requireNonNull(object, "object");
    return facet(provider.probes(), "probe", "this provider cannot read media info").probe(object);
  }

  /**
   * Returns a grant a browser uses to upload straight to the vendor, within the request's limits.
   * Makes no network call.
   *
   * @throws UnsupportedMediaOperationException when the provider cannot grant uploads, or cannot
   *     enforce a limit
   */
  public UploadGrant grantUpload(UploadGrantRequest request) {
    Objects.requireNonNull(request, "request");
    request.process().ifPresent(p -> provider.capabilities().check(p));
    return facet(
            provider.uploadGrants(), "grantUpload", "this provider cannot grant browser uploads")
        .grant(request);
  }

  /**
   * Returns the provider's intake of the requests its vendor sends (job notifications, upload
   * callbacks): hand it each such request and send back the answer it gives.
   *
   * @throws UnsupportedMediaOperationException when the provider sends no notification it can
   *     verify
   */
  public NotificationIntake notifications() {
    return facet(
        provider.notifications(),
        "notifications",
        "this provider sends no notification Mediaflow can verify");
  }

  /**
   * Hands {@code request} (a notification the vendor sent) to the provider's intake and feeds the
   * verified events to this client's watcher: a watched job is updated at once, and completes at
   * once when it ended. Returns the answer to send the vendor, carrying the events that were new
   * (duplicates and events older than what is known are left out).
   *
   * @throws UnsupportedMediaOperationException when the provider sends no notification it can
   *     verify
   */
  public IntakeResult receive(InboundRequest request) {
    Objects.requireNonNull(request, "request");
    IntakeResult result = deliver(notifications().receive(request));
    observer.notificationReceived(
        origin,
        result.isRefused()
            ? NotificationOutcome.REFUSED
            : result.events().isEmpty()
                ? NotificationOutcome.IGNORED
                : NotificationOutcome.ACCEPTED);
    return result;
  }

  /** Returns the observer this client reports to ({@link MediaObserver#noop()} by default). */
  public MediaObserver observer() {
    return observer;
  }

  /** Feeds the events of {@code result} to the watcher; returns it with only the new ones. */
  IntakeResult deliver(IntakeResult result) {
    if (result.events().isEmpty()) {
      return result;
    }
    List<JobEvent> fresh = new ArrayList<>();
    for (JobEvent e : result.events()) {
      JobId id = e.status().id();
      JobEvent own =
          id.provider().equals(provider.providerId()) && id.instance().isEmpty()
              ? new JobEvent(e.messageId(), e.status().withId(id.withInstance(instance)))
              : e;
      if (watcher().accept(own)) {
        fresh.add(own);
      }
    }
    return new IntakeResult(result.status(), result.contentType(), result.body(), fresh);
  }

  private <T> T facet(Optional<T> facet, String operation, String why) {
    return facet.orElseThrow(
        () -> new UnsupportedMediaOperationException(provider.providerId(), operation, "", why));
  }

  /**
   * Checks that the provider is reachable and accepts this instance's credentials, with one cheap
   * signed read that changes nothing (for health checks). The result's details never hold a
   * credential, a signed URL or an object key. Never throws for a vendor's answer or an I/O
   * failure: those are in the result.
   *
   * @param bucket the bucket the check reads in (OSS and Qiniu need one), or "" for none
   */
  public AccessCheck checkAccess(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    return provider.checkAccess(bucket);
  }

  /**
   * Returns the provider's own features, when its client implements {@code type}: for example
   * {@code media.unwrap(QiniuOperations.class)} for Qiniu upload tokens and notifications. Empty
   * otherwise.
   */
  public <T> Optional<T> unwrap(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return type.isInstance(provider) ? Optional.of(type.cast(provider)) : Optional.empty();
  }

  /**
   * Returns the watcher that tracks this client's jobs; it runs on at most two threads by default.
   */
  public synchronized JobWatcher watcher() {
    if (watcher == null) {
      watcher = JobWatcher.create(watchPolicy, jobStore, lease, observer);
    }
    return watcher;
  }

  CompletableFuture<JobStatus> watch(JobId id, JobListener listener) {
    JobWatcher w = watcher();
    boolean notified = false;
    try {
      notified = jobStore.get(id).map(JobRecord::notified).orElse(false);
    } catch (RuntimeException e) {
      log.warn("Cannot read job {} from {}", id, jobStore, e);
    }
    return w.watch(id, this::readStatus, listener, w.policy().deadline(), notified);
  }

  /** Returns where this client keeps its jobs ({@code media.jobs.*}, or the shared watcher's). */
  public JobStore jobStore() {
    return jobStore;
  }

  /**
   * Watches again the jobs of this client's instance that the store holds open, such as those a
   * process killed before their end was delivered: removes ended jobs older than {@code
   * media.jobs.keep}, then claims the open jobs no live process holds and watches each until its
   * deadline. Returns a handle on each, its {@link Job#future()} already running. Jobs another live
   * process holds are left to it; call again later to take over those whose lease expired.
   */
  public List<Job> resume() {
    return resume(null);
  }

  /** Like {@link #resume()}, reporting every change of the resumed jobs to {@code listener}. */
  public List<Job> resume(JobListener listener) {
    try {
      jobStore.purge(clock.instant().minus(keep));
    } catch (RuntimeException e) {
      log.warn("Cannot remove old ended jobs from {}", jobStore, e);
    }
    List<Job> jobs = new ArrayList<>();
    for (Map.Entry<JobId, CompletableFuture<JobStatus>> e :
        watcher().resume(instance, this::readStatus, listener).entrySet()) {
      jobs.add(new ClientJob(e.getKey(), this, e.getValue()));
    }
    return jobs;
  }

  private void checkOwn(JobId id) {
    Objects.requireNonNull(id, "id");
    if (!id.provider().equals(provider.providerId())) {
      throw new MediaConfigException(
          id.provider(),
          "Job "
              + id
              + " belongs to provider '"
              + id.provider()
              + "', but this client uses '"
              + provider.providerId()
              + "'. Use MediaClient.forJob(config, id).");
    }
  }

  /**
   * Stops this client's own watcher (futures of unfinished watches are cancelled) and the provider
   * client.
   */
  @Override
  public synchronized void close() {
    if (ownsWatcher && watcher != null) {
      watcher.close();
    }
    provider.close();
  }

  @Override
  public String toString() {
    return "MediaClient{instance=" + instance + ", provider=" + provider.providerId() + "}";
  }

  /** Builds a {@link MediaClient}. Not thread-safe. */
  public static final class Builder {
    /**
     * The shortest {@code media.jobs.lease}: renewals and poll margins are fractions of a lease.
     */
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);

    private MediaConfig config;
    private String instance;
    private MediaProvider explicit;
    private OkHttpClient http;
    private Clock clock = Clock.systemUTC();
    private RetryPolicy retryPolicy;
    private JobWatcher watcher;
    private WatchPolicy watchPolicy;
    private ClassLoader classLoader;
    private CheckpointStore checkpoints;
    private JobStore jobStore;
    private MediaObserver observer = MediaObserver.noop();

    private Builder() {}

    /**
     * Reports jobs, status polls, notifications, uploads and vendor HTTP calls to {@code observer},
     * and brackets submit, status, upload and URL signing with its activities (docs/metrics.md);
     * default {@link MediaObserver#noop()}, which costs nothing. A shared {@link #watcher} reports
     * its polls and job ends to the observer it was created with.
     */
    public Builder observer(MediaObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Sets where submitted and watched jobs are kept; default {@code media.jobs.store}: files in
     * {@code media.jobs.dir}, else {@code ~/.mediaflow/jobs}. A shared {@link #watcher} brings its
     * own store, which wins.
     */
    public Builder jobStore(JobStore store) {
      this.jobStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets where upload checkpoints are kept by default; default the folder {@code
     * media.upload.checkpointDir}, else {@code ~/.mediaflow/checkpoints}.
     */
    public Builder checkpoints(CheckpointStore store) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Sets the configuration; default {@link MediaConfig#load()}. */
    public Builder config(MediaConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Picks a configured instance by name; default {@code media.provider}. */
    public Builder instance(String instance) {
      this.instance = Objects.requireNonNull(instance, "instance");
      return this;
    }

    /** Uses this provider, whatever the configuration's {@code media.provider} says. */
    public Builder provider(MediaProvider provider) {
      this.explicit = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Uses this HTTP client instead of the shared one. Turn off its retryOnConnectionFailure. */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets how idempotent requests are retried; default from {@code media.http.retries}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Shares an existing watcher (the client will not close it). */
    public Builder watcher(JobWatcher watcher) {
      this.watcher = Objects.requireNonNull(watcher, "watcher");
      return this;
    }

    /** Sets the policy of the client's own watcher; default from {@code media.watch.*}. */
    public Builder watchPolicy(WatchPolicy policy) {
      this.watchPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets the class loader providers are discovered from. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Builds the client: finds the provider (an explicit one wins), validates its settings and
     * creates its client. No network call is made.
     *
     * @throws MediaConfigException when the provider is unknown, duplicated, or misconfigured
     */
    public MediaClient build() {
      MediaConfig cfg = config != null ? config : MediaConfig.load();
      String name;
      MediaProvider provider;
      if (explicit != null) {
        name = instance != null ? instance : explicit.id();
        provider = explicit;
      } else {
        name = instance != null ? instance : cfg.defaultInstance();
        String id = cfg.providerIdOf(name);
        ProviderRegistry registry =
            classLoader == null
                ? ProviderRegistry.fromClassPath()
                : ProviderRegistry.fromClassPath(classLoader);
        provider = registry.get(id);
      }
      ProviderConfig pc =
          (explicit != null ? cfg.instance(name, explicit.id()) : cfg.instance(name))
              .declare(provider.settings());
      HttpSettings hs = HttpSettings.from(cfg);
      OkHttpClient client = http != null ? http : hs.apply(SharedHttp.client());
      RetryPolicy retry = retryPolicy != null ? retryPolicy : hs.retryPolicy();
      WatchPolicy wp = watchPolicy != null ? watchPolicy : HttpSettings.watchPolicy(cfg);
      MediaObserver obs = GuardedObserver.of(observer);
      client = ObservedHttp.observe(client, obs, new Origin(provider.id(), name));
      ProviderClient pcClient = provider.create(new ProviderContext(pc, client, clock, retry));
      if (!pcClient.providerId().equals(provider.id())) {
        throw new MediaConfigException(
            provider.id(),
            "Provider "
                + provider.getClass().getName()
                + " created a client for '"
                + pcClient.providerId()
                + "' instead of '"
                + provider.id()
                + "'.");
      }
      CheckpointStore store =
          checkpoints != null
              ? checkpoints
              : CheckpointStore.inDirectory(
                  cfg.section("upload")
                      .get("checkpointDir")
                      .map(Path::of)
                      .orElseGet(CheckpointStore::defaultDirectory));
      ProviderConfig jobs = cfg.section("jobs");
      JobStore js = jobStore != null ? jobStore : JobStore.configured(cfg);
      Duration lease = positive(jobs, "lease", JobWatcher.DEFAULT_LEASE);
      if (lease.compareTo(MIN_LEASE) < 0) {
        throw new MediaConfigException(
            "media.jobs.lease",
            "media.jobs.lease must be at least "
                + MIN_LEASE.toSeconds()
                + "s, was "
                + lease
                + ": leases are renewed every third of one, and a watched job is polled only while"
                + " more than a quarter of its lease is left");
      }
      Duration keep = positive(jobs, "keep", Duration.ofDays(7));
      return new MediaClient(name, pcClient, watcher, wp, store, clock, js, lease, keep, obs);
    }

    private static Duration positive(ProviderConfig section, String key, Duration defaultValue) {
      Duration d = section.getDuration(key, defaultValue);
      if (d.isNegative() || d.isZero()) {
        throw new MediaConfigException(
            "media.jobs." + key, "media.jobs." + key + " must be > 0, was " + d);
      }
      return d;
    }
  }

  /** The media.http.* and media.watch.* settings. */
  private record HttpSettings(Duration connect, Duration read, Duration call, int retries) {
    static HttpSettings from(MediaConfig cfg) {
      ProviderConfig http = cfg.section("http");
      return new HttpSettings(
          http.getDuration("connectTimeout", SharedHttp.CONNECT_TIMEOUT),
          http.getDuration("readTimeout", SharedHttp.READ_TIMEOUT),
          http.getDuration("callTimeout", SharedHttp.CALL_TIMEOUT),
          http.getInt("retries", 3));
    }

    OkHttpClient apply(OkHttpClient shared) {
      if (connect.equals(SharedHttp.CONNECT_TIMEOUT)
          && read.equals(SharedHttp.READ_TIMEOUT)
          && call.equals(SharedHttp.CALL_TIMEOUT)) {
        return shared;
      }
      return shared
          .newBuilder()
          .connectTimeout(connect)
          .readTimeout(read)
          .callTimeout(call)
          .build();
    }

    RetryPolicy retryPolicy() {
      if (retries < 0) {
        throw new MediaConfigException(
            "media.http.retries", "media.http.retries must be >= 0, was " + retries);
      }
      return retries == 0
          ? RetryPolicy.none()
          : RetryPolicy.exponential(retries, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    static WatchPolicy watchPolicy(MediaConfig cfg) {
      ProviderConfig w = cfg.section("watch");
      WatchPolicy d = WatchPolicy.defaults();
      try {
        Duration initial = w.getDuration("initialDelay", d.initialDelay());
        Duration max = w.getDuration("maxDelay", d.maxDelay());
        // each step keeps initialDelay <= maxDelay, whichever of the two grows
        WatchPolicy p =
            initial.compareTo(d.maxDelay()) > 0
                ? d.withMaxDelay(max).withInitialDelay(initial)
                : d.withInitialDelay(initial).withMaxDelay(max);
        return p.withDeadline(w.getDuration("deadline", d.deadline()))
            .withSafetyInterval(w.getDuration("safetyInterval", d.safetyInterval()));
      } catch (IllegalArgumentException e) {
        throw new MediaConfigException(
            "media.watch", "Invalid media.watch.* setting: " + e.getMessage(), e);
      }
    }
  }
}
