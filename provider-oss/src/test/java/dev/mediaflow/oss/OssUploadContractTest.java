package dev.mediaflow.oss;

import dev.mediaflow.internal.Crc64;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.MultipartUploadContractTest;
import dev.mediaflow.tck.UploadFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.oss.FakeOssServer;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCK's upload contract against the fake OSS server: PutObject and multipart uploads. */
class OssUploadContractTest extends MultipartUploadContractTest {
  @RegisterExtension
  static final FakeOssServer oss = FakeOssServer.builder().credentials("AK", "SK").build();

  static final UploadFixture FIXTURE =
      new UploadFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(oss);
        }

        @Override
        public boolean multipart() {
          return true;
        }

        @Override
        public int partSize() {
          return 128 * 1024; // OSS's smallest part is 100 KiB
        }

        @Override
        public String checksumAlgorithm() {
          return "crc64ecma";
        }

        @Override
        public String checksum(byte[] data, int partSize) {
          // OSS's x-oss-hash-crc64ecma is of the whole object, however it was sent; Crc64 is
          // checked against the OSS SDK's in Crc64OracleTest
          return Long.toUnsignedString(Crc64.of(data));
        }

        @Override
        public String partChecksumAlgorithm() {
          return "crc64ecma";
        }

        @Override
        public Predicate<String> part(int n) {
          return l ->
              l.startsWith("PUT ") && l.contains(n == 0 ? "partNumber=" : "partNumber=" + n + "&");
        }

        @Override
        public Predicate<String> completion() {
          return l -> l.startsWith("POST ") && l.contains("uploadId=");
        }
      };

  @Override
  protected UploadFixture fixture() {
    return FIXTURE;
  }
}
