package dev.mediaflow.cos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qcloud.cos.internal.RequestXmlFactory;
import com.qcloud.cos.model.ciModel.common.MediaOutputObject;
import com.qcloud.cos.model.ciModel.job.DocJobObject;
import com.qcloud.cos.model.ciModel.job.DocJobRequest;
import com.qcloud.cos.model.ciModel.job.DocProcessObject;
import com.qcloud.cos.model.ciModel.job.ExtractDigitalWatermark;
import com.qcloud.cos.model.ciModel.job.MediaAnimationObject;
import com.qcloud.cos.model.ciModel.job.MediaAudioObject;
import com.qcloud.cos.model.ciModel.job.MediaConcatFragmentObject;
import com.qcloud.cos.model.ciModel.job.MediaConcatTemplateObject;
import com.qcloud.cos.model.ciModel.job.MediaContainerObject;
import com.qcloud.cos.model.ciModel.job.MediaJobsRequest;
import com.qcloud.cos.model.ciModel.job.MediaTimeIntervalObject;
import com.qcloud.cos.model.ciModel.job.MediaTranscodeObject;
import com.qcloud.cos.model.ciModel.job.MediaTranscodeVideoObject;
import com.qcloud.cos.model.ciModel.job.MediaVideoObject;
import com.qcloud.cos.model.ciModel.job.v2.MediaJobsRequestV2;
import com.qcloud.cos.model.ciModel.template.MediaSnapshotObject;
import com.qcloud.cos.model.ciModel.template.MediaWaterMarkImage;
import com.qcloud.cos.model.ciModel.template.MediaWaterMarkText;
import com.qcloud.cos.model.ciModel.template.MediaWatermark;
import com.qcloud.cos.model.ciModel.xml.CIAuditingXmlFactoryV2;
import com.qcloud.cos.model.ciModel.xml.CIMediaXmlFactory;
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
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.op.WatermarkStrength;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Renderings checked two ways: golden strings from Tencent's documents and SDK samples (cited at
 * each test), and the same job built in the official Java SDK's model ({@code com.qcloud:cos_api})
 * and serialized by its own {@code CIMediaXmlFactory} / {@code RequestXmlFactory}, compared as XML
 * trees ({@link XmlTrees}: sibling order is not compared).
 */
class CosJobRendererTest {
  static final String APPID = "1250000000";

  /** Buckets {@code <name>} are {@code <name>-1250000000} in ap-beijing. */
  static final CosJobRenderer.Names NAMES =
      new CosJobRenderer.Names() {
        @Override
        public String region(String bucket) {
          return bucket.startsWith("test005") ? "ap-chongqing" : "ap-beijing";
        }

        @Override
        public String bucket(String bucket) {
          return bucket.matches(".*-[0-9]{5,}") ? bucket : bucket + "-" + APPID;
        }

        @Override
        public String url(MediaObject o, boolean http) {
          return (http ? "http" : "https")
              + "://"
              + bucket(o.bucket())
              + ".cos."
              + region(o.bucket())
              + ".myqcloud.com/"
              + o.key();
        }
      };

  final CosJobRenderer renderer = new CosJobRenderer(NAMES);

  CosJobRenderer.Rendered render(Operation op, String outKey) {
    return render(op, "in/a.mp4", outKey, ProviderOptions.none());
  }

  CosJobRenderer.Rendered render(
      Operation op, String sourceKey, String outKey, ProviderOptions options) {
    Pipeline p =
        Pipeline.of(
            MediaObject.of("b", sourceKey),
            List.of(Output.of(List.of(op), MediaObject.of("b", outKey))),
            null,
            options);
    return renderer.output(p, 0);
  }

  static MediaOutputObject output(String key) {
    MediaOutputObject o = new MediaOutputObject();
    o.setRegion("ap-beijing");
    o.setBucket("b-" + APPID);
    o.setObject(key);
    return o;
  }

