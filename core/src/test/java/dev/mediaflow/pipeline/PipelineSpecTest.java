package dev.mediaflow.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
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
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.op.WatermarkKind;
import dev.mediaflow.op.WatermarkStrength;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineSpecTest {
  static String resource(String name) {
    try (InputStream in = PipelineSpecTest.class.getResourceAsStream("/spec/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void parse_issueExample_buildsTheTypedPipeline() {
    Pipeline p = PipelineSpec.parse(resource("issue-example.json"));

    Pipeline expected =
        Pipeline.from("media", "raw/intro.mov")
            .then(
                Transcode.builder()
                    .container(Container.MP4)
                    .videoCodec(VideoCodec.H264)
                    .size(1280, 720)
                    .videoBitrate(2_000_000)
                    .fps(30)
                    .audioCodec(AudioCodec.AAC)
                    .audioBitrate(128_000)
                    .build())
            .saveAs("media", "out/intro-720p.mp4")
            .then(
                Snapshot.builder()
                    .at(Duration.ofSeconds(10))
                    .format(ImageFormat.JPG)
                    .size(320, 240)
                    .build())
            .saveAs("media", "out/cover.jpg")
            .notifyUrl("https://hooks.example.com/media")
            .queue("video-pipeline")
            .force(true)
            .build();
    assertThat(p).isEqualTo(expected);
    assertThat(p.notification().orElseThrow().url()).isPresent();
    Transcode t = (Transcode) p.outputs().get(0).steps().get(0);
    assertThat(t.videoBitrate()).hasValue(2_000_000);
    assertThat(t.fps()).hasValue(30.0);
  }

  @Test
  void parse_everyField_mapsEachFieldToTheModel() {
    Pipeline p = PipelineSpec.parse(resource("every-field.json"));
    List<Output> o = p.outputs();

    assertThat(o.get(0).steps().get(0))
        .isEqualTo(
            Transcode.builder()
                .container(Container.MP4)
                .videoCodec(VideoCodec.H265)
                .audioCodec(AudioCodec.AAC)
                .size(1920, 1080)
                .videoBitrate(2_000_000)
                .audioBitrate(100_000)
                .fps(29.97)
                .sampleRate(44100)
                .channels(2)
                .crf(23)
                .start(Duration.ofMillis(1500))
                .duration(Duration.ofSeconds(60))
                .build());
    assertThat(o.get(1).steps().get(0))
        .isEqualTo(
            Transcode.builder()
                .container(Container.MKV)
                .videoCodec(VideoCodec.COPY)
                .noAudio()
                .build());
    assertThat(o.get(2).steps().get(0))
        .isEqualTo(
            Transcode.builder()
                .container(Container.MP4)
                .audioCodec(AudioCodec.COPY)
                .noVideo()
                .build());
    assertThat(o.get(3).steps().get(0))
        .isEqualTo(
            AudioTranscode.builder()
                .format(AudioFormat.MP3)
                .bitrate(96_000)
                .sampleRate(48_000)
                .channels(1)
                .start(Duration.ofSeconds(10))
                .duration(Duration.ofSeconds(60))
                .build());
    assertThat(o.get(4).steps().get(0))
        .isEqualTo(
            Snapshot.builder()
                .at(Duration.ofSeconds(10))
                .format(ImageFormat.JPG)
                .size(320, 240)
                .build());
    Snapshot frames = (Snapshot) o.get(5).steps().get(0);
    assertThat(frames)
        .isEqualTo(
            Snapshot.builder()
                .at(Duration.ofSeconds(5))
                .every(Duration.ofSeconds(10), 6)
                .format(ImageFormat.PNG)
                .size(100, 100)
                .fit(FitMode.CROP)
                .build());
    assertThat(frames.isMultiFrame()).isTrue();
    assertThat(frames.count()).isEqualTo(6);
    assertThat(o.get(6).steps().get(0))
        .isEqualTo(
            Animation.builder()
                .format(AnimationFormat.GIF)
                .width(320)
                .start(Duration.ofSeconds(1))
                .duration(Duration.ofSeconds(3))
                .fps(10)
                .build());
    assertThat(((Animation) o.get(6).steps().get(0)).size()).contains(Size.ofWidth(320));
    assertThat(o.get(7).steps().get(0))
        .isEqualTo(
            Animation.builder()
                .format(AnimationFormat.WEBP)
                .size(100, 100)
                .interval(Duration.ofSeconds(1))
                .build());
    assertThat(o.get(8).steps().get(0))
        .isEqualTo(
            DocumentConversion.builder()
                .from(DocumentType.DOCX)
                .to(DocumentTarget.PNG)
                .pages(PageRange.parse("1-3,5"))
                .build());
    assertThat(o.get(9).steps())
        .containsExactly(
            ImageResize.builder()
                .size(800, 600)
                .fit(FitMode.FIT)
                .format(ImageFormat.WEBP)
                .quality(80)
                .build(),
            Watermark.image(MediaObject.of("media", "brand/logo.png"))
                .gravity(Gravity.SOUTH_EAST)
                .offset(10, 10)
                .opacity(50)
                .build());
    assertThat(o.get(10).steps().get(0))
        .isEqualTo(
            Watermark.text("七牛云 © Mediaflow")
                .font("WenQuanYi Micro Hei")
                .fontSize(24)
                .color("#FFFFFF")
                .gravity(Gravity.NORTH_WEST)
                .offset(20, 20)
                .opacity(85)
                .build());
    assertThat(o.get(11).steps().get(0))
        .isEqualTo(
            Concat.builder()
                .inputs(
                    List.of(
                        MediaObject.of("media", "brand/intro.mp4"),
                        MediaObject.of("media", "brand/sting.mp4")))
                .position(ConcatPosition.BEFORE)
                .encoding(
                    Transcode.builder()
                        .container(Container.MP4)
                        .videoCodec(VideoCodec.H264)
                        .audioCodec(AudioCodec.AAC)
                        .videoBitrate(1_000_000)
                        .audioBitrate(96_000)
                        .fps(25)
                        .sampleRate(48_000)
                        .channels(2)
                        .build())
                .build());
    assertThat(o.get(12).steps().get(0))
        .isEqualTo(BlindWatermarkDecode.of(WatermarkStrength.LOW, WatermarkKind.TEXT));
    assertThat(o.get(12).saveAs()).isEmpty();
    assertThat(o.get(13).steps().get(0))
        .isEqualTo(
            RawOperation.of(
                "oss", "video/sprite,f_jpg,sw_100,sh_100,inter_10000,tw_10,th_10,pad_0,margin_0"));
    assertThat(p.options())
        .isEqualTo(
            ProviderOptions.builder().queue("video-pipeline").force(true).idleTime(false).build());
  }

  @Test
  void everyField_coversEveryOperationType() {
    Pipeline p = PipelineSpec.parse(resource("every-field.json"));
    Set<Class<?>> seen =
        p.outputs().stream()
            .flatMap(o -> o.steps().stream())
            .map(Object::getClass)
            .collect(Collectors.toSet());
    assertThat(seen).containsExactlyInAnyOrder(Operation.class.getPermittedSubclasses());
  }

  @Test
  void toJson_ofParsedCanonicalSpec_returnsItUnchanged() {
    String canonical = resource("every-field.json").strip();

    assertThat(PipelineSpec.toJson(PipelineSpec.parse(canonical))).isEqualTo(canonical);
  }

  @Test
  void parse_ofToJson_equalsTheOriginal_forBothForms() {
    Pipeline p = PipelineSpec.parse(resource("every-field.json"));

    assertThat(PipelineSpec.parse(PipelineSpec.toJson(p))).isEqualTo(p);
    assertThat(PipelineSpec.parse(PipelineSpec.toCompactJson(p))).isEqualTo(p);
    assertThat(PipelineSpec.toCompactJson(p)).doesNotContain("\n");
  }

  @Test
  void notify_topicName_roundTripsAsTopic() {
    Pipeline p =
        PipelineSpec.parse(
            "{\"source\":{\"bucket\":\"b\",\"key\":\"k\"},\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"aac\"}],"
                + "\"saveAs\":{\"bucket\":\"b\",\"key\":\"o.aac\"}}],\"notify\":\"media-done\"}");
    assertThat(p.notification().orElseThrow().topic()).contains("media-done");
    assertThat(PipelineSpec.parse(PipelineSpec.toJson(p))).isEqualTo(p);
  }

  static final String SOURCE = "\"source\":{\"bucket\":\"media\",\"key\":\"in.mov\"}";
  static final String SAVE = "\"saveAs\":{\"bucket\":\"media\",\"key\":\"out.mp4\"}";

  static String withStep(String step) {
    return "{"
        + SOURCE
        + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}],"
        + SAVE
        + "},"
        + "{\"steps\":["
        + step
        + "],"
        + SAVE
        + "}]}";
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"width\":-1}"),
            "outputs[1].steps[0].width",
            "must be between 1 and 16384, was -1"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"width\":0}"),
            "outputs[1].steps[0].width",
            "was 0"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"width\":\"1280\"}"),
            "outputs[1].steps[0].width",
            "must be an integer, was \"1280\""),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"width\":12.5}"),
            "outputs[1].steps[0].width",
            "must be an integer, was 12.5"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"noAudio\":\"yes\"}"),
            "outputs[1].steps[0].noAudio",
            "must be true or false"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp5\"}"),
            "outputs[1].steps[0].container",
            "unknown value 'mp5'"),
        Arguments.of(
            withStep("{\"op\":\"transcode\"}"), "outputs[1].steps[0].container", "is required"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"widht\":100}"),
            "outputs[1].steps[0].widht",
            "unknown field; did you mean 'width'?"),
        Arguments.of(
            withStep(
                "{\"op\":\"transcode\",\"container\":\"mp4\",\"videoCodec\":\"copy\",\"width\":640}"),
            "outputs[1].steps[0].width",
            "videoCodec copy keeps the video stream"),
        Arguments.of(
            withStep(
                "{\"op\":\"transcode\",\"container\":\"mp4\",\"noAudio\":true,\"audioBitrate\":1000}"),
            "outputs[1].steps[0].audioBitrate",
            "audio is dropped"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"fps\":0}"),
            "outputs[1].steps[0].fps",
            "must be > 0"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"crf\":52}"),
            "outputs[1].steps[0].crf",
            "between 0 and 51"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"startMs\":-5}"),
            "outputs[1].steps[0].startMs",
            "must be >= 0"),
        Arguments.of(
            withStep("{\"op\":\"transcode\",\"container\":\"mp4\",\"durationMs\":0}"),
            "outputs[1].steps[0].durationMs",
            "must be > 0"),
        Arguments.of(
            withStep(
                "{\"op\":\"transcode\",\"container\":\"mp4\",\"videoBitrate\":99999999999999999999}"),
            "outputs[1].steps[0].videoBitrate",
            "must be an integer"),
        Arguments.of(
            withStep("{\"op\":\"zoom\"}"), "outputs[1].steps[0].op", "unknown operation 'zoom'"),
        Arguments.of(withStep("{\"op\":\"snapshot\"}"), "outputs[1].steps[0].atMs", "set atMs"),
        Arguments.of(
            withStep("{\"op\":\"snapshot\",\"intervalMs\":1000}"),
            "outputs[1].steps[0].count",
            "is required"),
        Arguments.of(
            withStep("{\"op\":\"snapshot\",\"atMs\":0,\"format\":\"gif\"}"),
            "outputs[1].steps[0].format",
            "jpg, png or webp"),
        Arguments.of(
            withStep("{\"op\":\"snapshot\",\"atMs\":0,\"width\":100,\"fit\":\"crop\"}"),
            "outputs[1].steps[0].fit",
            "needs both width and height"),
        Arguments.of(
            withStep("{\"op\":\"animate\",\"format\":\"gif\",\"fps\":10,\"intervalMs\":100}"),
            "outputs[1].steps[0].intervalMs",
            "not both"),
        Arguments.of(
            withStep("{\"op\":\"convertDocument\",\"to\":\"png\",\"pages\":\"3-1\"}"),
            "outputs[1].steps[0].pages",
            "ends before it starts"),
        Arguments.of(
            withStep("{\"op\":\"convertDocument\",\"to\":\"png\",\"pages\":\"1, 2\"}"),
            "outputs[1].steps[0].pages",
            "must look like"),
        Arguments.of(
            withStep("{\"op\":\"resize\",\"quality\":80}"),
            "outputs[1].steps[0].width",
            "width or height is required"),
        Arguments.of(
            withStep("{\"op\":\"resize\",\"width\":10,\"quality\":101}"),
            "outputs[1].steps[0].quality",
            "between 1 and 100"),
        Arguments.of(
            withStep(
                "{\"op\":\"watermark\",\"text\":\"a\",\"image\":{\"bucket\":\"b\",\"key\":\"k\"}}"),
            "outputs[1].steps[0].text",
            "exactly one"),
        Arguments.of(
            withStep("{\"op\":\"watermark\",\"text\":\"a\\u0000b\"}"),
            "outputs[1].steps[0].text",
            "control characters"),
        Arguments.of(
            withStep("{\"op\":\"watermark\",\"text\":\"a\",\"color\":\"red\"}"),
            "outputs[1].steps[0].color",
            "#RRGGBB"),
        Arguments.of(
            withStep("{\"op\":\"watermark\",\"image\":{\"bucket\":\"b\",\"key\":\"\"}}"),
            "outputs[1].steps[0].image.key",
            "must not be empty"),
        Arguments.of(
            withStep(
                "{\"op\":\"watermark\",\"image\":{\"bucket\":\"b\",\"key\":\"k\"},\"fontSize\":10}"),
            "outputs[1].steps[0].fontSize",
            "text watermarks only"),
        Arguments.of(
            withStep("{\"op\":\"concat\",\"container\":\"mp4\",\"inputs\":[]}"),
            "outputs[1].steps[0].inputs",
            "at least one"),
        Arguments.of(
            withStep(
                "{\"op\":\"concat\",\"container\":\"mp4\",\"inputs\":[{\"bucket\":\"b\",\"key\":\"a\\nb\"}]}"),
            "outputs[1].steps[0].inputs[0].key",
            "control characters"),
        Arguments.of(
            withStep("{\"op\":\"concat\",\"inputs\":[{\"bucket\":\"b\",\"key\":\"k\"}]}"),
            "outputs[1].steps[0].container",
            "is required"),
        Arguments.of(
            withStep(
                "{\"op\":\"concat\",\"container\":\"mp4\",\"inputs\":[{\"bucket\":\"b\",\"key\":\"k\"}],\"position\":\"middle\"}"),
            "outputs[1].steps[0].position",
            "unknown value 'middle'; expected one of before, after"),
        Arguments.of(
            withStep("{\"op\":\"decodeBlindWatermark\",\"strength\":\"max\"}"),
            "outputs[1].steps[0].strength",
            "expected one of low, medium, high"),
        Arguments.of(
            withStep("{\"op\":\"raw\",\"provider\":\"OSS\",\"value\":\"x\"}"),
            "outputs[1].steps[0].provider",
            "provider id"),
        Arguments.of(
            withStep("{\"op\":\"raw\",\"provider\":\"oss\",\"value\":\"a\\u001fb\"}"),
            "outputs[1].steps[0].value",
            "control characters"),
        Arguments.of(
            withStep("{\"op\":\"audio\",\"format\":\"mp3\",\"channels\":9}"),
            "outputs[1].steps[0].channels",
            "between 1 and 8"),
        Arguments.of(withStep("null"), "outputs[1].steps[0]", "must not be null"),
        Arguments.of(withStep("[]"), "outputs[1].steps[0]", "must be a JSON object"),
        Arguments.of(
            "{\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}]," + SAVE + "}]}",
            "source",
            "is required"),
        Arguments.of("{" + SOURCE + ",\"outputs\":[]}", "outputs", "at least one output"),
        Arguments.of("{" + SOURCE + "}", "outputs", "is required"),
        Arguments.of("{" + SOURCE + ",\"outputs\":{}}", "outputs", "must be an array"),
        Arguments.of(
            "{" + SOURCE + ",\"outputs\":[{\"steps\":[]," + SAVE + "}]}",
            "outputs[0].steps",
            "at least one operation"),
        Arguments.of(
            "{" + SOURCE + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}]}]}",
            "outputs[0].saveAs",
            "is required"),
        Arguments.of(
            "{\"source\":{\"bucket\":\"media\",\"key\":\"in\\r\\n.mov\"},\"outputs\":[]}",
            "source.key",
            "control characters"),
        Arguments.of(
            "{\"source\":{\"bucket\":\"media\",\"key\":\"/abs.mov\"},\"outputs\":[]}",
            "source.key",
            "must not start with '/'"),
        Arguments.of(
            "{\"source\":{\"bucket\":\"a/b\",\"key\":\"k\"},\"outputs\":[]}",
            "source.bucket",
            "plain bucket name"),
        Arguments.of(
            "{\"source\":{\"bucket\":\"media\",\"key\":\"k\",\"region\":\"x\"},\"outputs\":[]}",
            "source.region",
            "unknown field"),
        Arguments.of(
            "{"
                + SOURCE
                + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}],"
                + SAVE
                + "}],\"notify\":\"ftp://x/y\"}",
            "notify",
            "http(s) URL or a topic name"),
        Arguments.of(
            "{"
                + SOURCE
                + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}],"
                + SAVE
                + "}],\"options\":{\"force\":1}}",
            "options.force",
            "must be true or false"),
        Arguments.of(
            "{"
                + SOURCE
                + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}],"
                + SAVE
                + "}],\"options\":{\"priority\":1}}",
            "options.priority",
            "unknown field"),
        Arguments.of(
            "{"
                + SOURCE
                + ",\"outputs\":[{\"steps\":[{\"op\":\"audio\",\"format\":\"mp3\"}],"
                + SAVE
                + "}],\"notify\":null}",
            "notify",
            "must not be null"),
        Arguments.of("{" + SOURCE + ",\"extra\":1,\"outputs\":[]}", "extra", "unknown field"),
        Arguments.of("[1,2]", "$", "must be a JSON object"),
        Arguments.of("{\"source\": ", "$", "is not valid JSON"),
        Arguments.of("{\"source\":{\"bucket\":'media',\"key\":\"k\"}}", "$", "is not valid JSON"),
        Arguments.of("{} {}", "$", "unexpected content"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void parse_badSpec_namesTheJsonPathAndTheProblem(String json, String field, String problem) {
    assertThatThrownBy(() -> PipelineSpec.parse(json))
        .isInstanceOf(MediaValidationException.class)
        .satisfies(
            e -> {
              MediaValidationException v = (MediaValidationException) e;
              assertThat(v.field()).isEqualTo(field);
              assertThat(v.problem()).contains(problem);
              assertThat(v.getMessage()).startsWith(field + ": ");
            });
  }

  @Test
  void badSpecs_coverEveryOperation() {
    Set<String> ops = new HashSet<>();
    badSpecs()
        .forEach(
            a -> {
              String json = (String) a.get()[0];
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("\\{\"op\":\"(\\w+)\"").matcher(json);
              while (m.find()) {
                ops.add(m.group(1));
              }
            });
    assertThat(ops)
        .contains(
            "transcode",
            "audio",
            "snapshot",
            "animate",
            "convertDocument",
            "resize",
            "watermark",
            "concat",
            "decodeBlindWatermark",
            "raw");
  }

  @Test
  void parseSteps_readsTheStepsOfAUrlChain_andNamesBadFields() {
    List<Operation> steps =
        PipelineSpec.parseSteps(
            "[{\"op\": \"resize\", \"width\": 320}, {\"op\": \"snapshot\", \"atMs\": 1500}]");
    assertThat(steps)
        .containsExactly(
            dev.mediaflow.op.ImageResize.builder().width(320).build(),
            dev.mediaflow.op.Snapshot.at(java.time.Duration.ofMillis(1500)));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PipelineSpec.parseSteps("[{\"op\": \"resize\", \"width\": -1}]"))
        .isInstanceOfSatisfying(
            dev.mediaflow.MediaValidationException.class,
            e -> assertThat(e.field()).isEqualTo("steps[0].width"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PipelineSpec.parseSteps("{\"op\": \"resize\"}"))
        .isInstanceOf(dev.mediaflow.MediaValidationException.class)
        .hasMessageContaining("array");
  }
}
