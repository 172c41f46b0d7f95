/**
 * The provider-neutral operations a pipeline chains: transcode, audio, snapshot, animation,
 * document conversion, image resize, watermarks, concat, blind-watermark decode, and the {@link
 * dev.mediaflow.op.RawOperation} escape hatch, with the enums and value types they take. Each
 * provider renders them into its own dialect.
 *
 * <p><b>Tier: public API.</b>
 *
 * <p>Every operation and value type is immutable, thread-safe and compares by value; builders are
 * not thread-safe. Values are checked when an operation is built: an invalid one, a missing
 * required one included, is a {@link dev.mediaflow.MediaValidationException} naming the parameter.
 */
package dev.mediaflow.op;