  static MediaJobsRequest sdkJob(String tag, String inputKey) {
    MediaJobsRequest r = new MediaJobsRequest();
    r.setTag(tag);
    if (inputKey != null) {
      r.getInput().setObject(inputKey);
    }
    return r;
  }

  static void assertSameTree(String ours, byte[] sdk) {
    assertThat(XmlTrees.canonical(ours)).isEqualTo(XmlTrees.canonical(sdk));
  }

  // ---- Transcode

  @Test
  void transcode_everyField_matchesJavaSdk() {
    Transcode t =
        Transcode.builder()
            .container(Container.MP4)
            .videoCodec(VideoCodec.H264)
            .size(1280, 720)
            .fps(30)
            .videoBitrate(1_000_000)
            .crf(23)
            .audioCodec(AudioCodec.AAC)
            .sampleRate(44_100)
            .audioBitrate(128_000)
            .channels(2)
            .start(Duration.ofMillis(1500))
            .duration(Duration.ofSeconds(60))
            .build();
    CosJobRenderer.Rendered r = render(t, "out/a.mp4");

    MediaJobsRequest sdk = sdkJob("Transcode", "in/a.mp4");
    MediaTranscodeObject tr = sdk.getOperation().getTranscode();
    tr.getContainer().setFormat("mp4");
    MediaTranscodeVideoObject v = tr.getVideo();
    v.setCodec("H.264");
    v.setWidth("1280");
    v.setHeight("720");
    v.setFps("30");
    v.setBitrate("1000"); // Kbps
    v.setCrf("23");
    MediaAudioObject a = tr.getAudio();
    a.setCodec("aac");
    a.setSamplerate("44100");
    a.setBitrate("128");
    a.setChannels("2");
    MediaTimeIntervalObject ti = new MediaTimeIntervalObject();
    ti.setStart("1.5"); // seconds
    ti.setDuration("60");
    tr.setTimeInterval(ti);
    sdk.getOperation().setOutput(output("out/a.mp4"));

    assertThat(r.kind()).isEqualTo(CosJobRenderer.Kind.MEDIA);
    assertThat(r.tag()).isEqualTo("Transcode");
    assertSameTree(r.body(), CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void transcode_bodyIsOneLineWithoutDeclaration() {
    String body =
        render(Transcode.builder().container(Container.M3U8).build(), "out/a.m3u8").body();
    // Python SDK demo/ci_media.py shape:
    // <Request><Tag>..</Tag><Input>..</Input><Operation>..</Operation></Request>
    assertThat(body)
        .isEqualTo(
            "<Request><Tag>Transcode</Tag><Input><Object>in/a.mp4</Object></Input><Operation>"
                + "<Transcode><Container><Format>hls</Format></Container></Transcode>"
                + "<Output><Region>ap-beijing</Region><Bucket>b-1250000000</Bucket><Object>out/a.m3u8</Object></Output>"
                + "</Operation></Request>");
  }

  @Test
  void transcode_dropsStreams_withRemove() {
    String body =
        render(Transcode.builder().container(Container.MP4).noAudio().build(), "o.mp4").body();
    assertThat(body).contains("<Audio><Remove>true</Remove></Audio>");
    String noVideo =
        render(Transcode.builder().container(Container.MP4).noVideo().build(), "o.mp4").body();
    assertThat(noVideo).contains("<Video><Remove>true</Remove></Video>");
  }

  @Test
  void transcode_refusesWhatCloudInfiniteCannotExpress() {
    assertThatThrownBy(() -> render(Transcode.builder().container(Container.MKV).build(), "o.mkv"))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("container");
    assertThatThrownBy(
            () ->
                render(
                    Transcode.builder().container(Container.MP4).videoBitrate(1_500_500).build(),
                    "o.mp4"))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("whole Kbps");
    assertThatThrownBy(
            () -> render(Transcode.builder().container(Container.MP4).width(64).build(), "o.mp4"))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("128 to 4096");
  }

  @Test
  void transcodeWithWatermarks_matchesJavaSdk() {
    Transcode t = Transcode.builder().container(Container.MP4).build();
    Watermark text =
        Watermark.text("hello <&> 腾讯")
            .font("simfang.ttf")
            .fontSize(30)
            .color("#ffffff")
            .opacity(80)
            .gravity(Gravity.NORTH_EAST)
            .offset(10, 10)
            .build();
    Watermark image =
        Watermark.image(MediaObject.of("b", "wm.png")).gravity(Gravity.SOUTH_WEST).build();
    Pipeline p =
        Pipeline.from("b", "in/a.mp4")
            .then(t)
            .then(text)
            .then(image)
            .saveAs("b", "out/w.mp4")
            .build();
    String ours = renderer.output(p, 0).body();

    MediaJobsRequest sdk = sdkJob("Transcode", "in/a.mp4");
    sdk.getOperation().getTranscode().getContainer().setFormat("mp4");
    MediaWatermark w1 = new MediaWatermark();
    w1.setType("Text");
    w1.setPos("TopRight");
    w1.setLocMode("Absolute");
    w1.setDx("10");
    w1.setDy("10");
    MediaWaterMarkText tx = new MediaWaterMarkText();
    tx.setText("hello <&> 腾讯");
    tx.setFontSize("30");
    tx.setFontType("simfang.ttf");
    tx.setFontColor("0xFFFFFF");
    tx.setTransparency("80");
    w1.setText(tx);
    MediaWatermark w2 = new MediaWatermark();
    w2.setType("Image");
    w2.setPos("BottomLeft");
    w2.setLocMode("Absolute");
    w2.setDx("0");
    w2.setDy("0");
    MediaWaterMarkImage im = new MediaWaterMarkImage();
    im.setUrl("https://b-1250000000.cos.ap-beijing.myqcloud.com/wm.png");
    im.setMode("Original");
    im.setTransparency("100");
    im.setBackground("false");
    w2.setImage(im);
    sdk.getOperation().setWatermarkList(List.of(w1, w2));
    sdk.getOperation().setOutput(output("out/w.mp4"));

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
    assertThat(ours).contains("<Text>hello &lt;&amp;&gt; 腾讯</Text>");
  }

  // ---- audio only

  @Test
  void audio_isTranscodeWithoutVideo_matchesJavaSdk() {
    AudioTranscode a =
        AudioTranscode.builder()
            .format(AudioFormat.MP3)
            .bitrate(192_000)
            .sampleRate(44_100)
            .channels(2)
            .build();
    String ours = render(a, "out/a.mp3").body();

    MediaJobsRequest sdk = sdkJob("Transcode", "in/a.mp4");
    MediaTranscodeObject tr = sdk.getOperation().getTranscode();
    tr.getContainer().setFormat("mp3");
    tr.getVideo().setRemove("true");
    tr.getAudio().setCodec("mp3");
    tr.getAudio().setBitrate("192");
    tr.getAudio().setSamplerate("44100");
    tr.getAudio().setChannels("2");
    sdk.getOperation().setOutput(output("out/a.mp3"));

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void audio_wavIsPcm_andM4aIsRefused() {
    assertThat(render(AudioTranscode.to(AudioFormat.WAV), "a.wav").body())
        .contains("<Format>wav</Format>")
        .contains("<Codec>pcm_s16le</Codec>");
    assertThatThrownBy(() -> render(AudioTranscode.to(AudioFormat.M4A), "a.m4a"))
        .isInstanceOf(UnsupportedMediaOperationException.class);
  }

  // ---- Snapshot

  @Test
  void snapshotEvery_intervalMode_matchesJavaSdk() {
    // The document's example: Interval mode from 5 s, every 10 s, 3 frames, 640 wide.
    Snapshot s =
        Snapshot.builder()
            .at(Duration.ofSeconds(5))
            .every(Duration.ofSeconds(10), 3)
            .width(640)
            .build();
    String ours = render(s, "snap/s-{index}.jpg").body();

    MediaJobsRequest sdk = sdkJob("Snapshot", "in/a.mp4");
    MediaSnapshotObject so = sdk.getOperation().getSnapshot();
    so.setMode("Interval");
    so.setStart("5");
    so.setTimeInterval("10");
    so.setCount("3");
    so.setWidth("640");
    sdk.getOperation().setOutput(output("snap/s-${Number}.jpg"));

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void snapshotAt_isOneFrame_count1() {
    String ours = render(Snapshot.at(Duration.ofMillis(2500)), "cover.jpg").body();

    MediaJobsRequest sdk = sdkJob("Snapshot", "in/a.mp4");
    MediaSnapshotObject so = sdk.getOperation().getSnapshot();
    so.setMode("Interval");
    so.setStart("2.5");
    so.setCount("1");
    sdk.getOperation().setOutput(output("cover.jpg"));

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void snapshotFrames_withoutIndex_numberBeforeTheExtension() {
    assertThat(CosJobRenderer.numbered("f/frame.jpg", "${Number}"))
        .isEqualTo("f/frame-${Number}.jpg");
    assertThat(CosJobRenderer.numbered("f/frame", "${Number}")).isEqualTo("f/frame-${Number}");
    assertThatThrownBy(
            () ->
                render(
                    Snapshot.builder().at(Duration.ZERO).format(ImageFormat.WEBP).build(),
                    "a.webp"))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("jpg or png");
    assertThatThrownBy(
            () ->
                render(
                    Snapshot.builder().at(Duration.ZERO).format(ImageFormat.PNG).build(), "a.jpg"))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("end the key with .png");
    assertThat(
            render(Snapshot.builder().at(Duration.ZERO).format(ImageFormat.PNG).build(), "a.png")
                .body())
        .contains("<Object>a.png</Object>");
  }

  // ---- Animation

  @Test
  void animation_gif_matchesJavaSdkV2() {
    Animation a =
        Animation.builder()
            .format(AnimationFormat.GIF)
            .width(320)
            .fps(10)
            .start(Duration.ZERO)
            .duration(Duration.ofSeconds(5))
            .build();
    String ours = render(a, "out/a.gif").body();

    // The Java v1 MediaJobsRequest has no Animation node; MediaJobsRequestV2 has.
    MediaJobsRequestV2 sdk = new MediaJobsRequestV2();
    sdk.setSize(
        null); // a field of the list call, which the V2 serializer would write as <Size>10</Size>
    sdk.setTag("Animation");
    sdk.getInput().setObject("in/a.mp4");
    MediaAnimationObject an = new MediaAnimationObject();
    MediaContainerObject c = new MediaContainerObject();
    c.setFormat("gif");
    an.setContainer(c);
    MediaVideoObject v = new MediaVideoObject();
    v.setCodec("gif");
    v.setWidth("320");
    v.setFps("10");
    v.setAnimateFramesPerSecond("10");
    an.setVideo(v);
    MediaTimeIntervalObject ti = new MediaTimeIntervalObject();
    ti.setStart("0");
    ti.setDuration("5");
    an.setTimeInterval(ti);
    sdk.getOperation().setMediaAnimation(an);
    sdk.getOperation().setOutput(output("out/a.gif"));

    assertSameTree(ours, CIAuditingXmlFactoryV2.convertToXmlByteArray(sdk));
  }

  @Test
  void animation_intervalBecomesFramesPerSecond() {
    String body =
        render(
                Animation.builder()
                    .format(AnimationFormat.WEBP)
                    .interval(Duration.ofMillis(500))
                    .build(),
                "a.webp")
            .body();
    assertThat(body)
        .contains("<Container><Format>webp</Format></Container>")
        .contains(
            "<Video><Codec>webp</Codec><Fps>2</Fps><AnimateFramesPerSecond>2</AnimateFramesPerSecond></Video>");
  }

  // ---- Concat

  @Test
  void concat_fragmentsByUrl_noInput_matchesJavaSdk() {
    Concat c =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "outro.mp4")))
            .encoding(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .audioCodec(AudioCodec.AAC)
                    .build())
            .build();
    String ours = render(c, "out/joined.mp4").body();

    MediaJobsRequest sdk = new MediaJobsRequest();
    sdk.setTag("Concat");
    MediaConcatTemplateObject t = sdk.getOperation().getMediaConcatTemplate();
    MediaConcatFragmentObject f1 = new MediaConcatFragmentObject();
    f1.setUrl("https://b-1250000000.cos.ap-beijing.myqcloud.com/in/a.mp4");
    MediaConcatFragmentObject f2 = new MediaConcatFragmentObject();
    f2.setUrl("https://b-1250000000.cos.ap-beijing.myqcloud.com/outro.mp4");
    t.getConcatFragmentList().add(f1);
    t.getConcatFragmentList().add(f2);
    t.getContainer().setFormat("mp4");
    t.getVideo().setCodec("H.264");
    t.getAudio().setCodec("aac");
    sdk.getOperation().setOutput(output("out/joined.mp4"));

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void concat_before_putsTheSourceLast() {
    Concat c =
        Concat.builder()
            .inputs(List.of(MediaObject.of("b", "intro.mp4")))
            .position(ConcatPosition.BEFORE)
            .encoding(Transcode.builder().container(Container.MP4).build())
            .build();
    String body = render(c, "o.mp4").body();
    assertThat(body.indexOf("intro.mp4")).isLessThan(body.indexOf("in/a.mp4"));
  }

  // ---- blind watermark

  @Test
  void blindWatermarkDecode_onVideo_isExtractDigitalWatermark_matchesJavaSdk() {
    Pipeline p =
        Pipeline.of(
            MediaObject.of("b", "in/a.mp4"),
            List.of(Output.unsaved(List.of(BlindWatermarkDecode.defaults()))),
            null,
            null);
    String ours = renderer.output(p, 0).body();

    // https://cloud.tencent.com/document/product/460/66008: Tag ExtractDigitalWatermark, no Output.
    MediaJobsRequest sdk = sdkJob("ExtractDigitalWatermark", "in/a.mp4");
    ExtractDigitalWatermark x = new ExtractDigitalWatermark();
    x.setType("Text");
    x.setVersion("V1");
    sdk.getOperation().setExtractDigitalWatermark(x);

    assertSameTree(ours, CIMediaXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void blindWatermarkDecode_onImage_orWithStrength_isRefused() {
    Pipeline image =
        Pipeline.of(
            MediaObject.of("b", "in/a.png"),
            List.of(Output.unsaved(List.of(BlindWatermarkDecode.defaults()))),
            null,
            null);
    assertThatThrownBy(() -> renderer.output(image, 0))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("videos");
    Pipeline strength =
        Pipeline.of(
            MediaObject.of("b", "in/a.mp4"),
            List.of(Output.unsaved(List.of(BlindWatermarkDecode.of(WatermarkStrength.HIGH, null)))),
            null,
            null);
    assertThatThrownBy(() -> renderer.output(strength, 0))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("strength");
  }

  // ---- documents

  @Test
  void document_pagesToPng_matchesJavaSdk() {
    DocumentConversion d =
        DocumentConversion.builder()
            .from(DocumentType.DOCX)
            .to(DocumentTarget.PNG)
            .pages(PageRange.parse("2-3"))
            .build();
    CosJobRenderer.Rendered r =
        render(d, "in/a.docx", "out/p-{index}.png", ProviderOptions.builder().queue("p1").build());

    DocJobRequest sdk = new DocJobRequest();
    DocJobObject job = sdk.getDocJobObject();
    job.setTag("DocProcess");
    job.setQueueId("p1");
    job.getInput().setObject("in/a.docx");
    job.getOperation().setOutput(output("out/p-${Number}.png"));
    DocProcessObject dp = job.getOperation().getDocProcessObject();
    dp.setSrcType("docx");
    dp.setTgtType("png");
    dp.setStartPage("2");
    dp.setEndPage("3");

    assertThat(r.kind()).isEqualTo(CosJobRenderer.Kind.DOC);
    assertSameTree(r.body(), RequestXmlFactory.convertToXmlByteArray(sdk));
  }

  @Test
  void document_theDocumentsRequestBody() {
    // https://cloud.tencent.com/document/product/460/46942:
    // <Request><Tag></Tag><Input><Object></Object></Input>
    // <Operation><Output><Region></Region><Bucket></Bucket><Object></Object></Output>
    // <DocProcess><StartPage></StartPage><EndPage></EndPage><TgtType></TgtType></DocProcess></Operation></Request>
    String body =
        render(
                DocumentConversion.builder()
                    .to(DocumentTarget.JPG)
                    .pages(PageRange.parse("3-5"))
                    .build(),
                "demo.docx",
                "out/page-${Number}.jpg".replace("${Number}", "{index}"),
                ProviderOptions.none())
            .body();
    assertThat(body)
        .isEqualTo(
            "<Request><Tag>DocProcess</Tag><Input><Object>demo.docx</Object></Input><Operation>"
                + "<Output><Region>ap-beijing</Region><Bucket>b-1250000000</Bucket><Object>out/page-${Number}.jpg</Object></Output>"
                + "<DocProcess><StartPage>3</StartPage><EndPage>5</EndPage><TgtType>jpg</TgtType></DocProcess>"
                + "</Operation></Request>");
  }

  @Test
  void document_severalRanges_arePageRanges() {
    // Python SDK cos_client.py ci_create_doc_job: PageRanges "1,2-4,7"
    String body =
        render(
                DocumentConversion.builder()
                    .to(DocumentTarget.JPG)
                    .pages(PageRange.parse("1,2-4,7"))
                    .build(),
                "in/a.pptx",
                "out/p.jpg",
                ProviderOptions.none())
            .body();
    assertThat(body)
        .contains("<Object>out/p-${Number}.jpg</Object>")
        .contains("<PageRanges>1,2-4,7</PageRanges>");
    assertThatThrownBy(
            () ->
                render(
                    DocumentConversion.to(DocumentTarget.TXT),
                    "in/a.docx",
                    "o.txt",
                    ProviderOptions.none()))
        .isInstanceOf(UnsupportedMediaOperationException.class);
  }

  // ---- images

  @Test
  void imageWatermark_goSdkSample() {
    // cos-go-sdk-v5 ci_doc_test.go: ImageParams
    // "watermark/1/image/aHR0cDovL3Rlc3QwMDUtMTI1MTcwNDcwOC5jb3MuYXAtY2hvbmdxaW5nLm15cWNsb3VkLmNvbS8xLmpwZw==/gravity/southeast";
    // the padding dropped, as in https://cloud.tencent.com/document/api/1246/45369's own examples.
    Pipeline p =
        Pipeline.from("test005-1251704708", "in.jpg")
            .then(
                Watermark.image(MediaObject.of("test005-1251704708", "1.jpg"))
                    .gravity(Gravity.SOUTH_EAST)
                    .build())
            .saveAs("test005-1251704708", "out.jpg")
            .build();
    assertThat(renderer.output(p, 0).tag())
        .isEqualTo(
            "watermark/1/image/aHR0cDovL3Rlc3QwMDUtMTI1MTcwNDcwOC5jb3MuYXAtY2hvbmdxaW5nLm15cWNsb3VkLmNvbS8xLmpwZw/gravity/southeast");
  }

  @Test
  void textWatermark_afterThumbnail_goSdkSample() {
    // cos-go-sdk-v5 ci_doc_test.go:
    // "imageMogr2/thumbnail/!50p|watermark/2/text/5pWw5o2u5LiH6LGh/fill/I0ZGRkZGRg==/fontsize/30/dx/20/dy/20"
    // (a width instead of the percentage, which the neutral model does not have; padding dropped)
    Pipeline p =
        Pipeline.from("b", "in.jpg")
            .then(ImageResize.builder().width(200).build())
            .then(Watermark.text("数据万象").color("#FFFFFF").fontSize(30).offset(20, 20).build())
            .saveAs("b", "out.jpg")
            .build();
    CosJobRenderer.Rendered r = renderer.output(p, 0);
    assertThat(r.kind()).isEqualTo(CosJobRenderer.Kind.IMAGE);
    assertThat(r.tag())
        .isEqualTo(
            "imageMogr2/thumbnail/200x|watermark/2/text/5pWw5o2u5LiH6LGh/fill/I0ZGRkZGRg/fontsize/30/dx/20/dy/20");
    // https://www.tencentcloud.com/zh/document/product/1045/33695: Pic-Operations
    assertThat(r.body())
        .isEqualTo(
            "{\"is_pic_info\":1,\"rules\":[{\"bucket\":\"b-1250000000\",\"fileid\":\"/out.jpg\",\"rule\":\""
                + r.tag()
                + "\"}]}");
  }

  @Test
  void thumbnail_documentForms() {
    // https://tencentcloud.com/zh/document/api/1045/33713: /thumbnail/<Width>x, x<Height>,
    // <Width>x<Height>, <Width>x<Height>!
    assertThat(CosJobRenderer.resize(ImageResize.builder().width(300).build()))
        .isEqualTo("imageMogr2/thumbnail/300x");
    assertThat(CosJobRenderer.resize(ImageResize.builder().height(200).build()))
        .isEqualTo("imageMogr2/thumbnail/x200");
    assertThat(CosJobRenderer.resize(ImageResize.builder().size(300, 200).build()))
        .isEqualTo("imageMogr2/thumbnail/300x200");
    assertThat(
            CosJobRenderer.resize(
                ImageResize.builder()
                    .size(300, 200)
                    .fit(FitMode.STRETCH)
                    .format(ImageFormat.WEBP)
                    .quality(60)
                    .build()))
        .isEqualTo("imageMogr2/thumbnail/300x200!/format/webp/quality/60");
    assertThatThrownBy(
            () ->
                CosJobRenderer.resize(
                    ImageResize.builder().size(300, 200).fit(FitMode.PAD).build()))
        .isInstanceOf(UnsupportedMediaOperationException.class);
  }

  @Test
  void picOperations_keyWithQuotesAndUnicode_staysOneAsciiJsonString() {
    Pipeline p =
        Pipeline.from("b", "in.jpg")
            .then(ImageResize.builder().width(100).build())
            .saveAs("b", "out/\"引号\".jpg")
            .build();
    assertThat(renderer.output(p, 0).body())
        .contains("\"fileid\":\"/out/\\\"\\u5f15\\u53f7\\\".jpg\"")
        .matches("[\\x20-\\x7e]+");
  }

  // ---- options and notification

  @Test
  void queueAndCallback_areRequestLevel() {
    Pipeline p =
        Pipeline.from("b", "in/a.mp4")
            .then(Transcode.builder().container(Container.MP4).build())
            .saveAs("b", "o.mp4")
            .queue("p893bcda225bf4945a378da6662e81a89")
            .notifyUrl("https://www.callback.com")
            .build();
    // cos-go-sdk-v5 ci_media_test.go TestCIService_CreateMediaJobs:
    // ...</Operation><QueueId>p893…</QueueId><CallBack>https://www.callback.com</CallBack></Request>
    assertThat(renderer.output(p, 0).body())
        .endsWith(
            "</Operation><QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><CallBack>https://www.callback.com</CallBack></Request>");
  }

  @Test
  void chainOfTwoMediaOperations_isRefused() {
    Pipeline p =
        Pipeline.from("b", "in/a.mp4")
            .then(Transcode.builder().container(Container.MP4).build())
            .then(Snapshot.at(Duration.ZERO))
            .saveAs("b", "o.jpg")
            .build();
    assertThatThrownBy(() -> renderer.output(p, 0))
        .isInstanceOf(UnsupportedMediaOperationException.class)
        .hasMessageContaining("split the chain");
  }
}
