package dev.mediaflow.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.UnsupportedMediaOperationException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.job.WatchPolicy;
import dev.mediaflow.notify.InboundRequest;
import dev.mediaflow.notify.IntakeResult;
import dev.mediaflow.notify.JobEvent;
import dev.mediaflow.notify.NotificationReceiver;
import dev.mediaflow.op.Animation;
import dev.mediaflow.op.AnimationFormat;
import dev.mediaflow.op.AudioFormat;
import dev.mediaflow.op.AudioTranscode;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Operation;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Notify;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.RetryPolicy;
import dev.mediaflow.upload.KeyName;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every provider passes, ours or a user's, against a back end that runs
 * pipelines for real: every operation either runs and makes real media or is refused before any
 * request, as the provider's capabilities say; its URLs are served and its refusals are honoured;
 * its upload grants store exactly the file and hold their limits; and where the vendor pushes, a
 * push ends a watched job without waiting for a poll. Nothing here branches on a provider: what
 * differs comes from the {@link ConformanceFixture}, the capabilities and the facets.
 *
 * <pre>{@code
 * class AcmeConformanceTest extends ConformanceSuite {
 *   @RegisterExtension static final FakeAcmeServer acme = ...; // executing through FFmpeg
 *   protected ConformanceFixture fixture() { return new AcmeConformanceFixture(acme); }
 * }
 * }</pre>
 *
 * <p>Vendor details (error codes, wire formats, signatures against the vendor's SDK) stay in the
 * provider's own tests; the {@link WireContractTest}, {@link UploadContractTest} and {@link
 * MediaProviderContractTest} cover the job wire, uploads with faults and the model itself.
 */
public abstract class ConformanceSuite {
  /** How long a real job may take. */
  protected static final Duration WAIT = Duration.ofMinutes(2);

  /** A key with characters that URLs, forms and signatures each treat specially. */
  protected static final String AWKWARD_KEY = "conformance/猫 #1?|&e=1 100%+;=.jpg";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Back ends whose sample media were written already (they outlive a test instance). */
  private static final Set<FakeService> PREPARED =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private final List<AutoCloseable> closing = new ArrayList<>();

  /** Returns the fixture of the provider under test. */
  protected abstract ConformanceFixture fixture();

  /** The 640x480 JPEG every image test starts from. */
  protected final MediaObject photo() {
    return MediaObject.of(fixture().bucket(), "conformance/photo.jpg");
  }

  /** The 320x240, two-second clip every video test starts from. */
  protected final MediaObject clip() {
    return MediaObject.of(fixture().bucket(), "conformance/clip.mp4");
  }

  @BeforeEach
  protected void prepareMedia() {
    FakeService service = fixture().service();
    if (PREPARED.contains(service)) {
      return;
    }
    service.put(photo(), jpeg(640, 480));
    service.put(MediaObject.of(fixture().bucket(), AWKWARD_KEY), jpeg(64, 48));
    fixture().writeClip(clip(), 320, 240, Duration.ofSeconds(2));
    PREPARED.add(service);
  }

  @AfterEach
  protected void closeAll() throws Exception {
    Collections.reverse(closing);
    for (AutoCloseable c : closing) {
      c.close();
    }
    closing.clear();
  }

