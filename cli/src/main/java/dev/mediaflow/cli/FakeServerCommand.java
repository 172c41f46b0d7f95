package dev.mediaflow.cli;

import dev.mediaflow.testkit.FakeServer;
import dev.mediaflow.testkit.LocalExecutor;
import dev.mediaflow.testkit.SimulatedExecutor;
import dev.mediaflow.testkit.cos.FakeCosServer;
import dev.mediaflow.testkit.oss.FakeOssServer;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mediaflow fake-server oss|qiniu|cos}: runs a testkit fake server until the process is
 * stopped.
 */
@Command(
    name = "fake-server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a fake vendor server on 127.0.0.1 until stopped (Ctrl-C), for tests and demos: it checks",
      "signatures as the vendor does, so any client, the vendors' official SDKs included, can be pointed at it."
    })
final class FakeServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "VENDOR", description = "oss, qiniu or cos.")
  String vendor;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port (default: any free one, printed).")
  int port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Where objects are stored (default: a temporary folder).")
  Path data;

  @Option(
      names = "--access-key",
      paramLabel = "AK",
      defaultValue = "AK",
      description = "The access key it accepts (default: ${DEFAULT-VALUE}).")
  String accessKey;

  @Option(
      names = "--secret-key",
      paramLabel = "SK",
      defaultValue = "SK",
      description = "Its secret key (default: ${DEFAULT-VALUE}).")
  String secretKey;

  @Option(
      names = "--job-duration",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      description = "How long each simulated task (fop) takes (default: ${DEFAULT-VALUE}).")
  String jobDuration;

  @Option(
      names = "--fail",
      paramLabel = "REGEX",
      description = "Fails the tasks whose style (fop) matches this pattern (simulated runs).")
  String fail;

  @Option(
      names = "--execute",
      paramLabel = "HOW",
      defaultValue = "simulated",
      description =
          "simulated (default) or local: run the tasks for real with FFmpeg through the local provider.")
  String execute;

  @Option(
      names = "--private-bucket",
      paramLabel = "NAME",
      description =
          "Makes a Qiniu bucket private: its download URLs then need a download token (e, token); repeatable.")
  java.util.List<String> privateBuckets = new java.util.ArrayList<>();

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      defaultValue = "*",
      description =
          "The origin browsers may upload and download from, such as http://localhost:3000, as a bucket's CORS rule"
              + " allows it (default: ${DEFAULT-VALUE}, any).")
  String corsOrigin;

  @Option(
      names = "--log",
      description = "Print one line per request: method, path, status and the vendor's error code.")
  boolean log;

  @Override
  public Integer call() throws InterruptedException {
    Duration duration = Main.parseDuration(jobDuration);
    Pattern failing = fail == null ? null : Pattern.compile(fail);
    if (!execute.equals("simulated") && !execute.equals("local")) {
      throw new Main.CliException(
          Main.BAD_INPUT, "--execute must be simulated or local, was '" + execute + "'");
    }
    boolean local = execute.equals("local");
    FakeServer server;
    Map<String, String> settings;
    String name;
    String secretSetting;
    switch (vendor) {
      case "qiniu" -> {
        SimulatedExecutor.Builder executor = SimulatedExecutor.builder().duration(duration);
        if (failing != null) {
          executor.failWhen(
              cmd -> failing.matcher(cmd).find(),
              "execute fop cmd failed: simulated failure (--fail " + fail + ")");
        }
        FakeQiniuServer.Builder b =
            FakeQiniuServer.builder()
                .credentials(accessKey, secretKey)
                .port(port)
                .executor(local ? new LocalExecutor(Duration.ofHours(1)) : executor.build());
        privateBuckets.forEach(b::privateBucket);
        if (data != null) {
          b.dataDir(data);
        }
        FakeQiniuServer q = b.build().start();
        server = q;
        settings = q.clientSettings();
        name = "Qiniu";
        secretSetting = "secretKey";
      }
      case "oss" -> {
        SimulatedExecutor.Builder executor = SimulatedExecutor.builder().duration(duration);
        if (failing != null) {
          executor.failWhen(
              p -> failing.matcher(p).find(),
              "InvalidParameter.ResourceContent",
              "simulated failure (--fail " + fail + ")");
        }
        FakeOssServer.Builder b =
            FakeOssServer.builder()
                .credentials(accessKey, secretKey)
                .port(port)
                .executor(local ? new LocalExecutor(Duration.ofHours(1)) : executor.build());
        if (data != null) {
          b.dataDir(data);
        }
        FakeOssServer o = b.build().start();
        server = o;
        settings = o.clientSettings(true);
        name = "OSS";
        secretSetting = "accessKeySecret";
      }
      case "cos" -> {
        SimulatedExecutor.Builder executor = SimulatedExecutor.builder().duration(duration);
        if (failing != null) {
          executor.failWhen(
              operation -> failing.matcher(operation).find(),
              "InternalError",
              "simulated failure (--fail " + fail + ")");
        }
        FakeCosServer.Builder b =
            FakeCosServer.builder()
                .credentials(accessKey, secretKey)
                .port(port)
                .executor(local ? new LocalExecutor(Duration.ofHours(1)) : executor.build());
        if (data != null) {
          b.dataDir(data);
        }
        FakeCosServer c = b.build().start();
        server = c;
        settings = c.clientSettings();
        name = "COS";
        secretSetting = "secretKey";
      }
      default ->
          throw new Main.CliException(
              Main.BAD_INPUT, "no fake server for '" + vendor + "'; available: oss, qiniu, cos");
    }
    server.cors(corsOrigin);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "fake-server-stop"));
    PrintWriter out = spec.commandLine().getOut();
    if (log) {
      server.onRequest(out::println);
    }
    out.println(
        "Fake "
            + name
            + " server listening on "
            + server.baseUrl()
            + " (objects in "
            + server.dataDir()
            + ")");
    out.println("Point Mediaflow at it with these settings (the secret key is the one you gave):");
    settings.forEach(
        (k, v) -> out.println("  " + k + "=" + (k.endsWith(secretSetting) ? "<secret key>" : v)));
    if (vendor.equals("qiniu")) {
      out.println(
          "Objects are served at " + server.baseUrl() + "/dl/<bucket>/<key>; stop with Ctrl-C.");
    } else if (vendor.equals("cos")) {
      out.println(
          "Send Host <bucket>.cos.<region>.myqcloud.com (objects) or <bucket>.ci.<region>.myqcloud.com"
              + " (jobs) to "
              + server.baseUrl()
              + ", or path-style /<bucket>/<key>; stop with Ctrl-C.");
    } else {
      out.println(
          "Path-style: objects at "
              + server.baseUrl()
              + "/<bucket>/<key>, IMM GetTask at "
              + server.baseUrl()
              + "/; stop with Ctrl-C.");
    }
    out.flush();
    stopped.await();
    return Main.OK;
  }
}
