package dev.mediaflow.jobs.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests: a fresh cluster made by Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}) in a temporary folder, listening on 127.0.0.1 at a
 * free port with its socket in that folder, trusting local connections, stopped and deleted by
 * {@link #close()}. {@code initdb} refuses to run as root, so as root the server runs as the {@code
 * postgres} system user. Without PostgreSQL the tests are skipped, except under {@code CI=true},
 * where they fail: {@code .ci/system-packages} installs it there.
 */
final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path base;
  private final Path data;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path bin, Path base, int port, boolean asPostgres) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** Starts a new server; fails, never skips, when PostgreSQL is not installed. */
  static PostgresServer start() throws IOException, InterruptedException {
    Optional<Path> bin = findBin();
    if (bin.isEmpty()) {
      throw new IllegalStateException(
          "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run"
              + " .ci/system-packages as root, or apt-get install postgresql");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = Files.createTempDirectory("mediaflow-pg");
    PostgresServer server = new PostgresServer(bin.get(), base, freePort(), root);
    try {
      if (root) {
        run(List.of("chown", "-R", "postgres", base.toString()));
      }
      server.pg(
          "initdb",
          "-D",
          server.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync",
          "--no-instructions");
      server.pg(
          "pg_ctl",
          "-D",
          server.data.toString(),
          "-l",
          base.resolve("server.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-p "
              + server.port
              + " -c listen_addresses=127.0.0.1 -k "
              + base
              + " -c fsync=off -c max_connections=200",
          "start");
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Returns a data source on the server's {@code postgres} database, as the superuser. */
  PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    return ds;
  }

  /** Returns the JDBC URL of the server's {@code postgres} database. */
  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      System.err.println("Cannot stop the test PostgreSQL server: " + e.getMessage());
    } finally {
      delete(base);
    }
  }

  private void pg(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "failed ("
              + p.exitValue()
              + "): "
              + command
              + "\n"
              + new String(out, StandardCharsets.UTF_8));
    }
  }

  private static Optional<Path> findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(PostgresServer::version));
    }
  }

  private static int version(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D.*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Cannot delete " + dir + ": " + e.getMessage());
    }
  }
}
