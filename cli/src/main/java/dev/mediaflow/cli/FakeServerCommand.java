package dev.mediaflow.cli;

import dev.mediaflow.testkit.FakeQiniuServer;
import dev.mediaflow.testkit.LocalFopExecutor;
import dev.mediaflow.testkit.SimulatedFopExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mediaflow fake-server qiniu}: runs a testkit fake server until the process is stopped. */
@Command(name = "fake-server", mixinStandardHelpOptions = true,
    description = {"Runs a fake vendor server on 127.0.0.1 until stopped (Ctrl-C), for tests and demos: it checks",
        "signatures as the vendor does, so any client, the vendors' official SDKs included, can be pointed at it."})
final class FakeServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "VENDOR", description = "qiniu (oss comes with the OSS provider).")
  String vendor;

  @Option(names = "--port", paramLabel = "N", description = "The port (default: any free one, printed).")
  int port;

  @Option(names = "--data", paramLabel = "DIR", description = "Where objects are stored (default: a temporary folder).")
  Path data;

  @Option(names = "--access-key", paramLabel = "AK", defaultValue = "AK", description = "The access key it accepts (default: ${DEFAULT-VALUE}).")
  String accessKey;

  @Option(names = "--secret-key", paramLabel = "SK", defaultValue = "SK", description = "Its secret key (default: ${DEFAULT-VALUE}).")
  String secretKey;

  @Option(names = "--job-duration", paramLabel = "DURATION", defaultValue = "500ms",
      description = "How long each simulated fop takes (default: ${DEFAULT-VALUE}).")
  String jobDuration;

  @Option(names = "--fail", paramLabel = "REGEX", description = "Fails the fops whose command matches this pattern (simulated runs).")
  String fail;

  @Option(names = "--execute", paramLabel = "HOW", defaultValue = "simulated",
      description = "simulated (default) or local: run the fops for real with FFmpeg through the local provider.")
  String execute;

  @Override
  public Integer call() throws InterruptedException {
    if (!vendor.equals("qiniu")) {
      throw new Main.CliException(Main.BAD_INPUT, "no fake server for '" + vendor + "' yet; available: qiniu");
    }
    Duration duration = Main.parseDuration(jobDuration);
    SimulatedFopExecutor.Builder executor = SimulatedFopExecutor.builder().duration(duration);
    if (fail != null) {
      Pattern p = Pattern.compile(fail);
      executor.failWhen(cmd -> p.matcher(cmd).find(), "execute fop cmd failed: simulated failure (--fail " + fail + ")");
    }
    FakeQiniuServer.Builder b = FakeQiniuServer.builder().credentials(accessKey, secretKey).port(port);
    switch (execute) {
      case "simulated" -> b.executor(executor.build());
      case "local" -> b.executor(new LocalFopExecutor(Duration.ofHours(1)));
      default -> throw new Main.CliException(Main.BAD_INPUT, "--execute must be simulated or local, was '" + execute + "'");
    }
    if (data != null) {
      b.dataDir(data);
    }
    FakeQiniuServer server = b.build().start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "fake-server-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Fake Qiniu server listening on " + server.baseUrl() + " (objects in " + server.dataDir() + ")");
    out.println("Point Mediaflow at it with these settings (the secret key is the one you gave):");
    server.clientSettings().forEach((k, v) -> out.println("  " + k + "=" + (k.endsWith("secretKey") ? "<secret key>" : v)));
    out.println("Objects are served at " + server.baseUrl() + "/dl/<bucket>/<key>; stop with Ctrl-C.");
    out.flush();
    stopped.await();
    return Main.OK;
  }
}
