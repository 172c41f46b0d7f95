package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.job.JobState;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Callbacks are hints: every event comes from reading the job back. */
class CosNotificationIntakeTest {
  final List<String> reads = new ArrayList<>();

  CosNotificationIntake intake(String readBack) {
    return new CosNotificationIntake(
        (bucket, id, doc) -> {
          reads.add(bucket + " " + (doc ? "doc:" : "media:") + id);
          return CosStatus.detail(
              CosStatus.jobsDetails(readBack.getBytes(StandardCharsets.UTF_8), "read").get(0));
        },
        CosNotificationIntake.singleOutput(Clock.systemUTC(), b -> b));
  }

  static InboundRequest post(byte[] body, String contentType) {
    return InboundRequest.of(
        "POST", "/cos/notify", Map.of("Content-Type", List.of(contentType)), body);
  }

  static String detail(String id, String tag, String state) {
    return "<Response><JobsDetail><JobId>"
        + id
        + "</JobId><Tag>"
        + tag
        + "</Tag><State>"
        + state
        + "</State><Code>Success</Code>"
        + "<Operation><MediaResult><OutputFile><Bucket>test-123456789</Bucket><ObjectName>o.mp4</ObjectName>"
        + "<ObjectPrefix/></OutputFile></MediaResult></Operation></JobsDetail></Response>";
  }

  @Test
  void xmlCallback_isConfirmedByReadingTheJobBack() {
    byte[] body = Fixtures.read("callback-go-sdk-example.xml");
    CosNotificationIntake intake =
        intake(detail("j06668dc0f86811ecb90d0b03267ce0e5", "Transcode", "Success"));
    assertThat(intake.accepts(post(body, "application/xml"))).isTrue();

    IntakeResult r = intake.receive(post(body, "application/xml"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(reads).containsExactly("test-123456789 media:j06668dc0f86811ecb90d0b03267ce0e5");
    assertThat(r.events()).hasSize(1);
    assertThat(r.events().get(0).status().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(r.events().get(0).status().id().vendorId())
        .isEqualTo("j06668dc0f86811ecb90d0b03267ce0e5");
    assertThat(r.events().get(0).status().details()).containsEntry("verifiedBy", "read-back");
  }

  @Test
  void forgedSuccess_isOverruledByTheRead() {
    String forged =
        "{\"EventName\":\"TaskFinish\",\"JobsDetail\":{\"JobId\":\"j1\",\"Tag\":\"Transcode\",\"State\":\"Success\","
            + "\"Input\":{\"BucketId\":\"test-123456789\"}}}";
    CosNotificationIntake intake = intake(detail("j1", "Transcode", "Failed"));
    IntakeResult r = intake.receive(post(forged.getBytes(), "application/json"));
    assertThat(r.events().get(0).status().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void jsonCallback_forADocJob_readsDocJobs() {
    String json =
        "{\"EventName\":\"TaskFinish\",\"JobsDetail\":[{\"JobId\":\"d5b7a\",\"Tag\":\"DocProcess\","
            + "\"Operation\":{\"Output\":{\"Bucket\":\"docs-123456789\"}}}]}";
    IntakeResult r =
        intake(detail("d5b7a", "DocProcess", "Success"))
            .receive(post(json.getBytes(), "application/json"));
    assertThat(reads).containsExactly("docs-123456789 doc:d5b7a");
    assertThat(r.events()).hasSize(1);
  }

  @Test
  void aJobStillRunning_byTheRead_givesNoEvent() {
    IntakeResult r =
        intake(detail("j1", "Transcode", "Running"))
            .receive(
                post(
                    ("<Response><EventName>TaskFinish</EventName><JobsDetail><JobId>j1</JobId>"
                            + "<Input><BucketId>test-123456789</BucketId></Input></JobsDetail></Response>")
                        .getBytes(),
                    "application/xml"));
    assertThat(r.isRefused()).isTrue();
    assertThat(r.events()).isEmpty();
  }

  @Test
  void malformedOrHostileBodies_areRefusedWithoutARead() {
    CosNotificationIntake intake = intake(detail("j1", "Transcode", "Success"));
    for (String body :
        List.of(
            "not xml",
            "<Response><JobsDetail><JobId>../../x</JobId></JobsDetail></Response>",
            "<Response><JobsDetail><JobId>j1</JobId><Input><BucketId>evil.example.com/x</BucketId></Input></JobsDetail></Response>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><JobsDetail><JobId>&x;</JobId></JobsDetail></Response>",
            "{\"JobsDetail\":{}}")) {
      IntakeResult r = intake.receive(post(body.getBytes(), "application/xml"));
      assertThat(r.status()).as(body).isEqualTo(400);
    }
    assertThat(reads).isEmpty();
    assertThat(intake.receive(InboundRequest.of("GET", "/", Map.of(), new byte[0])).status())
        .isEqualTo(405);
  }

  @Test
  void unknownJob_isAnsweredWithoutEvent() {
    CosNotificationIntake intake =
        new CosNotificationIntake(
            (bucket, id, doc) -> {
              throw new MediaServiceException("cos", 404, "NoSuchJob", "", "no such job");
            },
            CosNotificationIntake.singleOutput(Clock.systemUTC(), b -> b));
    IntakeResult r =
        intake.receive(
            post(
                ("<Response><JobsDetail><JobId>j9</JobId><Input><BucketId>test-123456789</BucketId></Input>"
                        + "</JobsDetail></Response>")
                    .getBytes(),
                "application/xml"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.events()).isEmpty();
  }

  @Test
  void requestsOfOtherVendors_areNotAccepted() {
    byte[] body = Fixtures.read("callback-go-sdk-example.xml");
    InboundRequest signed =
        InboundRequest.of("POST", "/n", Map.of("Authorization", List.of("Qiniu ak:sig")), body);
    assertThat(intake("").accepts(signed)).isFalse();
    assertThat(
            intake("").accepts(post("{\"id\":\"z0.1\",\"code\":0}".getBytes(), "application/json")))
        .isFalse();
  }
}
