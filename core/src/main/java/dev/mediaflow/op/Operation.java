package dev.mediaflow.op;

/**
 * A provider-neutral media operation. Providers render it into their own dialect; nothing parses
 * vendor strings back into operations (except the testkit's fake servers, which play the vendor).
 *
 * <p>Every implementation is immutable, thread-safe, validated at construction and compares by
 * value. Optional parameters left unset mean "the provider's default", which each provider
 * documents.
 */
public sealed interface Operation
    permits Transcode,
        AudioTranscode,
        Snapshot,
        Animation,
        DocumentConversion,
        ImageResize,
        Watermark,
        Concat,
        BlindWatermarkDecode,
        RawOperation {

  /**
   * Returns the operation's name in the JSON spec's {@code op} field, such as {@code "transcode"}.
   */
  String type();
}
