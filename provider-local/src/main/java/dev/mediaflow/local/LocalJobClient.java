package dev.mediaflow.local;

import dev.mediaflow.MediaException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.AccessCheck;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.MediaProber;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.UploadGranter;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.UrlSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in this process: each output is a task on a bounded worker pool; its steps run one
 * after another, passing work files along, and its results are moved into the bucket only when
 * every step succeeded. Finished jobs are also recorded under {@code <root>/.mediaflow/jobs}, so
 * another process (the CLI's {@code status}) can read them.
 */
final class LocalJobClient implements ProviderClient {
  static final String ID = "local";
  private static final Logger log = LoggerFactory.getLogger(LocalJobClient.class);
  private static final Pattern INDEX = Pattern.compile("\\{index}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalSettings settings;
  private final LocalStore store;
  private final Clock clock;
  private final LocalJobRecords records;
  private final ThreadPoolExecutor workers;
  private final Map<String, LocalJob> jobs = new ConcurrentHashMap<>();
  private final LocalUrlSigner urls;
  private final LocalProber prober;
  private final LocalUploadGrants grants;
  private volatile LocalTools tools;
  private LocalDocuments documents;

  LocalJobClient(LocalSettings settings, LocalStore store, Clock clock) {
    this(settings, store, clock, null);
  }

  /** With {@code tools} given (tests), instead of locating them on first use. */
  LocalJobClient(LocalSettings settings, LocalStore store, Clock clock, LocalTools tools) {
    this(
        settings,
        LocalDeliverySettings.from(ProviderConfig.of(ID, Map.of()), settings.root()),
        store,
        clock,
        tools);
  }

  LocalJobClient(
      LocalSettings settings,
      LocalDeliverySettings delivery,
      LocalStore store,
      Clock clock,
      LocalTools tools) {
    this.tools = tools;
    this.urls = new LocalUrlSigner(delivery, store, clock);
    this.prober = new LocalProber(store, this::tools);
    this.grants = new LocalUploadGrants(delivery, store, clock, this::render);
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.records = new LocalJobRecords(store.root().resolve(LocalStore.WORK_DIR).resolve("jobs"));
    AtomicInteger n = new AtomicInteger();
    // Non-daemon workers that end when idle: a program that submits and returns from main still
    // gets its
    // results, and the JVM can exit once the work is done.
    this.workers =
        new ThreadPoolExecutor(
            settings.workers(),
            settings.workers(),
            2,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "mediaflow-local-" + n.incrementAndGet());
              t.setDaemon(false);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
  }

  @Override
  public String providerId() {
    return ID;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.builder(ID)
        .operations(
            Transcode.class,
            AudioTranscode.class,
            Snapshot.class,
            Animation.class,
            DocumentConversion.class,
            ImageResize.class,
            Watermark.class,
            Concat.class)
        .containers(EnumSet.allOf(Container.class))
        .videoCodecs(EnumSet.allOf(VideoCodec.class))
        .audioCodecs(EnumSet.allOf(AudioCodec.class))
        .audioFormats(EnumSet.allOf(AudioFormat.class))
        .imageFormats(EnumSet.complementOf(EnumSet.of(ImageFormat.HEIC)))
        .animationFormats(EnumSet.allOf(AnimationFormat.class))
        .documentTargets(EnumSet.allOf(DocumentTarget.class))
        .fitModes(EnumSet.allOf(FitMode.class))
        .build();
  }

  private LocalTools tools() {
    LocalTools t = tools;
    if (t == null) {
      synchronized (this) {
        if (tools == null) {
          tools = LocalTools.locate(settings);
        }
        t = tools;
      }
    }
    return t;
  }

  /** One for the client: it hands out LibreOffice profiles, one per concurrent conversion. */
  private synchronized LocalDocuments documents(LocalTools t) {
    if (documents == null) {
      documents =
          new LocalDocuments(
              t.soffice(), store.root().resolve(LocalStore.WORK_DIR).resolve("office"));
    }
    return documents;
  }

  // ---- render: the commands, with bucket/key paths; nothing runs

  @Override
  public List<VendorRequest> render(Pipeline pipeline) {
    List<VendorRequest> out = new ArrayList<>();
    for (int i = 0; i < pipeline.outputs().size(); i++) {
      Output o = pipeline.outputs().get(i);
      checkShape(o, i);
      List<String> lines = new ArrayList<>();
      String ext = extension(pipeline.source().key());
      Path input = Path.of(pipeline.source().bucket(), pipeline.source().key());
      for (int j = 0; j < o.steps().size(); j++) {
        Operation op = o.steps().get(j);
        boolean last = j == o.steps().size() - 1;
        Path result =
            last
                ? o.saveAs().map(s -> Path.of(s.bucket(), s.key())).orElse(Path.of("result"))
                : Path.of("work", "step-" + (j + 1));
        if (op instanceof DocumentConversion d) {
          lines.add(
              "document: "
                  + input
                  + " -> "
                  + d.to().token()
                  + (LocalDocuments.needsOffice(ext) ? " (LibreOffice)" : "")
                  + (d.to() == DocumentTarget.PNG || d.to() == DocumentTarget.JPG
                      ? " pages (PDFBox)"
                      : "")
                  + " -> "
                  + result);
          ext = d.to().token();
        } else {
          LocalRenderer.Extras extras =
              new LocalRenderer.Extras(
                  op instanceof Concat c
                      ? c.inputs().stream()
                          .map(
                              m ->
                                  new LocalRenderer.Input(
                                      Path.of(m.bucket(), m.key()),
                                      FfprobeInfo.UNKNOWN,
                                      extension(m.key())))
                          .toList()
                      : List.of(),
                  op instanceof Watermark w
                      ? w.image().map(m -> Path.of(m.bucket(), m.key()))
                      : Optional.empty(),
                  Optional.of(Path.of("work", "text.txt")),
                  Optional.of(Path.of("font.ttf")));
          LocalRenderer.Command cmd =
              LocalRenderer.render(
                  op, new LocalRenderer.Input(input, FfprobeInfo.UNKNOWN, ext), extras, result);
          lines.add(
              "ffmpeg "
                  + String.join(" ", cmd.args().stream().map(LocalJobClient::shellQuote).toList()));
          ext = cmd.extension();
        }
        input = result;
      }
      out.add(
          new VendorRequest(
              String.join("\n", lines),
              "EXEC",
              store.root().toUri().toString(),
              Map.of(),
              "",
              List.of(i)));
    }
    return out;
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** Rejects chains the local runner cannot execute, naming the step. */
  private static void checkShape(Output o, int index) {
    List<Operation> steps = o.steps();
    for (int j = 0; j < steps.size(); j++) {
      Operation op = steps.get(j);
      boolean last = j == steps.size() - 1;
      if (!last && producesSeveral(op)) {
        throw new UnsupportedMediaOperationException(
            ID,
            op.type(),
            op instanceof Snapshot ? "count" : "to",
            "outputs["
                + index
                + "].steps["
                + j
                + "] makes several files, so it must be the last step of its output");
      }
      if (op instanceof DocumentConversion && j > 0) {
        throw new UnsupportedMediaOperationException(
            ID,
            op.type(),
            "",
            "outputs["
                + index
                + "].steps["
                + j
                + "]: document conversion must be the first step (its input is a document)");
      }
    }
  }

  private static boolean producesSeveral(Operation op) {
    return op instanceof Snapshot s && s.isMultiFrame()
        || op instanceof Transcode t && t.container() == Container.M3U8
        || op instanceof Concat c && c.encoding().container() == Container.M3U8
        || op instanceof DocumentConversion d
            && (d.to() == DocumentTarget.PNG || d.to() == DocumentTarget.JPG);
  }

  // ---- submit

  @Override
  public JobId submit(Pipeline pipeline) {
    // Everything that can be refused is refused here, before any file is read or written.
    store.resolve(pipeline.source(), "source");
    Map<Watermark, Path> fonts = fonts(pipeline, settings.fontFile());
    for (int i = 0; i < pipeline.outputs().size(); i++) {
      Output o = pipeline.outputs().get(i);
      checkShape(o, i);
      String prefix = "outputs[" + i + "]";
      o.saveAs().ifPresent(s -> store.resolve(s, prefix + ".saveAs"));
      for (int j = 0; j < o.steps().size(); j++) {
        Operation op = o.steps().get(j);
        String at = prefix + ".steps[" + j + "]";
        if (op instanceof Concat c) {
          for (int k = 0; k < c.inputs().size(); k++) {
            store.resolve(c.inputs().get(k), at + ".inputs[" + k + "]");
          }
        } else if (op instanceof Watermark w) {
          if (w.image().isPresent()) {
            store.resolve(w.image().get(), at + ".image");
          }
        } else if (op instanceof DocumentConversion d) {
          String from = documentType(d, pipeline.source().key());
          boolean office = LocalDocuments.needsOffice(from);
          if (office && tools().soffice().isEmpty()) {
            throw new UnsupportedMediaOperationException(
                ID,
                "convertDocument",
                "from",
                "converting "
                    + (from.isEmpty() ? "this document" : "a ." + from + " document")
                    + " needs LibreOffice, "
                    + "which was not found: "
                    + LocalDocuments.INSTALL_HINT);
          }
        }
      }
    }
    tools(); // fail now, not in a worker, when FFmpeg cannot be found
    evictOldJobs();
    String id = "l" + HexFormat.of().formatHex(randomBytes());
    LocalJob job = new LocalJob(id, pipeline, clock.instant());
    jobs.put(id, job);
    synchronized (job) {
      records.write(job.snapshot(JobId.of(ID, id)));
    }
    for (int i = 0; i < pipeline.outputs().size(); i++) {
      int index = i;
      LocalJob.OutputRun run = job.outputs.get(i);
      Future<?> f = workers.submit(() -> runOutput(job, index, fonts));
      run.future = f;
    }
    log.debug("local job {} queued with {} outputs", id, pipeline.outputs().size());
    return JobId.of(ID, id);
  }

  /** The font file of each text watermark in the pipeline (each may name its own font). */
  static Map<Watermark, Path> fonts(Pipeline pipeline, Optional<Path> configured) {
    Map<Watermark, Path> fonts = new java.util.IdentityHashMap<>();
    for (Output o : pipeline.outputs()) {
      for (Operation op : o.steps()) {
        if (op instanceof Watermark w && w.text().isPresent()) {
          fonts.put(w, LocalFonts.find(w.font(), configured));
        }
      }
    }
    return fonts;
  }

  /**
   * What kind of document the source is: the operation's {@code from}, else its key's extension.
   */
  private static String documentType(DocumentConversion d, String sourceKey) {
    return d.from().map(t -> t.token()).orElse(extension(sourceKey));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private void runOutput(LocalJob job, int index, Map<Watermark, Path> fonts) {
    LocalJob.OutputRun run = job.outputs.get(index);
    synchronized (job) {
      if (!run.start()) {
        return; // cancelled while queued; cancel() recorded it
      }
    }
    Output output = job.pipeline.outputs().get(index);
    Path work = store.workRoot().resolve(job.id).resolve("o" + (index + 1));
    List<MediaObject> saved = null;
    Map<String, String> facts = Map.of();
    JobState end = JobState.FAILED;
    String code = "";
    String message = "";
    try {
      Files.createDirectories(work);
      saved = execute(job, output, work, fonts, run);
      facts = facts(saved);
    } catch (ToolRun.Cancelled e) {
      end = JobState.CANCELLED;
      message = "cancelled";
    } catch (ToolRun.ToolFailure e) {
      code = "ProcessingFailed";
      message = e.getMessage() + (e.tail.isEmpty() ? "" : ":\n" + e.tail);
    } catch (MissingObject e) {
      code = "NoSuchKey";
      message = e.getMessage();
    } catch (IOException e) {
      code = "IOError";
      message = "cannot write the result: " + e.getMessage();
    } catch (MediaException e) {
      code = "InvalidInput";
      message = e.getMessage();
    } catch (RuntimeException e) {
      log.warn("local job {} output {} failed unexpectedly", job.id, index + 1, e);
      code = "InternalError";
      message = e.toString();
    } finally {
      // Clean up first, then end the output and record the job under its lock: whoever sees it
      // finished also
      // finds its record and no work files.
      LocalTools.deleteTree(work);
      synchronized (job) {
        if (saved != null) {
          run.succeed(saved, facts);
        } else {
          run.end(end, code, message);
        }
        finishIfDone(job);
      }
    }
  }

  /** Call holding the job's lock. */
  private void finishIfDone(LocalJob job) {
    JobStatus status = job.snapshot(JobId.of(ID, job.id));
    if (status.isTerminal()) {
      LocalTools.deleteTree(store.workRoot().resolve(job.id));
      records.write(status);
    }
  }

  /**
   * What users want to see of a result: its size in bytes (all objects together), and from ffprobe
   * its duration in seconds and its dimensions, where it has them. Shown as status details {@code
   * outputs[N].bytes}, {@code outputs[N].duration}, {@code outputs[N].dimensions}.
   */
  private Map<String, String> facts(List<MediaObject> saved) {
    Map<String, String> facts = new java.util.LinkedHashMap<>();
    long bytes = 0;
    for (MediaObject o : saved) {
      try {
        bytes += Files.size(store.resolve(o, "saveAs"));
      } catch (IOException ignored) {
        // replaced or removed meanwhile: count what is there
      }
    }
    facts.put("bytes", String.valueOf(bytes));
    MediaObject main =
        saved.stream().filter(o -> o.key().endsWith(".m3u8")).findFirst().orElse(saved.get(0));
    String ext = extension(main.key());
    if (!ext.equals("pdf") && !ext.equals("txt")) {
      try {
        FfprobeInfo info = FfprobeInfo.probe(tools(), store.resolve(main, "saveAs"));
        if (info.durationSeconds() > 0 && !info.isImage()) {
          facts.put("duration", dev.mediaflow.internal.Numbers.number(info.durationSeconds()));
        }
        if (info.width() > 0) {
          facts.put("dimensions", info.width() + "x" + info.height());
        }
      } catch (IOException ignored) {
        // not media ffprobe reads (an animated WebP): size only
      }
    }
    return facts;
  }

  /** Thrown when an object the pipeline reads does not exist. */
  static final class MissingObject extends Exception {
    MissingObject(String message) {
      super(message);
    }
  }

  private Path existing(MediaObject object, String field) throws MissingObject {
    Path p = store.resolve(object, field);
    if (!Files.isRegularFile(p)) {
      throw new MissingObject(
          "the " + field + " object " + object.bucket() + "/" + object.key() + " does not exist");
    }
    return p;
  }

  private List<MediaObject> execute(
      LocalJob job, Output output, Path work, Map<Watermark, Path> fonts, LocalJob.OutputRun run)
      throws IOException, ToolRun.ToolFailure, ToolRun.Cancelled, MissingObject {
    LocalTools t = tools();
    MediaObject source = job.pipeline.source();
    Path sourcePath = existing(source, "source");
    List<Operation> steps = output.steps();
    String ext = extension(source.key());
    boolean documentFirst = steps.get(0) instanceof DocumentConversion;
    LocalRenderer.Input current =
        new LocalRenderer.Input(
            sourcePath, documentFirst ? FfprobeInfo.UNKNOWN : sourceInfo(job, t, sourcePath), ext);
    List<Path> results = List.of();
    MediaObject target = output.saveAs().orElseThrow();
    Path finalDir = work.resolve("final");
    Files.createDirectories(finalDir);
    for (int j = 0; j < steps.size(); j++) {
      Operation op = steps.get(j);
      boolean last = j == steps.size() - 1;
      int step = j;
      if (op instanceof DocumentConversion d) {
        String from = documentType(d, source.key());
        results = documents(t).convert(d, sourcePath, from, work.resolve("doc"), run.cancellation);
        ext = d.to().token();
        current = new LocalRenderer.Input(results.get(0), FfprobeInfo.UNKNOWN, ext);
        run.progress(steps.size(), step, 1);
        continue;
      }
      LocalRenderer.Extras extras = extras(op, work, fonts, t);
      Path out = last ? finalDir.resolve(baseName(target.key())) : work.resolve("step-" + (j + 1));
      LocalRenderer.Command cmd = LocalRenderer.render(op, current, extras, out);
      List<String> command = new ArrayList<>();
      command.add(t.ffmpeg().toString());
      command.addAll(LocalRenderer.common(settings.threadsPerJob()));
      command.addAll(cmd.args());
      double total = cmd.seconds();
      ToolRun.run(
          command,
          t.environment(),
          work,
          run.cancellation,
          us -> run.progress(steps.size(), step, total > 0 ? us / 1e6 / total : 0));
      run.progress(steps.size(), step, 1);
      ext = cmd.extension();
      results = cmd.multiFile() ? numbered(finalDir, cmd.extension()) : List.of(out);
      if (results.isEmpty()
          || !cmd.multiFile() && (!Files.isRegularFile(out) || Files.size(out) == 0)) {
        throw new ToolRun.ToolFailure(
            "step "
                + (j + 1)
                + " ("
                + op.type()
                + ") produced no output; "
                + "is its start or offset past the end of the input?",
            "");
      }
      if (!last) {
        current = new LocalRenderer.Input(out, probe(t, out, "the result of step " + (j + 1)), ext);
      }
    }
    if (run.cancellation.isCancelled()) {
      throw new ToolRun.Cancelled();
    }
    return commit(results, target, ext, producesSeveral(steps.get(steps.size() - 1)));
  }

  /**
   * Probes the source once per job, whichever output gets there first; the others wait for that
   * answer.
   */
  private static FfprobeInfo sourceInfo(LocalJob job, LocalTools t, Path sourcePath)
      throws ToolRun.ToolFailure {
    synchronized (job.sourceLock) {
      if (job.sourceInfo == null) {
        job.sourceInfo = probe(t, sourcePath, "the source");
      }
      return job.sourceInfo;
    }
  }

  private static FfprobeInfo probe(LocalTools t, Path file, String what)
      throws ToolRun.ToolFailure {
    try {
      return FfprobeInfo.probe(t, file);
    } catch (IOException e) {
      throw new ToolRun.ToolFailure(what + " is not media FFmpeg can read", e.getMessage());
    }
  }

  private LocalRenderer.Extras extras(
      Operation op, Path work, Map<Watermark, Path> fonts, LocalTools t)
      throws IOException, MissingObject, ToolRun.ToolFailure {
    if (op instanceof Concat c) {
      List<LocalRenderer.Input> inputs = new ArrayList<>();
      for (int k = 0; k < c.inputs().size(); k++) {
        MediaObject m = c.inputs().get(k);
        Path p = existing(m, "concat input");
        inputs.add(
            new LocalRenderer.Input(
                p, probe(t, p, "concat input " + m.bucket() + "/" + m.key()), extension(m.key())));
      }
      return new LocalRenderer.Extras(inputs, Optional.empty(), Optional.empty(), Optional.empty());
    }
    if (op instanceof Watermark w) {
      if (w.image().isPresent()) {
        return new LocalRenderer.Extras(
            List.of(),
            Optional.of(existing(w.image().get(), "watermark image")),
            Optional.empty(),
            Optional.empty());
      }
      Path text = work.resolve("watermark.txt");
      Files.writeString(text, w.text().orElseThrow(), StandardCharsets.UTF_8);
      return new LocalRenderer.Extras(
          List.of(), Optional.empty(), Optional.of(text), Optional.of(fonts.get(w)));
    }
    return LocalRenderer.Extras.none();
  }

  /** The files a multi-file step wrote, in number order; an HLS playlist comes last. */
  private static List<Path> numbered(Path dir, String extension) throws IOException {
    Pattern numberedFile = Pattern.compile(".*-(\\d+)\\.(" + Pattern.quote(extension) + "|ts)");
    List<Path> files;
    try (var list = Files.list(dir)) {
      files = new ArrayList<>(list.toList());
    }
    files.sort((a, b) -> Long.compare(number(numberedFile, a), number(numberedFile, b)));
    return files;
  }

  private static long number(Pattern p, Path file) {
    Matcher m = p.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE; // the playlist sorts last
  }

  /**
   * Moves results into the bucket. A one-file step's result is saved as the key itself. Frames and
   * pages (even just one) are saved as the key with {@code {index}} replaced by 1, 2, ..., or with
   * {@code -1}, {@code -2}, ... before its extension when it has no {@code {index}}. HLS segments
   * keep the names the playlist gives them, beside it. On a failure, what was already moved is
   * removed again.
   */
  private List<MediaObject> commit(
      List<Path> results, MediaObject target, String extension, boolean several)
      throws IOException {
    List<MediaObject> objects = new ArrayList<>();
    List<Path> moved = new ArrayList<>();
    try {
      if (!several) {
        Path dest = store.resolve(target, "saveAs");
        store.commit(results.get(0), dest);
        moved.add(dest);
        objects.add(target);
      } else if (extension.equals("m3u8")) {
        String dir =
            target.key().contains("/")
                ? target.key().substring(0, target.key().lastIndexOf('/') + 1)
                : "";
        for (Path file : results) {
          String name = file.getFileName().toString();
          MediaObject obj =
              name.endsWith(".m3u8") ? target : MediaObject.of(target.bucket(), dir + name);
          Path dest = store.resolve(obj, "saveAs");
          store.commit(file, dest);
          moved.add(dest);
          objects.add(obj);
        }
      } else {
        for (int i = 0; i < results.size(); i++) {
          MediaObject obj = MediaObject.of(target.bucket(), indexedKey(target.key(), i + 1));
          Path dest = store.resolve(obj, "saveAs");
          store.commit(results.get(i), dest);
          moved.add(dest);
          objects.add(obj);
        }
      }
      return objects;
    } catch (IOException | RuntimeException e) {
      for (Path p : moved) {
        Files.deleteIfExists(p);
      }
      throw e;
    }
  }

  static String indexedKey(String key, int index) {
    if (INDEX.matcher(key).find()) {
      return INDEX.matcher(key).replaceAll(String.valueOf(index));
    }
    int slash = key.lastIndexOf('/');
    int dot = key.lastIndexOf('.');
    return dot > slash + 1
        ? key.substring(0, dot) + "-" + index + key.substring(dot)
        : key + "-" + index;
  }

  private static String baseName(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1).replace("{index}", "");
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return stem.isEmpty() ? "result" : stem;
  }

  static String extension(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT) : "";
  }

  // ---- status and cancel

  @Override
  public JobStatus status(JobId id) {
    LocalJob job = jobs.get(id.vendorId());
    if (job != null) {
      synchronized (job) {
        return job.snapshot(id);
      }
    }
    return records
        .read(id)
        .orElseThrow(
            () ->
                new MediaServiceException(
                    ID,
                    404,
                    "NoSuchJob",
                    "",
                    "no local job "
                        + id.vendorId()
                        + " under "
                        + store.root()
                        + " (jobs are kept in the process that ran them, and recorded when they end)"));
  }

  @Override
  public void cancel(JobId id) {
    LocalJob job = jobs.get(id.vendorId());
    if (job == null) {
      status(id); // unknown -> NoSuchJob; finished in another process -> nothing to cancel
      return;
    }
    synchronized (job) {
      for (LocalJob.OutputRun run : job.outputs) {
        run.cancelIfQueued();
      }
      finishIfDone(job);
    }
    // Running outputs: kill their process and wait until their worker has cleaned up and recorded
    // them.
    for (LocalJob.OutputRun run : job.outputs) {
      run.stop(java.time.Duration.ofSeconds(10));
    }
  }

  /** Forgets finished jobs older than {@code keepJobs}; their records stay readable. */
  private void evictOldJobs() {
    long keepMillis = settings.keepJobs().toMillis();
    jobs.values()
        .removeIf(
            j ->
                clock.millis() - j.created.toEpochMilli() > keepMillis
                    && j.snapshot(JobId.of(ID, j.id)).isTerminal());
  }

  /**
   * Stops taking jobs; running and queued outputs still finish (a cancelled job's do not start).
   */
  @Override
  public void close() {
    workers.shutdown();
  }

  /**
   * Checks the root folder ({@code media.local.root}): a writable folder, or absent under a
   * writable folder (it is made on the first write). The bucket is not needed.
   */
  @Override
  public AccessCheck checkAccess(String bucket) {
    Path root = settings.root();
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("root", root.toString());
    if (Files.isDirectory(root)) {
      boolean writable = Files.isWritable(root) && Files.isReadable(root);
      details.put("writable", String.valueOf(writable));
      return writable ? AccessCheck.accepted(details) : AccessCheck.refused(details);
    }
    if (Files.exists(root)) {
      details.put("reason", "not a folder");
      return AccessCheck.refused(details);
    }
    Path parent = root.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    boolean creatable = parent != null && Files.isDirectory(parent) && Files.isWritable(parent);
    details.put("reason", creatable ? "absent, made on the first write" : "absent, cannot be made");
    return creatable ? AccessCheck.accepted(details) : AccessCheck.refused(details);
  }

  @Override
  public Optional<UrlSigner> urls() {
    return Optional.of(urls);
  }

  @Override
  public Optional<MediaProber> probes() {
    return Optional.of(prober);
  }

  @Override
  public Optional<UploadProtocol> uploads() {
    return Optional.of(new LocalUploads(store));
  }

  @Override
  public Optional<UploadGranter> uploadGrants() {
    return Optional.of(grants);
  }
}
