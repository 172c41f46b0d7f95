package dev.mediaflow.cli;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.CheckpointStore;
import dev.mediaflow.upload.UploadListener;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadResult;
import dev.mediaflow.upload.UploadSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mediaflow upload}: one file to a bucket, resumable, with a progress bar and a verified
 * checksum.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Uploads a file, in parallel parts when it is larger than one part, and prints the stored object's "
          + "size, ETag and checksum (verified end to end).",
      "Progress is checkpointed after every part: after an interruption, run the same command with --resume to send "
          + "only the missing parts."
    })
final class UploadCommand extends Main.Base {
  @Option(
      names = "--provider",
      paramLabel = "ID",
      description = "The provider instance to upload to (default: media.provider).")
  String provider;

  @Option(
      names = "--resume",
      description =
          "Continues an interrupted upload of this file from its checkpoint. Without "
              + "it, an earlier interrupted upload to the same target is aborted and the file is sent again.")
  boolean resume;

  @Option(
      names = "--part-size",
      paramLabel = "BYTES",
      description =
          "Part size: bytes, or with KiB, MiB, GiB "
              + "(default: the provider's, 8MiB for OSS, 4MiB for Qiniu).")
  String partSize;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parts sent at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description =
          "Where checkpoints are kept (default: "
              + "media.upload.checkpointDir, else ~/.mediaflow/checkpoints).")
  Path checkpointDir;

  @Option(
      names = "--content-type",
      paramLabel = "TYPE",
      description = "The stored object's Content-Type.")
  String contentType;

  @Option(names = "--no-progress", description = "Prints no progress bar.")
  boolean noProgress;

  @Parameters(index = "0", paramLabel = "LOCAL_FILE", description = "The file to upload.")
  Path file;

  @Parameters(
      index = "1",
      paramLabel = "BUCKET/KEY",
      description = "Where to store it, such as media/raw/intro.mov.")
  String target;

  @Override
  public Integer call() {
    MediaObject object = object(target);
    UploadRequest.Builder request =
        UploadRequest.builder(UploadSource.ofFile(file), object)
            .resume(resume)
            .parallelism(parallel);
    if (partSize != null) {
      request.partSize(bytes(partSize));
    }
    if (contentType != null) {
      request.contentType(contentType);
    }
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = noProgress ? null : new ProgressBar(err);
    if (bar != null) {
      request.listener(bar);
    }
    MediaClient.Builder b = MediaClient.builder().config(config(provider));
    if (checkpointDir != null) {
      b.checkpoints(CheckpointStore.inDirectory(checkpointDir));
    }
    try (MediaClient media = b.build()) {
      UploadResult r = media.upload(request.build());
      if (bar != null) {
        bar.finish();
      }
      PrintWriter out = out();
      out.println("stored    " + r.object());
      out.println("size      " + r.size());
      out.println("etag      " + r.etag());
      out.println(
          String.format(Locale.ROOT, "%-9s %s (verified)", r.checksumAlgorithm(), r.checksum()));
      out.println(
          "parts     "
              + r.parts()
              + (r.partsResumed() > 0
                  ? " (" + r.partsResumed() + " resumed from the checkpoint)"
                  : ""));
      r.job().ifPresent(j -> out.println("job       " + j));
      out.flush();
    } catch (RuntimeException e) {
      if (bar != null) {
        bar.finish();
      }
      if (!(e instanceof MediaValidationException)) {
        err.println(
            "mediaflow: the upload stopped. Its progress is checkpointed: run the same command with --resume to "
                + "continue.");
      }
      throw e;
    }
    return Main.OK;
  }

  /**
   * Parses {@code 8388608}, {@code 8MiB}, {@code 512KiB}, {@code 1GiB} (also KB/MB/GB and K/M/G,
   * all binary).
   */
  static long bytes(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (String[] u :
        new String[][] {
          {"KIB", "1024"},
          {"MIB", "1048576"},
          {"GIB", "1073741824"},
          {"KB", "1024"},
          {"MB", "1048576"},
          {"GB", "1073741824"},
          {"K", "1024"},
          {"M", "1048576"},
          {"G", "1073741824"},
          {"B", "1"}
        }) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new MediaValidationException(
          "--part-size", "must be a number of bytes such as 8388608 or 8MiB, was \"" + text + "\"");
    }
  }

  /** A one-line bar on standard error, redrawn at most every 200 ms. */
  static final class ProgressBar implements UploadListener {
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long drawn;
    private long lastSent;
    private long lastTotal = -1;

    /** The bytes already stored when this run started (a resume), left out of the rate. */
    private long base = -1;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public synchronized void onProgress(long sent, long total) {
      if (base < 0) {
        base = Math.max(0, sent - 64 * 1024);
      }
      lastSent = sent;
      lastTotal = total;
      long now = System.nanoTime();
      if (now - drawn >= 200_000_000L || (total >= 0 && sent == total)) {
        drawn = now;
        draw();
      }
    }

    synchronized void finish() {
      if (drawn != 0) {
        draw();
        err.println();
        err.flush();
      }
    }

    private void draw() {
      double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
      double mib = lastSent / 1048576.0;
      String rate =
          String.format(
              Locale.ROOT, "%.1f MiB/s", (lastSent - Math.max(0, base)) / 1048576.0 / seconds);
      if (lastTotal > 0) {
        int width = 30;
        int filled = (int) Math.min(width, lastSent * width / lastTotal);
        err.print(
            String.format(
                Locale.ROOT,
                "\r[%s%s] %3d%% %.1f/%.1f MiB %s ",
                "#".repeat(filled),
                " ".repeat(width - filled),
                lastSent * 100 / lastTotal,
                mib,
                lastTotal / 1048576.0,
                rate));
      } else {
        err.print(String.format(Locale.ROOT, "\r%.1f MiB %s ", mib, rate));
      }
      err.flush();
    }
  }
}
