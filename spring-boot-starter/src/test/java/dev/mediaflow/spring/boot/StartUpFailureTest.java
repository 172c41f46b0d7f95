package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad setting stops the application with Spring Boot's start-up report, written by the analyzer.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpFailureTest {
  @Test
  void missingSecret_failsStartUp_reportSaysWhatIsWrongAndWhatToSetWhere(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(TestApp.class)
                    .properties(
                        "spring.main.web-application-type=none",
                        "mediaflow.provider=qiniu",
                        "mediaflow.jobs.store=none",
                        "mediaflow.instances.qiniu.access-key=AK")
                    .run()
                    .close())
        .hasRootCauseInstanceOf(dev.mediaflow.MediaConfigException.class);
    String report = output.toString();
    assertThat(report)
        .contains("APPLICATION FAILED TO START")
        .contains("Description:")
        .contains("Mediaflow's configuration is invalid: ")
        .contains("secretKey")
        .contains("Action:")
        .contains(
            "Set or correct mediaflow.instances.qiniu.secretKey in application.yml or"
                + " application.properties, or as the environment variable"
                + " MEDIAFLOW_INSTANCES_QINIU_SECRETKEY")
        .contains("media.qiniu.secretKey", "MEDIA_QINIU_SECRETKEY", "QINIU_SECRET_KEY");
  }

  @Test
  void unknownProvider_failsStartUp_reportNamesTheProviderProperty(CapturedOutput output) {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(TestApp.class)
                    .properties(
                        "spring.main.web-application-type=none",
                        "mediaflow.provider=azure",
                        "mediaflow.jobs.store=none")
                    .run()
                    .close())
        .hasRootCauseInstanceOf(dev.mediaflow.MediaConfigException.class);
    assertThat(output.toString())
        .contains("APPLICATION FAILED TO START")
        .contains("Mediaflow's configuration is invalid: ")
        .contains("azure")
        .contains("Check mediaflow.provider and each mediaflow.instances.<name>.provider")
        .contains("(cos, local, oss, qiniu)");
  }
}
