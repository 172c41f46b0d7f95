package dev.mediaflow.testkit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stored media file with ffprobe, the one beside the FFmpeg the local provider runs, for
 * the fakes' media-info answers (OSS {@code video/info}, COS {@code ci-process=videoinfo}), each
 * vendor shaping ffprobe's numbers its own way. Needs the local provider on the class path ({@link
 * #available()}). Thread-safe.
 */
public final class MediaProbe {
  /** A file ffprobe cannot read: its message. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  private final FakeObjects objects;
  private volatile ProcessBuilder ffprobe;

  public MediaProbe(FakeObjects objects) {
    this.objects = objects;
  }

  /** Returns whether the local provider, and so its FFmpeg, is on the class path. */
  public static boolean available() {
    try {
      Class.forName("dev.mediaflow.local.LocalProvider");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Returns ffprobe's JSON ({@code -show_format -show_streams}) for {@code file}. */
  public JsonObject probe(Path file) throws IOException, Unreadable {
    List<String> c = new ArrayList<>();
    c.add(template().command().get(0));
    c.addAll(
        List.of(
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            "file:" + file));
    ProcessBuilder pb = new ProcessBuilder(c);
    pb.environment().putAll(template().environment());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new Unreadable("The media file cannot be read: " + err);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return JsonParser.parseString(new String(out, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  /** ffprobe beside the FFmpeg the local provider runs, with its environment. */
  private ProcessBuilder template() {
    ProcessBuilder b = ffprobe;
    if (b == null) {
      MediaConfig config =
          MediaConfig.builder()
              .put("media.provider", "local")
              .put("media.local.root", objects.root().toString())
              .build();
      ProcessBuilder ffmpeg =
          dev.mediaflow.local.LocalProvider.ffmpegProcess(config, List.of("-version"));
      String exe = ffmpeg.command().get(0);
      Path sibling = Path.of(exe).resolveSibling("ffprobe");
      b = new ProcessBuilder(Files.isExecutable(sibling) ? sibling.toString() : "ffprobe");
      b.environment().putAll(ffmpeg.environment());
      ffprobe = b;
    }
    return b;
  }
}
