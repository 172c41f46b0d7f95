package dev.mediaflow.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.ConcatPosition;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.RawOperation;
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
 * Golden fops from Qiniu's documents and official SDK samples (sources in {@code
 * docs/vendor-notes.md}, "Qiniu fops"; "developer.qiniu.com" below is the repository
 * qiniu/developer.qiniu.com, docs/v6/api/reference/).
 */
class QiniuFopRendererTest {
  final QiniuFopRenderer renderer =
      new QiniuFopRenderer(o -> "http://www.b1.qiniudn.com/" + o.key());

  String step(dev.mediaflow.op.Operation op) {
    return renderer.step(op, Optional.empty());
  }

  @Test
  void avthumb_javaSdkExample() {
    // qiniu/java-sdk examples/fops.java
    assertThat(
            step(
                Transcode.builder()
                    .container(Container.MP4)
                    .size(640, 360)
                    .videoBitrate(1_250_000)
                    .build()))
        .isEqualTo("avthumb/mp4/s/640x360/vb/1.25m");
  }

  @Test
  void avthumb_goSdkExample() {
    // qiniu/go-sdk examples/video_pfop
    assertThat(
            step(
                Transcode.builder()
                    .container(Container.MP4)
                    .size(480, 320)
                    .videoBitrate(500_000)
                    .build()))
        .isEqualTo("avthumb/mp4/s/480x320/vb/500k");
  }

  @Test
  void avthumb_hls_javaSdkPfopTest() {
    // qiniu/java-sdk PfopTest
    assertThat(
            step(
                Transcode.builder()
                    .container(Container.M3U8)
                    .videoCodec(VideoCodec.H264)
                    .size(320, 240)
                    .build()))
        .isEqualTo("avthumb/m3u8/segtime/10/vcodec/libx264/s/320x240");
  }

  @Test
  void vframe_withSaveas_pythonSdkOutput() {
    // python-sdk: op_save(build_op('vframe','jpg',offset=7,w=480,h=360),'bucket','key.jpg')
    Output out =
        Output.of(
            List.of(
                Snapshot.builder()
                    .at(Duration.ofSeconds(7))
                    .format(ImageFormat.JPG)
                    .size(480, 360)
                    .build()),
            MediaObject.of("bucket", "key.jpg"));
    assertThat(renderer.output(out))
        .isEqualTo("vframe/jpg/offset/7/w/480/h/360|saveas/YnVja2V0OmtleS5qcGc=");
  }

  @Test
  void vsample_docExample_patternFromTheKey() {
    // developer.qiniu.com fop/av/vsample.md: vsample/jpg/ss/7/t/600/s/480x360/pattern/<b64
    // "vframe-$(count)">;
    // interval 5 s is the default
    Output out =
        Output.of(
            List.of(
                Snapshot.builder()
                    .at(Duration.ofSeconds(7))
                    .every(Duration.ofSeconds(5), 120)
                    .format(ImageFormat.JPG)
                    .size(480, 360)
                    .build()),
            MediaObject.of("bucket", "vframe-{index}"));
    assertThat(renderer.output(out))
        .isEqualTo("vsample/jpg/ss/7/t/600/s/480x360/pattern/dmZyYW1lLSQoY291bnQp");
  }

  @Test
  void gif_realWorldStrings() {
    assertThat(
            step(
                Animation.builder()
                    .format(AnimationFormat.GIF)
                    .start(Duration.ZERO)
                    .duration(Duration.ofSeconds(3))
                    .fps(5)
                    .build()))
        .isEqualTo("avthumb/gif/ss/0/t/3/r/5");
    assertThat(step(Animation.builder().format(AnimationFormat.GIF).width(320).fps(12).build()))
        .isEqualTo("avthumb/gif/s/320x/r/12");
  }

  @Test
  void imageWatermark_docExample() {
    // developer.qiniu.com fop/image/watermark.md
    assertThat(
            step(
                Watermark.image(MediaObject.of("b1", "images/logo-2.png"))
                    .opacity(50)
                    .gravity(Gravity.SOUTH_EAST)
                    .offset(20, 20)
                    .build()))
        .isEqualTo(
            "watermark/1/image/aHR0cDovL3d3dy5iMS5xaW5pdWRuLmNvbS9pbWFnZXMvbG9nby0yLnBuZw==/dissolve/50"
                + "/gravity/SouthEast/dx/20/dy/20");
  }

  @Test
  void textWatermark_docExample_withoutItsNamedColour() {
    // developer.qiniu.com fop/image/watermark.md, minus /fill/d2hpdGU= ("white": the model takes
    // #RRGGBB colours only)
    assertThat(
            step(
                Watermark.text("七牛云存储")
                    .font("宋体")
                    .fontSize(50)
                    .opacity(85)
                    .gravity(Gravity.SOUTH_EAST)
                    .offset(20, 20)
                    .build()))
        .isEqualTo(
            "watermark/2/text/5LiD54mb5LqR5a2Y5YKo/font/5a6L5L2T/fontsize/1000/dissolve/85/gravity/SouthEast/dx/20/dy/20");
  }

  @Test
  void userText_cannotEndAParameterEarly() {
    String fop = step(Watermark.text("a/b|c;d").color("#FF0000").build());
    assertThat(fop.split("/")).hasSize(6); // watermark, 2, text, <b64>, fill, <b64>
    assertThat(fop).doesNotContain("|").doesNotContain(";");
  }

