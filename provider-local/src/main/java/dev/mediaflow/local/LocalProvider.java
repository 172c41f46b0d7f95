package dev.mediaflow.local;

import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;

/**
 * The local provider, {@code media.provider=local} (the default): runs pipelines on this machine.
 *
 * <p>Settings ({@code media.local.*}): {@code root} (the folder whose sub-folders are buckets, default
 * {@code ./mediaflow-data}), {@code ffmpeg} and {@code ffprobe} (default: the bundled build), {@code soffice}
 * (default: found on the PATH), {@code fontFile}, {@code workers} (outputs run at once, default: cores),
 * {@code threads} (per FFmpeg process), {@code keepJobs} (how long finished jobs stay in memory).
 */
public final class LocalProvider implements MediaProvider {
  @Override
  public String id() {
    return LocalJobClient.ID;
  }

  @Override
  public ProviderClient create(ProviderContext context) {
    LocalSettings settings = LocalSettings.from(context.config());
    return new LocalJobClient(settings, new LocalStore(settings.root()), context.clock());
  }
}
