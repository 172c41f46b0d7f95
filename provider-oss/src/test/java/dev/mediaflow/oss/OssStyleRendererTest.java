package dev.mediaflow.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.op.WatermarkKind;
import dev.mediaflow.op.WatermarkStrength;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden styles from OSS's documents and the official SDKs' samples and tests ({@code
 * docs/vendor-notes.md}).
 */
class OssStyleRendererTest {
  final OssStyleRenderer renderer = new OssStyleRenderer();

  String step(Operation op) {
    return renderer.step(op);
  }

  @Test
  void videoConvert_seedAndSdkExample() {
    // the Go v2 SDK's mock test and every SDK's sample
    assertThat(
            step(
                Transcode.builder()
                    .container(Container.AVI)
                    .videoCodec(VideoCodec.H265)
                    .size(1920, 1080)
                    .videoBitrate(2_000_000)
                    .fps(30)
                    .audioCodec(AudioCodec.AAC)
                    .audioBitrate(100_000)
                    .build()))
        .isEqualTo(
            "video/convert,f_avi,vcodec_h265,s_1920x1080,vb_2000000,fps_30,acodec_aac,ab_100000,sn_1");
  }

  @Test
  void goMockBody_withSaveas_urlSafeNoPadding() {
    // Go v2 oss/client_mock_test.go: the body after "x-oss-async-process="
    Output out =
        Output.of(
            List.of(
                Transcode.builder()
                    .container(Container.AVI)
                    .videoCodec(VideoCodec.H265)
                    .size(1920, 1080)
                    .videoBitrate(2_000_000)
                    .fps(30)
                    .audioCodec(AudioCodec.AAC)
                    .audioBitrate(100_000)
                    .build()),
            MediaObject.of("desct-bucket", "demo.mp4"));
    assertThat(renderer.output(out, Optional.empty()))
        .isEqualTo(
            new OssStyleRenderer.Style(
                "video/convert,f_avi,vcodec_h265,s_1920x1080,vb_2000000,fps_30,acodec_aac,"
                    + "ab_100000,sn_1|sys/saveas,b_ZGVzY3QtYnVja2V0,o_ZGVtby5tcDQ",
                OssStyleRenderer.Mode.ASYNC));
  }

  @Test
  void animation_docSample() {
    // convert-videos-to-animated-images doc
    assertThat(
            step(
                Animation.builder()
                    .format(AnimationFormat.GIF)
                    .size(100, 100)
                    .interval(Duration.ofSeconds(1))
                    .build()))
        .isEqualTo("video/animation,f_gif,w_100,h_100,inter_1000");
  }

  @Test
  void snapshots_docSample_plusTheFrameCount() {
    // PHP v2 doc sample video/snapshots,f_jpg,w_100,h_100,scaletype_crop,inter_10000; our count is
    // num (documented)
    assertThat(
            step(
                Snapshot.builder()
                    .every(Duration.ofSeconds(10), 6)
                    .format(ImageFormat.JPG)
                    .size(100, 100)
                    .fit(FitMode.CROP)
                    .build()))
        .isEqualTo("video/snapshots,f_jpg,w_100,h_100,scaletype_crop,inter_10000" + ",num_6");
  }

  @Test
  void audioConvert_docSample() {
    // audio-transcoding doc: milliseconds and bits per second
    assertThat(
            step(
                AudioTranscode.builder()
                    .format(AudioFormat.AAC)
                    .start(Duration.ofSeconds(10))
                    .duration(Duration.ofSeconds(60))
                    .bitrate(96_000)
                    .build()))
        .isEqualTo("audio/convert,ss_10000,t_60000,f_aac,ab_96000");
  }

  @Test
  void docConvert_messageNotificationDocExample() {
    // message-notification doc:
    // doc/convert,target_png,source_docx|sys/saveas,b_dGVzdC1idWNrZXQ,o_ZG9jX2ltYWdlcy97aW5kZXh9LnBuZw/notify,topic_dGVzdC10b3BpYw
    Output out =
        Output.of(
            List.of(
                DocumentConversion.builder()
                    .to(DocumentTarget.PNG)
                    .from(DocumentType.DOCX)
                    .build()),
            MediaObject.of("test-bucket", "doc_images/{index}.png"));
    assertThat(renderer.output(out, Optional.of("test-topic")).value())
        .isEqualTo(
            "doc/convert,target_png,source_docx|sys/saveas,b_dGVzdC1idWNrZXQ,o_ZG9jX2ltYWdlcy97aW5kZXh9LnBuZw/notify,topic_dGVzdC10b3BpYw");
  }

