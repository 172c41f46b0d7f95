package dev.mediaflow.cli;

import com.google.gson.GsonBuilder;
import dev.mediaflow.MediaClient;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.pipeline.PipelineSpec;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The delivery commands: {@code url} and {@code probe}. */
final class DeliveryCommands {
  private DeliveryCommands() {}

  @Command(
      name = "url",
      mixinStandardHelpOptions = true,
      description =
          "Prints a URL of the object: signed for --expires (or unsigned for a public bucket), processed on the fly"
              + " with --process or a --style, with a download name. Sends nothing.")
  static final class Url extends Main.Base {
    @Option(names = "--provider", paramLabel = "ID", description = "The provider instance.")
    String provider;

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "How long the signed URL stays valid, such as 10m or 2h (default: 1h).")
    String expires;

    @Option(names = "--unsigned", description = "An unsigned URL, for a public-read bucket.")
    boolean unsigned;

    @Option(
        names = "--process",
        paramLabel = "STEPS_JSON",
        description =
            "Processing steps as the spec's step objects, such as '[{\"op\":\"resize\",\"width\":320}]'.")
    String process;

    @Option(names = "--style", paramLabel = "NAME", description = "A style defined at the vendor.")
    String style;

    @Option(
        names = "--download-name",
        paramLabel = "NAME",
        description = "The file name the browser saves the response as.")
    String downloadName;

    @Option(
        names = "--content-type",
        paramLabel = "TYPE",
        description = "The Content-Type of the response.")
    String contentType;

    @Parameters(
        paramLabel = "BUCKET/KEY",
        description = "The object, such as media/photos/cat.jpg.")
    String target;

    @Override
    public Integer call() {
      UrlOptions.Builder b = UrlOptions.builder();
      if (expires != null) {
        b.expiry(Main.parseDuration(expires));
      }
      if (unsigned) {
        b.unsigned();
      }
      if (process != null) {
        b.process(PipelineSpec.parseSteps(process));
      }
      if (style != null) {
        b.style(style);
      }
      if (downloadName != null) {
        b.downloadName(downloadName);
      }
      if (contentType != null) {
        b.contentType(contentType);
      }
      UrlOptions options = b.build();
      try (MediaClient media = MediaClient.create(config(provider))) {
        out().println(media.url(object(target), options));
      }
      return Main.OK;
    }
  }

  @Command(
      name = "probe",
      mixinStandardHelpOptions = true,
      description = "Prints the object's media info: format, duration, size, bitrate, streams.")
  static final class Probe extends Main.Base {
    @Option(names = "--provider", paramLabel = "ID", description = "The provider instance.")
    String provider;

    @Option(
        names = "--json",
        description = "Prints the whole media info as JSON, the vendor's raw fields included.")
    boolean json;

    @Parameters(paramLabel = "BUCKET/KEY", description = "The object, such as media/raw/intro.mov.")
    String target;

    @Override
    public Integer call() {
      MediaInfo info;
      try (MediaClient media = MediaClient.create(config(provider))) {
        info = media.probe(object(target));
      }
      PrintWriter out = out();
      if (json) {
        out.println(
            new GsonBuilder()
                .setPrettyPrinting()
                .disableHtmlEscaping()
                .create()
                .toJson(tree(info)));
        return Main.OK;
      }
      out.println("format    " + info.format());
      out.println("duration  " + seconds(info.duration()));
      out.println("size      " + info.size() + " bytes");
      out.println("bitrate   " + info.bitrate() + " bit/s");
      for (MediaInfo.VideoStream v : info.video()) {
        out.printf(
            "video     %s %dx%d %.3f fps%s%s%n",
            v.codec(),
            v.width(),
            v.height(),
            v.frameRate(),
            v.rotation() == 0 ? "" : ", rotated " + v.rotation(),
            v.bitrate() == 0 ? "" : ", " + v.bitrate() + " bit/s");
      }
      for (MediaInfo.AudioStream a : info.audio()) {
        out.printf(
            "audio     %s %d Hz, %d channel(s)%s%n",
            a.codec(),
            a.sampleRate(),
            a.channels(),
            a.bitrate() == 0 ? "" : ", " + a.bitrate() + " bit/s");
      }
      info.image()
          .ifPresent(
              i ->
                  out.printf(
                      "image     %s %dx%d, orientation %d%n",
                      i.format(), i.width(), i.height(), i.orientation()));
      return Main.OK;
    }

    private static String seconds(Duration d) {
      return String.format(java.util.Locale.ROOT, "%.3f s", d.toMillis() / 1000.0);
    }

    private static java.util.Map<String, Object> tree(MediaInfo info) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("format", info.format());
      m.put("durationMs", info.duration().toMillis());
      m.put("size", info.size());
      m.put("bitrate", info.bitrate());
      m.put("video", info.video());
      m.put("audio", info.audio());
      info.image().ifPresent(i -> m.put("image", i));
      m.put("raw", info.raw());
      return m;
    }
  }
}
