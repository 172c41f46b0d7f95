package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.pipeline.MediaObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * prefop JSON as Qiniu documents it (https://developer.qiniu.com/dora/manual/1294;
 * qiniu/developer.qiniu.com docs/v6/api/reference/fop/pfop/prefop.md) mapped to the core state
 * machine.
 */
class QiniuStatusTest {
  static JobStatus parse(String json) {
    var o = QiniuStatus.json(json.getBytes(StandardCharsets.UTF_8), "test");
    return QiniuStatus.parse(o, JobId.of("qiniu", o.get("id").getAsString()), Instant.EPOCH);
  }

  @Test
  void docExample_failedItem_keepsErrorAndStep() {
    JobStatus s =
        parse(
            """
        {"id":"z0.5f3a","pipeline":"0.default","code":3,"desc":"The fop is failed","reqid":"ffmpeg.3hMAAH3p5Gupb6oT",
         "inputBucket":"dutest","inputKey":"sample.mp4","items":[{
          "cmd":"avthumb/aac/acodec/libfdk_aac/ab/64k|vsample/png/s/123x/interval/3/ss/60/savePattern/JHtzYXZlYXMuYnVja2V0fS0kKGNvdW50KQ==|saveas/ZHV0ZXN0/savePattern/ZWNobw==",
          "code":3,"desc":"The fop is failed","error":"execute fop cmd failed: not a valid video","errorIndex":1,"returnOld":0}]}
        """);
    assertThat(s.state()).isEqualTo(JobState.FAILED);
    assertThat(s.outputs().get(0).vendorCode()).isEqualTo("3");
    assertThat(s.outputs().get(0).message())
        .startsWith("execute fop cmd failed: not a valid video")
        .contains("step 1");
    assertThat(s.details())
        .containsEntry("outputs[0].errorIndex", "1")
        .containsEntry("reqid", "ffmpeg.3hMAAH3p5Gupb6oT");
  }

  @Test
  void codes_mapToStates_andCode4_isASuccessWithAWarning() {
    String item =
        "{\"cmd\":\"avthumb/mp4|saveas/YnVja2V0OmtleS5tcDQ=\",\"code\":%d,\"key\":\"key.mp4\"}";
    for (int[] c : new int[][] {{1, 0}, {2, 1}, {0, 2}, {3, 3}, {4, 2}}) {
      JobStatus s =
          parse(
              "{\"id\":\"z0.x\",\"code\":"
                  + c[0]
                  + ",\"inputBucket\":\"src\",\"items\":["
                  + String.format(item, c[0])
                  + "]}");
      JobState expected =
          new JobState[] {JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED}
              [c[1]];
      assertThat(s.state()).as("code %d", c[0]).isEqualTo(expected);
      assertThat(s.warnings().isEmpty()).isEqualTo(c[0] != 4);
    }
    // a succeeded item's objects are in its saveas bucket, not the source's
    JobStatus done =
        parse(
            "{\"id\":\"z0.x\",\"code\":0,\"inputBucket\":\"src\",\"items\":["
                + String.format(item, 0)
                + "]}");
    assertThat(done.outputs().get(0).objects())
        .containsExactly(MediaObject.of("bucket", "key.mp4"));
  }

  @Test
  void mixedItems_makeAPartialJob() {
    JobStatus s =
        parse(
            """
        {"id":"z0.x","code":3,"inputBucket":"b","items":[
          {"cmd":"avthumb/mp4|saveas/YjpvLm1wNA==","code":0,"key":"o.mp4"},
          {"cmd":"vsample/jpg/t/10/pattern/ZiQoY291bnQp","code":0,"keys":["f000001","f000002"]},
          {"cmd":"avthumb/flv","code":3,"error":"bad"}]}
        """);
    assertThat(s.state()).isEqualTo(JobState.PARTIAL);
    assertThat(s.outputs().get(1).objects())
        .containsExactly(MediaObject.of("b", "f000001"), MediaObject.of("b", "f000002"));
  }
}
