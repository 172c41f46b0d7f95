package dev.mediaflow.local;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.Setting;
import dev.mediaflow.spi.Setting.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local provider, {@code media.provider=local} (the default): runs pipelines on this machine.
 *
 * <p>Settings ({@code media.local.*}) are declared in {@link #settings()}; {@code mediaflow
 * settings} lists them.
 */
public final class LocalProvider implements MediaProvider {
  private static final List<Setting> SETTINGS =
      List.of(
          Setting.builder("root")
              .type(Type.PATH)
              .defaultValue("./mediaflow-data")
              .description("the folder whose subfolders stand in for buckets")
              .build(),
          Setting.builder("ffmpeg")
              .type(Type.PATH)
              .defaultValue("the bundled build, else the PATH")
              .description(
                  "the FFmpeg to use (a system FFmpeg); the bundled one needs dev.mediaflow:mediaflow-ffmpeg-gpl")
              .build(),
          Setting.builder("ffprobe")
              .type(Type.PATH)
              .defaultValue("the one beside ffmpeg")
              .description("the ffprobe to use")
              .build(),
          Setting.builder("soffice")
              .type(Type.PATH)
              .defaultValue("found on the PATH")
              .description("LibreOffice's soffice, for document conversion")
              .build(),
          Setting.builder("fontFile")
              .type(Type.PATH)
              .defaultValue("DejaVu Sans, or any font found")
              .description("the font for text watermarks whose font is unset or not found")
              .build(),
          Setting.builder("workers")
              .type(Type.INTEGER)
              .defaultValue("the number of cores")
              .description("outputs processed at once (1 to 256)")
              .build(),
          Setting.builder("threads")
              .type(Type.INTEGER)
              .defaultValue("0 (FFmpeg decides)")
              .description("FFmpeg threads per process (0 to 64)")
              .build(),
          Setting.builder("keepJobs")
              .type(Type.DURATION)
              .defaultValue("1h")
              .description("how long finished jobs stay in memory (their records stay on disk)")
              .build(),
          Setting.builder("baseUrl")
              .description(
                  "where the local media server (mediaflow serve) is, such as http://127.0.0.1:8090; url needs it")
              .build(),
          Setting.builder("urlSigningKey")
              .secret()
              .defaultValue("made once and kept in <root>/.mediaflow/url-signing-key")
              .description(
                  "the HMAC-SHA256 key that signs local URLs; the server checks them with it")
              .build(),
          Setting.builder("publicBuckets")
              .type(Type.LIST)
              .description("buckets the media server serves without a signature (unsigned URLs)")
              .build(),
          Setting.builder("style")
              .map("name")
              .description(
                  "a named processing chain for URLs: a JSON array of steps (resize, watermark, snapshot)")
              .build(),
          Setting.builder("corsOrigins")
              .type(Type.LIST)
              .defaultValue("*")
              .description(
                  "the origins whose pages may read the media server's answers and upload to it (CORS); * for any")
              .build(),
          Setting.builder("serverThreads")
              .type(Type.INTEGER)
              .defaultValue("16")
              .description("requests the media server handles at once (1 to 1024)")
              .build(),
          Setting.builder("maxTransforms")
              .type(Type.INTEGER)
              .defaultValue("the number of cores")
              .description(
                  "on-the-fly transforms the media server runs at once; others wait (1 to 256)")
              .build(),
          Setting.builder("cacheDir")
              .type(Type.PATH)
              .defaultValue("<root>/.mediaflow/cache")
              .description("where the media server keeps processed results")
              .build());

  @Override
  public String id() {
    return LocalJobClient.ID;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    LocalSettings settings = LocalSettings.from(context.config());
    return new LocalJobClient(
        settings,
        LocalDeliverySettings.from(context.config(), settings.root()),
        new LocalStore(settings.root()),
        context.clock(),
        null);
  }

  /**
   * A process builder for the FFmpeg that the local provider of this configuration runs ({@code
   * media.local.ffmpeg}, else the bundled build, else {@code ffmpeg} on the PATH), with the
   * environment it needs (the bundled build finds its libraries through {@code LD_LIBRARY_PATH}).
   * For tools and benchmarks that run FFmpeg beside the provider. Finding FFmpeg runs it once with
   * {@code -version}, so build once and start the builder as often as needed.
   *
   * @param config the configuration whose {@code media.local.*} settings to use
   * @param arguments the arguments after the executable
   * @return a new builder with the command and environment set; the caller sets the directory and
   *     redirections
   * @throws dev.mediaflow.MediaConfigException when no FFmpeg is found or it cannot start
   */
  public static ProcessBuilder ffmpegProcess(MediaConfig config, List<String> arguments) {
    LocalTools tools = LocalTools.locate(LocalSettings.from(config.instance("local", "local")));
    List<String> command = new java.util.ArrayList<>(arguments.size() + 1);
    command.add(tools.ffmpeg().toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(tools.environment());
    return builder;
  }

  /**
   * Writes a sample clip into a local bucket with FFmpeg's test sources: colour bars with a frame
   * counter and a 440 Hz tone, H.264/AAC in MP4. For demos and tests that need media without
   * shipping any.
   *
   * @param config the configuration whose {@code media.local.*} settings (root, ffmpeg) to use
   * @param target where to write it
   * @param width frame width in pixels (even)
   * @param height frame height in pixels (even)
   * @param length the clip's length
   * @return the file written
   */
  public static Path writeSampleClip(
      MediaConfig config, MediaObject target, int width, int height, Duration length) {
    LocalSettings settings = LocalSettings.from(config.instance("local", "local"));
    LocalStore store = new LocalStore(settings.root());
    Path file = store.resolve(target, "target");
    LocalTools tools = LocalTools.locate(settings);
    String seconds = dev.mediaflow.internal.Numbers.seconds(length);
    List<String> command =
        List.of(
            tools.ffmpeg().toString(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=" + width + "x" + height + ":rate=30:duration=" + seconds,
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000:duration=" + seconds,
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "-f",
            "mp4");
    try {
      Path work = Files.createDirectories(store.workRoot());
      Path tmp = Files.createTempFile(work, "sample-", ".mp4");
      try {
        List<String> full = new java.util.ArrayList<>(command);
        full.add(tmp.toString());
        ToolRun.run(full, tools.environment(), work, new ToolRun.Cancellation(), null);
        store.commit(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return file;
    } catch (IOException e) {
      throw new MediaClientException(
          "cannot write the sample clip " + target + ": " + e.getMessage(), e);
    } catch (ToolRun.ToolFailure e) {
      throw new MediaClientException(
          "FFmpeg could not write the sample clip: " + e.getMessage() + "\n" + e.tail, e);
    } catch (ToolRun.Cancelled e) {
      throw new MediaClientException("writing the sample clip was interrupted", e);
    }
  }
}
