package dev.mediaflow.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private static void rejects(Runnable r, String field, String problem) {
    assertThatThrownBy(r::run)
        .isInstanceOf(MediaValidationException.class)
        .satisfies(
            e -> {
              assertThat(((MediaValidationException) e).field()).isEqualTo(field);
              assertThat(e.getMessage()).contains(problem);
            });
  }

  @Test
  void transcode_unsetFields_areEmptyNotDefaults() {
    Transcode t = Transcode.builder().container(Container.MP4).build();
    assertThat(t.videoCodec()).isEmpty();
    assertThat(t.size()).isEmpty();
    assertThat(t.videoBitrate()).isEmpty();
    assertThat(t.fps()).isEmpty();
    assertThat(t.dropsAudio()).isFalse();
  }

  @Test
  void transcode_widthOnly_keepsAspect() {
    Transcode t = Transcode.builder().container(Container.MP4).width(640).build();
    assertThat(t.size()).contains(Size.ofWidth(640));
    assertThat(t.size().orElseThrow().heightIfSet()).isEmpty();
  }

  @Test
  void transcode_toBuilder_copiesEveryField() {
    Transcode t =
        Transcode.builder()
            .container(Container.MOV)
            .videoCodec(VideoCodec.H264)
            .audioCodec(AudioCodec.AAC)
            .size(640, 360)
            .videoBitrate(1)
            .audioBitrate(2)
            .fps(24)
            .sampleRate(8000)
            .channels(1)
            .crf(20)
            .start(Duration.ofMillis(1))
            .duration(Duration.ofMillis(2))
            .build();
    assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t);
    assertThat(t.toBuilder().crf(21).build()).isNotEqualTo(t);
  }

  @Test
  void transcode_badValues_areRejectedNamingTheField() {
    rejects(() -> Transcode.builder().build(), "container", "is required");
    rejects(() -> Transcode.builder().width(-640), "width", "was -640");
    rejects(() -> Transcode.builder().height(20000), "height", "16384");
    rejects(() -> Transcode.builder().videoBitrate(0), "videoBitrate", "must be > 0");
    rejects(() -> Transcode.builder().fps(Double.NaN), "fps", "must be > 0");
    rejects(() -> Transcode.builder().fps(241), "fps", "<= 240");
    rejects(() -> Transcode.builder().start(Duration.ofMillis(-1)), "startMs", ">= 0");
    rejects(
        () -> Transcode.builder().duration(Duration.ofNanos(1500)),
        "durationMs",
        "whole number of milliseconds");
    rejects(
        () -> Transcode.builder().container(Container.MP4).noAudio().noVideo().build(),
        "noVideo",
        "nothing to write");
    rejects(
        () ->
            Transcode.builder()
                .container(Container.MP4)
                .noAudio()
                .audioCodec(AudioCodec.AAC)
                .build(),
        "audioCodec",
        "remove one");
    rejects(
        () ->
            Transcode.builder()
                .container(Container.MP4)
                .audioCodec(AudioCodec.NONE)
                .channels(2)
                .build(),
        "channels",
        "audio is dropped");
    rejects(
        () -> Transcode.builder().container(Container.MP4).noVideo().crf(20).build(),
        "crf",
        "video is dropped");
  }

  @Test
  void transcode_audioCodecNone_dropsAudio() {
    assertThat(
            Transcode.builder()
                .container(Container.MP4)
                .audioCodec(AudioCodec.NONE)
                .build()
                .dropsAudio())
        .isTrue();
    assertThat(
            Transcode.builder()
                .container(Container.MP4)
                .noAudio()
                .audioCodec(AudioCodec.NONE)
                .build()
                .dropsAudio())
        .isTrue();
  }

  @Test
  void snapshot_factories() {
    Snapshot one = Snapshot.at(Duration.ofSeconds(3));
    assertThat(one.isMultiFrame()).isFalse();
    assertThat(one.count()).isEqualTo(1);
    assertThat(one.offset()).contains(Duration.ofSeconds(3));
    Snapshot many = Snapshot.every(Duration.ofSeconds(10), 5);
    assertThat(many.isMultiFrame()).isTrue();
    assertThat(many.offset()).isEmpty();
    assertThat(many.interval()).contains(Duration.ofSeconds(10));
    rejects(() -> Snapshot.every(Duration.ZERO, 5), "intervalMs", "> 0");
    rejects(() -> Snapshot.every(Duration.ofSeconds(1), 0), "count", "between 1");
  }

  @Test
  void size_needsOneSide() {
    rejects(() -> new Size(0, 0), "width", "width or height must be set");
    rejects(() -> Size.of(0, 10), "width", "> 0");
    assertThat(Size.of(640, 360)).hasToString("640x360");
    assertThat(Size.ofHeight(360)).hasToString("x360");
  }

  @Test
  void pageRange_parsesAndKeepsItsText() {
    PageRange r = PageRange.parse("1-3,5,7-7");
    assertThat(r.spans())
        .containsExactly(
            new PageRange.Span(1, 3), new PageRange.Span(5, 5), new PageRange.Span(7, 7));
    assertThat(r.contains(2)).isTrue();
    assertThat(r.contains(4)).isFalse();
    assertThat(r).hasToString("1-3,5,7-7");
    for (String bad : new String[] {"", "0", "1-", "-3", "1,,2", "a", "1 - 3", "01"}) {
      rejects(() -> PageRange.parse(bad), "pages", "must look like");
    }
  }

  @Test
  void watermark_textOrImage() {
    Watermark t = Watermark.text("hi").color("#00ff00").build();
    assertThat(t.text()).contains("hi");
    assertThat(t.image()).isEmpty();
    Watermark i = Watermark.image(MediaObject.of("b", "logo.png")).opacity(0).build();
    assertThat(i.image()).contains(MediaObject.of("b", "logo.png"));
    rejects(() -> Watermark.text(""), "text", "must not be empty");
    rejects(() -> Watermark.text("a").opacity(101), "opacity", "between 0 and 100");
    rejects(
        () -> Watermark.image(MediaObject.of("b", "l.png")).color("#000000").build(),
        "color",
        "text watermarks only");
    rejects(() -> Watermark.text("\ud800"), "text", "unpaired surrogate");
  }

  @Test
  void concat_defaultsToAfter_andLimitsInputs() {
    Transcode enc = Transcode.builder().container(Container.MP4).build();
    Concat c = Concat.builder().inputs(List.of(MediaObject.of("b", "x.mp4"))).encoding(enc).build();
    assertThat(c.position()).isEmpty();
    assertThat(c.effectivePosition()).isEqualTo(ConcatPosition.AFTER);
    List<MediaObject> many = java.util.Collections.nCopies(21, MediaObject.of("b", "x.mp4"));
    rejects(() -> Concat.builder().inputs(many).encoding(enc).build(), "inputs", "at most 20");
  }

  @Test
  void mediaObject_rejectsKeysVendorsCannotHold() {
    rejects(() -> MediaObject.of("b", "a\u0000b"), "key", "control characters");
    rejects(() -> MediaObject.of("b", "a\u007fb"), "key", "U+007F");
    rejects(() -> MediaObject.of("b", "/a"), "key", "start with '/'");
    rejects(() -> MediaObject.of("b", "x".repeat(1024)), "key", "at most 1023 bytes");
    rejects(() -> MediaObject.of("..", "k"), "bucket", "plain bucket name");
    rejects(() -> MediaObject.of("", "k"), "bucket", "must not be empty");
    assertThat(MediaObject.of("b", "视频/a b+c?.mp4").key()).isEqualTo("视频/a b+c?.mp4");
  }

  @Test
  void tokens_areStableLowerCaseNames() {
    assertThat(Gravity.fromToken("southEast")).isEqualTo(Gravity.SOUTH_EAST);
    assertThat(VideoCodec.fromToken("h265")).isEqualTo(VideoCodec.H265);
    rejects(
        () -> VideoCodec.fromToken("H265"),
        "videoCodec",
        "expected one of h264, h265, vp9, av1, copy");
  }

  @Test
  void everyOperation_reportsItsJsonName() {
    assertThat(RawOperation.of("oss", "x").type()).isEqualTo("raw");
    assertThat(BlindWatermarkDecode.defaults().type()).isEqualTo("decodeBlindWatermark");
    assertThat(AudioTranscode.to(AudioFormat.MP3).type()).isEqualTo("audio");
    assertThat(DocumentConversion.to(DocumentTarget.PDF).type()).isEqualTo("convertDocument");
  }
}
