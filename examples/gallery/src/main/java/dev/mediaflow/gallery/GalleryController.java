package dev.mediaflow.gallery;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.delivery.UrlOptions;
import dev.mediaflow.op.FitMode;
import dev.mediaflow.op.ImageFormat;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The page's API: grants, the upload's end, the items with their URLs, and live events. */
@RestController
@RequestMapping("/api")
class GalleryController {
  private static final Logger log = LoggerFactory.getLogger(GalleryController.class);

  private final Gallery gallery;
  private final MediaClient media;
  private final GalleryProperties settings;
  private final String notifyPath;

  GalleryController(
      Gallery gallery,
      MediaClient media,
      GalleryProperties settings,
      @Value("${mediaflow.notifications.path:/mediaflow/notify}") String notifyPath) {
    this.gallery = gallery;
    this.media = media;
    this.settings = settings;
    this.notifyPath = notifyPath;
  }

  /** What the page says about the file it is about to upload. */
  record UploadRequest(String name, String type, long size) {}

  /**
   * An item as the page shows it: its state, and signed URLs of what it can show (empty until
   * made).
   */
  record ItemView(
      String id,
      String name,
      String contentType,
      String state,
      int progress,
      String jobId,
      String endedBy,
      String message,
      Map<String, String> info,
      List<String> log,
      String thumbnailUrl,
      int thumbnailWidth,
      int thumbnailHeight,
      String posterUrl,
      String videoUrl,
      String downloadUrl) {}

  /** Starts an item and answers {@code {"id": ..., "grant": {...}}}: where and how to upload. */
  @PostMapping(value = "/uploads", produces = MediaType.APPLICATION_JSON_VALUE)
  String upload(@RequestBody UploadRequest request) {
    Gallery.Upload upload = gallery.start(request.name(), request.type(), request.size());
    return "{\"id\":\"" + upload.item().id() + "\",\"grant\":" + upload.grant().toJson() + "}";
  }

  /** The browser stored the file: the pipeline starts. */
  @PostMapping("/items/{id}/uploaded")
  ItemView uploaded(@PathVariable("id") String id, HttpServletRequest request) {
    String base =
        settings.publicUrl().isEmpty()
            ? ServletUriComponentsBuilder.fromContextPath(request).build().toUriString()
            : settings.publicUrl().replaceAll("/+$", "");
    return view(gallery.uploaded(id, base, notifyPath));
  }

  @GetMapping("/items")
  List<ItemView> items() {
    return gallery.items().stream().map(this::view).toList();
  }

  @GetMapping("/items/{id}")
  ItemView item(@PathVariable("id") String id) {
    return gallery
        .item(id)
        .map(this::view)
        .orElseThrow(() -> new MediaValidationException("id", "no gallery item " + id));
  }

  /**
   * Streams the item's changes as server-sent events named {@code item}, each the item's view; the
   * stream ends when the item is ready or failed.
   */
  @GetMapping(value = "/items/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(@PathVariable("id") String id) {
    SseEmitter emitter = new SseEmitter(0L);
    gallery.listen(
        id,
        item -> {
          try {
            emitter.send(
                SseEmitter.event().name("item").data(view(item), MediaType.APPLICATION_JSON));
            if (item.state().isTerminal()) {
              emitter.complete();
            }
            return true;
          } catch (IOException | IllegalStateException e) {
            return false; // the page went away
          }
        });
    return emitter;
  }

  @ExceptionHandler(MediaException.class)
  ResponseEntity<Map<String, String>> refused(MediaException e) {
    HttpStatus status =
        e instanceof MediaValidationException ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY;
    if (status != HttpStatus.BAD_REQUEST) {
      log.warn("Mediaflow failed", e);
    }
    return ResponseEntity.status(status).body(Map.of("error", String.valueOf(e.getMessage())));
  }

  private ItemView view(Item item) {
    boolean ready = item.state() == Item.State.READY;
    String thumbnail = "";
    String poster = "";
    String video = "";
    if (ready) {
      // Resized by the provider as the URL is fetched, to exactly the size the page shows.
      thumbnail =
          url(
              item.thumbnail(),
              UrlOptions.builder()
                  .process(
                      ImageResize.builder()
                          .size(settings.thumbnailWidth(), settings.thumbnailHeight())
                          .fit(FitMode.CROP)
                          .format(ImageFormat.JPG)
                          .build())
                  .build());
      if (item.isVideo()) {
        poster = url(item.poster(), UrlOptions.defaults());
        video = url(item.video(), UrlOptions.defaults());
      }
    }
    String download =
        item.state() == Item.State.UPLOADING
            ? ""
            : url(item.source(), UrlOptions.builder().downloadName(item.name()).build());
    return new ItemView(
        item.id(),
        item.name(),
        item.contentType(),
        item.state().name(),
        item.progress(),
        item.jobId(),
        item.endedBy(),
        item.message(),
        item.info(),
        item.log(),
        thumbnail,
        settings.thumbnailWidth(),
        settings.thumbnailHeight(),
        poster,
        video,
        download);
  }

  /** A signed URL; {@code toString()} is all this needs of what {@code url} returns. */
  private String url(MediaObject object, UrlOptions options) {
    return media.url(object, options).toString();
  }
}
