package dev.mediaflow.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Runs one external program to completion: progress ({@code out_time_us=} lines of FFmpeg's {@code
 * -progress pipe:1}) goes to a listener, the tail of stderr is kept for the failure message, and
 * {@link Cancellation#cancel()} stops the process.
 */
final class ToolRun {
  static final int TAIL_LINES = 12;

  private ToolRun() {}

  /** A program that ended with a non-zero exit code, or could not start. */
  static final class ToolFailure extends Exception {
    final String tail;

    ToolFailure(String message, String tail) {
      super(message);
      this.tail = tail;
    }
  }

  /** Cancels the running program of one output; cancelling before start stops it from starting. */
  static final class Cancellation {
    private Process process;
    private boolean cancelled;

    synchronized void cancel() {
      cancelled = true;
      if (process != null) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }

    synchronized boolean isCancelled() {
      return cancelled;
    }

    private synchronized boolean attach(Process p) {
      process = p;
      return !cancelled;
    }
  }

  /** Thrown when the run was cancelled. */
  static final class Cancelled extends Exception {
    Cancelled() {
      super("cancelled");
    }
  }

  static void run(
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Cancellation cancellation,
      LongConsumer outTimeMicros)
      throws ToolFailure, Cancelled {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new ToolFailure("cannot start " + command.get(0) + ": " + e.getMessage(), "");
    }
    if (!cancellation.attach(process)) {
      process.destroyForcibly();
      throw new Cancelled();
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread errReader =
        new Thread(() -> keepTail(process.getErrorStream(), tail), "mediaflow-stderr");
    errReader.setDaemon(true);
    errReader.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (outTimeMicros == null) {
          synchronized (
              tail) { // not FFmpeg: what the program prints (LibreOffice's errors) belongs in the
            // tail
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
              tail.removeFirst();
            }
          }
        } else if (line.startsWith("out_time_us=")) {
          try {
            outTimeMicros.accept(Long.parseLong(line.substring("out_time_us=".length()).trim()));
          } catch (NumberFormatException ignored) {
            // "N/A" before the first frame
          }
        }
      }
    } catch (IOException ignored) {
      // the process was killed; its exit code tells
    }
    int exit;
    try {
      exit = process.waitFor();
      errReader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new Cancelled();
    }
    if (cancellation.isCancelled()) {
      throw new Cancelled();
    }
    if (exit != 0) {
      String text;
      synchronized (tail) {
        text = String.join("\n", tail);
      }
      throw new ToolFailure(
          Path.of(command.get(0)).getFileName() + " exited with code " + exit, text);
    }
  }

  private static void keepTail(InputStream err, Deque<String> tail) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (tail) {
          tail.addLast(line.length() > 400 ? line.substring(0, 400) + "..." : line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // process gone
    }
  }
}
