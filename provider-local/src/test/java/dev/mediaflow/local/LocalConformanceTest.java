package dev.mediaflow.local;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.tck.ConformanceFixture;
import dev.mediaflow.tck.ConformanceSuite;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite on the local provider: this machine runs the pipelines, and the local media
 * server serves its URLs and takes its grants. The local provider pushes nothing, so the suite
 * checks that notification targets are refused.
 */
class LocalConformanceTest extends ConformanceSuite {
  static Path root;
  static LocalMediaServer server;
  static Map<String, String> settings;

  @BeforeAll
  static void start() throws IOException {
    root = Files.createTempDirectory("mediaflow-conformance");
    settings = new HashMap<>();
    settings.put("media.provider", "local");
    settings.put("media.local.root", root.toString());
    server = LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start();
    settings.put("media.local.baseUrl", server.baseUrl().toString());
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The local root as a back end: folders stand in for buckets; the server logs the requests. */
  static final class Folders implements FakeService {
    @Override
    public Map<String, String> clientSettings() {
      return settings;
    }

    private static Path path(MediaObject o) {
      return root.resolve(o.bucket()).resolve(o.key());
    }

    @Override
    public void put(MediaObject object, byte[] data) {
      try {
        Files.createDirectories(path(object).getParent());
        Files.write(path(object), data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Optional<byte[]> get(MediaObject object) {
      try {
        return Files.exists(path(object))
            ? Optional.of(Files.readAllBytes(path(object)))
            : Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public List<String> requests() {
      return server.requests();
    }

    @Override
    public boolean injectsFaults() {
      return false;
    }

    @Override
    public void inject(Predicate<String> request, WireFault fault, int times) {
      throw new UnsupportedOperationException("the local server injects no faults");
    }

    @Override
    public void injectRandomly(
        Predicate<String> request, double probability, long seed, WireFault... faults) {
      throw new UnsupportedOperationException("the local server injects no faults");
    }

    @Override
    public void clearFaults() {}

    @Override
    public List<String> openUploads() {
      return List.of();
    }

    @Override
    public int jobCount() {
      return 0;
    }
  }

  static final Folders FOLDERS = new Folders();

  @Override
  protected ConformanceFixture fixture() {
    return new ConformanceFixture() {
      @Override
      public FakeService service() {
        return FOLDERS;
      }

      @Override
      public Map<String, String> wrongSecret() {
        return Map.of("media.local.urlSigningKey", "not-the-servers-key-0123456789abcdef");
      }

      @Override
      public void writeClip(MediaObject object, int width, int height, Duration duration) {
        LocalProvider.writeSampleClip(
            MediaConfig.fromMap(settings), object, width, height, duration);
      }

      @Override
      public Optional<Notify> notifyAt(String url) {
        return Optional.empty();
      }
    };
  }
}