  @Test
  void deblindwatermark_docSample_notifiesWithoutSaveas() {
    Output out =
        Output.unsaved(List.of(BlindWatermarkDecode.of(WatermarkStrength.LOW, WatermarkKind.TEXT)));
    assertThat(renderer.output(out, Optional.of("test-topic")).value())
        .isEqualTo("image/deblindwatermark,s_low,t_text|sys/notify,topic_dGVzdC10b3BpYw");
  }

  @Test
  void concat_preAndSur_keysAsBase64() {
    // video-stitching doc: /pre,o_<b64> before the main input, /sur,o_<b64> after it
    Concat before =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "concat1.mp4")))
            .position(ConcatPosition.BEFORE)
            .encoding(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .fps(25)
                    .videoBitrate(1_000_000)
                    .audioCodec(AudioCodec.AAC)
                    .audioBitrate(96_000)
                    .sampleRate(48000)
                    .channels(2)
                    .build())
            .build();
    assertThat(step(before))
        .isEqualTo(
            "video/concat,f_mp4,vcodec_h264,vb_1000000,fps_25,acodec_aac,ab_96000,ar_48000,ac_2,sn_1"
                + "/pre,o_Y29uY2F0MS5tcDQ");
    assertThat(step(before.toBuilder().position(ConcatPosition.AFTER).build()))
        .endsWith("/sur,o_Y29uY2F0MS5tcDQ");
  }

  @Test
  void imageChain_isSyncProcessing_withSaveas() {
    Output out =
        Output.of(
            List.of(
                ImageResize.builder().size(800, 600).format(ImageFormat.WEBP).quality(80).build(),
                Watermark.text("Hello 家, a/b|c").color("#ff0000").build()),
            MediaObject.of("media", "out/a.webp"));
    OssStyleRenderer.Style s = renderer.output(out, Optional.empty());
    assertThat(s.mode()).isEqualTo(OssStyleRenderer.Mode.SYNC);
    assertThat(s.value())
        .startsWith("image/resize,m_lfit,w_800,h_600/format,webp/quality,q_80/watermark,text_")
        .contains(",color_FF0000")
        .endsWith("|sys/saveas,b_bWVkaWE,o_b3V0L2Eud2VicA");
  }

  @Test
  void userStrings_cannotEndAParameterEarly() {
    String key = "a,b/c|d_e 家";
    String style =
        renderer
            .output(
                Output.of(
                    List.of(Transcode.builder().container(Container.MP4).build()),
                    MediaObject.of("media", key)),
                Optional.empty())
            .value();
    assertThat(style.substring(style.indexOf("o_") + 2)).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void whatOssCannotExpress_isRejectedNamingTheParameter() {
    assertThatThrownBy(
            () ->
                step(
                    Transcode.builder()
                        .container(Container.MP4)
                        .videoCodec(VideoCodec.AV1)
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("videoCodec");
    assertThatThrownBy(() -> step(AudioTranscode.to(AudioFormat.WAV)))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("format");
    assertThatThrownBy(
            () ->
                renderer.output(
                    Output.of(
                        List.of(
                            Transcode.builder().container(Container.MP4).build(),
                            Snapshot.at(Duration.ZERO)),
                        MediaObject.of("b", "k")),
                    Optional.empty()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("steps");
  }

  @Test
  void audioConcat_phpDocSample_withoutWhatTheModelDoesNotSay() {
    // PHP v2 doc page:
    // audio/concat,f_aac,ac_1,ar_44100,ab_96000,align_2/pre,o_<b64>/pre,o_<b64>,t_0. The model has
    // no "align" (baseline input) and no per-input trim, so those two parameters are taken out of
    // the sample.
    String doc =
        "audio/concat,f_aac,ac_1,ar_44100,ab_96000,align_2/pre,o_"
            + OssStyleRenderer.b64("concat1.aac")
            + "/pre,o_"
            + OssStyleRenderer.b64("concat2.aac")
            + ",t_0";
    Concat c =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "concat1.aac"), MediaObject.of("b", "concat2.aac")))
            .position(ConcatPosition.BEFORE)
            .encoding(
                Transcode.builder()
                    .container(Container.MP4)
                    .noVideo()
                    .audioCodec(AudioCodec.AAC)
                    .channels(1)
                    .sampleRate(44100)
                    .audioBitrate(96_000)
                    .build())
            .build();
    assertThat(step(c)).isEqualTo(doc.replace(",align_2", "").replace(",t_0", ""));
  }

  @Test
  void audioConcat_withoutACodec_isRefused() {
    Concat c =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "x.aac")))
            .encoding(Transcode.builder().container(Container.MP4).noVideo().build())
            .build();
    assertThatThrownBy(() -> step(c))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("audioCodec");
  }
}
