package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.OutputResult;
import dev.mediaflow.pipeline.MediaObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * JobsDetail bodies from Tencent: the snapshot callback of
 * https://tencentcloud.com/document/api/436/49074 (its elements after {@code Output}, cut off in
 * the page, filled in as in the other callback pages) and the callback of cos-go-sdk-v5
 * example/CI/workflow_and_job/jobs.go {@code JobNotifyCallback}; and a Failed job shaped as the
 * describe answer of cos-java-sdk-v5 src/test/java/com/qcloud/cos/ci/Test.java, its Code and
 * Message made up (Cloud Infinite does not document its failure codes).
 */
class CosStatusTest {
  @Test
  void states_mapToTheOneStateMachine() {
    // States: Submitted, Running, Success, Failed, Pause, Cancel (cos-python-sdk-v5 cos_client.py)
    assertThat(CosStatus.state("Submitted")).isEqualTo(JobState.QUEUED);
    assertThat(CosStatus.state("Pause")).isEqualTo(JobState.QUEUED);
    assertThat(CosStatus.state("Running")).isEqualTo(JobState.RUNNING);
    assertThat(CosStatus.state("Success")).isEqualTo(JobState.SUCCEEDED);
    assertThat(CosStatus.state("Failed")).isEqualTo(JobState.FAILED);
    assertThat(CosStatus.state("Cancel")).isEqualTo(JobState.CANCELLED);
    assertThatThrownBy(() -> CosStatus.state("Exploded"))
        .isInstanceOf(MediaValidationException.class);
  }

  @Test
  void snapshotCallback_framesArePrefixPlusNames_spriteLeftOut() {
    CosStatus.Detail d =
        CosStatus.detail(
            CosStatus.jobsDetails(Fixtures.read("callback-snapshot-doc.xml"), "callback").get(0));
    assertThat(d.jobId()).isEqualTo("j4e431ba0f86711ecb8546d80f2baf56f");
    assertThat(d.tag()).isEqualTo("Snapshot");
    assertThat(d.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(d.objects())
        .extracting(MediaObject::key)
        .containsExactly(
            "output/snapshot-0.jpg",
            "output/snapshot-1.jpg",
            "output/snapshot-2.jpg",
            "output/snapshot-3.jpg",
            "output/snapshot-4.jpg",
            "output/snapshot-5.jpg");
    // The pipeline wrote the bucket as "test" with appId 123456789: results use its name.
    OutputResult r =
        CosStatus.output(
            0,
            d,
            Optional.of(MediaObject.of("test", "output/snapshot-{index}.jpg")),
            b -> b + "-123456789");
    assertThat(r.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(r.objects().get(0)).isEqualTo(MediaObject.of("test", "output/snapshot-0.jpg"));
    assertThat(r.vendorCode()).isEmpty();
  }

  @Test
  void goSdkCallback_oneOutputFile() {
    CosStatus.Detail d =
        CosStatus.detail(
            CosStatus.jobsDetails(Fixtures.read("callback-go-sdk-example.xml"), "callback").get(0));
    assertThat(d.jobId()).isEqualTo("j06668dc0f86811ecb90d0b03267ce0e5");
    assertThat(d.progress()).isEqualTo(100);
    assertThat(d.objects())
        .containsExactly(MediaObject.of("test-123456789", "output/super_resolution.mp4"));
  }

  @Test
  void failedJob_carriesCodeAndMessage_noObjects() {
    CosStatus.Detail d =
        CosStatus.detail(
            CosStatus.jobsDetails(Fixtures.read("describe-failed.xml"), "describe").get(0));
    OutputResult r =
        CosStatus.output(2, d, Optional.of(MediaObject.of("test", "out/a.mp4")), b -> b);
    assertThat(r)
        .isEqualTo(
            new OutputResult(
                2,
                JobState.FAILED,
                List.of(),
                "InvalidParameter",
                "The input file format is not supported"));
  }

  @Test
  void docResult_pagesFromTgtUri_keyOrUrl() {
    String xml =
        "<Response><JobsDetail><JobId>d1</JobId><Tag>DocProcess</Tag><State>Success</State><Code>Success</Code>"
            + "<Operation><Output><Region>ap-beijing</Region><Bucket>b-1250000000</Bucket><Object>p-${Number}.png</Object></Output>"
            + "<DocProcessResult><PageInfo><PageNo>1</PageNo><TgtUri>p-1.png</TgtUri></PageInfo>"
            + "<PageInfo><PageNo>2</PageNo><TgtUri>https://b-1250000000.cos.ap-beijing.myqcloud.com/p-2.png</TgtUri></PageInfo>"
            + "</DocProcessResult></Operation></JobsDetail></Response>";
    CosStatus.Detail d = CosStatus.detail(CosStatus.jobsDetails(xml.getBytes(), "describe").get(0));
    assertThat(d.isDoc()).isTrue();
    assertThat(d.objects())
        .containsExactly(
            MediaObject.of("b-1250000000", "p-1.png"), MediaObject.of("b-1250000000", "p-2.png"));
  }

  @Test
  void doctype_isRefused() {
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response>&x;</Response>";
    assertThatThrownBy(() -> CosStatus.jobsDetails(xml.getBytes(), "describe"))
        .isInstanceOf(MediaValidationException.class);
  }
}
