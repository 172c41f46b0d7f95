package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helpers: sample media made with FFmpeg's test sources, and ffprobe's view of a file. */
final class Media {
  static final LocalTools TOOLS =
      LocalTools.locate(
          new LocalSettings(
              Path.of("."),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              1,
              0,
              java.time.Duration.ofHours(1)));

  private Media() {}

  /**
   * Writes a clip: colour bars with a moving counter and a 440 Hz tone (or none), as H.264/AAC MP4.
   */
  static Path clip(Path file, int width, int height, double seconds, boolean audio)
      throws Exception {
    Files.createDirectories(file.getParent());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                TOOLS.ffmpeg().toString(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=" + width + "x" + height + ":rate=25:duration=" + seconds));
    if (audio) {
      cmd.addAll(
          List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:a", "aac"));
    }
    cmd.addAll(
        List.of(
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-f",
            "mp4",
            file.toString()));
    run(cmd);
    return file;
  }

  /** Writes a still image (a test pattern) in the format its extension names. */
  static Path image(Path file, int width, int height) throws Exception {
    Files.createDirectories(file.getParent());
    run(
        List.of(
            TOOLS.ffmpeg().toString(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=" + width + "x" + height + ":rate=1:duration=1",
            "-frames:v",
            "1",
            "-update",
            "1",
            file.toString()));
    return file;
  }

  /** Runs FFmpeg with {@code arguments} (quiet, overwriting). */
  static void ffmpeg(List<String> arguments) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(TOOLS.ffmpeg().toString(), "-hide_banner", "-loglevel", "error", "-y"));
    cmd.addAll(arguments);
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(TOOLS.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  /** ffprobe's JSON for the file: {@code format} and {@code streams}. */
  static Probe probe(Path file) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            TOOLS.ffprobe().toString(),
            "-v",
            "error",
            "-count_frames",
            "-of",
            "json",
            "-show_format",
            "-show_streams",
            file.toString());
    pb.environment().putAll(TOOLS.environment());
    Process p = pb.start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("ffprobe " + file + ": " + err).isZero();
    return new Probe(JsonParser.parseString(json).getAsJsonObject());
  }

  record Probe(JsonObject json) {
    Optional<JsonObject> stream(String type) {
      JsonArray streams = json.getAsJsonArray("streams");
      for (JsonElement e : streams) {
        if (e.getAsJsonObject().get("codec_type").getAsString().equals(type)) {
          return Optional.of(e.getAsJsonObject());
        }
      }
      return Optional.empty();
    }

    String videoCodec() {
      return stream("video").map(s -> s.get("codec_name").getAsString()).orElse("");
    }

    String audioCodec() {
      return stream("audio").map(s -> s.get("codec_name").getAsString()).orElse("");
    }

    int width() {
      return stream("video").map(s -> s.get("width").getAsInt()).orElse(0);
    }

    int height() {
      return stream("video").map(s -> s.get("height").getAsInt()).orElse(0);
    }

    int frames() {
      return stream("video").map(s -> s.get("nb_read_frames").getAsInt()).orElse(0);
    }

    String frameRate() {
      return stream("video").map(s -> s.get("r_frame_rate").getAsString()).orElse("");
    }

    double duration() {
      return json.getAsJsonObject("format").get("duration").getAsDouble();
    }

    String format() {
      return json.getAsJsonObject("format").get("format_name").getAsString();
    }
  }
}
