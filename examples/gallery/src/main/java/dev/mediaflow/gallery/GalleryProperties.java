package dev.mediaflow.gallery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gallery's own settings ({@code gallery.*}); Mediaflow's are under {@code mediaflow.*}.
 *
 * @param bucket the bucket that uploads and results go to
 * @param maxUploadSize the largest file a grant allows
 * @param thumbnailWidth the width of the thumbnails the page shows, in pixels
 * @param thumbnailHeight the height of the thumbnails the page shows, in pixels
 * @param notifyTopic the message topic that providers notifying through a topic (OSS: an MNS topic)
 *     publish job ends to; subscribe this application's notification endpoint to it
 * @param publicUrl where the provider reaches this application for notifications, such as {@code
 *     https://gallery.example.com}; empty: the address the browser used
 */
@ConfigurationProperties("gallery")
public record GalleryProperties(
    @DefaultValue("media") String bucket,
    @DefaultValue("200MB") DataSize maxUploadSize,
    @DefaultValue("320") int thumbnailWidth,
    @DefaultValue("180") int thumbnailHeight,
    @DefaultValue("mediaflow-gallery") String notifyTopic,
    @DefaultValue("") String publicUrl) {}
