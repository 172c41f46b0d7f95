package dev.mediaflow.qiniu;

import dev.mediaflow.internal.SharedHttp;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.tck.RoundTripContractTest;
import dev.mediaflow.testkit.qiniu.QiniuFops;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Qiniu fops rendered by the provider and read back by the fake Qiniu server's parser. */
class QiniuRoundTripTest extends RoundTripContractTest {
  @Override
  protected ProviderClient client() {
    QiniuProvider p = new QiniuProvider();
    ProviderConfig config =
        ProviderConfig.of(
                "qiniu",
                Map.of(
                    "accessKey",
                    "AK",
                    "secretKey",
                    "SK",
                    // concat inputs and watermark images go by URL; the parser reads the fake's
                    "domain",
                    "http://127.0.0.1:9/dl/{bucket}"))
            .declare(p.settings());
    return p.create(
        new ProviderContext(config, SharedHttp.client(), Clock.systemUTC(), RetryPolicy.none()));
  }

  @Override
  protected List<List<Operation>> readBack(VendorRequest request) throws Exception {
    return QiniuFops.parse(request.processing(), "media").stream()
        .map(f -> f.stages().stream().map(QiniuFops::operation).toList())
        .toList();
  }

  /**
   * The normalisations of Qiniu's dialect, all of them: Qiniu has no way to leave these unsaid, so
   * the renderer writes the model's default and it reads back as set.
   *
   * <ul>
   *   <li>a snapshot without a format is {@code vframe/jpg};
   *   <li>an image resize without a fit mode is {@code imageView2/2}, which reads back as {@code
   *       FIT};
   *   <li>a watermark without an offset has {@code dx/10/dy/10}, Qiniu's own default;
   *   <li>a concat without a position is the source first, which reads back as {@code AFTER}.
   * </ul>
   */
  @Override
  protected Operation normalise(Operation op) {
    if (op instanceof Snapshot s && s.format().isEmpty()) {
      return s.toBuilder().format(ImageFormat.JPG).build();
    }
    if (op instanceof ImageResize r && r.fit().isEmpty()) {
      return r.toBuilder().fit(FitMode.FIT).build();
    }
    if (op instanceof Watermark w && w.dx().isEmpty()) {
      return w.toBuilder().offset(10, 10).build();
    }
    if (op instanceof Concat c && c.position().isEmpty()) {
      return c.toBuilder().position(c.effectivePosition()).build();
    }
    return op;
  }
}
