package dev.mediaflow.qiniu;

import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.Concat;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Output;
import dev.mediaflow.pipeline.Pipeline;
import dev.mediaflow.pipeline.ProviderOptions;
import dev.mediaflow.pipeline.VendorRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;

/**
 * The pfop form of a pipeline ({@code bucket}, {@code key}, {@code fops}, {@code notifyURL} and
 * options), pure: the job client submits it, the uploads put its fops in an upload token's {@code
 * persistentOps}. Thread-safe.
 */
final class QiniuPfop {
  /** Qiniu bucket names: letters, digits, '-' and '_', at most 63. */
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  private final QiniuSettings settings;
  private final QiniuFopRenderer renderer;

  QiniuPfop(QiniuSettings settings) {
    this.settings = settings;
    this.renderer =
        new QiniuFopRenderer(o -> settings.url(o, "watermark images and concat inputs"));
  }

  /** The pfop form of a pipeline: every value validated and encoded before anything is sent. */
  Map<String, String> form(Pipeline p) {
    bucket(p.source(), "source");
    List<String> fops = new ArrayList<>();
    for (int i = 0; i < p.outputs().size(); i++) {
      Output out = p.outputs().get(i);
      String at = "outputs[" + i + "]";
      out.saveAs().ifPresent(t -> bucket(t, at + ".saveAs"));
      for (int s = 0; s < out.steps().size(); s++) {
        if (out.steps().get(s) instanceof Concat c) {
          for (int k = 0; k < c.inputs().size(); k++) {
            bucket(c.inputs().get(k), at + ".steps[" + s + "].inputs[" + k + "]");
          }
        }
      }
      fops.add(renderer.output(out));
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("bucket", p.source().bucket());
    form.put("key", p.source().key());
    form.put("fops", String.join(";", fops));
    p.notification().flatMap(n -> n.url()).ifPresent(u -> form.put("notifyURL", u.toString()));
    options(form, p.options());
    return form;
  }

  static void options(Map<String, String> form, ProviderOptions o) {
    o.force().filter(f -> f).ifPresent(f -> form.put("force", "1"));
    o.idleTime().filter(f -> f).ifPresent(f -> form.put("type", "1"));
    o.queue().ifPresent(q -> form.put("pipeline", q));
  }

  static void bucket(MediaObject o, String field) {
    if (!BUCKET.matcher(o.bucket()).matches()) {
      throw new MediaValidationException(
          field + ".bucket",
          "a Qiniu bucket name has 1 to 63 letters, digits, '-' and '_', was \""
              + o.bucket()
              + "\"");
    }
  }

  /**
   * Form-encodes as the official SDK's OkHttp 3 {@code FormBody} does, byte for byte: letters,
   * digits and {@code * - . _} stay, everything else (space included) becomes {@code %XX} of its
   * UTF-8 bytes.
   */
  static byte[] encode(Map<String, String> form) {
    StringBuilder s = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (s.length() > 0) {
            s.append('&');
          }
          percent(s, k);
          s.append('=');
          percent(s, v);
        });
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void percent(StringBuilder s, String value) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '*'
          || c == '-'
          || c == '.'
          || c == '_') {
        s.append((char) c);
      } else {
        s.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  /** {@code POST /pfop/} on the API host. */
  HttpUrl url() {
    return settings.api().newBuilder().addPathSegment("pfop").addPathSegment("").build();
  }

  /** The pfop request of a pipeline, as it would be sent (unsigned). */
  List<VendorRequest> render(Pipeline pipeline) {
    Map<String, String> form = form(pipeline);
    return List.of(
        new VendorRequest(
            form.get("fops"),
            "POST",
            url().toString(),
            Map.of("Content-Type", QiniuSigner.FORM),
            new String(encode(form), StandardCharsets.UTF_8),
            IntStream.range(0, pipeline.outputs().size()).boxed().toList()));
  }
}
