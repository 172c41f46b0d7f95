package dev.mediaflow.gallery;

import dev.mediaflow.MediaClient;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.local.LocalMediaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the local media server beside the application when the provider is the local one: it takes
 * the browser's uploads and serves the signed URLs ({@code mediaflow.instances.local.base-url} says
 * where it listens).
 */
@Component
class LocalMediaServing implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LocalMediaServing.class);

  private final MediaClient media;
  private final MediaConfig config;
  private volatile LocalMediaServer server;

  LocalMediaServing(MediaClient media, MediaConfig config) {
    this.media = media;
    this.config = config;
  }

  @Override
  public synchronized void start() {
    if (server == null && media.providerId().equals("local")) {
      server = LocalMediaServer.builder().config(config).instance(media.instance()).start();
      log.info("Local media server at {}", server.baseUrl());
    }
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }
}
