package dev.mediaflow.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * One part of an upload as an HTTP body: a range of a file, read from disk while it is sent (16 KiB
 * at a time, so a part is never held in memory), or a buffer. While sending it feeds the provider's
 * {@link PartHasher} and reports progress; sent again (a retry), it first takes back the bytes it
 * reported. Thread-safe; each send is serialized.
 */
public final class PartBody extends RequestBody {
  private static final int CHUNK = 16 * 1024;

  /**
   * okio's segment size. Handing okio a segment at a time lets it send and recycle each segment
   * before taking the next, so a send keeps one pooled segment instead of allocating eight per
   * chunk.
   */
  private static final int SEGMENT = 8192;

  /** One read buffer per sending thread, reused across parts. */
  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(CHUNK));

  private final int number;
  private final long offset;
  private final long length;
  private final FileChannel file;
  private final byte[] buffer;
  private final java.io.InputStream stream;
  private final Supplier<PartHasher> hashers;
  private final LongConsumer progress;
  private final MediaType type;
  private long reported;
  private boolean streamed;
  private volatile String digest;

  private PartBody(
      int number,
      long offset,
      long length,
      FileChannel file,
      byte[] buffer,
      java.io.InputStream stream,
      Supplier<PartHasher> hashers,
      LongConsumer progress,
      MediaType type) {
    if (number < 1 || offset < 0 || (length < 0 && stream == null)) {
      throw new IllegalArgumentException(
          "part " + number + " at " + offset + " of " + length + " bytes");
    }
    this.number = number;
    this.offset = offset;
    this.length = length;
    this.file = file;
    this.buffer = buffer;
    this.stream = stream;
    this.hashers = Objects.requireNonNull(hashers, "hashers");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.type = type;
  }

  /**
   * Part {@code number}: {@code length} bytes of {@code file} from {@code offset}, read while
   * sending.
   */
  public static PartBody ofFile(
      int number,
      FileChannel file,
      long offset,
      long length,
      Supplier<PartHasher> hashers,
      LongConsumer progress,
      MediaType type) {
    return new PartBody(
        number,
        offset,
        length,
        Objects.requireNonNull(file, "file"),
        null,
        null,
        hashers,
        progress,
        type);
  }

  /** Part {@code number}: the first {@code length} bytes of {@code buffer} (not copied). */
  public static PartBody ofBytes(
      int number,
      byte[] buffer,
      int length,
      Supplier<PartHasher> hashers,
      LongConsumer progress,
      MediaType type) {
    if (length > buffer.length) {
      throw new IllegalArgumentException("length " + length + " > buffer " + buffer.length);
    }
    return new PartBody(number, 0, length, null, buffer, null, hashers, progress, type);
  }

  /**
   * Part {@code number}: {@code stream} read while sending, {@code length} bytes or, when -1, until
   * it ends. A stream can be sent once only (a second send fails), so use it where a request is not
   * repeated.
   */
  public static PartBody ofStream(
      int number,
      java.io.InputStream stream,
      long length,
      Supplier<PartHasher> hashers,
      LongConsumer progress,
      MediaType type) {
    return new PartBody(
        number,
        0,
        length,
        null,
        null,
        Objects.requireNonNull(stream, "stream"),
        hashers,
        progress,
        type);
  }

  /** Returns the part number, from 1. */
  public int number() {
    return number;
  }

  /** Returns where the part starts in the source. */
  public long offset() {
    return offset;
  }

  @Override
  public MediaType contentType() {
    return type;
  }

  /** Returns the length, or -1 for a stream of unknown length. */
  @Override
  public long contentLength() {
    return length;
  }

  /**
   * Returns the bytes of the last complete send (the length; for a stream of unknown length, what
   * it held).
   */
  public long sent() {
    digest();
    return reported;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    send(
        (bytes, offset, length) -> {
          for (int at = 0; at < length; at += SEGMENT) {
            sink.write(bytes, offset + at, Math.min(SEGMENT, length - at));
          }
        });
  }

  /**
   * Writes the part to {@code out} (a provider that stores locally), hashing and reporting as a
   * send does.
   */
  public void writeTo(OutputStream out) throws IOException {
    send(out::write);
  }

  /**
   * Returns the digest of the bytes last sent in full.
   *
   * @throws IllegalStateException when the part has not been sent in full
   */
  public String digest() {
    String d = digest;
    if (d == null) {
      throw new IllegalStateException("part " + number + " has not been sent in full");
    }
    return d;
  }

  private interface Chunks {
    void write(byte[] bytes, int offset, int length) throws IOException;
  }

  private synchronized void send(Chunks out) throws IOException {
    digest = null;
    progress.accept(-reported);
    reported = 0;
    PartHasher hasher = hashers.get();
    if (stream != null) {
      if (streamed) {
        throw new IOException(
            "part " + number + " is read from a stream, which can be sent only once");
      }
      streamed = true;
      byte[] chunk = BUFFERS.get().array();
      for (int n;
          (length < 0 || reported < length)
              && (n =
                      stream.read(
                          chunk,
                          0,
                          (int)
                              (length < 0
                                  ? chunk.length
                                  : Math.min(chunk.length, length - reported))))
                  >= 0; ) {
        hasher.update(chunk, 0, n);
        out.write(chunk, 0, n);
        reported += n;
        progress.accept(n);
      }
      if (length >= 0 && reported < length) {
        throw new dev.mediaflow.MediaValidationException(
            "source",
            "the stream ended after " + reported + " bytes, but its length was given as " + length);
      }
    } else if (buffer != null) {
      for (int at = 0; at < length; ) {
        int n = (int) Math.min(CHUNK, length - at);
        hasher.update(buffer, at, n);
        out.write(buffer, at, n);
        at += n;
        reported += n;
        progress.accept(n);
      }
    } else {
      ByteBuffer chunk = BUFFERS.get();
      long at = 0;
      while (at < length) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), length - at));
        int n = file.read(chunk, offset + at);
        if (n < 0) {
          throw new IOException(
              "the source ended at byte "
                  + (offset + at)
                  + ", before the end of part "
                  + number
                  + ": the file was truncated during the upload");
        }
        hasher.update(chunk.array(), 0, n);
        out.write(chunk.array(), 0, n);
        at += n;
        reported += n;
        progress.accept(n);
      }
    }
    digest = hasher.finish();
  }

  @Override
  public String toString() {
    return "PartBody{part " + number + ", " + length + " bytes at " + offset + "}";
  }
}
