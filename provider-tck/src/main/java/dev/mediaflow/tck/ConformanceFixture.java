package dev.mediaflow.tck;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ConformanceSuite} needs from one provider: a back end that runs pipelines for real (a
 * fake server executing through FFmpeg, or the machine itself), serves the provider's URLs and
 * honours its upload grants, and where the vendor pushes, pushes.
 *
 * <p>Everything else the suite learns from the provider itself: its capabilities and facets.
 */
public interface ConformanceFixture {
  /**
   * Returns the back end the provider's client is pointed at; objects live in {@link #bucket()}.
   */
  FakeService service();

  /** Returns the private bucket the suite's objects live in. */
  default String bucket() {
    return "media";
  }

  /** Returns setting overrides that keep the access key but give a wrong secret. */
  Map<String, String> wrongSecret();

  /**
   * Writes a short H.264 clip with an AAC track, {@code width} x {@code height} at 30 fps, as
   * {@code object}.
   */
  void writeClip(MediaObject object, int width, int height, Duration duration);

  /**
   * Returns the notification target that makes the back end push a job's end to {@code url}, or
   * empty when the vendor pushes nothing (the suite then checks that targets are refused).
   */
  Optional<Notify> notifyAt(String url);
}
