package dev.mediaflow.cli;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobListener;
import dev.mediaflow.job.JobRecord;
import dev.mediaflow.job.JobStore;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.notify.NotificationRouter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mediaflow receive} and {@code mediaflow jobs}: notifications and the job store. */
final class JobsCommands {
  private JobsCommands() {}

  @Command(
      name = "receive",
      mixinStandardHelpOptions = true,
      description =
          "Takes the vendors' notifications for every configured instance on one HTTP port (any path; the vendor is recognised from the request), prints '<job id> <state>' for each verified event and refuses the rest. Runs until stopped.")
  static final class Receive extends Main.Base {
    @Option(
        names = "--port",
        required = true,
        paramLabel = "N",
        description = "The port to listen on (0 picks a free one, printed on standard error).")
    int port;

    @Option(
        names = "--bind",
        paramLabel = "ADDRESS",
        defaultValue = "0.0.0.0",
        description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws IOException, InterruptedException {
      MediaConfig cfg = config(null);
      PrintWriter err = spec.commandLine().getErr();
      List<MediaClient> clients = new ArrayList<>();
      for (String name : cfg.instances()) {
        try {
          clients.add(MediaClient.create(cfg, name));
        } catch (MediaException e) {
          err.println("mediaflow: skipping instance " + name + ": " + e.getMessage());
        }
      }
      NotificationRouter router = NotificationRouter.of(clients);
      if (router.clients().isEmpty()) {
        clients.forEach(MediaClient::close);
        throw new Main.CliException(
            Main.BAD_INPUT,
            "no configured instance takes notifications (configure an oss, qiniu or cos instance)");
      }
      PrintWriter out = out();
      NotificationReceiver receiver =
          NotificationReceiver.start(
              new InetSocketAddress(bind, port),
              "/",
              request -> {
                IntakeResult r = router.receive(request);
                synchronized (out) {
                  for (JobEvent e : r.events()) {
                    out.println(e.status().id() + " " + e.status().state());
                  }
                  out.flush();
                }
                return r;
              });
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    receiver.close();
                    clients.forEach(MediaClient::close);
                  }));
      List<String> names = new ArrayList<>();
      router.clients().forEach(c -> names.add(c.instance()));
      err.println("listening on port " + receiver.port() + " for " + String.join(", ", names));
      err.flush();
      new CountDownLatch(1).await();
      return Main.OK;
    }
  }

  @Command(
      name = "jobs",
      mixinStandardHelpOptions = true,
      description =
          "Lists the stored jobs that have not ended (media.jobs.*) with their last known states; with --watch, follows them all to their end, printing '<job id> <state>' as each ends, and picks them up again when run after being stopped.")
  static final class Jobs extends Main.Base {
    @Option(names = "--watch", description = "Follows every open job until it ends.")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
      MediaConfig cfg = config(null);
      JobStore store = JobStore.configured(cfg);
      return watch ? watchAll(cfg, store) : list(store);
    }

    private int list(JobStore store) {
      PrintWriter out = out();
      Instant now = Instant.now();
      for (JobRecord r : store.open()) {
        StringBuilder line = new StringBuilder(r.id().toString()).append(' ').append(r.state());
        if (r.state().isTerminal()) {
          line.append(" (not yet delivered)");
        }
        if (!r.tag().isEmpty()) {
          line.append("  tag=").append(r.tag());
        }
        if (!r.owner().isEmpty() && r.leaseExpiry().isAfter(now)) {
          line.append("  watched by ").append(r.owner());
        }
        if (r.deadline().isBefore(now)) {
          line.append("  past its deadline");
        }
        out.println(line);
      }
      out.flush();
      return Main.OK;
    }

    private int watchAll(MediaConfig cfg, JobStore store) throws InterruptedException {
      PrintWriter out = out();
      PrintWriter err = spec.commandLine().getErr();
      Map<String, MediaClient> clients = new LinkedHashMap<>();
      Set<String> skipped = new HashSet<>();
      Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
      JobListener printer =
          (previous, current) -> {
            if (current.isTerminal() && ended.add(JobRecord.key(current.id()))) {
              synchronized (out) {
                out.println(current.id() + " " + current.state());
                out.flush();
              }
            }
          };
      try {
        while (true) {
          Instant now = Instant.now();
          List<JobRecord> open = new ArrayList<>();
          for (JobRecord r : store.open()) {
            if (skipped.contains(r.key())) {
              continue;
            }
            if (r.deadline().isBefore(now) && !r.state().isTerminal()) {
              skipped.add(r.key());
              err.println("mediaflow: " + r.id() + " is past its watch deadline; not followed");
              continue;
            }
            open.add(r);
          }
          if (open.isEmpty()) {
            return Main.OK;
          }
          for (JobRecord r : open) {
            if (!clients.containsKey(r.instance()) && !skipped.contains(r.key())) {
              try {
                clients.put(r.instance(), MediaClient.forJob(cfg, r.id()));
              } catch (MediaException e) {
                skipped.add(r.key());
                err.println("mediaflow: cannot follow " + r.id() + ": " + e.getMessage());
              }
            }
          }
          for (MediaClient c : clients.values()) {
            List<Job> resumed = c.resume(printer);
            if (!resumed.isEmpty()) {
              err.println("following " + resumed.size() + " job(s) of " + c.instance());
              err.flush();
            }
          }
          Thread.sleep(500);
        }
      } finally {
        clients.values().forEach(MediaClient::close);
      }
    }
  }
}
