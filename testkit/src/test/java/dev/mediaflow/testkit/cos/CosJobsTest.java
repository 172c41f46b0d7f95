package dev.mediaflow.testkit.cos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cloud Infinite job documents read into Mediaflow's operations: the request bodies are the shapes
 * of Tencent's API pages and SDK demos (units: bitrates in Kbps, times in float seconds).
 */
class CosJobsTest {
  private static final String BUCKET = "b-1250000000";
  private static final Map<String, List<Operation>> RUN = new ConcurrentHashMap<>();

  @RegisterExtension
  static final FakeCosServer cos =
      FakeCosServer.builder()
          .credentials("AKIDjobs", "jobsSecret")
          .region("ap-beijing")
          .queueDelay(Duration.ZERO)
          .executor(
              new TaskExecutor() {
                @Override
                public boolean runsInline() {
                  return true;
                }

                @Override
                public Result run(Task task) throws Exception {
                  RUN.put(task.id(), task.operations());
                  return Result.ok(task.targetKey().stream().toList());
                }
              })
          .build();

  private final CosHttp http = new CosHttp(cos, "AKIDjobs", "jobsSecret");

  private List<Operation> run(String path, String xml) throws Exception {
    CosHttp.Answer a = http.xml("POST", BUCKET + ".ci.ap-beijing.myqcloud.com", path, xml);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    String id = a.between("<JobId>", "</JobId>");
    for (int i = 0; i < 200 && !RUN.containsKey(id); i++) {
      cos.requests(); // the engine runs due jobs on its own tick
      Thread.sleep(10);
    }
    return RUN.get(id);
  }

  private static String output(String key) {
    return "<Output><Region>ap-beijing</Region><Bucket>"
        + BUCKET
        + "</Bucket><Object>"
        + key
        + "</Object></Output>";
  }

  @Test
  void transcode_kbpsAndSeconds_withTextAndImageWatermarks() throws Exception {
    List<Operation> ops =
        run(
            "/jobs",
            "<Request><Tag>Transcode</Tag><Input><Object>key/in.mp4</Object></Input><Operation>"
                + "<Transcode><Container><Format>mp4</Format></Container>"
                + "<Video><Codec>H.264</Codec><Width>1280</Width><Height/><Fps>30</Fps>"
                + "<Bitrate>1000</Bitrate><Crf/><Gop/><Preset>medium</Preset><Profile>high</Profile>"
                + "<Remove>false</Remove></Video>"
                + "<Audio><Codec>aac</Codec><Samplerate>44100</Samplerate><Bitrate>128</Bitrate>"
                + "<Channels>2</Channels><Remove>false</Remove></Audio>"
                + "<TimeInterval><Start>0</Start><Duration>60</Duration></TimeInterval>"
                + "<TransConfig><AdjDarMethod>scale</AdjDarMethod></TransConfig></Transcode>"
                + "<Watermark><Type>Text</Type><Pos>TopRight</Pos><LocMode>Absolute</LocMode>"
                + "<Dx>10</Dx><Dy>10</Dy><StartTime>0</StartTime><EndTime>1000.5</EndTime>"
                + "<Text><Text>hello</Text><FontSize>30</FontSize><FontType>simfang.ttf</FontType>"
                + "<FontColor>0xFFFFFF</FontColor><Transparency>80</Transparency></Text></Watermark>"
                + "<Watermark><Type>Image</Type><Pos>BottomLeft</Pos><LocMode>Absolute</LocMode>"
                + "<Image><Url>http://b-1250000000.cos.ap-beijing.myqcloud.com/wm.png</Url>"
                + "<Mode>Fixed</Mode><Width>128</Width><Height>128</Height>"
                + "<Transparency>100</Transparency><Background>false</Background></Image></Watermark>"
                + output("out/a.mp4")
                + "</Operation></Request>");

    assertThat(ops).hasSize(3);
    Transcode t = (Transcode) ops.get(0);
    assertThat(t.container()).isEqualTo(Container.MP4);
    assertThat(t.videoCodec()).contains(VideoCodec.H264);
    assertThat(t.size().orElseThrow().width()).isEqualTo(1280);
    assertThat(t.fps().getAsDouble()).isEqualTo(30.0);
    assertThat(t.videoBitrate().getAsLong()).isEqualTo(1_000_000L);
    assertThat(t.audioCodec()).contains(AudioCodec.AAC);
    assertThat(t.audioBitrate().getAsLong()).isEqualTo(128_000L);
    assertThat(t.sampleRate().getAsInt()).isEqualTo(44100);
    assertThat(t.channels().getAsInt()).isEqualTo(2);
    assertThat(t.start()).contains(Duration.ZERO);
    assertThat(t.duration()).contains(Duration.ofSeconds(60));
    Watermark text = (Watermark) ops.get(1);
    assertThat(text.text()).contains("hello");
    assertThat(text.fontSize().getAsInt()).isEqualTo(30);
    assertThat(text.color()).contains("#FFFFFF");
    assertThat(text.gravity()).contains(Gravity.NORTH_EAST);
    assertThat(text.dx().getAsInt()).isEqualTo(10);
    assertThat(text.opacity().getAsInt()).isEqualTo(80);
    Watermark image = (Watermark) ops.get(2);
    assertThat(image.image()).contains(MediaObject.of(BUCKET, "wm.png"));
    assertThat(image.gravity()).contains(Gravity.SOUTH_WEST);
  }

