package dev.mediaflow.qiniu;

import com.qiniu.util.Etag;
import com.qiniu.util.EtagV2;
import dev.mediaflow.tck.FakeService;
import dev.mediaflow.tck.MultipartUploadContractTest;
import dev.mediaflow.tck.UploadFixture;
import dev.mediaflow.testkit.FakeServices;
import dev.mediaflow.testkit.qiniu.FakeQiniuServer;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCK's upload contract against the fake Qiniu server: form uploads and resumable v2. */
class QiniuUploadContractTest extends MultipartUploadContractTest {
  static final int MIB = 1 << 20;

  @RegisterExtension
  static final FakeQiniuServer qiniu = FakeQiniuServer.builder().credentials("AK", "SK").build();

  static final UploadFixture FIXTURE =
      new UploadFixture() {
        @Override
        public FakeService service() {
          return FakeServices.of(qiniu);
        }

        @Override
        public boolean multipart() {
          return true;
        }

        @Override
        public int partSize() {
          return MIB; // resumable v2's smallest part
        }

        @Override
        public String checksumAlgorithm() {
          return "qetag";
        }

        @Override
        public String checksum(byte[] data, int partSize) {
          // the official SDK's hashes: the classic etag for one request or 4 MiB parts, the v2
          // etag of the parts otherwise
          if (partSize == 0 || partSize == 4 * MIB) {
            return Etag.data(data);
          }
          // the parts' sizes given one by one: EtagV2.data(data, partSize) refuses a last part
          // as long as the others
          int n = (data.length + partSize - 1) / partSize;
          long[] sizes = new long[n];
          for (int i = 0; i < n; i++) {
            sizes[i] = Math.min(partSize, data.length - (long) i * partSize);
          }
          return EtagV2.data(data, sizes);
        }

        @Override
        public String partChecksumAlgorithm() {
          return "md5";
        }

        @Override
        public Predicate<String> part(int n) {
          // PUT /buckets/<bucket>/objects/<key>/uploads/<id>/<partNumber>
          return l -> l.startsWith("PUT /buckets/") && (n == 0 || l.endsWith("/" + n));
        }

        @Override
        public Predicate<String> completion() {
          // POST /buckets/.../uploads/<id>; the initiation ends in /uploads
          return l -> l.startsWith("POST /buckets/") && !l.endsWith("/uploads");
        }
      };

  @Override
  protected UploadFixture fixture() {
    return FIXTURE;
  }
}
