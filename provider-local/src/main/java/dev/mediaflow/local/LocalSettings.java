package dev.mediaflow.local;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.ProviderConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The local provider's validated settings.
 *
 * @param root the folder whose sub-folders are buckets ({@code media.local.root}, default {@code
 *     ./mediaflow-data})
 * @param ffmpeg an FFmpeg executable to use instead of the bundled one ({@code media.local.ffmpeg})
 * @param ffprobe the matching ffprobe ({@code media.local.ffprobe}; default: next to {@code
 *     ffmpeg})
 * @param soffice LibreOffice's {@code soffice} ({@code media.local.soffice}; default: found on the
 *     PATH)
 * @param fontFile the font for text watermarks whose font is not found ({@code
 *     media.local.fontFile})
 * @param workers how many outputs run at once ({@code media.local.workers}, default: the number of
 *     cores)
 * @param threadsPerJob FFmpeg threads per process ({@code media.local.threads}, default 0: FFmpeg
 *     decides)
 * @param keepJobs how long finished jobs stay readable in memory ({@code media.local.keepJobs},
 *     default 1h)
 */
record LocalSettings(
    Path root,
    Optional<Path> ffmpeg,
    Optional<Path> ffprobe,
    Optional<Path> soffice,
    Optional<Path> fontFile,
    int workers,
    int threadsPerJob,
    Duration keepJobs) {

  static LocalSettings from(ProviderConfig config) {
    Path root = path(config, "root").orElse(Path.of("mediaflow-data")).toAbsolutePath().normalize();
    int workers = config.getInt("workers", Runtime.getRuntime().availableProcessors());
    if (workers < 1 || workers > 256) {
      throw new MediaConfigException(
          config.fullKey("workers"),
          config.fullKey("workers") + " must be between 1 and 256, was " + workers);
    }
    int threads = config.getInt("threads", 0);
    if (threads < 0 || threads > 64) {
      throw new MediaConfigException(
          config.fullKey("threads"),
          config.fullKey("threads") + " must be between 0 and 64, was " + threads);
    }
    return new LocalSettings(
        root,
        path(config, "ffmpeg"),
        path(config, "ffprobe"),
        path(config, "soffice"),
        path(config, "fontFile"),
        workers,
        threads,
        config.getDuration("keepJobs", Duration.ofHours(1)));
  }

  private static Optional<Path> path(ProviderConfig config, String key) {
    Optional<String> value = config.get(key).map(String::trim).filter(s -> !s.isEmpty());
    try {
      return value.map(Path::of);
    } catch (InvalidPathException e) {
      throw new MediaConfigException(
          config.fullKey(key), config.fullKey(key) + " is not a valid path: " + e.getReason());
    }
  }
}
