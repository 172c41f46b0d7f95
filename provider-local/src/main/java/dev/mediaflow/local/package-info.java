/**
 * Local provider ({@code media.provider=local}, the default): runs pipelines on this machine. Buckets are
 * folders under {@code media.local.root}; video, audio and image work runs in FFmpeg (the bundled
 * {@code org.bytedeco} GPL build unless {@code media.local.ffmpeg} names another), documents in LibreOffice
 * and PDFBox. {@link dev.mediaflow.local.LocalProvider} is the only public class.
 */
package dev.mediaflow.local;
