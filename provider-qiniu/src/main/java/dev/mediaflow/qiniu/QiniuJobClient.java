package dev.mediaflow.qiniu;

import dev.mediaflow.MediaServiceException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.Concat;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.DocumentConversion;
import dev.mediaflow.op.DocumentTarget;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.RawOperation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.op.Watermark;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
import dev.mediaflow.pipeline.VendorRequest;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.UploadProtocol;
import dev.mediaflow.spi.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Qiniu pfop: one job per pipeline, its outputs as {@code ;}-separated fops, submitted with {@code POST /pfop/}
 * and read back with {@code GET /status/get/prefop}. Thread-safe.
 */
final class QiniuJobClient implements ProviderClient, QiniuOperations {
  static final String ID = QiniuFopRenderer.ID;
  private static final MediaType FORM = MediaType.get(QiniuAuth.FORM);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** Qiniu bucket names: letters, digits, '-' and '_', at most 63. */
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  private static final Capabilities CAPABILITIES = Capabilities.builder(ID)
      .operations(Transcode.class, AudioTranscode.class, Snapshot.class, Animation.class, Concat.class,
          DocumentConversion.class, ImageResize.class, Watermark.class, RawOperation.class)
      .containers(EnumSet.allOf(Container.class))
      .videoCodecs(EnumSet.of(VideoCodec.H264, VideoCodec.H265, VideoCodec.VP9, VideoCodec.COPY))
      .audioCodecs(EnumSet.of(AudioCodec.AAC, AudioCodec.MP3, AudioCodec.OPUS, AudioCodec.VORBIS, AudioCodec.COPY,
          AudioCodec.NONE))
      .audioFormats(EnumSet.of(AudioFormat.MP3, AudioFormat.AAC, AudioFormat.M4A, AudioFormat.FLAC, AudioFormat.OGG,
          AudioFormat.OPUS, AudioFormat.WAV, AudioFormat.AMR))
      .imageFormats(EnumSet.of(ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.GIF, ImageFormat.BMP,
          ImageFormat.TIFF))
      .animationFormats(EnumSet.of(AnimationFormat.GIF, AnimationFormat.WEBP))
      .documentTargets(EnumSet.of(DocumentTarget.PDF, DocumentTarget.JPG))
      .fitModes(EnumSet.of(FitMode.FIT, FitMode.CROP, FitMode.STRETCH))
      .options(Capabilities.OPTIONS) // pfop's pipeline, force and type=1
      .notifyUrl(true)
      .maxConcatInputs(20)
      .build();

  private final QiniuSettings settings;
  private final QiniuFopRenderer renderer;
  private final HttpCalls http;
  private final Clock clock;
  private final QiniuUploads uploads;

  QiniuJobClient(QiniuSettings settings, OkHttpClient http, RetryPolicy retry, Clock clock) {
    // A part may take longer than any whole-call limit: uploads keep only the read/write stall timeouts.
    this(settings, new HttpCalls(ID, http, retry, QiniuJobClient::error, clock), clock,
        new HttpCalls(ID, http.newBuilder().callTimeout(java.time.Duration.ZERO).build(), retry, QiniuJobClient::error, clock));
  }

  QiniuJobClient(QiniuSettings settings, HttpCalls http, Clock clock) {
    this(settings, http, clock, http);
  }

  private QiniuJobClient(QiniuSettings settings, HttpCalls http, Clock clock, HttpCalls uploadCalls) {
    this.settings = settings;
    this.renderer = new QiniuFopRenderer(o -> settings.url(o, "watermark images and concat inputs"));
    this.http = http;
    this.clock = clock;
    this.uploads = new QiniuUploads(this, settings, uploadCalls, clock);
  }

  @Override
  public Optional<UploadProtocol> uploads() {
    return Optional.of(uploads);
  }

