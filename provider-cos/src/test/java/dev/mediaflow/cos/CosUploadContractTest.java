package dev.mediaflow.cos;

import dev.mediaflow.internal.Crc64;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.MultipartUploadContractTest;
import dev.mediaflow.tck.UploadFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.cos.FakeCosServer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCK's upload contract against the fake COS server: PUT Object and multipart uploads. */
class CosUploadContractTest extends MultipartUploadContractTest {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDtest", "secret").build();

  static final UploadFixture FIXTURE =
      new UploadFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(cos);
        }

        @Override
        public boolean multipart() {
          return true;
        }

        @Override
        public int partSize() {
          return 1024 * 1024; // COS's smallest part (but the last) is 1 MiB
        }

        @Override
        public String checksumAlgorithm() {
          return "crc64ecma";
        }

        @Override
        public String checksum(byte[] data, int partSize) {
          // COS's x-cos-hash-crc64ecma is the CRC-64/ECMA-182 of the whole object, however it was
          // sent; Crc64 is checked against the COS SDK's in CosCrc64OracleTest
          return Long.toUnsignedString(Crc64.of(data));
        }

        @Override
        public String partChecksumAlgorithm() {
          return "crc64ecma";
        }

        @Override
        public Predicate<String> part(int n) {
          Pattern p =
              Pattern.compile(
                  "[?&]partNumber=" + (n == 0 ? "\\d+" : String.valueOf(n)) + "(&|$| )");
          return l -> l.startsWith("PUT ") && p.matcher(l).find();
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
