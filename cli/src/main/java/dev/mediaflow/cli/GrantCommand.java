package dev.mediaflow.cli;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.upload.UploadGrantRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mediaflow grant}: prints an upload grant for a browser, as JSON, on any provider that
 * grants uploads.
 */
@Command(
    name = "grant",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a short-lived grant a browser uploads one file with, straight to the provider, as JSON:",
      "url, method, fields (or headers), fileField, expiresAt and the limits the provider enforces.",
      "Sends nothing."
    })
final class GrantCommand extends Main.Base {
  @Option(names = "--provider", paramLabel = "ID", description = "The provider instance.")
  String provider;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "15m",
      description = "How long the grant lasts, such as 15m or 2h (default: ${DEFAULT-VALUE}).")
  String expires;

  @Option(
      names = "--max-size",
      paramLabel = "BYTES",
      description = "The largest file allowed, in bytes.")
  Long maxSize;

  @Option(
      names = "--min-size",
      paramLabel = "BYTES",
      description = "The smallest file allowed, in bytes (default: 0).")
  Long minSize;

  @Option(
      names = "--content-type",
      paramLabel = "PATTERN",
      description = "An allowed content type, such as image/jpeg or image/*; repeatable.")
  List<String> contentTypes = new ArrayList<>();

  @Option(
      names = "--prefix",
      description = "KEY is a prefix: the uploader picks the rest of the key.")
  boolean prefix;

  @Option(names = "--overwrite", description = "Lets the upload replace an existing object.")
  boolean overwrite;

  @Option(
      names = "--put",
      description =
          "A presigned PUT of the bare file instead of a form POST (no size range or type pattern).")
  boolean put;

  @Parameters(
      paramLabel = "BUCKET/KEY",
      description = "The object, or with --prefix the key prefix, such as media/users/42/.")
  String target;

  @Override
  public Integer call() {
    UploadGrantRequest.Builder b = UploadGrantRequest.builder();
    if (prefix) {
      int slash = target.indexOf('/');
      if (slash <= 0 || slash == target.length() - 1) {
        throw new MediaValidationException(
            "BUCKET/KEY",
            "must be a bucket and a key prefix separated by '/', such as media/users/42/, was \""
                + target
                + "\"");
      }
      b.keyPrefix(target.substring(0, slash), target.substring(slash + 1));
    } else {
      MediaObject object = object(target);
      b.key(object);
    }
    b.expiry(Main.parseDuration(expires));
    if (minSize != null || maxSize != null) {
      b.size(minSize == null ? 0 : minSize, maxSize == null ? Long.MAX_VALUE : maxSize);
    }
    if (!contentTypes.isEmpty()) {
      b.contentTypes(contentTypes.toArray(String[]::new));
    }
    b.overwrite(overwrite);
    if (put) {
      b.method(UploadGrantRequest.Method.PUT);
    }
    UploadGrantRequest request = b.build();
    try (MediaClient media = MediaClient.create(config(provider))) {
      out().println(media.grantUpload(request).toJson());
    }
    return Main.OK;
  }
}
