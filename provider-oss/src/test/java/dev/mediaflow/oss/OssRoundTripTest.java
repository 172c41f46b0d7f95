package dev.mediaflow.oss;

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
import dev.mediaflow.testkit.oss.OssStyles;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** OSS styles rendered by the provider and read back by the fake OSS server's parser. */
class OssRoundTripTest extends RoundTripContractTest {
  @Override
  protected ProviderClient client() {
    OssProvider p = new OssProvider();
    ProviderConfig config =
        ProviderConfig.of(
                "oss",
                Map.of("accessKeyId", "AK", "accessKeySecret", "SK", "region", "cn-hangzhou"))
            .declare(p.settings());
    return p.create(
        new ProviderContext(config, SharedHttp.client(), Clock.systemUTC(), RetryPolicy.none()));
  }

  @Override
  protected List<List<Operation>> readBack(VendorRequest request) throws Exception {
    String style = request.processing();
    OssStyles.Style s = OssStyles.parse(style, style.startsWith("image/"));
    return List.of(List.of(OssStyles.operation(s.process())));
  }

  /**
   * The normalisations of the OSS dialect, all of them: OSS has no way to leave these unsaid, so
   * the renderer writes the model's default and it reads back as set.
   *
   * <ul>
   *   <li>a snapshot without a format is {@code f_jpg};
   *   <li>an image resize without a fit mode is {@code m_lfit}, which reads back as {@code FIT}.
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
    return op;
  }

  /**
   * The fake's parser reads no text watermark ({@code image/watermark}) or {@code video/concat}.
   */
  @Override
  protected boolean readsBack(Class<? extends Operation> type) {
    return type != Watermark.class && type != Concat.class;
  }
}
