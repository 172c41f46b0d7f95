package dev.mediaflow.local;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.WireFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The local root as the TCK's back end: folders stand in for buckets, and there is no HTTP to
 * inject faults into; the requests are those of the local media server, when one serves the root.
 */
final class LocalFolders implements FakeService {
  private final Path root;
  private final Map<String, String> settings;
  private final Supplier<List<String>> requests;

  LocalFolders(Path root, Map<String, String> settings, Supplier<List<String>> requests) {
    this.root = root;
    this.settings = settings;
    this.requests = requests;
  }

  /** Folders under {@code root} with no server in front of them. */
  static LocalFolders of(Path root) {
    return new LocalFolders(
        root, Map.of("media.provider", "local", "media.local.root", root.toString()), List::of);
  }

  @Override
  public Map<String, String> clientSettings() {
    return settings;
  }

  private Path path(MediaObject o) {
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
    return requests.get();
  }

  @Override
  public boolean injectsFaults() {
    return false;
  }

  @Override
  public void inject(Predicate<String> request, WireFault fault, int times) {
    throw new UnsupportedOperationException("no HTTP, no faults");
  }

  @Override
  public void injectRandomly(
      Predicate<String> request, double probability, long seed, WireFault... faults) {
    throw new UnsupportedOperationException("no HTTP, no faults");
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
