package dev.mediaflow.qiniu;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaException;
import dev.mediaflow.MediaIntegrityException;
import dev.mediaflow.MediaServiceException;
import dev.mediaflow.internal.HttpCalls;
import dev.mediaflow.job.JobId;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.spi.MultipartUploadProtocol;
import dev.mediaflow.spi.NoSuchUploadException;
import dev.mediaflow.spi.PartBody;
import dev.mediaflow.spi.PartHasher;
import dev.mediaflow.spi.StoredObject;
import dev.mediaflow.spi.UploadTarget;
import dev.mediaflow.spi.UploadedPart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Qiniu uploads with an upload token: form upload ({@code POST /} multipart/form-data) for one
 * request, and resumable upload v2 ({@code /buckets/<bucket>/objects/<b64 key>/uploads…}) for
 * parts. Each part's MD5 is checked against Qiniu's answer, the object's qetag against its {@code
 * hash}. A pipeline to run goes in the token's {@code persistentOps}; Qiniu answers its {@code
 * persistentId}.
 */
final class QiniuUploads implements MultipartUploadProtocol {
  private static final Logger log = LoggerFactory.getLogger(QiniuUploads.class);
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private static final MediaType JSON = MediaType.get("application/json");

  private final QiniuPfop pfop;
  private final QiniuSigner signer;
  private final QiniuObjects objects;
  private final QiniuSettings settings;
  private final HttpCalls http;

  QiniuUploads(
      QiniuPfop pfop,
      QiniuSigner signer,
      QiniuObjects objects,
      QiniuSettings settings,
      HttpCalls http) {
    this.pfop = pfop;
    this.signer = signer;
    this.objects = objects;
    this.settings = settings;
    this.http = http;
  }

  @Override
  public String checksumAlgorithm() {
    return "qetag";
  }

  /** 4 MiB parts keep the classic etag (the parts are its blocks). */
  @Override
  public long defaultPartSize() {
    return QEtag.BLOCK;
  }

  @Override
  public long minPartSize() {
    return 1L << 20;
  }

  @Override
  public long maxPartSize() {
    return 1L << 30;
  }

  @Override
  public int maxParts() {
    return 10_000;
  }

  @Override
  public boolean runsPipelineOnUpload() {
    return true;
  }

  @Override
  public PartHasher hasher() {
    QEtag etag = new QEtag();
    MessageDigest md5 = md5();
    return new PartHasher() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        etag.update(bytes, offset, length);
        md5.update(bytes, offset, length);
      }