  /** Returns a client on the fixture's back end with {@code overrides}, closed after the test. */
  protected MediaClient client(Map<String, String> overrides, Clock clock, WatchPolicy policy) {
    Map<String, String> settings = new HashMap<>(fixture().service().clientSettings());
    settings.putAll(overrides);
    MediaClient media =
        MediaClient.builder()
            .config(MediaConfig.fromMap(settings))
            .clock(clock)
            .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(10), Duration.ofMillis(50)))
            .watchPolicy(policy)
            .build();
    closing.add(media);
    return media;
  }

  /** Returns a client on the fixture's back end that polls fast. */
  protected MediaClient client() {
    return client(Map.of(), Clock.systemUTC(), fastPolls());
  }

  private static WatchPolicy fastPolls() {
    return WatchPolicy.defaults()
        .withInitialDelay(Duration.ofMillis(50))
        .withMaxDelay(Duration.ofMillis(250));
  }

  private static Clock hoursAgo(int hours) {
    return Clock.fixed(Instant.now().minus(Duration.ofHours(hours)), ZoneOffset.UTC);
  }

  // ---- media helpers

  /** Returns a JPEG of the given size: an orange quarter on black. */
  protected static byte[] jpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("a decodable image of %d bytes", bytes.length).isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String magic(byte[] bytes, int from, int length) {
    return bytes.length < from + length
        ? ""
        : new String(bytes, from, length, StandardCharsets.ISO_8859_1);
  }

  private static void assertImage(byte[] bytes, String format, int width, int height) {
    switch (format) {
      case "jpeg":
        assertThat(bytes[0] & 0xff).as("JPEG SOI").isEqualTo(0xFF);
        assertThat(bytes[1] & 0xff).as("JPEG SOI").isEqualTo(0xD8);
        break;
      case "png":
        assertThat(magic(bytes, 1, 3)).isEqualTo("PNG");
        break;
      case "gif":
        assertThat(magic(bytes, 0, 4)).isEqualTo("GIF8");
        break;
      default:
        throw new IllegalArgumentException(format);
    }
    BufferedImage image = decode(bytes);
    assertThat(image.getWidth()).as("width").isEqualTo(width);
    assertThat(image.getHeight()).as("height").isEqualTo(height);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** An HTTP answer, read whole. */
  protected record Fetched(int status, Map<String, List<String>> headers, byte[] body) {
    /** Returns the first value of a header, any case. */
    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
    }

    /** Returns the body as UTF-8 text, for messages. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** GETs {@code url} as a browser would follow a link, without redirects. */
  protected static Fetched get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static Fetched send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Fetched(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Uses {@code grant} as a browser does: a multipart/form-data POST of its fields (with {@code
   * replace} applied to their values) and the file, or a PUT of the file with its headers.
   */
  protected static Fetched upload(
      UploadGrant grant, Map<String, String> replace, String fileName, String type, byte[] data) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(grant.url().toString()));
    if (grant.method().equals("PUT")) {
      // exactly the headers the grant lists: a signed PUT may sign each of them, and no other
      grant.headers().forEach(request::header);
      return send(request.PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
    }
    assertThat(grant.method()).isEqualTo("POST");
    String boundary = "----conformance" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Map<String, String> fields = new LinkedHashMap<>();
    grant.fields().forEach((k, v) -> fields.put(k, replace.getOrDefault(v, v)));
    try {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        body.write(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + f.getKey()
                    + "\"\r\n\r\n"
                    + f.getValue()
                    + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + grant.fileField()
                  + "\"; filename=\""
                  + fileName
                  + "\"\r\nContent-Type: "
                  + type
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.write(data);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    grant.headers().forEach(request::header);
    request.header("Content-Type", "multipart/form-data; boundary=" + boundary);
    return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
  }

  /** Waits for the end of {@code job}, failed or not. */
  protected static JobStatus end(Job job) {
    try {
      return job.future().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long requestCount() {
    return fixture().service().requests().size();
  }

  private static void assertRefused(Fetched f) {
    // vendors answer refusals with 4xx, and Qiniu with its own 6xx codes
    assertThat(f.status()).as("refused: %s", f.text()).isGreaterThanOrEqualTo(400);
    assertThat(f.status() / 100).as("refused, not failed: %s", f.text()).isNotEqualTo(5);
  }

  /** Asserts that a refusal is one of Mediaflow's typed errors naming what was refused. */
  private static void assertNamedRefusal(MediaException e, String... names) {
    if (e instanceof MediaValidationException) {
      assertThat(((MediaValidationException) e).field()).containsAnyOf(names);
    } else {
      assertThat(e).isInstanceOf(UnsupportedMediaOperationException.class);
      UnsupportedMediaOperationException u = (UnsupportedMediaOperationException) e;
      assertThat(u.operation() + " " + u.parameter()).containsAnyOf(names);
    }
  }

  // ---- operations run for real

  /** Every operation runs and makes real media, or is refused before any request. */
  @Nested
  public class Execution {
    private record Case(String name, MediaObject source, Operation op, String ext) {}

    /**
     * The cases, with sizes every vendor's jobs take: Cloud Infinite's video, snapshot and
     * animation sides are 128 to 4096 pixels (docs/vendor-notes.md).
     */
    private List<Case> cases() {
      return List.of(
          new Case(
              "transcode",
              clip(),
              Transcode.builder()
                  .container(Container.MP4)
                  .videoCodec(VideoCodec.H264)
                  .size(192, 144)
                  .build(),
              "mp4"),
          new Case(
              "snapshot",
              clip(),
              Snapshot.builder()
                  .at(Duration.ofSeconds(1))
                  .size(192, 144)
                  .format(ImageFormat.JPG)
                  .build(),
              "jpg"),
          new Case(
              "audio",
              clip(),
              AudioTranscode.builder().format(AudioFormat.MP3).bitrate(64_000).build(),
              "mp3"),
          new Case(
              "animation",
              clip(),
              Animation.builder()
                  .format(AnimationFormat.GIF)
                  .size(176, 132)
                  .duration(Duration.ofSeconds(1))
                  .fps(5)
                  .build(),
              "gif"),
          new Case(
              "resize",
              photo(),
              ImageResize.builder().size(80, 60).fit(FitMode.CROP).format(ImageFormat.PNG).build(),
              "png"));
    }

    private void assertMedia(Case c, byte[] bytes) {
      switch (c.ext()) {
        case "mp4":
          assertThat(magic(bytes, 4, 4)).as("an MP4").isEqualTo("ftyp");
          break;
        case "jpg":
          assertImage(bytes, "jpeg", 192, 144);
          break;
        case "mp3":
          assertThat(
                  magic(bytes, 0, 3).equals("ID3")
                      || ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xE0) == 0xE0))
              .as("an MP3 (ID3 tag or frame sync)")
              .isTrue();
          assertThat(bytes.length).isGreaterThan(1000);
          break;
        case "gif":
          assertImage(bytes, "gif", 176, 132);
          break;
        case "png":
          assertImage(bytes, "png", 80, 60);
          break;
        default:
          throw new IllegalArgumentException(c.ext());
      }
    }

    @Test
    public void eachOperation_runsForReal_orIsRefusedBeforeAnyRequest_asTheCapabilitiesSay() {
      MediaClient media = client();
      List<String> ran = new ArrayList<>();
      for (Case c : cases()) {
        MediaObject target = MediaObject.of(fixture().bucket(), "conformance/out/op." + c.ext());
        Pipeline p = Pipeline.from(c.source()).then(c.op()).saveAs(target).build();
        boolean allowed;
        try {
          media.capabilities().check(p);
          allowed = true;
        } catch (UnsupportedMediaOperationException e) {
          allowed = false;
        }
        long before = requestCount();
        int jobs = fixture().service().jobCount();
        if (!allowed) {
          assertThatThrownBy(() -> media.submit(p))
              .as(c.name())
              .isInstanceOf(UnsupportedMediaOperationException.class);
          assertThat(requestCount()).as(c.name() + ": no request").isEqualTo(before);
          assertThat(fixture().service().jobCount()).as(c.name()).isEqualTo(jobs);
          continue;
        }
        JobStatus end = media.submit(p).await(WAIT);
        assertThat(end.state()).as(c.name() + ": " + end.summary()).isEqualTo(JobState.SUCCEEDED);
        assertThat(end.outputs().get(0).objects()).as(c.name()).containsExactly(target);
        byte[] bytes = fixture().service().get(target).orElseThrow();
        assertMedia(c, bytes);
        ran.add(c.name());
      }
      // every provider runs the two operations applications use most
      assertThat(ran).contains("transcode", "snapshot");
    }

    @Test
    public void oneOutputFailing_leavesTheOthers_andThePartialState() {
      MediaClient media = client();
      MediaObject good = MediaObject.of(fixture().bucket(), "conformance/out/partial-good.jpg");
      MediaObject bad = MediaObject.of(fixture().bucket(), "conformance/out/partial-bad.jpg");
      Pipeline p =
          Pipeline.from(clip())
              .then(Snapshot.builder().at(Duration.ofSeconds(1)).format(ImageFormat.JPG).build())
              .saveAs(good)
              // two seconds of clip have no frame at one minute
              .then(Snapshot.builder().at(Duration.ofMinutes(1)).format(ImageFormat.JPG).build())
              .saveAs(bad)
              .build();
      JobStatus end = end(media.submit(p));
      assertThat(end.state()).as(end.summary()).isEqualTo(JobState.PARTIAL);
      assertThat(end.outputs().get(0).state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs().get(1).state()).isEqualTo(JobState.FAILED);
      assertThat(end.outputs().get(1).message()).isNotBlank();
      assertImage(fixture().service().get(good).orElseThrow(), "jpeg", 320, 240);
      assertThat(fixture().service().get(bad)).isEmpty();
    }
  }

  // ---- delivery

  /** Signed and processing URLs are served as asked and refused when they should be. */
  @Nested
  public class Delivery {
    private boolean delivers(MediaClient media) {
      try {
        media.url(photo());
        return true;
      } catch (UnsupportedMediaOperationException e) {
        assertThat(e.operation()).isEqualTo("url");
        return false;
      }
    }

    @Test
    public void signedUrl_servesTheExactBytes_evenForAnAwkwardKey() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      MediaObject awkward = MediaObject.of(fixture().bucket(), AWKWARD_KEY);
      for (MediaObject o : List.of(photo(), awkward)) {
        Fetched f = get(media.url(o).toString());
        assertThat(f.status()).as(o + ": " + f.text()).isEqualTo(200);
        assertThat(f.body()).isEqualTo(fixture().service().get(o).orElseThrow());
      }
    }

    @Test
    public void tamperedWrongSecretAndExpiredUrls_areRefused() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      String good = media.url(photo()).toString();
      assertThat(get(good).status()).isEqualTo(200);
      String tampered = good.replace("conformance/photo", "conformance/photp");
      assertThat(tampered).isNotEqualTo(good);
      assertThat(get(tampered).status()).as("tampered").isIn(401, 403);

      MediaClient wrong = client(fixture().wrongSecret(), Clock.systemUTC(), fastPolls());
      assertThat(get(wrong.url(photo()).toString()).status()).as("wrong secret").isIn(401, 403);

      MediaClient late = client(Map.of(), hoursAgo(3), fastPolls());
      String expired =
          late.url(photo(), UrlOptions.builder().expiry(Duration.ofMinutes(5)).build()).toString();
      assertThat(get(expired).status()).as("expired").isIn(401, 403);
    }

    @Test
    public void processedImageUrl_hasTheAskedSizeAndFormat() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      String url =
          media
              .url(
                  photo(),
                  UrlOptions.builder()
                      .process(ImageResize.builder().width(160).format(ImageFormat.PNG).build())
                      .build())
              .toString();
      Fetched f = get(url);
      assertThat(f.status()).as(f.text()).isEqualTo(200);
      assertThat(f.header("Content-Type")).hasValue("image/png");
      assertImage(f.body(), "png", 160, 120);
    }

    @Test
    public void videoFrameUrl_hasTheAskedSize() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      String url =
          media
              .url(
                  clip(),
                  UrlOptions.builder()
                      .process(
                          Snapshot.builder()
                              .at(Duration.ofMillis(1500))
                              .size(160, 120)
                              .format(ImageFormat.JPG)
                              .build())
                      .build())
              .toString();
      Fetched f = get(url);
      assertThat(f.status()).as(f.text()).isEqualTo(200);
      assertThat(f.header("Content-Type")).hasValue("image/jpeg");
      assertImage(f.body(), "jpeg", 160, 120);
    }

    @Test
    public void downloadName_isTheAttachmentsName() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      Fetched f =
          get(media.url(photo(), UrlOptions.builder().downloadName("猫 1.jpg").build()).toString());
      assertThat(f.status()).as(f.text()).isEqualTo(200);
      assertThat(f.header("Content-Disposition").orElse(""))
          .contains("attachment", "filename*=UTF-8''%E7%8C%AB%201.jpg");
      assertThat(f.body()).isEqualTo(fixture().service().get(photo()).orElseThrow());
    }

    @Test
    public void anOperationAUrlCannotApply_isRefusedBeforeAnyRequest() {
      MediaClient media = client();
      if (!delivers(media)) {
        return;
      }
      long before = requestCount();
      assertThatThrownBy(
              () ->
                  media.url(
                      clip(),
                      UrlOptions.builder()
                          .process(Transcode.builder().container(Container.MP4).build())
                          .build()))
          .isInstanceOfAny(
              UnsupportedMediaOperationException.class, MediaValidationException.class);
      assertThat(requestCount()).isEqualTo(before);
    }

    @Test
    public void probe_describesAVideoAndAnImage() {
      MediaClient media = client();
      MediaInfo video;
      try {
        video = media.probe(clip());
      } catch (UnsupportedMediaOperationException e) {
        assertThat(e.operation()).isEqualTo("probe");
        return;
      }
      assertThat(video.duration().toMillis() / 1000.0).isCloseTo(2.0, within(0.1));
      assertThat(video.video()).hasSize(1);
      assertThat(video.video().get(0).codec()).isEqualTo("h264");
      assertThat(video.video().get(0).width()).isEqualTo(320);
      assertThat(video.video().get(0).height()).isEqualTo(240);
      assertThat(video.audio()).hasSize(1);
      assertThat(video.size()).isEqualTo(fixture().service().get(clip()).orElseThrow().length);
      MediaInfo image = media.probe(photo());
      assertThat(image.image()).isPresent();
      assertThat(image.image().get().width()).isEqualTo(640);
      assertThat(image.image().get().height()).isEqualTo(480);
    }
  }

  // ---- upload grants

  /** Grants store exactly the file a browser sends and hold their limits. */
  @Nested
  public class Grants {
    private Optional<UploadGrant> grant(MediaClient media, UploadGrantRequest request) {
      try {
        return Optional.of(media.grantUpload(request));
      } catch (UnsupportedMediaOperationException e) {
        assertThat(e.operation()).isEqualTo("grantUpload");
        return Optional.empty();
      }
    }

    private MediaObject key(String name) {
      return MediaObject.of(fixture().bucket(), "conformance/up/" + name);
    }

    @Test
    public void grantForAKey_storesTheExactFile() {
      MediaClient media = client();
      MediaObject target = key("exact.bin");
      Optional<UploadGrant> g = grant(media, UploadGrantRequest.builder().key(target).build());
      if (g.isEmpty()) {
        return;
      }
      byte[] data = random(70_001, 1);
      Fetched f = upload(g.get(), Map.of(), "exact.bin", "application/octet-stream", data);
      assertThat(f.status()).as(f.text()).isBetween(200, 299);
      assertThat(fixture().service().get(target)).hasValue(data);
    }

    @Test
    public void putGrant_storesTheExactFile_orIsRefusedNamingTheMethod() {
      MediaClient media = client();
      MediaObject target = key("put.bin");
      UploadGrantRequest request =
          UploadGrantRequest.builder().key(target).method(UploadGrantRequest.Method.PUT).build();
      UploadGrant g;
      try {
        g = media.grantUpload(request);
      } catch (UnsupportedMediaOperationException | MediaValidationException e) {
        assertNamedRefusal(e, "method", "grantUpload");
        return;
      }
      assertThat(g.method()).isEqualTo("PUT");
      byte[] data = random(5_000, 2);
      Fetched f = upload(g, Map.of(), "put.bin", "application/octet-stream", data);
      assertThat(f.status()).as(f.text()).isBetween(200, 299);
      assertThat(fixture().service().get(target)).hasValue(data);
    }

    @Test
    public void grantForOneKey_storesNothingElsewhere() {
      MediaClient media = client();
      MediaObject target = key("mine.bin");
      MediaObject other = key("theirs.bin");
      Optional<UploadGrant> g = grant(media, UploadGrantRequest.builder().key(target).build());
      if (g.isEmpty()) {
        return;
      }
      boolean inFields = g.get().fields().containsValue(target.key());
      UploadGrant tampered =
          inFields
              ? g.get()
              : new UploadGrant(
                  URI.create(
                      g.get()
                          .url()
                          .toString()
                          .replace(
                              "conformance/up/mine.bin".replace("/", "%2F"),
                              "conformance/up/theirs.bin".replace("/", "%2F"))
                          .replace("conformance/up/mine.bin", "conformance/up/theirs.bin")),
                  g.get().method(),
                  g.get().fields(),
                  g.get().headers(),
                  g.get().fileField(),
                  g.get().expiresAt(),
                  g.get().minSize(),
                  g.get().maxSize(),
                  g.get().contentTypes());
      assertThat(inFields || !tampered.url().equals(g.get().url()))
          .as("the key is in the grant's fields or URL")
          .isTrue();
      Fetched f =
          upload(
              tampered,
              Map.of(target.key(), other.key()),
              "theirs.bin",
              "application/octet-stream",
              random(100, 3));
      assertRefused(f);
      assertThat(fixture().service().get(other)).isEmpty();
      assertThat(fixture().service().get(target)).isEmpty();
    }

    @Test
    public void expiredGrant_isRefused_andStoresNothing() {
      MediaClient late = client(Map.of(), hoursAgo(2), fastPolls());
      MediaObject target = key("late.bin");
      Optional<UploadGrant> g =
          grant(
              late,
              UploadGrantRequest.builder().key(target).expiry(Duration.ofMinutes(10)).build());
      if (g.isEmpty()) {
        return;
      }
      assertRefused(
          upload(g.get(), Map.of(), "late.bin", "application/octet-stream", random(10, 4)));
      assertThat(fixture().service().get(target)).isEmpty();
    }

    @Test
    public void sizeLimits_refuseALargerFile_andStoreNothing() {
      MediaClient media = client();
      MediaObject target = key("large.bin");
      Optional<UploadGrant> g =
          grant(media, UploadGrantRequest.builder().key(target).size(1, 1024).build());
      if (g.isEmpty()) {
        return;
      }
      assertThat(g.get().maxSize()).isEqualTo(1024);
      assertRefused(
          upload(g.get(), Map.of(), "large.bin", "application/octet-stream", random(4096, 5)));
      assertThat(fixture().service().get(target)).isEmpty();
      Fetched fits =
          upload(g.get(), Map.of(), "large.bin", "application/octet-stream", random(1024, 6));
      assertThat(fits.status()).as(fits.text()).isBetween(200, 299);
    }

    @Test
    public void noOverwrite_keepsTheStoredObject_orIsRefusedNamingIt() {
      MediaClient media = client();
      MediaObject target = key("kept.bin");
      byte[] first = random(300, 7);
      fixture().service().put(target, first);
      UploadGrant g;
      try {
        g = media.grantUpload(UploadGrantRequest.builder().key(target).overwrite(false).build());
      } catch (UnsupportedMediaOperationException | MediaValidationException e) {
        assertNamedRefusal(e, "overwrite");
        return;
      }
      assertRefused(upload(g, Map.of(), "kept.bin", "application/octet-stream", random(300, 8)));
      assertThat(fixture().service().get(target)).hasValue(first);
    }

    @Test
    public void prefixGrant_namedByTheFile_storesUnderThePrefix_orIsRefusedNamingKeyName() {
      MediaClient media = client();
      UploadGrant g;
      try {
        g =
            media.grantUpload(
                UploadGrantRequest.builder()
                    .keyPrefix(fixture().bucket(), "conformance/named/", KeyName.FILE_NAME)
                    .build());
      } catch (UnsupportedMediaOperationException | MediaValidationException e) {
        assertNamedRefusal(e, "keyName", "keyPrefix", "grantUpload");
        return;
      }
      byte[] data = jpeg(32, 24);
      Fetched f = upload(g, Map.of(), "holiday.jpg", "image/jpeg", data);
      assertThat(f.status()).as(f.text()).isBetween(200, 299);
      assertThat(
              fixture()
                  .service()
                  .get(MediaObject.of(fixture().bucket(), "conformance/named/holiday.jpg")))
          .hasValue(data);
    }
  }

  // ---- notifications

  /** Where the vendor pushes, a push ends a watched job at once; elsewhere targets are refused. */
  @Nested
  public class Notifications {
    private final BlockingQueue<InboundRequest> pushes = new LinkedBlockingQueue<>();
    private final BlockingQueue<IntakeResult> answers = new LinkedBlockingQueue<>();

    /** Starts a receiver handing each push to {@code media}; returns its URL. */
    private String receiver(MediaClient media) {
      try {
        NotificationReceiver r =
            NotificationReceiver.start(
                new InetSocketAddress("127.0.0.1", 0),
                "/",
                request -> {
                  pushes.add(request);
                  IntakeResult result = media.receive(request);
                  answers.add(result);
                  return result;
                });
        closing.add(r);
        return "http://127.0.0.1:" + r.port() + "/conformance/notify?tenant=a";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private Pipeline snapshot(String key, Notify notify) {
      return Pipeline.from(clip())
          .then(Snapshot.builder().at(Duration.ofSeconds(1)).format(ImageFormat.JPG).build())
          .saveAs(fixture().bucket(), key)
          .notification(notify)
          .build();
    }

    @Test
    public void push_endsTheWatchedJob_longBeforeItsFirstPoll() throws Exception {
      // a watcher that would not poll for an hour: only a push can end the job in time
      MediaClient media =
          client(
              Map.of(),
              Clock.systemUTC(),
              WatchPolicy.defaults()
                  .withMaxDelay(Duration.ofHours(1))
                  .withInitialDelay(Duration.ofHours(1)));
      String url = receiver(media);
      Optional<Notify> notify = fixture().notifyAt(url);
      if (notify.isEmpty()) {
        assertTargetsRefused(media);
        return;
      }
      Job job = media.submit(snapshot("conformance/out/pushed.jpg", notify.get()));
      JobStatus end = end(job);
      assertThat(end.state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs().get(0).objects())
          .containsExactly(MediaObject.of(fixture().bucket(), "conformance/out/pushed.jpg"));
      IntakeResult answer = answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer).isNotNull();
      assertThat(answer.status()).isBetween(200, 299);
      assertThat(answer.events()).hasSize(1);
      assertThat(answer.events().get(0).status().id().vendorIds()).isEqualTo(job.id().vendorIds());
    }

    @Test
    public void pushes_endAThreeOutputJob_longBeforeItsSecondPoll() throws Exception {
      // a vendor may push once per job or once per vendor job (one per output): either way the
      // pushes end the job, as a watcher that would not poll again for an hour shows
      MediaClient media =
          client(
              Map.of(),
              Clock.systemUTC(),
              WatchPolicy.defaults()
                  .withMaxDelay(Duration.ofHours(1))
                  .withInitialDelay(Duration.ofHours(1)));
      String url = receiver(media);
      Optional<Notify> notify = fixture().notifyAt(url);
      if (notify.isEmpty()) {
        assertTargetsRefused(media);
        return;
      }
      List<MediaObject> targets = new ArrayList<>();
      Pipeline.Builder p = Pipeline.from(clip());
      for (int i = 0; i < 3; i++) {
        MediaObject target =
            MediaObject.of(fixture().bucket(), "conformance/out/parts-" + i + ".jpg");
        targets.add(target);
        p.then(
                Snapshot.builder()
                    .at(Duration.ofMillis(250 + 500L * i))
                    .format(ImageFormat.JPG)
                    .build())
            .saveAs(target);
      }
      Job job = media.submit(p.notification(notify.get()).build());
      JobStatus end = end(job);
      assertThat(end.state()).as(end.summary()).isEqualTo(JobState.SUCCEEDED);
      assertThat(end.outputs()).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(end.outputs().get(i).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(end.outputs().get(i).objects()).containsExactly(targets.get(i));
      }
      IntakeResult answer;
      while ((answer = answers.poll()) != null) {
        assertThat(answer.status()).isBetween(200, 299);
      }
    }

    @Test
    public void tamperedOrReplayedPush_neverSaysWhatTheVendorDidNot() throws Exception {
      MediaClient media = client();
      String url = receiver(media);
      Optional<Notify> notify = fixture().notifyAt(url);
      if (notify.isEmpty()) {
        assertTargetsRefused(media);
        return;
      }
      Job job = media.submit(snapshot("conformance/out/replayed.jpg", notify.get()));
      InboundRequest genuine = pushes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(genuine).as("a push").isNotNull();
      IntakeResult first = answers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      JobStatus end = job.await(WAIT);
      assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
      List<JobEvent> genuineEvents = first.events();
      assertThat(genuineEvents).hasSize(1);

      // the same push again: the intake may answer it, but it carries the same message id, and
      // the client reports nothing new
      IntakeResult replay = media.notifications().receive(genuine);
      for (JobEvent e : replay.events()) {
        assertThat(e.messageId()).isEqualTo(genuineEvents.get(0).messageId());
      }
      assertThat(media.receive(genuine).events()).isEmpty();

      // one byte changed anywhere in the body: refused, or confirmed by the vendor's own answer
      byte[] body = genuine.body();
      for (int at : new int[] {body.length / 3, body.length / 2, body.length - 2}) {
        byte[] changed = Arrays.copyOf(body, body.length);
        changed[at] = (byte) (changed[at] == 'x' ? 'y' : 'x');
        IntakeResult r =
            media
                .notifications()
                .receive(
                    InboundRequest.of(genuine.method(), genuine.uri(), genuine.headers(), changed));
        for (JobEvent e : r.events()) {
          assertThat(e.status().id().vendorIds()).isEqualTo(job.id().vendorIds());
          assertThat(e.status().state()).isEqualTo(end.state());
          assertThat(e.status().outputs().get(0).objects())
              .isEqualTo(end.outputs().get(0).objects());
        }
      }
    }

    private void assertTargetsRefused(MediaClient media) {
      assertThat(media.capabilities().notifiesUrl()).isFalse();
      assertThat(media.capabilities().notifiesTopic()).isFalse();
      long before = requestCount();
      assertThatThrownBy(
              () ->
                  media.submit(
                      snapshot("conformance/out/never.jpg", Notify.url("http://127.0.0.1:9/n"))))
          .isInstanceOf(UnsupportedMediaOperationException.class);
      assertThat(requestCount()).isEqualTo(before);
    }
  }
}
