package dev.mediaflow.local;

import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.UploadContractTest;
import dev.mediaflow.tck.UploadFixture;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCK's upload contract on the local provider: one atomic write per upload, no HTTP, so no
 * multipart and no injected faults (the multipart contract is not for it).
 */
class LocalUploadContractTest extends UploadContractTest {
  @TempDir Path root;

  @Override
  protected UploadFixture fixture() {
    FakeService folders = LocalFolders.of(root);
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
