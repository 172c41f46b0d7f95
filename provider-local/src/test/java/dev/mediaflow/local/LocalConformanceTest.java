package dev.mediaflow.local;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.tck.ConformanceFixture;
import dev.mediaflow.tck.ConformanceSuite;
import dev.mediaflow.tck.FakeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

  static LocalFolders folders;

  @BeforeAll
  static void start() throws IOException {
    root = Files.createTempDirectory("mediaflow-conformance");
    settings = new HashMap<>();
    settings.put("media.provider", "local");
    settings.put("media.local.root", root.toString());
    server = LocalMediaServer.builder().config(MediaConfig.fromMap(settings)).port(0).start();
    settings.put("media.local.baseUrl", server.baseUrl().toString());
    folders = new LocalFolders(root, settings, server::requests);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  protected ConformanceFixture fixture() {
    return new ConformanceFixture() {
      @Override
      public FakeService service() {
        return folders;
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
