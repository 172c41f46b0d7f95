package dev.mediaflow.cos;

import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.BlindWatermarkDecode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.spi.Capabilities;
import java.util.EnumSet;
import java.util.Set;

/**
 * What Cloud Infinite can express, as {@link CosJobRenderer} renders it: checked before any
 * request, so whatever is missing here is refused rather than sent. Finer limits (bitrate ranges,
 * fragment containers) are the renderer's.
 */
final class CosCapabilities {
  private CosCapabilities() {}

  static final Capabilities CAPABILITIES =
      Capabilities.builder(CosJobRenderer.ID)
          .operations(
              Transcode.class,
              AudioTranscode.class,
              Snapshot.class,
              Animation.class,
              Concat.class,
              DocumentConversion.class,
              BlindWatermarkDecode.class,
              ImageResize.class,
              Watermark.class)
          .containers(
              EnumSet.of(
                  Container.MP4, Container.FLV, Container.TS, Container.WEBM, Container.M3U8))
          .videoCodecs(EnumSet.of(VideoCodec.H264, VideoCodec.H265, VideoCodec.VP9, VideoCodec.AV1))
          .audioCodecs(
              EnumSet.of(
                  AudioCodec.AAC,
                  AudioCodec.MP3,
                  AudioCodec.OPUS,
                  AudioCodec.VORBIS,
                  AudioCodec.FLAC,
                  AudioCodec.NONE))
          .audioFormats(
              EnumSet.of(
                  AudioFormat.MP3,
                  AudioFormat.AAC,
                  AudioFormat.FLAC,
                  AudioFormat.WAV,
                  AudioFormat.AMR))
          .imageFormats(
              EnumSet.of(
                  ImageFormat.JPG,
                  ImageFormat.PNG,
                  ImageFormat.WEBP,
                  ImageFormat.GIF,
                  ImageFormat.BMP,
                  ImageFormat.AVIF))
          .animationFormats(EnumSet.of(AnimationFormat.GIF, AnimationFormat.WEBP))
          .documentTargets(EnumSet.of(DocumentTarget.PDF, DocumentTarget.PNG, DocumentTarget.JPG))
          .fitModes(EnumSet.of(FitMode.FIT, FitMode.STRETCH))
          .options(Set.of(Capabilities.QUEUE)) // QueueId
          .notifyUrl(true) // CallBack
          .notifyTopic(false)
          .maxStepsPerOutput(Integer.MAX_VALUE)
          .build();
}
