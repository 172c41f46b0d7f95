package dev.mediaflow.internal.upload;

import dev.mediaflow.upload.UploadListener;
import java.util.concurrent.atomic.AtomicLong;

/** Sums the bytes sent across parts and tells the listener. */
final class Progress {
  private final UploadListener listener;
  private final AtomicLong sent = new AtomicLong();
  private volatile long total;

  Progress(UploadListener listener, long total) {
    this.listener = listener;
    this.total = total;
  }

  void add(long bytes) {
    if (bytes != 0) {
      listener.onProgress(sent.addAndGet(bytes), total);
    }
  }

  void total(long total) {
    this.total = total;
    listener.onProgress(sent.get(), total);
  }
}
