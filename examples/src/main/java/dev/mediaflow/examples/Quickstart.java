package dev.mediaflow.examples;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.local.LocalProvider;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The README's quickstart: one pipeline, four outputs (a 720p H.264 MP4, a JPEG cover, a GIF
 * preview and an MP3), run on whichever provider the configuration names. On the local provider
 * (the default) it first writes a sample clip into the local bucket, so it needs no account and no
 * media.
 *
 * <pre>
 * ./quickstart                          # run it on this machine
 * ./quickstart --dry-run                # print what each provider would be sent, side by side
 * ./quickstart --source media/in.mov    # process your own object (needed on oss and qiniu)
 * </pre>
 *
 * <p>Configuration comes from the usual places ({@code -Dmedia.provider=qiniu}, {@code MEDIA_*}
 * variables, {@code media.config} file). Uses the public API only.
 */
public final class Quickstart {
  static final String BUCKET = "media";
  static final MediaObject SAMPLE = MediaObject.of(BUCKET, "samples/clip.mp4");

  private Quickstart() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean dryRun = false;
    MediaObject source = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dry-run" -> dryRun = true;
        case "--source" -> {
          if (i + 1 >= args.length || !args[i + 1].contains("/")) {
            err.println("--source needs BUCKET/KEY");
            return 2;
          }
          String v = args[++i];
          source = MediaObject.of(v.substring(0, v.indexOf('/')), v.substring(v.indexOf('/') + 1));
        }
        default -> {
          err.println("unknown argument " + args[i] + "; use --dry-run and --source BUCKET/KEY");
          return 2;
        }
      }
    }
    try {
      MediaConfig config = MediaConfig.load();
      String provider = config.providerIdOf(config.defaultInstance());
      if (provider.equals("local")) {
        // Local jobs run in this process: poll them often, it costs nothing.
        for (String[] kv :
            new String[][] {
              {"media.watch.initialDelay", "100ms"}, {"media.watch.maxDelay", "250ms"}
            }) {
          if (config.get(kv[0]).isEmpty()) {
            config = config.with(kv[0], kv[1]);
          }
        }
      }
      if (source == null && !dryRun) {
        if (!provider.equals("local")) {
          err.println(
              "On " + provider + ", name an object to process: ./quickstart --source BUCKET/KEY");
          return 2;
        }
        out.println(
            "Writing a 6 s 1080p sample clip to the local bucket: "
                + SAMPLE.bucket()
                + "/"
                + SAMPLE.key());
        LocalProvider.writeSampleClip(config, SAMPLE, 1920, 1080, Duration.ofSeconds(6));
      }
      Pipeline pipeline = pipeline(source == null ? SAMPLE : source);
      return dryRun ? dryRun(config, pipeline, out) : process(config, pipeline, out);
    } catch (MediaException e) {
      err.println("quickstart: " + e.getMessage());
      return 2;
    }
  }

  /** The pipeline: every output starts from the source and is saved next to it under out/. */
  public static Pipeline pipeline(MediaObject source) {
    String b = source.bucket();
    return Pipeline.from(source)
        .then(
            Transcode.builder()
                .container(Container.MP4)
                .videoCodec(VideoCodec.H264)
                .size(1280, 720)
                .audioBitrate(128_000)
                .build())
        .saveAs(b, "out/clip-720p.mp4")
        .then(
            Snapshot.builder()
                .at(Duration.ofSeconds(1))
                .format(ImageFormat.JPG)
                .size(640, 360)
                .build())
        .saveAs(b, "out/cover.jpg")
        .then(
            Animation.builder()
                .format(AnimationFormat.GIF)
                .width(320)
                .duration(Duration.ofSeconds(3))
                .fps(10)
                .build())
        .saveAs(b, "out/preview.gif")
        .then(AudioTranscode.builder().format(AudioFormat.MP3).bitrate(128_000).build())
        .saveAs(b, "out/audio.mp3")
        .build();
  }

  private static int process(MediaConfig config, Pipeline pipeline, PrintStream out) {
    try (MediaClient client = MediaClient.create(config)) {
      long start = System.nanoTime();
      Job job = client.submit(pipeline);
      out.println("Submitted " + job.id() + " (" + pipeline.outputs().size() + " outputs)");
      Progress progress = new Progress(out);
      JobStatus done;
      try {
        done = job.future(progress).get(30, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof MediaException m
            ? m
            : new IllegalStateException(e.getCause());
      } catch (Exception e) {
        out.println();
        out.println("Stopped waiting: " + e);
        return 1;
      }
      progress.finish(done);
      out.printf(Locale.ROOT, "%s in %.1f s%n%n", done.state(), (System.nanoTime() - start) / 1e9);
      table(pipeline, done, out);
      if (config.providerIdOf(config.defaultInstance()).equals("local")) {
        out.println();
        out.println(
            "Files: "
                + java.nio.file.Path.of(config.get("media.local.root").orElse("mediaflow-data"))
                    .toAbsolutePath()
                    .normalize()
                    .resolve(BUCKET)
                    .resolve("out"));
      }
      return done.state() == JobState.SUCCEEDED ? 0 : 1;
    }
  }

  /** A one-line progress bar, redrawn in place on a terminal, a line per 25% otherwise. */
  static final class Progress implements dev.mediaflow.job.JobListener {
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private int shown = -1;

    Progress(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void onChange(JobStatus previous, JobStatus current) {
      int pct = current.isTerminal() ? 100 : current.progress().orElse(0);
      if (terminal) {
        int filled = pct * 30 / 100;
        out.print(
            "\r["
                + "#".repeat(filled)
                + "-".repeat(30 - filled)
                + "] "
                + String.format(Locale.ROOT, "%3d%% ", pct)
                + current.state().name().toLowerCase(Locale.ROOT)
                + "   ");
        out.flush();
      } else if (pct / 25 > shown / 25 || shown < 0) {
        out.println(
            String.format(Locale.ROOT, "%3d%% ", pct)
                + current.state().name().toLowerCase(Locale.ROOT));
      }
      shown = pct;
    }

    synchronized void finish(JobStatus done) {
      if (terminal) {
        out.println();
      } else if (shown < 100) {
        out.println("100% " + done.state().name().toLowerCase(Locale.ROOT));
      }
    }
  }

  static void table(Pipeline pipeline, JobStatus status, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "KEY", "STATE", "SIZE", "DURATION / DIMENSIONS"});
    for (OutputResult r : status.outputs()) {
      Output o = pipeline.outputs().get(r.index());
      String key =
          r.objects().isEmpty()
              ? o.saveAs().map(MediaObject::key).orElse("-")
              : r.objects().get(0).key()
                  + (r.objects().size() > 1 ? " (+" + (r.objects().size() - 1) + ")" : "");
      String at = "outputs[" + r.index() + "].";
      String size =
          status.details().containsKey(at + "bytes")
              ? bytes(Long.parseLong(status.details().get(at + "bytes")))
              : "-";
      List<String> shape = new ArrayList<>();
      if (status.details().containsKey(at + "duration")) {
        shape.add(status.details().get(at + "duration") + " s");
      }
      if (status.details().containsKey(at + "dimensions")) {
        shape.add(status.details().get(at + "dimensions"));
      }
      rows.add(
          new String[] {
            String.valueOf(r.index() + 1),
            key,
            r.state().name().toLowerCase(Locale.ROOT),
            size,
            shape.isEmpty() ? "-" : String.join(", ", shape)
          });
    }
    int[] width = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == 3
                ? " ".repeat(width[i] - row[i].length()) + row[i]
                : row[i] + " ".repeat(width[i] - row[i].length()));
        line.append("  ");
      }
      out.println(line.toString().stripTrailing());
    }
    for (OutputResult r : status.outputs()) {
      if (r.state() != JobState.SUCCEEDED && !r.message().isEmpty()) {
        out.println("output " + (r.index() + 1) + ": " + r.message());
      }
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    return n < 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
        : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }

  /** What each provider would be sent for this pipeline, output by output. */
  private static int dryRun(MediaConfig config, Pipeline pipeline, PrintStream out) {
    List<String> providers = List.of("local", "oss", "qiniu");
    List<List<VendorRequest>> rendered = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String p : providers) {
      MediaConfig c = config.with("media.provider", p);
      if (p.equals("qiniu") && c.get("media.qiniu.accessKey").isEmpty()) {
        // Rendering signs nothing: placeholders let a dry run show Qiniu's fops without an account.
        c = c.with("media.qiniu.accessKey", "dry-run").with("media.qiniu.secretKey", "dry-run");
      }
      if (p.equals("oss") && c.get("media.oss.accessKeyId").isEmpty()) {
        c = c.with("media.oss.accessKeyId", "dry-run").with("media.oss.accessKeySecret", "dry-run");
        if (c.get("media.oss.region").isEmpty()) {
          c = c.with("media.oss.region", "cn-hangzhou");
        }
      }
      try (MediaClient client = MediaClient.create(c)) {
        rendered.add(client.render(pipeline));
        problems.add("");
      } catch (MediaException e) {
        rendered.add(List.of());
        problems.add(e.getMessage());
      }
    }
    for (int p = 0; p < providers.size(); p++) {
      if (!problems.get(p).isEmpty()) {
        out.println(providers.get(p) + ": not rendered: " + problems.get(p));
      }
    }
    out.println();
    for (int i = 0; i < pipeline.outputs().size(); i++) {
      Output o = pipeline.outputs().get(i);
      out.println(
          "Output "
              + (i + 1)
              + ": "
              + o.steps().get(0).type()
              + " -> "
              + o.saveAs().map(s -> s.bucket() + "/" + s.key()).orElse("-"));
      for (int p = 0; p < providers.size(); p++) {
        String text = null;
        for (VendorRequest r : rendered.get(p)) {
          if (r.outputs().contains(i)) {
            text = r.processing();
            // One request for several outputs (Qiniu's fops): show this output's ';'-separated
            // part.
            String[] parts = text.split(";");
            if (r.outputs().size() > 1 && parts.length == r.outputs().size()) {
              text = parts[r.outputs().indexOf(i)];
            }
          }
        }
        if (!problems.get(p).isEmpty()) {
          continue;
        }
        String label = String.format(Locale.ROOT, "  %-6s ", providers.get(p));
        out.println(
            label + (text == null ? "-" : text.replace("\n", "\n" + " ".repeat(label.length()))));
      }
      out.println();
    }
    return 0;
  }
}