  @Test
  void audioContainer_isAnAudioTranscode() throws Exception {
    List<Operation> ops =
        run(
            "/jobs",
            "<Request><Tag>Transcode</Tag><Input><Object>in.mp4</Object></Input><Operation>"
                + "<Transcode><Container><Format>mp3</Format></Container>"
                + "<Video><Remove>true</Remove></Video>"
                + "<Audio><Codec>mp3</Codec><Samplerate>44100</Samplerate><Bitrate>64</Bitrate>"
                + "<Channels>2</Channels></Audio>"
                + "<TimeInterval><Start>1.5</Start><Duration>2.25</Duration></TimeInterval></Transcode>"
                + output("out/a.mp3")
                + "</Operation></Request>");

    AudioTranscode a = (AudioTranscode) ops.get(0);
    assertThat(a.format()).isEqualTo(AudioFormat.MP3);
    assertThat(a.bitrate().getAsLong()).isEqualTo(64_000L);
    assertThat(a.start()).contains(Duration.ofMillis(1500));
    assertThat(a.duration()).contains(Duration.ofMillis(2250));
  }

  @Test
  void snapshotInterval_andAnimation() throws Exception {
    Snapshot s =
        (Snapshot)
            run(
                    "/jobs",
                    "<Request><Tag>Snapshot</Tag><Input><Object>in/a.mp4</Object></Input><Operation>"
                        + "<Output><Region>ap-beijing</Region><Object>snap/s-${Number}.jpg</Object>"
                        + "<Bucket>b-1250000000</Bucket></Output><Snapshot><Mode>Interval</Mode>"
                        + "<Count>3</Count><Start>5</Start><TimeInterval>10</TimeInterval>"
                        + "<Width>640</Width></Snapshot></Operation></Request>")
                .get(0);
    assertThat(s.offset()).contains(Duration.ofSeconds(5));
    assertThat(s.interval()).contains(Duration.ofSeconds(10));
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.size().orElseThrow().width()).isEqualTo(640);

    Animation a =
        (Animation)
            run(
                    "/jobs",
                    "<Request><Tag>Animation</Tag><Input><Object>in/a.mp4</Object></Input>"
                        + "<Operation>"
                        + output("out/a.gif")
                        + "<Animation><Container><Format>gif</Format></Container>"
                        + "<Video><Codec>gif</Codec><Width>320</Width><Fps>10</Fps>"
                        + "<AnimateFramesPerSecond>2</AnimateFramesPerSecond></Video>"
                        + "<TimeInterval><Start>0</Start><Duration>5</Duration></TimeInterval>"
                        + "</Animation></Operation></Request>")
                .get(0);
    assertThat(a.format()).isEqualTo(AnimationFormat.GIF);
    assertThat(a.size().orElseThrow().width()).isEqualTo(320);
    assertThat(a.fps().getAsDouble()).isEqualTo(10.0);
    assertThat(a.duration()).contains(Duration.ofSeconds(5));
  }

  @Test
  void concatFragments_firstIsTheSource() throws Exception {
    cos.objects().put(BUCKET, "1.mp4", new byte[] {1});
    Concat c =
        (Concat)
            run(
                    "/jobs",
                    "<Request><Tag>Concat</Tag><Operation><ConcatTemplate>"
                        + "<ConcatFragment><Url>https://b-1250000000.cos.ap-beijing.myqcloud.com/1.mp4</Url>"
                        + "<StartTime>0</StartTime><EndTime>1</EndTime></ConcatFragment>"
                        + "<ConcatFragment><Url>https://b-1250000000.cos.ap-beijing.myqcloud.com/2.mp4</Url>"
                        + "</ConcatFragment><Container><Format>mp4</Format></Container>"
                        + "<Video><Codec>H.264</Codec></Video><Audio><Codec>aac</Codec></Audio>"
                        + "</ConcatTemplate>"
                        + output("out/joined.mp4")
                        + "</Operation></Request>")
                .get(0);
    assertThat(c.inputs()).containsExactly(MediaObject.of(BUCKET, "2.mp4"));
    assertThat(c.encoding().container()).isEqualTo(Container.MP4);
    assertThat(c.encoding().videoCodec()).contains(VideoCodec.H264);
  }

  @Test
  void docProcess_pageRanges() throws Exception {
    DocumentConversion d =
        (DocumentConversion)
            run(
                    "/doc_jobs",
                    "<Request><Tag>DocProcess</Tag><QueueId>p1</QueueId><Input><Object>in/a.docx</Object>"
                        + "</Input><Operation>"
                        + output("out/p-${Page}.png")
                        + "<DocProcess><TgtType>png</TgtType><PageRanges>1,2-4,7</PageRanges></DocProcess>"
                        + "</Operation></Request>")
                .get(0);
    assertThat(d.to()).isEqualTo(DocumentTarget.PNG);
    assertThat(d.pages()).contains(PageRange.parse("1,2-4,7"));
  }
}
