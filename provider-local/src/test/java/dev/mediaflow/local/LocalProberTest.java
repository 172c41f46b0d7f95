package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.pipeline.MediaObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code MediaClient.probe} on the local provider, compared with ffprobe's own numbers. */
class LocalProberTest {
  @TempDir static Path root;
  static MediaClient media;

  @BeforeAll
  static void create() {
    media = MediaClient.create(MediaConfig.fromMap(Map.of("media.local.root", root.toString())));
  }

  @AfterAll
  static void close() {
    media.close();
  }

  @Test
  void video_matchesFfprobe() throws Exception {
    Path plain = Media.clip(root.resolve("b/plain.mp4"), 320, 240, 2, true);
    Path file = root.resolve("b/clip.mp4");
    // A phone-style portrait clip: the display matrix says "turn 90 degrees clockwise".
    Media.ffmpeg(
        List.of("-display_rotation", "-90", "-i", plain.toString(), "-c", "copy", file.toString()));
    MediaInfo info = media.probe(MediaObject.of("b", "clip.mp4"));
    Media.Probe probe = Media.probe(file);
    JsonObject format = probe.json().getAsJsonObject("format");
    JsonObject v = probe.stream("video").orElseThrow();
    JsonObject a = probe.stream("audio").orElseThrow();

    assertThat(info.format()).isEqualTo(format.get("format_name").getAsString());
    assertThat(info.duration().toNanos() / 1e9).isCloseTo(probe.duration(), within(1e-6));
    assertThat(info.size()).isEqualTo(Files.size(file)).isEqualTo(format.get("size").getAsLong());
    assertThat(info.bitrate()).isEqualTo(format.get("bit_rate").getAsLong());
    assertThat(info.image()).isEmpty();
    assertThat(info.video()).hasSize(1);
    MediaInfo.VideoStream vs = info.video().get(0);
    assertThat(vs.codec()).isEqualTo("h264").isEqualTo(v.get("codec_name").getAsString());
    assertThat(vs.width()).isEqualTo(320);
    assertThat(vs.height()).isEqualTo(240);
    assertThat(vs.frameRate()).isEqualTo(25.0);
    assertThat(vs.rotation()).isEqualTo(90);
    assertThat(vs.bitrate()).isEqualTo(v.get("bit_rate").getAsLong());
    assertThat(info.audio()).hasSize(1);
    MediaInfo.AudioStream as = info.audio().get(0);
    assertThat(as.codec()).isEqualTo("aac");
    assertThat(as.sampleRate()).isEqualTo(a.get("sample_rate").getAsInt());
    assertThat(as.channels()).isEqualTo(a.get("channels").getAsInt());
    assertThat(as.bitrate()).isEqualTo(a.get("bit_rate").getAsLong());
    assertThat(info.raw())
        .containsEntry("format.format_name", format.get("format_name").getAsString())
        .containsEntry("streams[0].codec_name", "h264")
        .containsEntry("streams[0].side_data_list[0].rotation", "-90");
    assertThat(media.probe(MediaObject.of("b", "plain.mp4")).video().get(0).rotation()).isZero();
  }

  @Test
  void audio_matchesFfprobe() throws Exception {
    Path file = root.resolve("b/tone.mp3");
    Files.createDirectories(file.getParent());
    Media.ffmpeg(
        List.of(
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100:duration=3",
            "-ac",
            "2",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            file.toString()));
    MediaInfo info = media.probe(MediaObject.of("b", "tone.mp3"));
    Media.Probe probe = Media.probe(file);
    assertThat(info.format()).isEqualTo("mp3");
    assertThat(info.duration().toNanos() / 1e9).isCloseTo(probe.duration(), within(1e-6));
    assertThat(info.video()).isEmpty();
    assertThat(info.image()).isEmpty();
    JsonObject a = probe.stream("audio").orElseThrow();
    assertThat(info.audio())
        .containsExactly(
            new MediaInfo.AudioStream(
                a.get("codec_name").getAsString(),
                a.get("sample_rate").getAsInt(),
                a.get("channels").getAsInt(),
                a.get("bit_rate").getAsLong()));
    assertThat(info.audio().get(0)).isEqualTo(new MediaInfo.AudioStream("mp3", 44100, 2, 128000));
    assertThat(info.bitrate())
        .isEqualTo(probe.json().getAsJsonObject("format").get("bit_rate").getAsLong());
    assertThat(info.size()).isEqualTo(Files.size(file));
  }

  @Test
  void image_sizeFormatAndExifOrientation() throws Exception {
    Path plain = Media.image(root.resolve("b/plain.jpg"), 64, 48);
    Path file = root.resolve("b/rotated.jpg");
    Files.write(file, withExifOrientation(Files.readAllBytes(plain), 6));
    MediaInfo info = media.probe(MediaObject.of("b", "rotated.jpg"));
    assertThat(info.image()).hasValue(new MediaInfo.ImageInfo(64, 48, "jpeg", 6));
    assertThat(info.video()).isEmpty();
    assertThat(info.duration()).isZero();
    assertThat(info.size()).isEqualTo(Files.size(file));
    assertThat(info.raw()).containsEntry("format.format_name", "jpeg_pipe");
    assertThat(media.probe(MediaObject.of("b", "plain.jpg")).image())
        .hasValue(new MediaInfo.ImageInfo(64, 48, "jpeg", 1));
    Media.image(root.resolve("b/p.png"), 30, 20);
    assertThat(media.probe(MediaObject.of("b", "p.png")).image())
        .hasValue(new MediaInfo.ImageInfo(30, 20, "png", 1));
  }

  @Test
  void missingOrNotMedia_isAServiceError() throws Exception {
    assertThatThrownBy(() -> media.probe(MediaObject.of("b", "none.mp4")))
        .isInstanceOfSatisfying(
            MediaServiceException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/notes.txt"), "not media");
    assertThatThrownBy(() -> media.probe(MediaObject.of("b", "notes.txt")))
        .isInstanceOf(MediaServiceException.class);
  }

  /** Inserts an APP1 EXIF segment with one IFD0 entry, Orientation (tag 0x0112), after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8); // big-endian TIFF header, IFD0 at 8
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    ByteArrayOutputStream app1 = new ByteArrayOutputStream();
    app1.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    app1.writeBytes(tiff.array());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE1);
    int length = app1.size() + 2;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(app1.toByteArray());
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
