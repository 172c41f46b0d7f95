package dev.mediaflow.job;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * Owner ids of watching processes, {@code pid@host/random}, and whether one names a gone process.
 */
final class Owners {
  private static final String HOST = host();

  private Owners() {}

  /** Returns a new owner id for a watcher of this process. */
  static String newOwner() {
    return ProcessHandle.current().pid()
        + "@"
        + HOST
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Returns true when {@code owner} names a process of this machine that has exited: its lease is
   * worthless, whatever its expiry says.
   */
  static boolean isGoneLocalProcess(String owner) {
    int at = owner.indexOf('@');
    int slash = owner.lastIndexOf('/');
    if (at <= 0 || slash < at || !owner.substring(at + 1, slash).equals(HOST)) {
      return false;
    }
    try {
      long pid = Long.parseLong(owner.substring(0, at));
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      return p.isEmpty() || !p.get().isAlive();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
