package dev.mediaflow.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What ffprobe says about a file that the renderer needs: duration, the first video stream's size
 * and codec, whether there is audio. ({@link LocalProber} maps ffprobe's whole answer to the public
 * {@code dev.mediaflow.delivery.MediaInfo}.)
 *
 * @param durationSeconds the container's duration, 0 when unknown (still images)
 * @param width the first video stream's width, 0 when there is none
 * @param height its height
 * @param videoCodec its codec name, empty when there is no video
 * @param audioCodec the first audio stream's codec name, empty when there is no audio
 * @param formatName ffprobe's format name, such as {@code mov,mp4,m4a,3gp,3g2,mj2} or {@code
 *     png_pipe}
 */
record FfprobeInfo(
    double durationSeconds,
    int width,
    int height,
    String videoCodec,
    String audioCodec,
    String formatName) {
  static final FfprobeInfo UNKNOWN = new FfprobeInfo(0, 0, 0, "", "", "");

  boolean hasVideo() {
    return !videoCodec.isEmpty();
  }

  boolean hasAudio() {
    return !audioCodec.isEmpty();
  }

  /** A still image: a picture codec with no duration of its own, or an image format. */
  boolean isImage() {
    return hasVideo()
        && !hasAudio()
        && (formatName.endsWith("_pipe")
            || formatName.equals("image2")
            || formatName.equals("gif") && durationSeconds == 0
            || List.of("mjpeg", "png", "webp", "bmp", "tiff").contains(videoCodec)
                && durationSeconds < 0.05);
  }

  static FfprobeInfo probe(LocalTools tools, Path file) throws IOException {
    return parse(json(tools, file, List.of("-show_format", "-show_streams")));
  }

  /** Runs ffprobe on {@code file} with {@code sections} and returns its JSON answer. */
  static String json(LocalTools tools, Path file, List<String> sections) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(tools.ffprobe().toString(), "-v", "error", "-print_format", "json"));
    command.addAll(sections);
    List<String> input = LocalTools.input(file);
    command.addAll(input.subList(0, input.size() - 2)); // ffprobe takes the file without -i
    command.add(file.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().putAll(tools.environment());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            "ffprobe cannot read " + file.getFileName() + (err.isEmpty() ? "" : ": " + err));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing " + file.getFileName(), e);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  static FfprobeInfo parse(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    JsonObject format = root.has("format") ? root.getAsJsonObject("format") : new JsonObject();
    double duration = number(format, "duration");
    int width = 0;
    int height = 0;
    String video = "";
    String audio = "";
    JsonArray streams = root.has("streams") ? root.getAsJsonArray("streams") : new JsonArray();
    for (JsonElement e : streams) {
      JsonObject s = e.getAsJsonObject();
      String type = string(s, "codec_type");
      if (type.equals("video") && video.isEmpty()) {
        video = string(s, "codec_name");
        width = (int) number(s, "width");
        height = (int) number(s, "height");
      } else if (type.equals("audio") && audio.isEmpty()) {
        audio = string(s, "codec_name");
      }
    }
    return new FfprobeInfo(duration, width, height, video, audio, string(format, "format_name"));
  }

  private static double number(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      return 0;
    }
    try {
      return e.getAsDouble();
    } catch (NumberFormatException | UnsupportedOperationException x) {
      return 0;
    }
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }
}
