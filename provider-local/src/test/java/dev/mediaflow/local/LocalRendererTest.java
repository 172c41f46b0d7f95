package dev.mediaflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.Size;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRendererTest {
  @Test
  void filterValue_escapesBothFilterGraphLevels() {
    // FFmpeg filters documentation, "Notes on filtergraph escaping": a value is escaped for the
    // option level
    // (\ ' :) and then for the graph level (\ ' [ ] , ;).
    assertThat(LocalRenderer.filterValue("a:b")).isEqualTo("a\\\\:b");
    assertThat(LocalRenderer.filterValue("a,b")).isEqualTo("a\\,b");
    assertThat(LocalRenderer.filterValue("it's")).isEqualTo("it\\\\\\'s");
    assertThat(LocalRenderer.filterValue("/plain/path.ttf")).isEqualTo("/plain/path.ttf");
  }

  @Test
  void filterValue_pathsWithSpecialCharacters_reachFfmpegIntact(@TempDir Path dir)
      throws Exception {
    // The oracle is FFmpeg itself: drawtext must open the font and text files at these awkward
    // paths.
    Path odd = Files.createDirectories(dir.resolve("a:b,c'd [e];f"));
    Path text = Files.writeString(odd.resolve("t.txt"), "x", StandardCharsets.UTF_8);
    Path font = LocalFonts.find(java.util.Optional.empty(), java.util.Optional.empty());
    Path fontCopy = Files.copy(font, odd.resolve("f.ttf"));
    ProcessBuilder pb =
        new ProcessBuilder(
                Media.TOOLS.ffmpeg().toString(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=size=64x64:duration=0.1",
                "-vf",
                "drawtext=fontfile="
                    + LocalRenderer.filterValue(fontCopy.toString())
                    + ":textfile="
                    + LocalRenderer.filterValue(text.toString()),
                "-frames:v",
                "1",
                "-f",
                "null",
                "-")
            .redirectErrorStream(true);
    pb.environment().putAll(Media.TOOLS.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void fit_buildsTheScaleFilterForEachMode() {
    Size s = Size.of(100, 50);
    assertThat(LocalRenderer.fit(s, FitMode.STRETCH, false)).isEqualTo("scale=100:50");
    assertThat(LocalRenderer.fit(s, FitMode.FIT, false))
        .isEqualTo("scale=100:50:force_original_aspect_ratio=decrease");
    assertThat(LocalRenderer.fit(s, FitMode.CROP, false))
        .isEqualTo("scale=100:50:force_original_aspect_ratio=increase,crop=100:50:exact=1");
    assertThat(LocalRenderer.fit(s, FitMode.CROP, true))
        .isEqualTo("scale=100:50:force_original_aspect_ratio=increase,crop=100:50");
    assertThat(LocalRenderer.fit(s, FitMode.PAD, false))
        .isEqualTo(
            "scale=100:50:force_original_aspect_ratio=decrease,pad=100:50:(ow-iw)/2:(oh-ih)/2");
    assertThat(LocalRenderer.scale(Size.ofWidth(320), null, true)).isEqualTo("scale=320:-2");
  }

  @Test
  void position_anchorsAtTheGravityWithInwardOffsets() {
    assertThat(LocalRenderer.position(Gravity.NORTH_WEST, 5, 6, "W", "H", "w", "h"))
        .isEqualTo("x=5:y=6");
    assertThat(LocalRenderer.position(Gravity.SOUTH_EAST, 5, 6, "W", "H", "w", "h"))
        .isEqualTo("x=W-w-5:y=H-h-6");
    assertThat(LocalRenderer.position(Gravity.CENTER, 0, 0, "W", "H", "w", "h"))
        .isEqualTo("x=(W-w)/2+0:y=(H-h)/2+0");
  }

  @Test
  void indexedKey_fillsTheTemplateOrNumbersBeforeTheExtension() {
    assertThat(LocalJobClient.indexedKey("frames/{index}.jpg", 3)).isEqualTo("frames/3.jpg");
    assertThat(LocalJobClient.indexedKey("frames/shot.jpg", 3)).isEqualTo("frames/shot-3.jpg");
    assertThat(LocalJobClient.indexedKey("frames.d/shot", 12)).isEqualTo("frames.d/shot-12");
    assertThat(LocalJobClient.indexedKey("a/.hidden", 1)).isEqualTo("a/.hidden-1");
  }

  @Test
  void fonts_eachTextWatermarkGetsTheFontItNames() {
    dev.mediaflow.op.Watermark mono =
        dev.mediaflow.op.Watermark.text("a").font("DejaVu Sans Mono").build();
    dev.mediaflow.op.Watermark serif =
        dev.mediaflow.op.Watermark.text("b").font("DejaVu Serif").build();
    dev.mediaflow.pipeline.Pipeline p =
        dev.mediaflow.pipeline.Pipeline.from("media", "in.png")
            .then(mono)
            .saveAs("media", "a.png")
            .then(serif)
            .saveAs("media", "b.png")
            .build();

    java.util.Map<dev.mediaflow.op.Watermark, Path> fonts =
        LocalJobClient.fonts(p, java.util.Optional.empty());

    assertThat(fonts.get(p.outputs().get(0).steps().get(0)).getFileName())
        .hasToString("DejaVuSansMono.ttf");
    assertThat(fonts.get(p.outputs().get(1).steps().get(0)).getFileName())
        .hasToString("DejaVuSerif.ttf");
  }
}
