package dev.mediaflow.op;

import java.util.Objects;
import java.util.Optional;

/**
 * Reads a blind (invisible) watermark out of an image. Only some providers can do this; the others
 * reject it with {@link dev.mediaflow.UnsupportedMediaOperationException} before any network call.
 *
 * <p>Both parameters are optional (the provider's default). Immutable and thread-safe.
 */
public final class BlindWatermarkDecode implements Operation {
  private final WatermarkStrength strength;
  private final WatermarkKind kind;

  private BlindWatermarkDecode(WatermarkStrength strength, WatermarkKind kind) {
    this.strength = strength;
    this.kind = kind;
  }

  /** Returns a decode with the provider's defaults. */
  public static BlindWatermarkDecode defaults() {
    return new BlindWatermarkDecode(null, null);
  }

  /** Returns a decode; either argument may be null for the provider's default. */
  public static BlindWatermarkDecode of(WatermarkStrength strength, WatermarkKind kind) {
    return new BlindWatermarkDecode(strength, kind);
  }

  @Override
  public String type() {
    return "decodeBlindWatermark";
  }

  /** Returns the strength the watermark was embedded with. */
  public Optional<WatermarkStrength> strength() {
    return Optional.ofNullable(strength);
  }

  /** Returns whether the watermark is text or an image. */
  public Optional<WatermarkKind> kind() {
    return Optional.ofNullable(kind);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlindWatermarkDecode b && b.strength == strength && b.kind == kind;
  }

  @Override
  public int hashCode() {
    return Objects.hash(strength, kind);
  }

  @Override
  public String toString() {
    return Values.describe("BlindWatermarkDecode", "strength", strength, "kind", kind);
  }
}
