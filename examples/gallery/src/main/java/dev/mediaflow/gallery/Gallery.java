package dev.mediaflow.gallery;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.delivery.MediaInfo;
import dev.mediaflow.job.Job;
import dev.mediaflow.job.JobState;
import dev.mediaflow.job.JobStatus;
import dev.mediaflow.op.AudioCodec;
import dev.mediaflow.op.Container;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.op.Size;
import dev.mediaflow.op.Snapshot;
import dev.mediaflow.op.Transcode;
import dev.mediaflow.op.VideoCodec;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.spi.Capabilities;
import dev.mediaflow.upload.UploadGrant;
import dev.mediaflow.upload.UploadGrantRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * The gallery: hands out upload grants, submits the pipeline once a file is stored, follows each
 * job to its end and tells the item's listeners (the pages' event streams) of every change.
 *
 * <p>Items live in memory, newest first; a restart starts an empty gallery (the objects stay in the
 * bucket). Thread-safe.
 */
@Service
class Gallery implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(Gallery.class);
  private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,8}$");

  /** The height of the 720p rendition and the poster; the width follows the source's shape. */
  private static final int HEIGHT_720P = 720;

  /** The width of the thumbnail the pipeline makes; URLs resize it for the page. */
  private static final int THUMBNAIL_SOURCE_WIDTH = 480;

  private final MediaClient media;
  private final GalleryProperties settings;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Item> items = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final Map<String, List<ItemListener>> listeners = new ConcurrentHashMap<>();

  /** Job changes arrive on the watcher's threads; the work they cause runs here. */
  private final ExecutorService work =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "gallery-work");
            t.setDaemon(true);
            return t;
          });

  /** Hears an item's changes. */
  interface ItemListener {
    /** Called with the item after each change; returns false to stop listening. */
    boolean changed(Item item);
  }

  /** A new item and the grant its file is uploaded with. */
  record Upload(Item item, UploadGrant grant) {}

  Gallery(MediaClient media, GalleryProperties settings) {
    this.media = media;
    this.settings = settings;
  }

  /**
   * Starts an item for a file the browser is about to upload: a grant for exactly its object, its
   * size and its type.
   *
   * @throws MediaValidationException for a file that is not a video or an image, or too large
   */
  Upload start(String name, String contentType, long size) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
    if (!(type.startsWith("video/") || type.startsWith("image/")) || type.contains(",")) {
      throw new MediaValidationException(
          "type", "pick a video or an image (the file's type was \"" + type + "\")");
    }
    long max = settings.maxUploadSize().toBytes();
    if (size < 1 || size > max) {
      throw new MediaValidationException(
          "size", "a file of 1 byte to " + max + " bytes, was " + size + " bytes");
    }
    String fileName = name == null || name.isBlank() ? "upload" : name.strip();
    String id = HexFormat.of().formatHex(bytes());
    var m = EXTENSION.matcher(fileName);
    String extension = m.find() ? m.group().toLowerCase(Locale.ROOT) : "";
    MediaObject source =
        MediaObject.of(settings.bucket(), "uploads/" + id + "/original" + extension);
    UploadGrant grant =
        media.grantUpload(
            UploadGrantRequest.builder()
                .key(source)
                .size(1, max)
                .contentTypes(type)
                .expiry(Duration.ofMinutes(15))
                .build());
    Item item =
        new Item(
            id,
            fileName,
            type,
            source,
            Item.State.UPLOADING,
            -1,
            "",
            "",
            "",
            Map.of(),
            List.of("granted an upload of " + size + " bytes to " + source));
    items.put(id, item);
    order.add(0, id);
    return new Upload(item, grant);
  }

  private byte[] bytes() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return b;
  }

  /**
   * Takes the browser's word that the file is stored: reads its media info (which also shows that
   * it is there), submits the pipeline and follows its job.
   *
   * @param notifyBase where the provider reaches this application, such as {@code
   *     http://127.0.0.1:8080}, for providers that notify a URL
   * @param notifyPath the path of the notification endpoint
   */
  synchronized Item uploaded(String id, String notifyBase, String notifyPath) {
    Item item = require(id);
    if (item.state() != Item.State.UPLOADING) {
      return item;
    }
    MediaInfo info;
    try {
      info = media.probe(item.source());
    } catch (MediaException e) {
      return update(
          id,
          i ->
              i.ended(
                  Item.State.FAILED,
                  "",
                  "the upload is not readable: " + e.getMessage(),
                  "probe failed"));
    }
    Pipeline pipeline;
    Job job;
    try {
      pipeline = pipeline(item, info, notifyBase + notifyPath);
      job = media.submit(pipeline, "gallery:" + id);
    } catch (MediaException e) {
      return update(
          id, i -> i.ended(Item.State.FAILED, "", e.getMessage(), "the submission failed"));
    }
    String notifies =
        pipeline
            .notification()
            .map(
                n ->
                    ", notifying "
                        + n.url().map(Object::toString).orElse("topic " + n.topic().orElse("")))
            .orElse("");
    Item submitted =
        update(
            id,
            i ->
                i.with(Item.State.UPLOADING, "uploaded; " + describe(info))
                    .withJob(
                        job.id().toString(),
                        summary(info),
                        "submitted job "
                            + job.id()
                            + " ("
                            + pipeline.outputs().size()
                            + " outputs"
                            + notifies
                            + ")"));
    job.future((previous, current) -> work.execute(() -> progress(id, previous, current)))
        .whenCompleteAsync((status, error) -> ended(id, status, error), work);
    return submitted;
  }

  /** The typed pipeline: a 720p MP4, a poster frame and a thumbnail, or the thumbnail alone. */
  private Pipeline pipeline(Item item, MediaInfo info, String notifyUrl) {
    Pipeline.Builder b = Pipeline.from(item.source());
    if (item.isVideo()) {
      // The frame one second in, or halfway through a shorter clip.
      long ms = info.duration().toMillis();
      Duration at = Duration.ofMillis(ms >= 2000 || ms == 0 ? Math.min(1000, ms) : ms / 2);
      // Both sides, as every provider can take them (OSS needs both): 720 high, the width as the
      // source's shape says.
      Size hd = sized(info, 0, HEIGHT_720P);
      Size small = sized(info, THUMBNAIL_SOURCE_WIDTH, 0);
      Transcode.Builder mp4 =
          Transcode.builder().container(Container.MP4).videoCodec(VideoCodec.H264).size(hd);
      if (!info.audio().isEmpty()) {
        mp4.audioCodec(AudioCodec.AAC);
      }
      b.then(mp4.build())
          .saveAs(item.video())
          .then(
              Snapshot.builder()
                  .at(at)
                  .size(hd.width(), hd.height())
                  .format(ImageFormat.JPG)
                  .build())
          .saveAs(item.poster())
          .then(
              Snapshot.builder()
                  .at(at)
                  .size(small.width(), small.height())
                  .format(ImageFormat.JPG)
                  .build())
          .saveAs(item.thumbnail());
    } else {
      b.then(ImageResize.builder().width(THUMBNAIL_SOURCE_WIDTH).format(ImageFormat.JPG).build())
          .saveAs(item.thumbnail());
    }
    Capabilities can = media.capabilities();
    if (can.notifiesUrl()) {
      b.notifyUrl(notifyUrl);
    } else if (can.notifiesTopic()) {
      b.notifyTopic(settings.notifyTopic());
    }
    return b.build();
  }

  /**
   * Returns the size with {@code width} (or, when 0, {@code height}) that keeps the video's shape,
   * both sides even, as H.264 needs; the one side given alone when the shape is unknown.
   */
  private static Size sized(MediaInfo info, int width, int height) {
    if (info.video().isEmpty()) {
      return new Size(width, height);
    }
    MediaInfo.VideoStream v = info.video().get(0);
    boolean turned = v.rotation() == 90 || v.rotation() == 270;
    int w = turned ? v.height() : v.width();
    int h = turned ? v.width() : v.height();
    if (w <= 0 || h <= 0) {
      return new Size(width, height);
    }
    return width > 0
        ? Size.of(width, even((double) width * h / w))
        : Size.of(even((double) height * w / h), height);
  }

  private static int even(double side) {
    return Math.max(2, 2 * (int) Math.round(side / 2));
  }

  private void progress(String id, JobStatus previous, JobStatus current) {
    update(
        id,
        i -> {
          if (i.state().isTerminal() || current.isTerminal()) {
            return i; // the end is told once the job's future completes
          }
          int percent = current.progress().orElse(i.progress());
          boolean newState = previous == null || previous.state() != current.state();
          String line =
              newState
                  ? "job " + current.state().name().toLowerCase(Locale.ROOT) + percent(current)
                  : "";
          return i.withProgress(percent, line);
        });
  }

  private static String percent(JobStatus s) {
    return s.progress().isPresent() ? " " + s.progress().getAsInt() + "%" : "";
  }

  private void ended(String id, JobStatus status, Throwable error) {
    if (error != null) {
      log.warn("Job of gallery item {} could not be followed", id, error);
      update(
          id, i -> i.ended(Item.State.FAILED, "", String.valueOf(error.getMessage()), "job lost"));
      return;
    }
    // A status that a notification carried says how it was verified; a status read does not.
    String verifiedBy = status.details().get("verifiedBy");
    String how = verifiedBy == null ? "status read" : "notification, verified by " + verifiedBy;
    if (status.state() != JobState.SUCCEEDED) {
      update(
          id,
          i ->
              i.ended(
                  Item.State.FAILED,
                  how,
                  status.summary(),
                  "job " + status.state().name().toLowerCase(Locale.ROOT) + " (" + how + ")"));
      return;
    }
    Item item = require(id);
    Map<String, String> info = new LinkedHashMap<>(item.info());
    if (item.isVideo()) {
      try {
        MediaInfo mp4 = media.probe(item.video());
        info.put("720p MP4", describe(mp4));
      } catch (MediaException e) {
        log.warn("Cannot read the media info of {}", item.video(), e);
      }
    }
    update(
        id,
        i ->
            new Item(
                    i.id(),
                    i.name(),
                    i.contentType(),
                    i.source(),
                    i.state(),
                    i.progress(),
                    i.jobId(),
                    i.endedBy(),
                    i.message(),
                    info,
                    i.log())
                .ended(Item.State.READY, how, "", "job succeeded (" + how + ")"));
  }

  /** The media info the page lists: label and value. */
  private static Map<String, String> summary(MediaInfo info) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", info.format());
    if (!info.duration().isZero()) {
      m.put("duration", String.format(Locale.ROOT, "%.2f s", info.duration().toMillis() / 1000.0));
    }
    m.put("size", info.size() + " bytes");
    if (info.bitrate() > 0) {
      m.put("bitrate", info.bitrate() / 1000 + " kbit/s");
    }
    info.image()
        .ifPresent(img -> m.put("image", img.width() + "x" + img.height() + " " + img.format()));
    if (info.image().isEmpty() && !info.video().isEmpty()) {
      MediaInfo.VideoStream v = info.video().get(0);
      m.put(
          "video",
          v.width()
              + "x"
              + v.height()
              + " "
              + v.codec()
              + (v.frameRate() > 0 ? String.format(Locale.ROOT, " %.3g fps", v.frameRate()) : ""));
    }
    if (!info.audio().isEmpty()) {
      MediaInfo.AudioStream a = info.audio().get(0);
      m.put("audio", a.codec() + " " + a.sampleRate() + " Hz, " + a.channels() + " ch");
    }
    return m;
  }

  private static String describe(MediaInfo info) {
    List<String> parts = new ArrayList<>();
    info.image().ifPresent(img -> parts.add(img.width() + "x" + img.height()));
    if (info.image().isEmpty() && !info.video().isEmpty()) {
      MediaInfo.VideoStream v = info.video().get(0);
      parts.add(v.width() + "x" + v.height() + " " + v.codec());
    }
    if (!info.duration().isZero()) {
      parts.add(String.format(Locale.ROOT, "%.2f s", info.duration().toMillis() / 1000.0));
    }
    parts.add(info.size() + " bytes");
    return String.join(", ", parts);
  }

  /** Returns the items, newest first. */
  List<Item> items() {
    List<Item> all = new ArrayList<>();
    for (String id : order) {
      Item i = items.get(id);
      if (i != null) {
        all.add(i);
      }
    }
    return all;
  }

  Optional<Item> item(String id) {
    return Optional.ofNullable(items.get(id));
  }

  private Item require(String id) {
    Item i = items.get(id);
    if (i == null) {
      throw new MediaValidationException("id", "no gallery item " + id);
    }
    return i;
  }

  /**
   * Adds a listener to an item; it hears the item at once, then after each change, until the item
   * is ready or failed.
   */
  void listen(String id, ItemListener listener) {
    Item now = require(id);
    listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
    work.execute(
        () -> {
          Item latest = items.getOrDefault(id, now);
          if (!listener.changed(latest) || latest.state().isTerminal()) {
            remove(id, listener);
          }
        });
  }

  private void remove(String id, ItemListener listener) {
    listeners.computeIfPresent(
        id,
        (k, l) -> {
          l.remove(listener);
          return l.isEmpty() ? null : l;
        });
  }

  private Item update(String id, UnaryOperator<Item> change) {
    Item changed = items.computeIfPresent(id, (k, i) -> change.apply(i));
    if (changed != null) {
      work.execute(() -> tell(id));
    }
    return changed;
  }

  private void tell(String id) {
    Item item = items.get(id);
    for (ItemListener l : listeners.getOrDefault(id, List.of())) {
      boolean keep;
      try {
        keep = l.changed(item);
      } catch (RuntimeException e) {
        keep = false;
      }
      if (!keep || item.state().isTerminal()) {
        remove(id, l);
      }
    }
  }

  @Override
  public void destroy() {
    work.shutdownNow();
  }
}
