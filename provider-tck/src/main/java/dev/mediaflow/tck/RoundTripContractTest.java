package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.ProviderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Render-then-parse round trips: each sample pipeline the provider can express is rendered with
 * {@link ProviderClient#render} and read back by the fake's own parser, which must give the same
 * operations. Where the vendor's dialect cannot keep a distinction, {@link #normalise} says so, in
 * one place per provider. A provider whose fake cannot read an operation type back declares it in
 * {@link #readsBack}; nothing else is skipped.
 */
public abstract class RoundTripContractTest {
  /** Returns a client of the provider under test (no request is sent). */
  protected abstract ProviderClient client();

  /**
   * Reads {@code request} back with the fake's parser: for each output it renders ({@code
   * request.outputs()}, in order), the operations of its steps.
   */
  protected abstract List<List<Operation>> readBack(VendorRequest request) throws Exception;

  /**
   * Returns {@code op} as the vendor's dialect keeps it: where the dialect has no way to say a
   * distinction, both sides of it read back as one. The identity unless a provider overrides it; an
   * override documents every normalisation it makes.
   */
  protected Operation normalise(Operation op) {
    return op;
  }

  /**
   * Returns whether the fake's parser reads operations of {@code type} back; true unless a provider
   * overrides it. Raw operations are never read back: they are the vendor's text, not a model.
   */
  protected boolean readsBack(Class<? extends Operation> type) {
    return true;
  }

  /** Returns the sample pipelines, by name: one output each, and one with several outputs. */
  protected Map<String, Pipeline> samples() {
    Map<String, Operation> ops = new LinkedHashMap<>();
    ops.put("transcode", Transcode.builder().container(Container.MP4).build());
    ops.put(
        "transcode h264 720p",
        Transcode.builder()
            .container(Container.MP4)
            .videoCodec(VideoCodec.H264)
            .size(1280, 720)
            .videoBitrate(2_000_000)
            .audioCodec(AudioCodec.AAC)
            .audioBitrate(128_000)
            .build());
    ops.put(
        "transcode h265 mkv",
        Transcode.builder()
            .container(Container.MKV)
            .videoCodec(VideoCodec.H265)
            .videoBitrate(2_000_000)
            .audioBitrate(128_000)
            .fps(30)
            .start(Duration.ofMillis(1500))
            .duration(Duration.ofSeconds(10))
            .build());
    ops.put(
        "transcode hls",
        Transcode.builder().container(Container.M3U8).videoCodec(VideoCodec.H264).build());
    ops.put("audio mp3", AudioTranscode.builder().format(AudioFormat.MP3).bitrate(192_000).build());
    ops.put(
        "audio ogg",
        AudioTranscode.builder().format(AudioFormat.OGG).bitrate(96_000).sampleRate(44100).build());
    ops.put("snapshot", Snapshot.at(Duration.ofSeconds(1)));
    ops.put(
        "snapshot png 480x360",
        Snapshot.builder()
            .at(Duration.ofMillis(7250))
            .size(480, 360)
            .format(ImageFormat.PNG)
            .build());
    ops.put(
        "gif",
        Animation.builder()
            .format(AnimationFormat.GIF)
            .width(320)
            .fps(10)
            .duration(Duration.ofSeconds(3))
            .build());
    ops.put(
        "webp animation", Animation.builder().format(AnimationFormat.WEBP).size(320, 180).build());
    ops.put(
        "document",
        DocumentConversion.builder().to(DocumentTarget.PDF).from(DocumentType.DOCX).build());
    ops.put("document png", DocumentConversion.builder().to(DocumentTarget.PNG).build());
    ops.put(
        "resize crop webp",
        ImageResize.builder()
            .size(800, 600)
            .fit(FitMode.CROP)
            .format(ImageFormat.WEBP)
            .quality(80)
            .build());
    ops.put("resize pad", ImageResize.builder().size(800, 600).fit(FitMode.PAD).build());
    ops.put("resize width", ImageResize.builder().width(100).build());
    ops.put(
        "text watermark",
        Watermark.text("mediaflow 家")
            .fontSize(24)
            .color("#FFFFFF")
            .gravity(Gravity.SOUTH_EAST)
            .build());
    ops.put(
        "concat",
        Concat.builder()
            .inputs(List.of(MediaObject.of("media", "in/outro.mp4")))
            .encoding(Transcode.builder().container(Container.MP4).size(1280, 720).build())
            .build());
    Map<String, Pipeline> m = new LinkedHashMap<>();
    ops.forEach(
        (name, op) ->
            m.put(
                name,
                Pipeline.from("media", "in/source.mp4")
                    .then(op)
                    .saveAs("media", "out/" + name)
                    .build()));
    m.put(
        "three outputs",
        Pipeline.from("media", "in/source.mp4")
            .then(Transcode.builder().container(Container.MP4).size(1280, 720).build())
            .saveAs("media", "out/720p.mp4")
            .then(Snapshot.at(Duration.ofSeconds(2)))
            .saveAs("media", "out/cover.jpg")
            .then(AudioTranscode.to(AudioFormat.MP3))
            .saveAs("media", "out/audio.mp3")
            .build());
    return m;
  }

  @TestFactory
  public Stream<DynamicTest> everySampleTheProviderExpresses_readsBackAsTheSameOperations() {
    ProviderClient client = client();
    List<DynamicTest> tests = new ArrayList<>();
    samples()
        .forEach(
            (name, pipeline) -> {
              if (!expressible(client, pipeline)) {
                return;
              }
              tests.add(DynamicTest.dynamicTest(name, () -> roundTrip(client, pipeline)));
            });
    assertThat(tests).as("samples the provider can express and read back").isNotEmpty();
    return tests.stream();
  }

  private boolean expressible(ProviderClient client, Pipeline pipeline) {
    for (Output o : pipeline.outputs()) {
      for (Operation op : o.steps()) {
        if (op instanceof RawOperation || !readsBack(op.getClass())) {
          return false;
        }
      }
    }
    try {
      client.capabilities().check(pipeline);
      return true;
    } catch (UnsupportedMediaOperationException e) {
      return false;
    }
  }

  private void roundTrip(ProviderClient client, Pipeline pipeline) throws Exception {
    List<VendorRequest> requests = client.render(pipeline);
    List<Integer> seen = new ArrayList<>();
    for (VendorRequest r : requests) {
      List<List<Operation>> read = readBack(r);
      assertThat(read).as(r.processing()).hasSize(r.outputs().size());
      for (int i = 0; i < read.size(); i++) {
        int output = r.outputs().get(i);
        seen.add(output);
        List<Operation> expected =
            pipeline.outputs().get(output).steps().stream().map(this::normalise).toList();
        List<Operation> actual = read.get(i).stream().map(this::normalise).toList();
        assertThat(actual).as(r.processing()).isEqualTo(expected);
      }
    }
    assertThat(seen).as("every output is rendered once").hasSize(pipeline.outputs().size());
  }
}
