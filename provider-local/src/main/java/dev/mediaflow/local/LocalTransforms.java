package dev.mediaflow.local;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * On-the-fly processing for the media server: runs a chain with FFmpeg (the local provider's own
 * {@link LocalRenderer} commands) and keeps the result in the cache folder, named by a hash of the
 * source's fingerprint (path, size, modification time; also of a watermark image) and the chain's
 * canonical JSON. A result is written in a work folder beside the cache and moved into place
 * atomically; at most {@code maxTransforms} run at once (the others wait, in order), and the same
 * transform asked for by several requests at once runs once.
 */
final class LocalTransforms {
  private final LocalSettings settings;
  private final LocalStore store;
  private final Supplier<LocalTools> tools;
  private final Path cacheDir;
  private final Semaphore slots;
  private final Map<String, CompletableFuture<Result>> running = new ConcurrentHashMap<>();
  private final AtomicLong runs = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  /** A processed result in the cache: its file and extension (which gives its content type). */
  record Result(Path file, String extension, String hash) {}

  /** A chain that cannot be applied to this source (HTTP 422), with a message for the client. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** FFmpeg failed (HTTP 500); the message is for the log, not the client. */
  static final class Failed extends Exception {
    Failed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  LocalTransforms(
      LocalSettings settings,
      LocalDeliverySettings delivery,
      LocalStore store,
      Supplier<LocalTools> tools) {
    this.settings = settings;
    this.store = store;
    this.tools = tools;
    this.cacheDir = delivery.cacheDir();
    this.slots = new Semaphore(delivery.maxTransforms(), true);
  }

  /** How many transforms ran FFmpeg (cache misses), for tests and benchmarks. */
  long runs() {
    return runs.get();
  }

  /** The most transforms seen running at once. */
  int peak() {
    return peak.get();
  }

  /**
   * Returns the processed result of {@code steps} on {@code source}, from the cache or made now.
   */
  Result result(MediaObject object, Path source, List<Operation> steps)
      throws Refused, Failed, IOException, InterruptedException {
    StringBuilder fingerprint = new StringBuilder();
    fingerprint(fingerprint, source);
    for (Operation op : steps) {
      if (op instanceof Watermark w && w.image().isPresent()) {
        fingerprint(fingerprint, existing(w.image().get()));
      }
    }
    String json = LocalUrl.stepsJson(object, steps);
    String hash = sha256(fingerprint + "\n" + json);
    String[] plan = plan(source, extension(object.key()), steps);
    String extension = plan[1];
    Path cached = cacheDir.resolve(hash.substring(0, 2)).resolve(hash + "." + extension);
    if (Files.isRegularFile(cached)) {
      return new Result(cached, extension, hash);
    }
    CompletableFuture<Result> mine = new CompletableFuture<>();
    CompletableFuture<Result> theirs = running.putIfAbsent(hash, mine);
    if (theirs != null) {
      return await(theirs);
    }
    try {
      // Another request may have finished it between the check above and now.
      if (!Files.isRegularFile(cached)) {
        run(source, plan[0], steps, cached);
      }
      Result r = new Result(cached, extension, hash);
      mine.complete(r);
      return r;
    } catch (Refused | Failed | IOException | InterruptedException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(hash, mine);
    }
  }

