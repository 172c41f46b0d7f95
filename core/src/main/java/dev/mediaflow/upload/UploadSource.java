package dev.mediaflow.upload;

import dev.mediaflow.MediaClientException;
import dev.mediaflow.MediaValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * What an upload reads: a file (read in place, in parallel, resumable), a stream of known or
 * unknown length (read once, in order), or bytes. Immutable; a stream source can be uploaded once.
 */
public final class UploadSource {
  private final Path file;
  private final InputStream stream;
  private final long length;
  private final String fingerprint;

  private UploadSource(Path file, InputStream stream, long length, String fingerprint) {
    this.file = file;
    this.stream = stream;
    this.length = length;
    this.fingerprint = fingerprint;
  }

  /**
   * A regular file. Its size and modification time are read now: they are the fingerprint that ties
   * a checkpoint to this version of the file.
   *
   * @throws MediaValidationException when {@code file} is not a readable regular file
   * @throws MediaClientException when its attributes cannot be read
   */
  public static UploadSource ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
      throw new MediaValidationException(
          "source",
          "is not a readable regular file: " + abs + ". Give the path of an existing file.");
    }
    try {
      Path real = abs.toRealPath();
      BasicFileAttributes r = Files.readAttributes(real, BasicFileAttributes.class);
      String fp =
          "file:"
              + real
              + ":"
              + r.size()
              + ":"
              + r.lastModifiedTime().toMillis()
              + (r.fileKey() == null ? "" : ":" + r.fileKey());
      return new UploadSource(real, null, r.size(), fp);
    } catch (IOException e) {
      throw new MediaClientException(
          "Cannot read the attributes of " + abs + ": " + e.getMessage(), e);
    }
  }

  /** Bytes in memory (not copied: do not change them during the upload). */
  public static UploadSource ofBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new UploadSource(null, new ByteArrayInputStream(bytes), bytes.length, null);
  }

  /**
   * A stream of {@code length} bytes, read once in order; the upload reads exactly that many and
   * fails if the stream ends early. The caller closes the stream.
   */
  public static UploadSource ofStream(InputStream in, long length) {
    Objects.requireNonNull(in, "in");
    if (length < 0) {
      throw new MediaValidationException(
          "length", "must be >= 0, was " + length + ". Use ofStream(in) for an unknown length.");
    }
    return new UploadSource(null, in, length, null);
  }

  /** A stream of unknown length, read once in order until it ends. The caller closes the stream. */
  public static UploadSource ofStream(InputStream in) {
    return new UploadSource(null, Objects.requireNonNull(in, "in"), -1, null);
  }

  /** Returns the number of bytes, or -1 when unknown. */
  public long length() {
    return length;
  }

  /** Returns the file, for a file source. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Returns the stream, for a stream or bytes source. */
  public Optional<InputStream> stream() {
    return Optional.ofNullable(stream);
  }

  /**
   * Returns what identifies this version of the source (path, size, modification time), for a file;
   * a checkpoint is only resumed for the same fingerprint. Empty for streams, which cannot be
   * resumed.
   */
  public Optional<String> fingerprint() {
    return Optional.ofNullable(fingerprint);
  }

  @Override
  public String toString() {
    return file != null
        ? "UploadSource{file=" + file + ", length=" + length + "}"
        : "UploadSource{stream, length=" + (length < 0 ? "unknown" : length) + "}";
  }
}
