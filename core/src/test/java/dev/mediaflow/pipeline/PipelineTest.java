package dev.mediaflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.Watermark;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private final Transcode mp4 = Transcode.builder().container(Container.MP4).build();

  @Test
  void fluentBuilder_saveAsClosesAChain_andTheNextThenStartsFromTheSource() {
    ImageResize resize = ImageResize.builder().width(100).build();
    Watermark mark = Watermark.text("x").build();
    Pipeline p =
        Pipeline.from("media", "in.mov")
            .then(mp4)
            .saveAs("media", "a.mp4")
            .then(resize)
            .then(mark)
            .saveAs("media", "b.jpg")
            .build();

    assertThat(p.outputs()).hasSize(2);
    assertThat(p.outputs().get(0))
        .isEqualTo(Output.of(java.util.List.of(mp4), MediaObject.of("media", "a.mp4")));
    assertThat(p.outputs().get(1).steps()).containsExactly(resize, mark);
    assertThat(p.options().isEmpty()).isTrue();
    assertThat(p.notification()).isEmpty();
  }

  @Test
  void build_withoutOutputs_fails() {
    assertThatThrownBy(() -> Pipeline.from("media", "in.mov").build())
        .isInstanceOf(MediaValidationException.class)
        .hasMessageStartingWith("outputs: needs at least one output");
  }

  @Test
  void build_withOpenChain_needingASaveTarget_saysToCallSaveAs() {
    assertThatThrownBy(() -> Pipeline.from("media", "in.mov").then(mp4).build())
        .isInstanceOf(MediaValidationException.class)
        .hasMessage(
            "outputs[0].saveAs: the last chain has no save target: end it with saveAs(bucket, key)");
  }

  @Test
  void build_withOpenDecodeChain_keepsItUnsaved() {
    Pipeline p =
        Pipeline.from("media", "in.jpg")
            .then(BlindWatermarkDecode.defaults())
            .notifyTopic("marks")
            .build();
    assertThat(p.outputs().get(0).saveAs()).isEmpty();
    assertThat(p.notification().orElseThrow().topic()).contains("marks");
  }

  @Test
  void saveAs_beforeAnyStep_fails() {
    assertThatThrownBy(() -> Pipeline.from("media", "in.mov").saveAs("media", "x"))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("outputs[0].steps");
  }

  @Test
  void saveAs_badKey_namesTheOutput() {
    assertThatThrownBy(() -> Pipeline.from("media", "in.mov").then(mp4).saveAs("media", "a|b\n"))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageStartingWith("key: must not contain control characters");
  }

  @Test
  void toBuilder_addsOutputs() {
    Pipeline p = Pipeline.from("m", "in.mov").then(mp4).saveAs("m", "a.mp4").force(true).build();
    Pipeline more =
        p.toBuilder().then(AudioTranscode.to(AudioFormat.AAC)).saveAs("m", "a.aac").build();
    assertThat(more.outputs()).hasSize(2);
    assertThat(more.options().force()).contains(true);
    assertThat(p.outputs()).hasSize(1);
  }

  @Test
  void notifyUrl_mustBeAbsoluteHttp() {
    assertThatThrownBy(() -> Notify.url("hooks.example.com/x"))
        .isInstanceOf(MediaValidationException.class)
        .hasMessageContaining("absolute http or https URL");
    assertThat(Notify.parse("https://h.example/x?a=1").url()).isPresent();
    assertThatThrownBy(() -> Notify.topic("a b")).hasMessageContaining("letters, digits and '-'");
  }

  @Test
  void equalPipelines_areEqual() {
    Pipeline a =
        Pipeline.from("m", "in")
            .then(Snapshot.at(Duration.ofSeconds(1)))
            .saveAs("m", "o.jpg")
            .build();
    Pipeline b =
        Pipeline.from("m", "in")
            .then(Snapshot.at(Duration.ofMillis(1000)))
            .saveAs("m", "o.jpg")
            .build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }
}
