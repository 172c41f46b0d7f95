package dev.mediaflow.pipeline;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request a provider would send for a pipeline, as shown by a dry run: the exact
 * processing string, method, URL, headers and body, with credentials and signatures left out.
 *
 * <p>{@code outputs} lists the indexes (into {@link Pipeline#outputs()}) this request produces; a
 * provider that takes one output per request (OSS) renders one request per output. Immutable and
 * thread-safe.
 *
 * @param processing the vendor processing string: an OSS style, or a Qiniu fops value
 * @param method the HTTP method
 * @param url the full URL
 * @param headers request headers, without {@code Authorization} or other secrets
 * @param body the request body as text ("" when none)
 * @param outputs the pipeline outputs this request produces
 */
public record VendorRequest(
    String processing,
    String method,
    String url,
    Map<String, String> headers,
    String body,
    List<Integer> outputs) {
  public VendorRequest {
    headers = java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
    outputs = List.copyOf(outputs);
  }
}
