package dev.mediaflow.op;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.internal.Check;

/**
 * The escape hatch: a literal processing string in one provider's dialect, passed through
 * unchanged. Only the provider named by {@code provider} accepts it; the others reject it before
 * any network call.
 *
 * <pre>{@code
 * RawOperation sprite = RawOperation.of("oss", "video/sprite,f_jpg,sw_100,sh_100,inter_10000,tw_10,th_10");
 * }</pre>
 *
 * <p>The value is the operation only: save targets are added by the pipeline, as for every other
 * step. It must not contain control characters. Immutable and thread-safe.
 */
public record RawOperation(String provider, String value) implements Operation {
  public RawOperation {
    Check.text("provider", provider, 64);
    if (!provider.matches("[a-z][a-z0-9-]*")) {
      throw new MediaValidationException(
          "provider", "must be a provider id such as oss or qiniu, was \"" + provider + "\"");
    }
    Check.text("value", value, 16 * 1024);
  }

  public static RawOperation of(String provider, String value) {
    return new RawOperation(provider, value);
  }

  @Override
  public String type() {
    return "raw";
  }
}