  @Override
  public String providerId() {
    return ID;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  // ---- rendering

  /** The pfop form of a pipeline: every value validated and encoded before anything is sent. */
  private Map<String, String> form(Pipeline p) {
    bucket(p.source(), "source");
    List<String> fops = new ArrayList<>();
    for (int i = 0; i < p.outputs().size(); i++) {
      Output out = p.outputs().get(i);
      String at = "outputs[" + i + "]";
      out.saveAs().ifPresent(t -> bucket(t, at + ".saveAs"));
      for (int s = 0; s < out.steps().size(); s++) {
        if (out.steps().get(s) instanceof Concat c) {
          for (int k = 0; k < c.inputs().size(); k++) {
            bucket(c.inputs().get(k), at + ".steps[" + s + "].inputs[" + k + "]");
          }
        }
      }
      fops.add(renderer.output(out));
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("bucket", p.source().bucket());
    form.put("key", p.source().key());
    form.put("fops", String.join(";", fops));
    p.notification().flatMap(n -> n.url()).ifPresent(u -> form.put("notifyURL", u.toString()));
    options(form, p.options());
    return form;
  }

  private static void options(Map<String, String> form, ProviderOptions o) {
    o.force().filter(f -> f).ifPresent(f -> form.put("force", "1"));
    o.idleTime().filter(f -> f).ifPresent(f -> form.put("type", "1"));
    o.queue().ifPresent(q -> form.put("pipeline", q));
  }

  private static void bucket(MediaObject o, String field) {
    if (!BUCKET.matcher(o.bucket()).matches()) {
      throw new MediaValidationException(field + ".bucket",
          "a Qiniu bucket name has 1 to 63 letters, digits, '-' and '_', was \"" + o.bucket() + "\"");
    }
  }

  /**
   * Form-encodes as the official SDK's OkHttp 3 {@code FormBody} does, byte for byte: letters, digits and
   * {@code * - . _} stay, everything else (space included) becomes {@code %XX} of its UTF-8 bytes.
   */
  static byte[] encode(Map<String, String> form) {
    StringBuilder s = new StringBuilder();
    form.forEach((k, v) -> {
      if (s.length() > 0) {
        s.append('&');
      }
      percent(s, k);
      s.append('=');
      percent(s, v);
    });
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void percent(StringBuilder s, String value) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '.' || c == '_') {
        s.append((char) c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  private HttpUrl pfopUrl() {
    return settings.api().newBuilder().addPathSegment("pfop").addPathSegment("").build();
  }

  @Override
  public List<VendorRequest> render(Pipeline pipeline) {
    Map<String, String> form = form(pipeline);
    return List.of(new VendorRequest(form.get("fops"), "POST", pfopUrl().toString(),
        Map.of("Content-Type", QiniuAuth.FORM), new String(encode(form), StandardCharsets.UTF_8),
        IntStream.range(0, pipeline.outputs().size()).boxed().toList()));
  }

  // ---- submitting

  @Override
  public JobId submit(Pipeline pipeline) {
    return pfop(form(pipeline));
  }

  @Override
  public JobId submitWorkflow(MediaObject source, String templateId, Optional<String> notifyUrl, ProviderOptions options) {
    bucket(source, "source");
    if (templateId == null || !templateId.matches("[A-Za-z0-9_.-]{1,128}")) {
      throw new MediaValidationException("workflowTemplateID", "must be the template id from Qiniu's console, was \"" + templateId + "\"");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("bucket", source.bucket());
    form.put("key", source.key());
    notifyUrl.ifPresent(u -> form.put("notifyURL", dev.mediaflow.pipeline.Notify.url(u).toString()));
    options(form, options);
    form.put("workflowTemplateID", templateId);
    return pfop(form);
  }

  private JobId pfop(Map<String, String> form) {
    byte[] body = encode(form);
    Request request = signed(new Request.Builder().url(pfopUrl()).post(RequestBody.create(body, FORM)), "POST", pfopUrl(),
        QiniuAuth.FORM, body, true);
    HttpCalls.Reply reply = http.submit(request);
    String id = jsonString(reply, "persistentId");
    if (id == null || id.isEmpty()) {
      throw new MediaServiceException(ID, reply.code(), "BadResponse", reply.headers().get("X-Reqid"),
          "pfop answered without a persistentId: " + abbreviate(reply.text()), true);
    }
    return JobId.of(ID, id);
  }

  // ---- status

  @Override
  public JobStatus status(JobId id) {
    HttpUrl url = settings.api().newBuilder().addPathSegments("status/get/prefop").addQueryParameter("id", id.vendorId()).build();
    Request request = signed(new Request.Builder().url(url).get(), "GET", url, null, null, settings.signStatus());
    HttpCalls.Reply reply = http.read(request);
    return QiniuStatus.parse(QiniuStatus.json(reply.body(), "prefop response"), id, clock.instant());
  }

  /**
   * Qiniu's {@code stat} of {@code o}: {@code POST /stat/<EncodedEntryURI>} on the rs host, signed as pfop is
   * (java-sdk {@code BucketManager.stat}). Returns its {@code fsize}, {@code hash}, {@code mimeType} and
   * {@code putTime}, or empty when there is no such object (612). Read-only, so retried like a status read.
   */
  Optional<com.google.gson.JsonObject> stat(MediaObject o) {
    HttpUrl url = settings.rs().newBuilder().addPathSegment("stat").addPathSegment(QiniuFopRenderer.entry(o)).build();
    byte[] body = new byte[0];
    Request request = signed(new Request.Builder().url(url).post(RequestBody.create(body, FORM)), "POST", url,
        QiniuAuth.FORM, body, true);
    try {
      HttpCalls.Reply reply = http.read(request);
      return Optional.of(reply.json().orElseThrow(() -> new MediaServiceException(ID, reply.code(), "BadResponse",
          reply.headers().get("X-Reqid"), "stat answered no JSON object: " + abbreviate(reply.text()))));
    } catch (MediaServiceException e) {
      if (e.httpStatus() == 612) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public JobStatus parseNotification(byte[] body) {
    var json = QiniuStatus.json(body, "notification");
    return QiniuStatus.parse(json, JobId.of(ID, json.get("id").getAsString()), clock.instant());
  }

  @Override
  public JobStatus confirmNotification(byte[] body) {
    return status(parseNotification(body).id());
  }

  // ---- tokens

  @Override
  public QiniuAuth auth() {
    return settings.auth();
  }

  @Override
  public String uploadToken(QiniuPutPolicy policy) {
    return settings.auth().uploadToken(policy);
  }

  @Override
  public String uploadToken(MediaObject target, Optional<Pipeline> onUpload, Duration validFor) {
    bucket(target, "target");
    QiniuPutPolicy.Builder b = QiniuPutPolicy.builder(target.bucket()).key(target.key())
        .deadline(clock.instant().plus(validFor));
    onUpload.ifPresent(p -> {
      if (!p.source().equals(target)) {
        throw new MediaValidationException("source", "the pipeline run on upload must start from the uploaded object "
            + target + ", was " + p.source());
      }
      CAPABILITIES.check(p);
      b.process(render(p), p);
    });
    return uploadToken(b.build());
  }

  // ---- signing and errors

  private Request signed(Request.Builder b, String method, HttpUrl url, String contentType, byte[] body, boolean sign) {
    if (!sign) {
      return b.build();
    }
    if (settings.qbox()) {
      return b.header("Authorization", "QBox " + settings.auth().signQBox(url.toString(), contentType, body)).build();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    if (settings.timestamp()) {
      String date = DATE.format(clock.instant());
      b.header("X-Qiniu-Date", date);
      headers.put("X-Qiniu-Date", List.of(date));
    }
    return b.header("Authorization", "Qiniu " + settings.auth().signQiniu(method, url.toString(), headers, body)).build();
  }

  /** Qiniu's error body is {@code {"error":"..."}}; its request id is the {@code X-Reqid} header. */
  static MediaServiceException error(HttpCalls.Reply reply) {
    String message = jsonString(reply, "error");
    if (message == null) {
      message = abbreviate(reply.text());
    }
    return new MediaServiceException(ID, reply.code(), code(reply.code()), reply.headers().get("X-Reqid"), message);
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "BadRequest";
      case 401 -> "BadToken";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 429 -> "TooManyRequests";
      case 599 -> "ServerError";
      case 612 -> "NoSuchEntry";
      case 614 -> "EntryExists";
      case 631 -> "NoSuchBucket";
      default -> String.valueOf(status);
    };
  }

  private static String jsonString(HttpCalls.Reply reply, String field) {
    return reply.json().filter(o -> o.has(field) && o.get(field).isJsonPrimitive())
        .map(o -> o.get(field).getAsString()).orElse(null);
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  @Override
  public String toString() {
    return "QiniuJobClient{" + settings + "}";
  }
}
