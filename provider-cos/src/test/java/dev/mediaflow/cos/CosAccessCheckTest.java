package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.observe.MediaObserver;
import dev.mediaflow.observe.Origin;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.AccessCheck;
import dev.mediaflow.testkit.cos.FakeCosServer;
import dev.mediaflow.upload.UploadRequest;
import dev.mediaflow.upload.UploadSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The health check against the fake COS (a signed HEAD of an absent key: 404 accepted, 403
 * refused), and the operation names the provider's HTTP calls carry for metrics (docs/metrics.md).
 */
class CosAccessCheckTest {
  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder().credentials("AKIDcheck", "secret").build();

  final List<String> operations = new CopyOnWriteArrayList<>();

  MediaClient client(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>(cos.clientSettings());
    m.putAll(overrides);
    return MediaClient.builder()
        .config(MediaConfig.fromMap(m))
        .observer(
            new MediaObserver() {
              @Override
              public void httpRequest(
                  Origin origin,
                  String operation,
                  String method,
                  int status,
                  Throwable error,
                  long nanos) {
                operations.add(operation + " " + method + " " + status);
              }
            })
        .build();
  }

  @Test
  void rightCredentialsAreAccepted() {
    try (MediaClient media = client(Map.of())) {
      AccessCheck check = media.checkAccess("media");
      assertThat(check.outcome()).isEqualTo(AccessCheck.Outcome.ACCEPTED);
      assertThat(check.details())
          .containsEntry("status", "404")
          .containsEntry("bucket", "media")
          .containsEntry("endpoint", cos.baseUrl());
    }
    assertThat(cos.requests())
        .anyMatch(l -> l.equals("HEAD /media-1250000000/" + AccessCheck.PROBE_KEY + " 404"));
    assertThat(operations).containsExactly("head-object HEAD 404");
  }

  @Test
  void aWrongSecretIsRefused() {
    try (MediaClient media = client(Map.of("media.cos.secretKey", "not-the-secret"))) {
      AccessCheck check = media.checkAccess("media");
      assertThat(check.outcome()).isEqualTo(AccessCheck.Outcome.REFUSED);
      // a HEAD answer has no body: COS's error code is not on the wire, the status is
      assertThat(check.details()).containsEntry("status", "403");
      assertThat(check.toString()).doesNotContain("not-the-secret");
    }
  }

  @Test
  void noBucketIsNotChecked() {
    try (MediaClient media = client(Map.of())) {
      assertThat(media.checkAccess("").outcome()).isEqualTo(AccessCheck.Outcome.NOT_CHECKED);
    }
    assertThat(operations).isEmpty();
  }

  @Test
  void requestsAreNamedForMetrics() {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(19).nextBytes(data);
    MediaObject in = MediaObject.of("media", "ops/in.mp4");
    try (MediaClient media = client(Map.of())) {
      media.upload(
          UploadRequest.builder(UploadSource.ofBytes(data), in).partSize(1024 * 1024).build());
      media.upload(UploadRequest.builder(UploadSource.ofBytes(new byte[10]), in).build());
      var id =
          media.submit(
              Pipeline.from(in)
                  .then(Transcode.builder().container(Container.MP4).build())
                  .saveAs("media", "ops/out.mp4")
                  .build());
      media.status(id.id());
    }
    assertThat(operations)
        .extracting(l -> l.substring(0, l.indexOf(' ')))
        .contains(
            "initiate-upload", "upload-part", "complete-upload", "put-object", "submit", "status")
        .doesNotContain("other");
  }
}