      /** {@code <qetag of the part>:<md5 hex>}. */
      @Override
      public String finish() {
        return etag.finish() + ":" + HexFormat.of().formatHex(md5.digest());
      }
    };
  }

  @Override
  public String combine(List<UploadedPart> parts) {
    List<String> etags = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (UploadedPart p : parts) {
      etags.add(p.digest().substring(0, p.digest().indexOf(':')));
      sizes.add(p.size());
    }
    return QEtag.ofParts(etags, sizes);
  }

  @Override
  public StoredObject put(UploadTarget target, PartBody body) {
    MediaObject o = target.object();
    String name = o.key().substring(o.key().lastIndexOf('/') + 1);
    MultipartBody form =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("token", token(target))
            .addFormDataPart("key", o.key())
            .addFormDataPart("file", name, body)
            .build();
    Request request = new Request.Builder().url(settings.up()).post(form).build();
    // A pipeline or callback runs once per stored request: do not send one twice.
    boolean once = target.process().isPresent() || target.callback().isPresent();
    HttpCalls.Reply reply =
        once ? http.submit("put-object", request) : http.read("put-object", request);
    return stored(reply, target);
  }

  @Override
  public String initiate(UploadTarget target) {
    HttpCalls.Reply reply =
        http.submit(
            "initiate-upload",
            upToken(
                new Request.Builder()
                    .url(uploads(target.object(), null, 0))
                    .post(RequestBody.create(new byte[0], null)),
                target));
    JsonObject j = json(reply);
    if (j == null || !j.has("uploadId")) {
      throw new MediaClientException(
          "Qiniu answered the upload init for "
              + target.object()
              + " without an uploadId: "
              + reply.text(),
          null);
    }
    return j.get("uploadId").getAsString();
  }

  @Override
  public UploadedPart uploadPart(UploadTarget target, String uploadId, PartBody body) {
    HttpCalls.Reply reply =
        http.read(
            "upload-part",
            upToken(
                new Request.Builder()
                    .url(uploads(target.object(), uploadId, body.number()))
                    .put(body)
                    .header("Content-Type", OCTETS.toString()),
                target));
    JsonObject j = json(reply);
    String sent = body.digest().substring(body.digest().indexOf(':') + 1);
    String what = "part " + body.number() + " of " + target.object();
    if (j == null || !j.has("etag")) {
      throw new MediaClientException(
          "Qiniu answered " + what + " without an etag: " + reply.text(), null);
    }
    if (j.has("md5") && !j.get("md5").getAsString().equalsIgnoreCase(sent)) {
      throw new MediaIntegrityException(what, "md5", sent, j.get("md5").getAsString());
    }
    return new UploadedPart(
        body.number(), body.contentLength(), j.get("etag").getAsString(), body.digest());
  }

  @Override
  public List<UploadedPart> listParts(UploadTarget target, String uploadId) {
    List<UploadedPart> parts = new ArrayList<>();
    int marker = 0;
    while (true) {
      HttpUrl url =
          uploads(target.object(), uploadId, 0)
              .newBuilder()
              .addQueryParameter("max-parts", "1000")
              .addQueryParameter("part-number-marker", String.valueOf(marker))
              .build();
      HttpCalls.Reply reply;
      try {
        reply = http.read("list-parts", upToken(new Request.Builder().url(url).get(), target));
      } catch (MediaServiceException e) {
        if (e.httpStatus() == 612 || e.httpStatus() == 404) {
          throw new NoSuchUploadException(uploadId, e);
        }
        throw e;
      }
      JsonObject j = json(reply);
      JsonArray list =
          j == null || !j.has("parts") || j.get("parts").isJsonNull()
              ? new JsonArray()
              : j.getAsJsonArray("parts");
      for (JsonElement e : list) {
        JsonObject p = e.getAsJsonObject();
        parts.add(
            new UploadedPart(
                p.get("partNumber").getAsInt(),
                p.get("size").getAsLong(),
                p.get("etag").getAsString(),
                null));
      }
      int next = j != null && j.has("partNumberMarker") ? j.get("partNumberMarker").getAsInt() : 0;
      if (list.isEmpty() || next == 0 || next == marker) {
        return parts;
      }
      marker = next;
    }
  }

  @Override
  public StoredObject complete(
      UploadTarget target, String uploadId, List<UploadedPart> parts, String expectedChecksum) {
    JsonObject body = new JsonObject();
    JsonArray list = new JsonArray();
    for (UploadedPart p : parts) {
      JsonObject e = new JsonObject();
      e.addProperty("partNumber", p.number());
      e.addProperty("etag", p.etag());
      list.add(e);
    }
    body.add("parts", list);
    target.contentType().ifPresent(t -> body.addProperty("mimeType", t));
    HttpCalls.Reply reply;
    try {
      reply =
          http.submit(
              "complete-upload",
              upToken(
                  new Request.Builder()
                      .url(uploads(target.object(), uploadId, 0))
                      .post(
                          RequestBody.create(
                              body.toString().getBytes(StandardCharsets.UTF_8), JSON)),
                  target));
    } catch (MediaException e) {
      if (!e.isOutcomeUnknown()) {
        throw e;
      }
      return settle(target, expectedChecksum, e);
    }
    return stored(reply, target);
  }

  /**
   * A completion whose answer was lost may have stored the object: its {@code stat} hash says
   * whether the object is this upload's. The persistentId and a callback's answer were in the lost
   * answer only, so with either asked for the outcome stays unknown, but says the object is stored.
   */
  private StoredObject settle(UploadTarget target, String expectedChecksum, MediaException lost) {
    Optional<JsonObject> stat;
    try {
      stat = objects.stat(target.object());
    } catch (MediaException e) {
      lost.addSuppressed(e);
      throw lost;
    }
    String hash =
        stat.filter(j -> j.has("hash")).map(j -> j.get("hash").getAsString()).orElse(null);
    if (hash == null || !hash.equals(expectedChecksum)) {
      throw lost;
    }
    if (target.process().isPresent() || target.callback().isPresent()) {
      throw new MediaClientException(
          "Qiniu stored "
              + target.object()
              + " (its hash "
              + hash
              + " is this upload's), but "
              + "the completion's answer was lost, and with it "
              + (target.process().isPresent()
                  ? "the persistentId of the pipeline run on upload: the pipeline may be running; look for its outputs before "
                      + "submitting it again"
                  : "the callback server's answer")
              + ". Cause: "
              + lost.getMessage(),
          lost,
          true);
    }
    log.info(
        "The completion answer for {} was lost, but the object's hash is this upload's; it is stored",
        target.object());
    return StoredObject.of(hash, hash);
  }

  @Override
  public void abort(UploadTarget target, String uploadId) {
    try {
      http.read(
          "abort-upload",
          upToken(
              new Request.Builder().url(uploads(target.object(), uploadId, 0)).delete(), target));
    } catch (MediaServiceException e) {
      if (e.httpStatus() != 612 && e.httpStatus() != 404) {
        throw e;
      }
    }
  }

  private StoredObject stored(HttpCalls.Reply reply, UploadTarget target) {
    JsonObject j = json(reply);
    String hash = j != null && j.has("hash") ? j.get("hash").getAsString() : null;
    JobId job =
        j != null && j.has("persistentId") && !j.get("persistentId").isJsonNull()
            ? JobId.of(QiniuObjects.ID, j.get("persistentId").getAsString())
            : null;
    if (target.process().isPresent() && job == null) {
      throw new MediaClientException(
          "Qiniu stored "
              + target.object()
              + " but answered no persistentId for the pipeline "
              + "asked for: "
              + reply.text(),
          null);
    }
    return StoredObject.of(
        hash == null ? "" : hash, hash, job, target.callback().isPresent() ? reply.text() : null);
  }

  private String token(UploadTarget target) {
    QiniuPutPolicy.Builder b =
        QiniuPutPolicy.builder(target.object().bucket()).key(target.object().key());
    target.process().ifPresent(p -> b.process(pfop.render(p), p));
    target
        .callback()
        .ifPresent(
            c -> {
              b.callback(
                  c.url(),
                  c.body(),
                  c.json() ? "application/json" : "application/x-www-form-urlencoded");
              c.host().ifPresent(h -> b.field("callbackHost", h));
            });
    return signer.uploadToken(b, settings.uploadTokenTtl());
  }

  private Request upToken(Request.Builder b, UploadTarget target) {
    return b.header("Authorization", "UpToken " + token(target)).build();
  }

  /** {@code /buckets/<bucket>/objects/<urlsafe b64 key, padded>/uploads[/<id>[/<part>]]}. */
  private HttpUrl uploads(MediaObject o, String uploadId, int part) {
    HttpUrl.Builder b =
        settings
            .up()
            .newBuilder()
            .addPathSegment("buckets")
            .addPathSegment(o.bucket())
            .addPathSegment("objects")
            .addPathSegment(
                Base64.getUrlEncoder().encodeToString(o.key().getBytes(StandardCharsets.UTF_8)))
            .addPathSegment("uploads");
    if (uploadId != null) {
      b.addPathSegment(uploadId);
      if (part > 0) {
        b.addPathSegment(String.valueOf(part));
      }
    }
    return b.build();
  }

  private static JsonObject json(HttpCalls.Reply reply) {
    return reply.json().orElse(null);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
