/**
 * Local provider ({@code media.provider=local}, the default): runs pipelines on this machine.
 * Buckets are folders under {@code media.local.root}; video, audio and image work runs in FFmpeg
 * ({@code media.local.ffmpeg} when set, else the bundled {@code org.bytedeco} GPL build when {@code
 * dev.mediaflow:mediaflow-ffmpeg-gpl} is on the class path, else {@code ffmpeg} on the PATH),
 * documents in LibreOffice and PDFBox.
 *
 * <p><b>Tier: public API</b>: {@link dev.mediaflow.local.LocalProvider} is the only public class;
 * the rest is implementation. Use the provider through {@link dev.mediaflow.MediaClient}.
 */
package dev.mediaflow.local;
