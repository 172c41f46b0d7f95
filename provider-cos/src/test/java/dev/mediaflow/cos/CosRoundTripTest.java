package dev.mediaflow.cos;

import dev.mediaflow.internal.SharedHttp;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderConfig;
import dev.mediaflow.spi.ProviderContext;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.tck.RoundTripContractTest;
import dev.mediaflow.testkit.cos.FakeCosServer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cloud Infinite jobs (XML) and Pic-Operations rules rendered by the provider and read back by the
 * fake COS server's parser.
 */
class CosRoundTripTest extends RoundTripContractTest {
  static final String APPID = "1250000000";

  @Override
  protected ProviderClient client() {
    CosProvider p = new CosProvider();
    ProviderConfig config =
        ProviderConfig.of(
                "cos",
                Map.of(
                    "secretId",
                    "AKIDtest",
                    "secretKey",
                    "secret",
                    "region",
                    "ap-guangzhou",
                    "appId",
                    APPID))
            .declare(p.settings());
    return p.create(
        new ProviderContext(config, SharedHttp.client(), Clock.systemUTC(), RetryPolicy.none()));
  }

  @Override
  protected List<List<Operation>> readBack(VendorRequest request) throws Exception {
    String picOperations = request.headers().get("Pic-Operations");
    if (picOperations != null) {
      return FakeCosServer.readPicOperations(picOperations);
    }
    return List.of(FakeCosServer.readJob(request.processing()));
  }

  /**
   * The samples, with one change: Cloud Infinite writes a snapshot in the format of its key's
   * extension, so the PNG snapshot is saved to a key ending in {@code .png} (without it the
   * provider refuses the format, before any request).
   */
  @Override
  protected Map<String, Pipeline> samples() {
    Map<String, Pipeline> m = new LinkedHashMap<>(super.samples());
    m.computeIfPresent(
        "snapshot png 480x360",
        (name, p) ->
            Pipeline.from(p.source())
                .then(p.outputs().get(0).steps().get(0))
                .saveAs("media", "out/snapshot.png")
                .build());
    return m;
  }

  /**
   * The normalisations of the COS dialect, all of them:
   *
   * <ul>
   *   <li>a snapshot without a format is JPEG: Cloud Infinite writes the key's extension's format,
   *       JPEG for a key without one;
   *   <li>a concat's inputs are URLs of the bucket as COS names it, {@code <name>-<APPID>}, which
   *       read back as the pipeline's bare name.
   * </ul>
   */
  @Override
  protected Operation normalise(Operation op) {
    if (op instanceof Snapshot s && s.format().isEmpty()) {
      return s.toBuilder().format(ImageFormat.JPG).build();
    }
    if (op instanceof Concat c) {
      return c.toBuilder()
          .inputs(
              c.inputs().stream()
                  .map(
                      i ->
                          MediaObject.of(
                              i.bucket().endsWith("-" + APPID)
                                  ? i.bucket()
                                      .substring(0, i.bucket().length() - APPID.length() - 1)
                                  : i.bucket(),
                              i.key()))
                  .toList())
          .build();
    }
    return op;
  }

  /** The fake's Pic-Operations parser reads imageMogr2 rules only, no {@code watermark}. */
  @Override
  protected boolean readsBack(Class<? extends Operation> type) {
    return type != Watermark.class;
  }
}