  private static Result await(CompletableFuture<Result> f)
      throws Refused, Failed, IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Refused r) {
        throw new Refused(r.getMessage());
      } else if (c instanceof Failed x) {
        throw new Failed(x.getMessage(), x);
      } else if (c instanceof IOException x) {
        throw new IOException(x.getMessage(), x);
      } else if (c instanceof InterruptedException) {
        throw new Failed("the request that ran this transform was interrupted", c);
      } else if (c instanceof RuntimeException x) {
        throw x;
      }
      throw new Failed(String.valueOf(c), c);
    }
  }

  /**
   * Checks the chain against the source and returns the extension to give the source (an image with
   * an unknown extension is read as jpg) and the result's: resize and watermark apply to images, so
   * a video needs a snapshot first.
   */
  private String[] plan(Path source, String sourceExt, List<Operation> steps)
      throws Refused, Failed {
    String ext = sourceExt;
    boolean image = isImage(ext);
    if (!image && !(steps.get(0) instanceof Snapshot) && !isKnownVideo(ext)) {
      image = probe(source).isImage();
      if (image) {
        ext = "jpg"; // FFmpeg reads the file whatever its name; the result is a JPEG
      }
    }
    String input = ext;
    for (Operation op : steps) {
      if (op instanceof Snapshot s) {
        ext = s.format().orElse(dev.mediaflow.op.ImageFormat.JPG).token();
        image = true;
        continue;
      }
      if (!image) {
        throw new Refused(
            op.type()
                + " on a URL applies to images; start the chain with a snapshot to take a frame");
      }
      LocalRenderer.Command c =
          LocalRenderer.render(
              op,
              new LocalRenderer.Input(Path.of("in"), FfprobeInfo.UNKNOWN, ext),
              new LocalRenderer.Extras(
                  List.of(),
                  Optional.of(Path.of("logo")),
                  Optional.of(Path.of("text")),
                  Optional.of(Path.of("font"))),
              Path.of("out"));
      ext = c.extension();
    }
    return new String[] {input, ext};
  }

  private void run(Path source, String sourceExt, List<Operation> steps, Path cached)
      throws Refused, Failed, IOException, InterruptedException {
    slots.acquire();
    int now = active.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    runs.incrementAndGet();
    Path work = null;
    try {
      Path tmp = Files.createDirectories(cacheDir.resolve("tmp"));
      work = Files.createTempDirectory(tmp, "t-");
      LocalTools t = tools.get();
      String ext = sourceExt;
      Path current = source;
      for (int i = 0; i < steps.size(); i++) {
        Operation op = steps.get(i);
        Path out = work.resolve("step-" + (i + 1));
        LocalRenderer.Command cmd =
            LocalRenderer.render(
                op,
                new LocalRenderer.Input(current, FfprobeInfo.UNKNOWN, ext),
                extras(op, work, i),
                out);
        List<String> command = new ArrayList<>();
        command.add(t.ffmpeg().toString());
        command.addAll(LocalRenderer.common(settings.threadsPerJob()));
        command.addAll(cmd.args());
        try {
          ToolRun.run(command, t.environment(), work, new ToolRun.Cancellation(), null);
        } catch (ToolRun.ToolFailure e) {
          throw new Failed(
              "FFmpeg failed on step " + (i + 1) + " (" + op.type() + "): " + e.tail, e);
        } catch (ToolRun.Cancelled e) {
          throw new InterruptedException("transform cancelled");
        }
        if (!Files.isRegularFile(out) || Files.size(out) == 0) {
          throw new Refused(
              "step "
                  + (i + 1)
                  + " ("
                  + op.type()
                  + ") produced nothing; is its offset past the end of the video?");
        }
        current = out;
        ext = cmd.extension();
      }
      Files.createDirectories(cached.getParent());
      Files.move(
          current, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      active.decrementAndGet();
      slots.release();
      if (work != null) {
        LocalTools.deleteTree(work);
      }
    }
  }

  private LocalRenderer.Extras extras(Operation op, Path work, int index)
      throws IOException, Refused {
    if (op instanceof Watermark w) {
      if (w.image().isPresent()) {
        return new LocalRenderer.Extras(
            List.of(), Optional.of(existing(w.image().get())), Optional.empty(), Optional.empty());
      }
      Path text = work.resolve("watermark-" + index + ".txt");
      Files.writeString(text, w.text().orElseThrow(), StandardCharsets.UTF_8);
      return new LocalRenderer.Extras(
          List.of(),
          Optional.empty(),
          Optional.of(text),
          Optional.of(LocalFonts.find(w.font(), settings.fontFile())));
    }
    return LocalRenderer.Extras.none();
  }

  private Path existing(MediaObject image) throws Refused {
    Path p;
    try {
      p = store.resolve(image, "watermark image");
    } catch (MediaValidationException e) {
      throw new Refused(e.getMessage());
    }
    if (!Files.isRegularFile(p)) {
      throw new Refused(
          "the watermark image " + image.bucket() + "/" + image.key() + " does not exist");
    }
    return p;
  }

  private FfprobeInfo probe(Path source) throws Failed {
    try {
      return FfprobeInfo.probe(tools.get(), source);
    } catch (IOException e) {
      throw new Failed("cannot probe the source: " + e.getMessage(), e);
    }
  }

  private static void fingerprint(StringBuilder b, Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    b.append(file)
        .append('\n')
        .append(a.size())
        .append('\n')
        .append(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS))
        .append('\n');
  }

  static boolean isImage(String ext) {
    return LocalRenderer.isImageExtension(ext) || ext.equals("gif");
  }

  private static boolean isKnownVideo(String ext) {
    for (dev.mediaflow.op.Container c : dev.mediaflow.op.Container.values()) {
      if (c.token().equals(ext)) {
        return true;
      }
    }
    return List.of("mov", "mkv", "avi", "m4v", "mpg", "mpeg").contains(ext);
  }

  static String extension(String key) {
    return LocalJobClient.extension(key);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
