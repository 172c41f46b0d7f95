package dev.mediaflow.testkit.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fake server reads fops as Qiniu documents them, and refuses what Qiniu would. */
class QiniuFopsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        // from Qiniu's docs and SDK samples (docs/vendor-notes.md, "Qiniu fops")
        "avthumb/mp4/s/640x360/vb/1.25m|saveas/YnVja2V0Om91dCBrZXkrMS5tcDQ=;vframe/jpg/offset/7/w/480/h/360|saveas/YnVja2V0OmYuanBn",
        "avthumb/m3u8/segtime/10/vcodec/libx264/s/320x240",
        "avthumb/mp3/ar/44100/aq/3",
        "vsample/jpg/ss/7/t/600/s/480x360/pattern/dmZyYW1lLSQoY291bnQp",
        "avconcat/2/format/mp4/aHR0cDovL25pZ2VsLnFpbml1dHMuY29tL21laXBpYW5fZW5kdmlkZW9fMTI4MHg3MjAubXA0",
        "imageView2/2/w/800/h/600/format/webp|watermark/1/image/aHR0cDovL3d3dy5xaW5pdS5jb20vaW1hZ2VzL2xvZ28ucG5n/dissolve/50/gravity/SouthEast/dx/10/dy/10",
        "imageMogr2/thumbnail/!200x200r/gravity/Center/crop/200x200/format/png",
        "watermark/2/text/5LiD54mb5LqR5a2Y5YKo/font/5a6L5L2T/fontsize/1000/fill/d2hpdGU=/dissolve/85/gravity/SouthEast/dx/20/dy/20",
        "yifangyun_preview/v2/ext=docx/format=pdf",
        "avinfo",
        "avthumb/aac/acodec/libfdk_aac/ab/64k|vsample/png/s/123x/interval/3/ss/60/pattern/JHtzYXZlYXMuYnVja2V0fS0kKGNvdW50KQ=="
      })
  void documentedFops_areAccepted(String fops) throws Exception {
    assertThat(QiniuFops.parse(fops, "src")).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "frobnicate/1",
        "vframe/jpg/w/480",
        "vframe/gif/offset/1",
        "vsample/jpg/ss/1",
        "avthumb/mp4/vb",
        "avthumb/mp4/vb/fast",
        "avthumb/mp4/unknown/1",
        "avthumb/mp4|saveas/YnVja2V0OmYuanBn|avthumb/flv",
        "avthumb/mp4|saveas/YnVja2V0OmtleS5tcDQ",
        "avthumb/mp4|saveas/bad*b64",
        "avthumb/mp4|saveas/YnVja2V0OmYuanB",
        "avthumb/mp4 |saveas/YnVja2V0OmYuanBn=",
        "avthumb/mp4;;vframe/jpg/offset/1",
        "watermark/2/dissolve/50",
        "avconcat/2/format/mp4",
        "vsample/jpg/pattern/YQ=="
      })
  void whatQiniuRefuses_isRefused(String fops) {
    assertThatThrownBy(() -> QiniuFops.parse(fops, "src")).isInstanceOf(QiniuFops.Invalid.class);
  }

  @org.junit.jupiter.api.Test
  void saveasAndPattern_areDecoded() throws Exception {
    List<QiniuFops.Fop> f =
        QiniuFops.parse(
            "avthumb/mp4|saveas/YnVja2V0OmtleS5tcDQ=;vsample/jpg/pattern/dmZyYW1lLSQoY291bnQp",
            "src");
    assertThat(f.get(0).saveBucket()).contains("bucket");
    assertThat(f.get(0).saveKey()).contains("key.mp4");
    assertThat(f.get(1).saveBucket()).contains("src");
    assertThat(f.get(1).pattern()).contains("vframe-$(count)");
  }
}