  @Test
  void entry_keepsPadding_dataFormatsDocExample() {
    // developer.qiniu.com data-formats.md
    assertThat(QiniuFopRenderer.entry(MediaObject.of("qiniuphotos", "gogopher.jpg")))
        .isEqualTo("cWluaXVwaG90b3M6Z29nb3BoZXIuanBn");
    assertThat(QiniuFopRenderer.b64("bucket:key.jpg")).endsWith("=");
  }

  @Test
  void channels_isUnsupported_naming_theParameter() {
    assertThatThrownBy(() -> step(Transcode.builder().container(Container.MP4).channels(2).build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("channels");
  }

  @Test
  void imageView2_seedExample() {
    // the Python SDK's build_op('imageView2', '2', w=800, h=600, format='webp') and its parameter
    // order
    assertThat(
            step(
                ImageResize.builder()
                    .size(800, 600)
                    .fit(FitMode.FIT)
                    .format(ImageFormat.WEBP)
                    .build()))
        .isEqualTo("imageView2/2/w/800/h/600/format/webp");
    assertThat(step(ImageResize.builder().size(64, 64).format(ImageFormat.PNG).build()))
        .isEqualTo("imageView2/2/w/64/h/64/format/png");
  }

  @Test
  void resize_cropAndStretch_docGeometries() {
    // developer.qiniu.com fop/image/imageview2.md: mode 1 scales to cover and centre-crops to
    // exactly w x h
    assertThat(step(ImageResize.builder().size(200, 200).fit(FitMode.CROP).build()))
        .isEqualTo("imageView2/1/w/200/h/200");
    // developer.qiniu.com fop/image/imagemogr2.md: <W>x<H>! is the exact, distorting geometry
    assertThat(
            step(
                ImageResize.builder()
                    .size(200, 100)
                    .fit(FitMode.STRETCH)
                    .format(ImageFormat.PNG)
                    .quality(75)
                    .build()))
        .isEqualTo("imageMogr2/thumbnail/200x100!/format/png/quality/75");
    assertThatThrownBy(() -> step(ImageResize.builder().size(200, 100).fit(FitMode.PAD).build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("fit");
  }

  @Test
  void avconcat_realWorldString() {
    // qiniu-suits-java:
    // avconcat/2/format/mp4/<urlsafe_b64("http://nigel.qiniuts.com/meipian_endvideo_1280x720.mp4")>
    QiniuFopRenderer r = new QiniuFopRenderer(o -> "http://nigel.qiniuts.com/" + o.key());
    Concat c =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "meipian_endvideo_1280x720.mp4")))
            .encoding(Transcode.builder().container(Container.MP4).build())
            .build();
    assertThat(r.step(c, Optional.empty()))
        .isEqualTo(
            "avconcat/2/format/mp4/aHR0cDovL25pZ2VsLnFpbml1dHMuY29tL21laXBpYW5fZW5kdmlkZW9fMTI4MHg3MjAubXA0");
  }

  @Test
  void avconcat_before_placesTheSourceLast_andRejectsCodecs() {
    Concat before =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "a.mp4"), MediaObject.of("b", "c.mp4")))
            .position(ConcatPosition.BEFORE)
            .encoding(Transcode.builder().container(Container.MP4).size(1280, 720).build())
            .build();
    // dora/1246: index is the 1-based position of the pfop source among the joined files
    assertThat(step(before)).startsWith("avconcat/2/format/mp4/s/1280x720/index/3/");
    Concat withCodec =
        before.toBuilder()
            .encoding(
                Transcode.builder().container(Container.MP4).videoCodec(VideoCodec.H265).build())
            .build();
    assertThatThrownBy(() -> step(withCodec))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("encoding.videoCodec");
  }

  @Test
  void yifangyun_v2_documents() {
    // developer.qiniu.com fop/third-party/yifangyun_preview.md:
    // yifangyun_preview/v2/ext=<Ext>/.../format=<pdf|jpg>/page_number=<N>
    assertThat(
            step(
                DocumentConversion.builder()
                    .to(DocumentTarget.PDF)
                    .from(DocumentType.DOCX)
                    .build()))
        .isEqualTo("yifangyun_preview/v2/ext=docx/format=pdf");
    assertThat(
            step(
                DocumentConversion.builder()
                    .to(DocumentTarget.JPG)
                    .pages(PageRange.parse("3"))
                    .build()))
        .isEqualTo("yifangyun_preview/v2/format=jpg/page_number=3");
    assertThatThrownBy(
            () ->
                step(
                    DocumentConversion.builder()
                        .to(DocumentTarget.JPG)
                        .pages(PageRange.parse("1-3"))
                        .build()))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("pages");
    assertThatThrownBy(() -> step(DocumentConversion.to(DocumentTarget.TXT)))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("to");
  }

  @Test
  void raw_passesThrough_butCannotStartAnotherOutput() {
    assertThat(step(RawOperation.of("qiniu", "avinfo"))).isEqualTo("avinfo");
    assertThatThrownBy(() -> step(RawOperation.of("qiniu", "avthumb/mp4;avthumb/flv")))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("value");
  }

  @Test
  void blindWatermarkDecode_isUnsupported() {
    assertThatThrownBy(
            () -> step(BlindWatermarkDecode.of(WatermarkStrength.LOW, WatermarkKind.TEXT)))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("decodeBlindWatermark");
  }
}
