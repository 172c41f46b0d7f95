package dev.mediaflow.local;

import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.UploadContractTest;
import dev.mediaflow.tck.UploadFixture;
import dev.mediaflow.tck.WireFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCK's upload contract on the local provider: one atomic write per upload, no HTTP, so no
 * multipart and no injected faults (the multipart contract is not for it).
 */
class LocalUploadContractTest extends UploadContractTest {
  @TempDir Path root;

  /** The local root as a service: folders stand in for buckets. */
  final class Folders implements FakeService {
    @Override
    public Map<String, String> clientSettings() {
      return Map.of("media.provider", "local", "media.local.root", root.toString());
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
      return List.of();
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

  @Override
  protected UploadFixture fixture() {
    FakeService folders = new Folders();
    return new UploadFixture() {
      @Override
      public FakeService service() {
        return folders;
      }

      @Override
      public boolean multipart() {
        return false;
      }

      @Override
      public int partSize() {
        return 256 * 1024;
      }

      @Override
      public String checksumAlgorithm() {
        return "sha256";
      }

      @Override
      public String checksum(byte[] data, int partSize) {
        try {
          return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
          throw new AssertionError(e);
        }
      }

      @Override
      public String partChecksumAlgorithm() {
        return "sha256";
      }

      @Override
      public Predicate<String> part(int n) {
        return l -> false;
      }

      @Override
      public Predicate<String> completion() {
        return l -> false;
      }
    };
  }
}
