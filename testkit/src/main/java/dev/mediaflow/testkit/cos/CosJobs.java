package dev.mediaflow.testkit.cos;

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
import dev.mediaflow.op.DocumentType;
import dev.mediaflow.op.Gravity;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.PageRange;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.testkit.FakeObjects;
import dev.mediaflow.testkit.JobEngine;
import dev.mediaflow.testkit.Reply;
import dev.mediaflow.testkit.Request;
import dev.mediaflow.testkit.Task;
import dev.mediaflow.testkit.TaskExecutor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.w3c.dom.Element;

/**
 * Cloud Infinite's job APIs on the fake's {@code .ci.} host: {@code POST /jobs} (Transcode, audio
 * Transcode, Snapshot, Animation, Concat, ExtractDigitalWatermark), {@code GET /jobs/<id>[,<id>]},
 * {@code GET /jobs?tag=} (list), {@code PUT /jobs/<id>} (cancel, while Submitted), {@code POST
 * /doc_jobs} and {@code GET /doc_jobs/<id>}. Each job's XML is read into Mediaflow's neutral
 * operations and run by the {@link JobEngine}; states Submitted, Running, Success, Failed and
 * Cancel; a CallBack URL gets the job's XML (or JSON) when it ends
 * (https://cloud.tencent.com/document/api/436/85059). Templates are not kept: a request naming a
 * TemplateId is refused. Thread-safe.
 */
