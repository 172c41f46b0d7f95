package dev.mediaflow.cli;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalMediaServer;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mediaflow serve}: runs the local media server over the local provider's buckets until the
 * process is stopped.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the local buckets over HTTP until stopped (Ctrl-C): signed URLs checked on every request,",
      "processing on the fly (cached), Range, HEAD and ETag. Set media.local.baseUrl to the address it",
      "prints so that `mediaflow url` and MediaClient.url point here."
    })
final class ServeCommand extends Main.Base {
  @Option(
      names = "--port",
      paramLabel = "N",
      description =
          "The port (0: any free one; default: the port of media.local.baseUrl, else 8090).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every one).")
  String host;

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      defaultValue = "local",
      description = "The local provider instance whose media.<NAME>.* settings to use.")
  String instance;

  @Option(names = "--log", description = "Print one line per request: method, path and status.")
  boolean log;

  @Override
  public Integer call() {
    MediaConfig config = config(null);
    LocalMediaServer.Builder b =
        LocalMediaServer.builder().config(config).instance(instance).host(host);
    if (port != null) {
      b.port(port);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (LocalMediaServer server = b.start()) {
      Thread hook = new Thread(stopped::countDown, "mediaflow-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      PrintWriter out = out();
      if (log) {
        server.onRequest(out::println);
      }
      String listening =
          "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
      out.println("Local media server listening on " + listening);
      out.println(
          "URLs made with media."
              + instance
              + ".baseUrl="
              + server.baseUrl()
              + " are served here; stop with Ctrl-C.");
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down
        }
      }
    }
    return Main.OK;
  }
}
