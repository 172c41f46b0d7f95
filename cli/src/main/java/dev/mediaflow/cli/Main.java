package dev.mediaflow.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mediaflow.JobFailedException;
import dev.mediaflow.JobTimeoutException;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaConfigException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.internal.Durations;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.PipelineSpec;
import dev.mediaflow.pipeline.VendorRequest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code mediaflow} command.
 *
 * <p>Exit codes: 0 success; 1 the job ended other than in success; 2 bad input, configuration or
 * usage; 3 a watch timed out; 4 the provider could not be reached or said no.
 */
@Command(
    name = "mediaflow",
    mixinStandardHelpOptions = true,
    version = "mediaflow 0.1.0-SNAPSHOT",
    description = "Render, submit and track media pipelines on OSS, Qiniu or this machine.",
    subcommands = {
      Main.Render.class,
      Main.Submit.class,
      Main.Status.class,
      Main.Watch.class,
      JobsCommands.Jobs.class,
      JobsCommands.Receive.class,
      UploadCommand.class,
      GrantCommand.class,
      FakeServerCommand.class,
      SettingsCommand.class,
      DeliveryCommands.Url.class,
      DeliveryCommands.Probe.class,
      ServeCommand.class
    })
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int JOB_FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int TIMED_OUT = 3;
  static final int SERVICE_ERROR = 4;

  private final Map<String, String> environment;

  Main(Map<String, String> environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.getenv()));
  }

  /** Runs the command with the given streams and environment; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine cli = new CommandLine(new Main(environment));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          boolean debug = parsed.originalArgs().contains("--debug");
          return report(e, cmd.getErr(), debug);
        });
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("mediaflow: " + e.getMessage());
          e.getCommandLine()
              .getErr()
              .println("Try 'mediaflow " + e.getCommandLine().getCommandName() + " --help'.");
          return BAD_INPUT;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static int report(Exception e, PrintWriter err, boolean debug) {
    int code;
    String line;
    if (e instanceof JobFailedException f) {
      code = JOB_FAILED;
      line = f.getMessage();
    } else if (e instanceof MediaValidationException
        || e instanceof MediaConfigException
        || e instanceof UnsupportedMediaOperationException) {
      code = BAD_INPUT;
      line = e.getMessage();
    } else if (e instanceof JobTimeoutException) {
      code = TIMED_OUT;
      line = e.getMessage();
    } else if (e instanceof MediaException) {
      code = SERVICE_ERROR;
      line = e.getMessage();
    } else if (e instanceof CliException c) {
      code = c.code;
      line = c.getMessage();
    } else {
      code = SERVICE_ERROR;
      line = "unexpected error: " + e;
    }
    err.println("mediaflow: " + line);
    if (debug) {
      e.printStackTrace(err);
    } else if (code == SERVICE_ERROR && !(e instanceof MediaException)) {
      err.println("Run again with --debug for the stack trace.");
    }
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    return BAD_INPUT;
  }

  /** An error of the command line itself, with its exit code. */
  static final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    CliException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** Options every subcommand takes. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "A properties file with media.* settings.")
    Path config;

    @Option(
        names = {"-D"},
        paramLabel = "KEY=VALUE",
        description = "Sets a setting, such as -Dmedia.oss.region=cn-hangzhou.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--debug", description = "Prints stack traces and debug logs.")
    boolean debug;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    MediaConfig config(String provider) {
      if (config != null && !Files.isRegularFile(config)) {
        throw new CliException(BAD_INPUT, "config file not found: " + config);
      }
      if (debug) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      }
      MediaConfig.Builder b =
          MediaConfig.builder().systemProperties().environment(parent.environment);
      if (config != null) {
        b.file(config);
      }
      settings.forEach(b::put);
      if (provider != null) {
        b.put(MediaConfig.PROVIDER, provider);
      }
      return b.build();
    }

    /** Reads {@code BUCKET/KEY}: the bucket up to the first '/', the key after it. */
    static MediaObject object(String text) {
      int slash = text.indexOf('/');
      if (slash <= 0 || slash == text.length() - 1) {
        throw new MediaValidationException(
            "BUCKET/KEY",
            "must be a bucket and a key separated by '/', such as media/raw/intro.mov, was \""
                + text
                + "\"");
      }
      return MediaObject.of(text.substring(0, slash), text.substring(slash + 1));
    }

    static Pipeline readSpec(String spec) {
      try (Reader r =
          spec.equals("-")
              ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
              : Files.newBufferedReader(Path.of(spec), StandardCharsets.UTF_8)) {
        return PipelineSpec.parse(r);
      } catch (NoSuchFileException e) {
        throw new CliException(BAD_INPUT, "spec file not found: " + spec);
      } catch (IOException e) {
        throw new CliException(BAD_INPUT, "cannot read spec " + spec + ": " + e.getMessage());
      } catch (MediaValidationException e) {
        throw new MediaValidationException(e.field(), e.problem() + " (in " + spec + ")");
      }
    }
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      description =
          "Prints, for each request the pipeline would send, its processing string on one line (OSS style, Qiniu fops, or the COS job's XML body). Sends nothing.")
  static final class Render extends Base {
    @Option(
        names = "--provider",
        paramLabel = "ID",
        description = "The provider instance to render for (default: media.provider).")
    String provider;

    @Option(
        names = "--json",
        description =
            "Prints the whole requests (method, URL, headers, body) as JSON, without secrets.")
    boolean json;

    @Parameters(
        paramLabel = "SPEC.json",
        description = "The pipeline spec; - reads standard input.")
    String specFile;

    @Override
    public Integer call() {
      Pipeline pipeline = readSpec(specFile);
      try (MediaClient media = MediaClient.create(config(provider))) {
        List<VendorRequest> requests = media.render(pipeline);
        if (json) {
          JsonArray all = new JsonArray();
          for (VendorRequest r : requests) {
            JsonObject o = new JsonObject();
            o.addProperty("processing", r.processing());
            o.addProperty("method", r.method());
            o.addProperty("url", r.url());
            JsonObject headers = new JsonObject();
            r.headers().forEach(headers::addProperty);
            o.add("headers", headers);
            o.addProperty("body", r.body());
            JsonArray outs = new JsonArray();
            r.outputs().forEach(outs::add);
            o.add("outputs", outs);
            all.add(o);
          }
          out()
              .println(
                  new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(all));
        } else {
          requests.forEach(r -> out().println(r.processing()));
        }
      }
      return OK;
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description =
          "Submits the pipeline, records the job in the job store ('mediaflow jobs') and prints the job id, which status and watch take.")
  static final class Submit extends Base {
    @Option(
        names = "--provider",
        paramLabel = "ID",
        description = "The provider instance to submit to (default: media.provider).")
    String provider;

    @Option(
        names = "--notify-url",
        paramLabel = "URL",
        description =
            "Where the vendor reports the job's end (an http(s) URL, such as the one 'mediaflow receive' listens on); replaces the spec's notify.")
    String notifyUrl;

    @Option(
        names = "--tag",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "A tag stored with the job ('mediaflow jobs' shows it).")
    String tag;

    @Parameters(
        paramLabel = "SPEC.json",
        description = "The pipeline spec; - reads standard input.")
    String specFile;

    @Override
    public Integer call() {
      Pipeline pipeline = readSpec(specFile);
      if (notifyUrl != null) {
        pipeline = pipeline.toBuilder().notifyUrl(notifyUrl).build();
      }
      try (MediaClient media = MediaClient.create(config(provider))) {
        Job job = media.submit(pipeline, tag);
        out().println(job.id());
        out().flush();
        if (job.id().provider().equals("local")) {
          // Local jobs run inside this process: leaving now would kill them.
          PrintWriter err = spec.commandLine().getErr();
          err.println(
              "Local jobs run inside this process: waiting for the job to end ('mediaflow status "
                  + job.id()
                  + "' shows it later).");
          JobStatus end = job.future().join();
          err.println(end.summary());
          return end.state() == JobState.SUCCEEDED ? OK : JOB_FAILED;
        }
      }
      return OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Prints a job's state and the result of each output.")
  static final class Status extends Base {
    @Parameters(paramLabel = "JOB_ID", description = "The id printed by submit.")
    String jobId;

    @Override
    public Integer call() {
      JobId id = JobId.parse(jobId);
      try (MediaClient media = MediaClient.forJob(config(null), id)) {
        print(out(), media.status(id));
      }
      return OK;
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description =
          "Follows a job until it ends, printing each change. Exits 0 when every output succeeded, 1 otherwise, 3 on timeout.")
  static final class Watch extends Base {
    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "1h",
        description = "How long to watch: 90s, 10m, 2h (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Parameters(paramLabel = "JOB_ID", description = "The id printed by submit.")
    String jobId;

    @Override
    public Integer call() throws InterruptedException {
      JobId id = JobId.parse(jobId);
      Duration limit = parseDuration(timeout);
      MediaConfig cfg = config(null).with("media.watch.deadline", limit.toMillis() + "ms");
      try (MediaClient media = MediaClient.forJob(cfg, id)) {
        PrintWriter out = out();
        CompletableFuture<JobStatus> done =
            media
                .job(id)
                .future(
                    (previous, current) -> {
                      synchronized (out) {
                        out.println(line(current));
                        out.flush();
                      }
                    });
        JobStatus last;
        try {
          last = done.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new CliException(SERVICE_ERROR, String.valueOf(e.getCause()));
        }
        print(out, last);
        return last.state() == JobState.SUCCEEDED ? OK : JOB_FAILED;
      }
    }

    private static String line(JobStatus s) {
      StringBuilder b = new StringBuilder(s.state().name());
      s.progress().ifPresent(p -> b.append(' ').append(p).append('%'));
      if (!s.message().isEmpty()) {
        b.append("  ").append(s.message());
      }
      return b.toString();
    }
  }

  static Duration parseDuration(String text) {
    Duration d = Durations.parse(text);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new CliException(
          BAD_INPUT, "--timeout must look like 90s, 10m or 2h, was '" + text + "'");
    }
    return d;
  }

  /** Prints a status: a header line, then one line per output. */
  static void print(PrintWriter out, JobStatus s) {
    StringBuilder head = new StringBuilder("job ").append(s.id()).append("  ").append(s.state());
    s.progress().ifPresent(p -> head.append("  ").append(p).append('%'));
    if (!s.message().isEmpty()) {
      head.append("  ").append(s.message());
    }
    out.println(head);
    for (OutputResult o : s.outputs()) {
      StringBuilder line =
          new StringBuilder(String.format("  output %-3d %-10s", o.index(), o.state()));
      if (!o.objects().isEmpty()) {
        line.append(' ')
            .append(o.objects().stream().map(Object::toString).collect(Collectors.joining(" ")));
      }
      if (!o.vendorCode().isEmpty()) {
        line.append(" [").append(o.vendorCode()).append(']');
      }
      if (!o.message().isEmpty()) {
        line.append(' ').append(o.message());
      }
      out.println(line.toString().stripTrailing());
    }
    s.warnings().forEach(w -> out.println("  warning: " + w));
    s.details().forEach((k, v) -> out.println("  " + k + ": " + v));
    out.flush();
  }
}