final class CosJobs {
  static final DateTimeFormatter CI_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT)
          .withZone(ZoneOffset.ofHours(8));

  private static final Set<String> MEDIA_TAGS =
      Set.of("Transcode", "Snapshot", "Animation", "Concat", "ExtractDigitalWatermark");

  private final FakeObjects objects;
  private final JobEngine engine;
  private final CosReplies replies;
  private final CosCallbacks callbacks;
  private final Clock clock;
  private final String region;
  private final Supplier<String> queueId;
  private final Map<String, CiJob> jobs = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();

  CosJobs(
      FakeObjects objects,
      JobEngine engine,
      CosReplies replies,
      CosCallbacks callbacks,
      Clock clock,
      String region,
      Supplier<String> queueId) {
    this.objects = objects;
    this.engine = engine;
    this.replies = replies;
    this.callbacks = callbacks;
    this.clock = clock;
    this.region = region;
    this.queueId = queueId;
  }

  int count() {
    return jobs.size();
  }

  boolean known(String id) {
    for (String one : id.split(",")) {
      if (!jobs.containsKey(one.trim())) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether {@code path} (after the bucket) is one of the job APIs. */
  static boolean isJobPath(String path) {
    return path.matches("(doc_)?jobs(/[^/]+)?");
  }

  Reply handle(Request r, String bucket, String path) {
    boolean doc = path.startsWith("doc_jobs");
    String id = path.contains("/") ? path.substring(path.indexOf('/') + 1) : null;
    String resource = CosObjects.resource(r);
    try {
      return switch (r.method()) {
        case "POST" ->
            id == null
                ? submit(r, bucket, doc)
                : replies.error(405, "MethodNotAllowed", "POST takes no job id.", resource);
        case "GET" -> id == null ? list(r, doc) : describe(id, doc);
        case "PUT" ->
            id == null || doc
                ? replies.error(
                    405, "MethodNotAllowed", "PUT /jobs/<JobId> cancels a job.", resource)
                : cancel(id, resource);
        default ->
            replies.error(
                405, "MethodNotAllowed", "The specified method is not allowed.", resource);
      };
    } catch (CosXml.Malformed e) {
      return replies.error(400, "MalformedXML", e.getMessage(), resource);
    } catch (Invalid e) {
      return replies.error(400, "InvalidArgument", e.getMessage(), resource);
    }
  }

  /** A job request Cloud Infinite refuses, answered 400 InvalidArgument. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  // ---- submit

  private Reply submit(Request r, String bucket, boolean doc) throws CosXml.Malformed, Invalid {
    Element root = CosXml.parse(r.body());
    if (!root.getTagName().equals("Request")) {
      throw new Invalid("The root element must be Request, was " + root.getTagName() + ".");
    }
    String tag = CosXml.text(root, "Tag").orElseThrow(() -> new Invalid("Tag is required."));
    if (doc ? !tag.equals("DocProcess") : !MEDIA_TAGS.contains(tag)) {
      throw new Invalid(
          "Tag " + tag + " is not served by this fake on " + (doc ? "/doc_jobs" : "/jobs") + ".");
    }
    Element operation = CosXml.child(root, "Operation");
    if (operation == null) {
      throw new Invalid("Operation is required.");
    }
    if (CosXml.text(operation, "TemplateId").isPresent()
        || !CosXml.children(operation, "WatermarkTemplateId").isEmpty()) {
      throw new Invalid("The template does not exist: this fake keeps no templates.");
    }
    String callback = CosXml.text(root, "CallBack").orElse(null);
    String format = CosXml.text(root, "CallBackFormat").orElse("XML").toUpperCase(Locale.ROOT);
    if (!format.equals("XML") && !format.equals("JSON")) {
      throw new Invalid("CallBackFormat must be XML or JSON, was " + format + ".");
    }
    if (callback != null && !callback.equals("no") && !callback.startsWith("http")) {
      throw new Invalid("CallBack must be an http(s) URL or no.");
    }
    Element input = CosXml.child(root, "Input");
    String source = input == null ? null : CosXml.text(input, "Object").orElse(null);
    Element output = CosXml.child(operation, "Output");
    String outBucket = bucket;
    String outKey = null;
    if (output != null) {
      outBucket = CosXml.text(output, "Bucket").orElse(bucket);
      outKey = CosXml.text(output, "Object").orElse(null);
      String outRegion = CosXml.text(output, "Region").orElse(region);
      if (!outRegion.equals(region)) {
        throw new Invalid(
            "Output Region " + outRegion + " is not this bucket's region " + region + ".");
      }
    }
    Parsed parsed = operations(tag, operation, source, bucket, outKey);
    List<Supplier<Operation>> ops = parsed.ops();
    String sourceBucket = parsed.sourceBucket();
    source = parsed.source();
    if (!tag.equals("ExtractDigitalWatermark") && outKey == null) {
      throw new Invalid("Operation.Output.Object is required.");
    }
    String pattern = null;
    if (outKey != null && (outKey.contains("${Number}") || outKey.contains("${Page}"))) {
      pattern = outKey.replace("${Number}", Task.INDEX).replace("${Page}", Task.INDEX);
    } else if (doc && outKey != null) {
      throw new Invalid("Output.Object of a document job must hold ${Number} or ${Page}.");
    }
    try {
      objects.file(
          outBucket,
          (pattern == null ? outKey == null ? "x" : outKey : pattern.replace(Task.INDEX, "1")));
      objects.file(sourceBucket, source);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
    String id = (doc ? "d" : "j") + HexFormat.of().formatHex(random(16));
    List<String> steps = new ArrayList<>();
    Map<String, Supplier<Operation>> byStep = new LinkedHashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      String step = tag + "#" + (i + 1);
      steps.add(step);
      byStep.put(step, ops.get(i));
    }
    Task.Builder t =
        Task.builder()
            .id(id)
            .command(tag, CosXml.write(operation))
            .steps(steps)
            .source(sourceBucket, source)
            .translator(step -> byStep.get(step).get())
            .objects(objects);
    if (pattern != null) {
      t.target(outBucket, null).keyPattern(pattern, 0);
    } else {
      t.target(outBucket, outKey);
    }
    CiJob job =
        new CiJob(
            id,
            tag,
            doc,
            sourceBucket,
            source,
            outBucket,
            operation,
            callback == null || callback.equals("no") ? null : callback,
            format,
            CosXml.text(root, "QueueId").orElse(queueId.get()),
            clock.instant());
    job.pattern = pattern;
    jobs.put(id, job);
    order.add(id);
    job.engineJob = engine.submit(id, List.of(t.build()), job);
    return replies.xml(200, "<Response>" + detail(job) + "</Response>");
  }

  /** What a job asks: its operations (built when the executor asks) and the source they read. */
  record Parsed(List<Supplier<Operation>> ops, String sourceBucket, String source) {}

  /**
   * Reads the operations of a job's {@code Operation} element, for {@code Tag} {@code tag}, on
   * {@code source} ({@code Input.Object}, or null) in {@code bucket}.
   */
  static Parsed operations(
      String tag, Element operation, String source, String bucket, String outKey) throws Invalid {
    List<Supplier<Operation>> ops;
    String sourceBucket = bucket;
    if (tag.equals("Concat")) {
      List<MediaObject> fragments = fragments(CosXml.child(operation, "ConcatTemplate"), bucket);
      if (fragments.size() < 2 && source == null) {
        throw new Invalid("Concat needs at least two ConcatFragment elements.");
      }
      if (source == null) {
        sourceBucket = fragments.get(0).bucket();
        source = fragments.get(0).key();
        fragments = fragments.subList(1, fragments.size());
      }
      ops = List.of(concat(CosXml.child(operation, "ConcatTemplate"), fragments));
    } else {
      if (source == null) {
        throw new Invalid("Input.Object is required.");
      }
      ops =
          switch (tag) {
            case "Transcode" -> transcode(operation, outKey);
            case "Snapshot" -> {
              Snapshot snap = snapshot(CosXml.child(operation, "Snapshot"), outKey);
              yield List.of(() -> snap);
            }
            case "Animation" -> List.of(animation(CosXml.child(operation, "Animation")));
            case "ExtractDigitalWatermark" -> List.of(BlindWatermarkDecode::defaults);
            case "DocProcess" -> List.of(document(CosXml.child(operation, "DocProcess")));
            default -> throw new Invalid("Tag " + tag + " is not served by this fake.");
          };
    }
    return new Parsed(ops, sourceBucket, source);
  }

  /**
   * Reads a media or document job's {@code Request} document into the operations it asks for, in
   * order, as this fake runs them.
   */
  static List<Operation> read(byte[] body) throws CosXml.Malformed, Invalid {
    Element root = CosXml.parse(body);
    String tag = CosXml.text(root, "Tag").orElseThrow(() -> new Invalid("Tag is required."));
    Element operation = CosXml.child(root, "Operation");
    if (operation == null) {
      throw new Invalid("Operation is required.");
    }
    Element input = CosXml.child(root, "Input");
    String source = input == null ? null : CosXml.text(input, "Object").orElse(null);
    String outKey = CosXml.text(operation, "Output/Object").orElse(null);
    List<Operation> out = new ArrayList<>();
    for (Supplier<Operation> op : operations(tag, operation, source, null, outKey).ops()) {
      out.add(op.get());
    }
    return out;
  }

  private static List<Supplier<Operation>> transcode(Element operation, String outKey)
      throws Invalid {
    Element t = CosXml.child(operation, "Transcode");
    if (t == null) {
      throw new Invalid("Operation.Transcode is required for Tag Transcode.");
    }
    String format =
        CosXml.text(t, "Container/Format")
            .orElseThrow(() -> new Invalid("Transcode.Container.Format is required."))
            .toLowerCase(Locale.ROOT);
    List<Supplier<Operation>> ops = new ArrayList<>();
    Element video = CosXml.child(t, "Video");
    Element audio = CosXml.child(t, "Audio");
    Optional<Duration> start = seconds(t, "TimeInterval/Start");
    Optional<Duration> duration = seconds(t, "TimeInterval/Duration");
    Optional<AudioFormat> audioFormat = audioFormat(format);
    if (audioFormat.isPresent()) {
      AudioTranscode.Builder a = AudioTranscode.builder().format(audioFormat.get());
      if (audio != null) {
        number(audio, "Bitrate", 8, 1000).ifPresent(k -> a.bitrate(k * 1000));
        number(audio, "Samplerate", 8000, 96000).ifPresent(hz -> a.sampleRate(hz.intValue()));
        number(audio, "Channels", 1, 8).ifPresent(c -> a.channels(c.intValue()));
      }
      start.ifPresent(a::start);
      duration.ifPresent(a::duration);
      ops.add(lazy(a::build));
    } else {
      Container container = container(format);
      Transcode.Builder b = Transcode.builder().container(container);
      if (video != null) {
        if (CosXml.text(video, "Remove").orElse("false").equals("true")) {
          b.noVideo();
        }
        Optional<String> codec = CosXml.text(video, "Codec");
        if (codec.isPresent()) {
          VideoCodec c = videoCodec(codec.get());
          if (c != null) {
            b.videoCodec(c);
          }
        }
        Optional<Long> w = number(video, "Width", 128, 4096);
        Optional<Long> h = number(video, "Height", 128, 4096);
        if (w.isPresent() && h.isPresent()) {
          b.size(w.get().intValue(), h.get().intValue());
        } else {
          w.ifPresent(x -> b.width(x.intValue()));
          h.ifPresent(x -> b.height(x.intValue()));
        }
        Optional<String> fps = CosXml.text(video, "Fps");
        if (fps.isPresent()) {
          double f = decimal(fps.get(), "Video.Fps");
          if (f <= 0 || f > 60) {
            throw new Invalid("Video.Fps must be in (0, 60], was " + fps.get() + ".");
          }
          b.fps(f);
        }
        Optional<String> bitrate = CosXml.text(video, "Bitrate");
        if (bitrate.isPresent() && !bitrate.get().equals("auto")) {
          long k = (long) decimal(bitrate.get(), "Video.Bitrate");
          if (k < 10 || k > 50000) {
            throw new Invalid("Video.Bitrate is in Kbps, [10, 50000], was " + bitrate.get() + ".");
          }
          b.videoBitrate(k * 1000);
        }
        number(video, "Crf", 1, 51).ifPresent(c -> b.crf(c.intValue()));
      }
      if (audio != null) {
        if (CosXml.text(audio, "Remove").orElse("false").equals("true")) {
          b.noAudio();
        }
        Optional<String> codec = CosXml.text(audio, "Codec");
        if (codec.isPresent()) {
          AudioCodec c = audioCodec(codec.get());
          if (c != null) {
            b.audioCodec(c);
          }
        }
        number(audio, "Bitrate", 8, 1000).ifPresent(k -> b.audioBitrate(k * 1000));
        number(audio, "Samplerate", 8000, 96000).ifPresent(hz -> b.sampleRate(hz.intValue()));
        number(audio, "Channels", 1, 8).ifPresent(c -> b.channels(c.intValue()));
      }
      start.ifPresent(b::start);
      duration.ifPresent(b::duration);
      ops.add(lazy(b::build));
    }
    for (Element w : CosXml.children(operation, "Watermark")) {
      ops.add(watermark(w));
    }
    return ops;
  }

  private static Supplier<Operation> watermark(Element w) throws Invalid {
    String type =
        CosXml.text(w, "Type").orElseThrow(() -> new Invalid("Watermark.Type is required."));
    Watermark.Builder b;
    if (type.equals("Text")) {
      String text =
          CosXml.text(w, "Text/Text")
              .orElseThrow(() -> new Invalid("Watermark.Text.Text is required."));
      if (text.length() > 64) {
        throw new Invalid("Watermark.Text.Text is at most 64 characters.");
      }
      b = Watermark.text(text);
      number(CosXml.child(w, "Text"), "FontSize", 5, 100).ifPresent(s -> b.fontSize(s.intValue()));
      Optional<String> color = CosXml.text(w, "Text/FontColor");
      if (color.isPresent()) {
        if (!color.get().matches("0x[0-9A-Fa-f]{6}")) {
          throw new Invalid("Watermark.Text.FontColor must be 0xRRGGBB, was " + color.get() + ".");
        }
        b.color("#" + color.get().substring(2).toUpperCase(Locale.ROOT));
      }
      CosXml.text(w, "Text/FontType").ifPresent(b::font);
      number(CosXml.child(w, "Text"), "Transparency", 1, 100)
          .ifPresent(p -> b.opacity(p.intValue()));
    } else if (type.equals("Image")) {
      String url =
          CosXml.text(w, "Image/Url")
              .orElseThrow(() -> new Invalid("Watermark.Image.Url is required."));
      b = Watermark.image(object(url, null));
      number(CosXml.child(w, "Image"), "Transparency", 1, 100)
          .ifPresent(p -> b.opacity(p.intValue()));
    } else {
      throw new Invalid("Watermark.Type must be Text or Image, was " + type + ".");
    }
    Optional<String> pos = CosXml.text(w, "Pos");
    if (pos.isPresent()) {
      b.gravity(gravity(pos.get()));
    }
    String mode = CosXml.text(w, "LocMode").orElse("Absolute");
    if (!mode.equals("Absolute") && !mode.equals("Relativity")) {
      throw new Invalid("Watermark.LocMode must be Absolute or Relativity, was " + mode + ".");
    }
    Optional<Long> dx = number(w, "Dx", 0, 4096);
    Optional<Long> dy = number(w, "Dy", 0, 4096);
    if (mode.equals("Absolute")) {
      dx.ifPresent(x -> b.dx(x.intValue()));
      dy.ifPresent(y -> b.dy(y.intValue()));
    }
    return lazy(b::build);
  }

  private static Snapshot snapshot(Element s, String outKey) throws Invalid {
    if (s == null) {
      throw new Invalid("Operation.Snapshot is required for Tag Snapshot.");
    }
    String mode = CosXml.text(s, "Mode").orElse("Interval");
    if (!mode.equals("Interval")) {
      throw new Invalid("Snapshot Mode " + mode + " is not run by this fake; use Interval.");
    }
    long count =
        number(s, "Count", 1, 10000).orElseThrow(() -> new Invalid("Snapshot.Count is required."));
    Duration start = seconds(s, "Start").orElse(Duration.ZERO);
    Optional<Duration> every = seconds(s, "TimeInterval");
    Snapshot.Builder b = Snapshot.builder().at(start);
    if (every.isPresent()) {
      if (every.get().isZero() || every.get().compareTo(Duration.ofHours(1)) > 0) {
        throw new Invalid("Snapshot.TimeInterval must be in (0, 3600] seconds.");
      }
      b.every(every.get(), (int) count);
    } else if (count != 1) {
      throw new Invalid(
          "Snapshot without TimeInterval takes every frame; this fake takes Count 1 only.");
    }
    if (outKey != null && outKey.toLowerCase(Locale.ROOT).endsWith(".png")) {
      b.format(ImageFormat.PNG);
    } else {
      b.format(ImageFormat.JPG);
    }
    Optional<Long> w = number(s, "Width", 128, 4096);
    Optional<Long> h = number(s, "Height", 128, 4096);
    w.ifPresent(x -> b.width(x.intValue()));
    h.ifPresent(x -> b.height(x.intValue()));
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new Invalid(e.getMessage());
    }
  }

  private static Supplier<Operation> animation(Element a) throws Invalid {
    if (a == null) {
      throw new Invalid("Operation.Animation is required for Tag Animation.");
    }
    String format =
        CosXml.text(a, "Container/Format")
            .orElseThrow(() -> new Invalid("Animation.Container.Format is required."));
    Animation.Builder b = Animation.builder();
    switch (format.toLowerCase(Locale.ROOT)) {
      case "gif", "hgif" -> b.format(AnimationFormat.GIF);
      case "webp" -> b.format(AnimationFormat.WEBP);
      default -> throw new Invalid("Animation.Container.Format must be gif, hgif or webp.");
    }
    Element video = CosXml.child(a, "Video");
    if (video != null) {
      number(video, "Width", 128, 4096).ifPresent(x -> b.width(x.intValue()));
      number(video, "Height", 128, 4096).ifPresent(x -> b.height(x.intValue()));
      Optional<String> fps = CosXml.text(video, "Fps");
      if (fps.isPresent()) {
        b.fps(decimal(fps.get(), "Video.Fps"));
      }
      Optional<Duration> interval = seconds(video, "AnimateTimeIntervalOfFrame");
      interval.ifPresent(b::interval);
    }
    seconds(a, "TimeInterval/Start").ifPresent(b::start);
    seconds(a, "TimeInterval/Duration").ifPresent(b::duration);
    return lazy(b::build);
  }

  private static List<MediaObject> fragments(Element template, String bucket) throws Invalid {
    if (template == null) {
      throw new Invalid("Operation.ConcatTemplate is required for Tag Concat.");
    }
    List<MediaObject> out = new ArrayList<>();
    for (Element f : CosXml.children(template, "ConcatFragment")) {
      String url =
          CosXml.text(f, "Url").orElseThrow(() -> new Invalid("ConcatFragment.Url is required."));
      out.add(object(url, bucket));
    }
    return out;
  }

  private static Supplier<Operation> concat(Element template, List<MediaObject> inputs)
      throws Invalid {
    String format =
        CosXml.text(template, "Container/Format")
            .orElseThrow(() -> new Invalid("ConcatTemplate.Container.Format is required."));
    Container container = container(format.toLowerCase(Locale.ROOT));
    Transcode.Builder enc = Transcode.builder().container(container);
    CosXml.text(template, "Video/Codec").map(CosJobs::videoCodec).ifPresent(enc::videoCodec);
    CosXml.text(template, "Audio/Codec").map(CosJobs::audioCodec).ifPresent(enc::audioCodec);
    Element video = CosXml.child(template, "Video");
    if (video != null) {
      Optional<Long> w = number(video, "Width", 128, 4096);
      Optional<Long> h = number(video, "Height", 128, 4096);
      if (w.isPresent() && h.isPresent()) {
        enc.size(w.get().intValue(), h.get().intValue());
      } else {
        w.ifPresent(x -> enc.width(x.intValue()));
        h.ifPresent(x -> enc.height(x.intValue()));
      }
    }
    return lazy(() -> Concat.builder().inputs(inputs).encoding(enc.build()).build());
  }

  private static Supplier<Operation> document(Element d) throws Invalid {
    if (d == null) {
      throw new Invalid("Operation.DocProcess is required.");
    }
    String target = CosXml.text(d, "TgtType").orElse("jpg").toLowerCase(Locale.ROOT);
    DocumentConversion.Builder b = DocumentConversion.builder();
    switch (target) {
      case "png" -> b.to(DocumentTarget.PNG);
      case "pdf" -> b.to(DocumentTarget.PDF);
      case "txt" -> b.to(DocumentTarget.TXT);
      default -> b.to(DocumentTarget.JPG);
    }
    Optional<String> source = CosXml.text(d, "SrcType");
    if (source.isPresent() && !source.get().isEmpty()) {
      try {
        b.from(DocumentType.fromToken(source.get().toLowerCase(Locale.ROOT)));
      } catch (RuntimeException e) {
        throw new Invalid("DocProcess.SrcType " + source.get() + " is not a document type.");
      }
    }
    Optional<String> ranges = CosXml.text(d, "PageRanges");
    long first = number(d, "StartPage", 1, 5000).orElse(1L);
    long last = CosXml.text(d, "EndPage").map(v -> (long) decimal0(v)).orElse(-1L);
    try {
      if (ranges.isPresent()) {
        b.pages(PageRange.parse(ranges.get()));
      } else if (first > 1 || last > 0) {
        b.pages(PageRange.parse(first + "-" + (last > 0 ? last : 5000)));
      }
    } catch (RuntimeException e) {
      throw new Invalid("Invalid page range: " + e.getMessage());
    }
    return lazy(b::build);
  }

  /** An object named by a URL on a COS host of this fake ({@code <bucket>.cos.<region>...}). */
  private static MediaObject object(String url, String fallbackBucket) throws Invalid {
    URI u;
    try {
      u = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new Invalid("Not a URL: " + url);
    }
    String host = u.getHost() == null ? "" : u.getHost();
    String path = u.getPath() == null ? "" : u.getPath();
    int cos = host.indexOf(".cos.");
    String bucket = cos > 0 ? host.substring(0, cos) : fallbackBucket;
    if (bucket == null || path.length() < 2) {
      throw new Invalid("The URL must name an object of a COS bucket: " + url);
    }
    return MediaObject.of(bucket, path.substring(1));
  }

  /**
   * Builds the operation when the executor asks: a value Cloud Infinite takes but Mediaflow's model
   * refuses fails the task (UNSUPPORTED when run locally), not the submission.
   */
  private static Supplier<Operation> lazy(Supplier<Operation> build) {
    return build;
  }

  // ---- describe, list, cancel

  private Reply describe(String ids, boolean doc) {
    engine.advance();
    StringBuilder x = new StringBuilder("<Response>");
    List<String> missing = new ArrayList<>();
    for (String id : ids.split(",")) {
      CiJob job = jobs.get(id.trim());
      if (job == null || job.doc != doc) {
        missing.add(id.trim());
      } else {
        x.append(detail(job));
      }
    }
    for (String m : missing) {
      x.append(CosXml.el("NonExistJobIds", m));
    }
    return replies.xml(200, x.append("</Response>").toString());
  }

  private Reply list(Request r, boolean doc) throws Invalid {
    engine.advance();
    Map<String, String> q = r.query();
    String tag = q.get("tag");
    if (tag == null) {
      throw new Invalid("tag is required.");
    }
    String states = q.getOrDefault("states", "All");
    Set<String> wanted = states.equals("All") ? null : Set.of(states.split(","));
    int size = (int) Math.min(100, Math.max(1, decimal0(q.getOrDefault("size", "10"))));
    int from = (int) decimal0(q.getOrDefault("nextToken", "0"));
    List<String> ids = new ArrayList<>(order);
    if (!"Asc".equals(q.get("orderByTime"))) {
      java.util.Collections.reverse(ids);
    }
    List<CiJob> matching = new ArrayList<>();
    for (String id : ids) {
      CiJob j = jobs.get(id);
      if (j.doc == doc && j.tag.equals(tag) && (wanted == null || wanted.contains(state(j)))) {
        matching.add(j);
      }
    }
    StringBuilder x = new StringBuilder("<Response>");
    for (int i = from; i < Math.min(matching.size(), from + size); i++) {
      x.append(detail(matching.get(i)));
    }
    x.append(
        CosXml.el("NextToken", from + size < matching.size() ? String.valueOf(from + size) : ""));
    return replies.xml(200, x.append("</Response>").toString());
  }

  private Reply cancel(String id, String resource) {
    CiJob job = jobs.get(id);
    if (job == null || job.doc) {
      return replies.error(404, "NoSuchJob", "The job " + id + " does not exist.", resource);
    }
    String now = state(job);
    if (now.equals("Cancel")) {
      return replies.xml(
          200,
          "<Response>" + CosXml.el("JobId", id) + CosXml.el("State", "Cancel") + "</Response>");
    }
    if (!engine.cancel(id)) {
      return replies.error(
          400,
          "InvalidArgument",
          "Only a job in state Submitted can be cancelled; job " + id + " is " + state(job) + ".",
          resource);
    }
    job.endedAt = clock.instant();
    return replies.xml(
        200, "<Response>" + CosXml.el("JobId", id) + CosXml.el("State", "Cancel") + "</Response>");
  }

  // ---- state and answers

  /** The job's state as Cloud Infinite names it. */
  static String state(CiJob job) {
    JobEngine.Job j = job.engineJob;
    if (j == null) {
      return "Submitted";
    }
    if (j.cancelled()) {
      return "Cancel";
    }
    if (!j.tasksDone()) {
      return j.phase() == JobEngine.Phase.QUEUED ? "Submitted" : "Running";
    }
    return failure(job) == null ? "Success" : "Failed";
  }

  private static TaskExecutor.Failure failure(CiJob job) {
    for (JobEngine.Step s : job.engineJob.steps()) {
      TaskExecutor.Result r = s.result();
      if (r != null && !r.succeeded()) {
        return r.failure();
      }
    }
    return null;
  }

  private static List<String> keys(CiJob job) {
    List<String> keys = new ArrayList<>();
    for (JobEngine.Step s : job.engineJob.steps()) {
      TaskExecutor.Result r = s.result();
      if (r != null && r.succeeded()) {
        keys.addAll(r.keys());
      }
    }
    return keys;
  }

  /** The {@code JobsDetail} element of a job. */
  String detail(CiJob job) {
    String state = state(job);
    StringBuilder x = new StringBuilder("<JobsDetail>");
    TaskExecutor.Failure f = state.equals("Failed") ? failure(job) : null;
    if (f != null) {
      x.append(CosXml.el("Code", f.code() != null ? f.code() : "InternalError"));
      x.append(CosXml.el("Message", f.message()));
    } else {
      x.append(CosXml.el("Code", "Success")).append("<Message></Message>");
    }
    x.append(CosXml.el("JobId", job.id))
        .append(CosXml.el("State", state))
        .append(CosXml.el("Progress", state.equals("Success") ? 100 : 0))
        .append(CosXml.el("CreationTime", CI_TIME.format(job.created)))
        .append(CosXml.el("StartTime", started(job)))
        .append(CosXml.el("EndTime", ended(job, state)))
        .append(CosXml.el("QueueId", job.queueId))
        .append(CosXml.el("Tag", job.tag))
        .append("<Input>")
        .append(CosXml.el("BucketId", job.sourceBucket))
        .append(CosXml.el("Object", job.source))
        .append(CosXml.el("Region", region))
        .append("</Input>");
    String echo = CosXml.write(job.operation);
    String result = result(job, state);
    x.append(echo, 0, echo.length() - "</Operation>".length())
        .append(result)
        .append("</Operation>");
    return x.append("</JobsDetail>").toString();
  }

  private String result(CiJob job, String state) {
    if (!state.equals("Success")) {
      return "";
    }
    List<String> keys = keys(job);
    if (job.doc) {
      StringBuilder x =
          new StringBuilder("<DocProcessResult>")
              .append(
                  CosXml.el(
                      "TgtType", CosXml.text(job.operation, "DocProcess/TgtType").orElse("jpg")))
              .append(CosXml.el("TotalPageCount", keys.size()))
              .append(CosXml.el("SuccPageCount", keys.size()))
              .append(CosXml.el("FailPageCount", 0))
              .append(CosXml.el("TaskId", job.id));
      for (int i = 0; i < keys.size(); i++) {
        x.append("<PageInfo>")
            .append(CosXml.el("PageNo", i + 1))
            .append(CosXml.el("TgtUri", keys.get(i)))
            .append("</PageInfo>");
      }
      return x.append("</DocProcessResult>").toString();
    }
    if (job.tag.equals("ExtractDigitalWatermark")) {
      return "";
    }
    // Numbered outputs are named after the prefix before ${Number}, as in Cloud Infinite's
    // snapshot callback example (https://cloud.tencent.com/document/api/436/85059).
    String prefix =
        job.pattern == null ? "" : job.pattern.substring(0, job.pattern.indexOf(Task.INDEX));
    StringBuilder x = new StringBuilder("<MediaResult><OutputFile>");
    x.append(CosXml.el("Bucket", job.outBucket)).append(CosXml.el("Region", region));
    x.append(CosXml.el("ObjectPrefix", prefix));
    for (String k : keys) {
      x.append(CosXml.el("ObjectName", k.startsWith(prefix) ? k.substring(prefix.length()) : k));
    }
    return x.append("</OutputFile></MediaResult>").toString();
  }

  private static String started(CiJob job) {
    List<JobEngine.Step> steps = job.engineJob == null ? List.of() : job.engineJob.steps();
    Instant at = steps.isEmpty() ? null : steps.get(0).started();
    return at == null ? "-" : CI_TIME.format(at);
  }

  private String ended(CiJob job, String state) {
    if (state.equals("Cancel")) {
      return job.endedAt == null ? "-" : CI_TIME.format(job.endedAt);
    }
    if (!state.equals("Success") && !state.equals("Failed")) {
      return "-";
    }
    List<JobEngine.Step> steps = job.engineJob.steps();
    Instant at = steps.get(steps.size() - 1).ended();
    return at == null ? "-" : CI_TIME.format(at);
  }

  /** One Cloud Infinite job: what was asked and the engine job running it. */
  final class CiJob implements JobEngine.Hooks {
    final String id;
    final String tag;
    final boolean doc;
    final String sourceBucket;
    final String source;
    final String outBucket;
    final Element operation;
    final String callback;
    final String callbackFormat;
    final String queueId;
    final Instant created;
    volatile String pattern;
    volatile JobEngine.Job engineJob;
    volatile Instant endedAt;

    CiJob(
        String id,
        String tag,
        boolean doc,
        String sourceBucket,
        String source,
        String outBucket,
        Element operation,
        String callback,
        String callbackFormat,
        String queueId,
        Instant created) {
      this.id = id;
      this.tag = tag;
      this.doc = doc;
      this.sourceBucket = sourceBucket;
      this.source = source;
      this.outBucket = outBucket;
      this.operation = operation;
      this.callback = callback;
      this.callbackFormat = callbackFormat;
      this.queueId = queueId;
      this.created = created;
    }

    @Override
    public void finish(JobEngine.Job job) {
      if (callback == null) {
        return;
      }
      String detail = detail(this);
      callbacks.send(
          callback,
          callbackFormat,
          "<Response><EventName>TaskFinish</EventName>" + detail + "</Response>");
    }
  }

  // ---- values

  private static Optional<Long> number(Element e, String name, long min, long max) throws Invalid {
    if (e == null) {
      return Optional.empty();
    }
    Optional<String> t = CosXml.text(e, name);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    long n;
    try {
      n = Long.parseLong(t.get());
    } catch (NumberFormatException ex) {
      throw new Invalid(name + " must be a whole number, was " + t.get() + ".");
    }
    if (n < min || n > max) {
      throw new Invalid(name + " must be in [" + min + ", " + max + "], was " + n + ".");
    }
    return Optional.of(n);
  }

  private static Optional<Duration> seconds(Element e, String path) throws Invalid {
    if (e == null) {
      return Optional.empty();
    }
    Optional<String> t = CosXml.text(e, path);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    double s = decimal(t.get(), path);
    if (s < 0) {
      throw new Invalid(path + " must not be negative, was " + t.get() + ".");
    }
    return Optional.of(Duration.ofMillis(Math.round(s * 1000)));
  }

  private static double decimal(String text, String name) throws Invalid {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new Invalid(name + " must be a number, was " + text + ".");
    }
  }

  private static double decimal0(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<AudioFormat> audioFormat(String format) {
    return switch (format) {
      case "mp3" -> Optional.of(AudioFormat.MP3);
      case "aac" -> Optional.of(AudioFormat.AAC);
      case "m4a" -> Optional.of(AudioFormat.M4A);
      case "flac" -> Optional.of(AudioFormat.FLAC);
      case "wav" -> Optional.of(AudioFormat.WAV);
      case "ogg" -> Optional.of(AudioFormat.OGG);
      case "amr" -> Optional.of(AudioFormat.AMR);
      default -> Optional.empty();
    };
  }

  private static Container container(String format) throws Invalid {
    return switch (format) {
      case "mp4" -> Container.MP4;
      case "flv" -> Container.FLV;
      case "ts" -> Container.TS;
      case "hls" -> Container.M3U8;
      case "webm" -> Container.WEBM;
      case "mkv" -> Container.MKV;
      case "mov" -> Container.MOV;
      case "avi" -> Container.AVI;
      default -> throw new Invalid("Container.Format " + format + " is not supported.");
    };
  }

  private static VideoCodec videoCodec(String codec) {
    return switch (codec.toUpperCase(Locale.ROOT)) {
      case "H.264", "H264" -> VideoCodec.H264;
      case "H.265", "H265" -> VideoCodec.H265;
      case "VP9" -> VideoCodec.VP9;
      case "AV1" -> VideoCodec.AV1;
      default -> null;
    };
  }

  private static AudioCodec audioCodec(String codec) {
    return switch (codec.toLowerCase(Locale.ROOT)) {
      case "aac" -> AudioCodec.AAC;
      case "mp3" -> AudioCodec.MP3;
      case "opus" -> AudioCodec.OPUS;
      case "vorbis" -> AudioCodec.VORBIS;
      case "flac" -> AudioCodec.FLAC;
      default -> null;
    };
  }

  private static Gravity gravity(String pos) throws Invalid {
    return switch (pos) {
      case "TopLeft" -> Gravity.NORTH_WEST;
      case "Top" -> Gravity.NORTH;
      case "TopRight" -> Gravity.NORTH_EAST;
      case "Left" -> Gravity.WEST;
      case "Center" -> Gravity.CENTER;
      case "Right" -> Gravity.EAST;
      case "BottomLeft" -> Gravity.SOUTH_WEST;
      case "Bottom" -> Gravity.SOUTH;
      case "BottomRight" -> Gravity.SOUTH_EAST;
      default -> throw new Invalid("Watermark.Pos " + pos + " is not one of the nine positions.");
    };
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "CosJobs" + Arrays.asList(jobs.size());
  }
}
